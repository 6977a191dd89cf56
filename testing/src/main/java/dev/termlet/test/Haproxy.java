package dev.termlet.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HAProxy (Debian's {@code /usr/sbin/haproxy}, or {@code haproxy} on the {@code PATH}) run by a test in the
 * foreground, stopped by {@link #close()}. The configuration is given as text in which each {@code ${port:NAME}}
 * becomes a free port on 127.0.0.1 (the same port for the same name), read back with {@link #port(String)}.
 *
 * <pre>{@code
 * try (Haproxy lb = Haproxy.tcp(server.port(), "send-proxy-v2")) {
 *     // connect to 127.0.0.1:lb.port()
 * }
 * }</pre>
 *
 * <p>{@link #start} returns once every frontend port is listening (it reads Linux's {@code /proc/net/tcp}); it fails (never skips) when HAProxy is missing
 * or refuses the configuration, with HAProxy's own output in the message.
 */
public final class Haproxy implements AutoCloseable {
    private static final Pattern PORT = Pattern.compile("\\$\\{port:([A-Za-z0-9_-]+)}");

    private final Process process;
    private final Path dir;
    private final Map<String, Integer> ports;

    private Haproxy(Process process, Path dir, Map<String, Integer> ports) {
        this.process = process;
        this.dir = dir;
        this.ports = ports;
    }

    /**
     * One TCP frontend on a free port of 127.0.0.1 that forwards every connection to a server on 127.0.0.1, with
     * the given options on the server line.
     *
     * @param serverPort the backend's port on 127.0.0.1
     * @param serverOptions options of the {@code server} line, such as {@code send-proxy} or {@code send-proxy-v2}
     * @return the running proxy; its frontend is {@link #port()}
     */
    public static Haproxy tcp(int serverPort, String serverOptions) {
        return start("""
                defaults
                    mode tcp
                    timeout connect 5s
                    timeout client 2m
                    timeout server 2m
                frontend front
                    bind 127.0.0.1:${port:front}
                    default_backend back
                backend back
                    server node 127.0.0.1:%d %s
                """.formatted(serverPort, serverOptions));
    }

    /**
     * Runs HAProxy with a configuration.
     *
     * @param config the configuration text, with {@code ${port:NAME}} for free ports
     * @return the running proxy, its frontends listening
     */
    public static Haproxy start(String config) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        Matcher m = PORT.matcher(config);
        StringBuilder text = new StringBuilder();
        while (m.find()) {
            int port = ports.computeIfAbsent(m.group(1), k -> freePort());
            m.appendReplacement(text, Integer.toString(port));
        }
        m.appendTail(text);
        try {
            Path dir = Files.createTempDirectory("haproxy");
            Path cfg = dir.resolve("haproxy.cfg");
            Files.writeString(cfg, text, StandardCharsets.UTF_8);
            Path log = dir.resolve("haproxy.log");
            Process p = new ProcessBuilder(binary(), "-db", "-f", cfg.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Haproxy h = new Haproxy(p, dir, Map.copyOf(ports));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!h.listening()) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("haproxy exited with " + p.exitValue() + ":\n" + h.output()
                            + "\nconfiguration:\n" + text);
                }
                if (System.nanoTime() > deadline) {
                    h.close();
                    throw new IllegalStateException("haproxy did not listen within 20 s:\n" + h.output());
                }
                Thread.sleep(20);
            }
            return h;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run haproxy", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while haproxy started", e);
        }
    }

    private static String binary() {
        Path debian = Path.of("/usr/sbin/haproxy");
        return Files.isExecutable(debian) ? debian.toString() : "haproxy";
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Whether every frontend port is listening, on whatever address, as the kernel's socket tables show (Linux):
     * looking makes no connection through HAProxy to its servers.
     */
    private boolean listening() {
        java.util.Set<Integer> open = new java.util.HashSet<>();
        for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            try {
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] f = line.trim().split("\\s+");
                    // sl local_address rem_address st ...; st 0A is LISTEN
                    if (f.length > 3 && f[3].equals("0A") && f[1].indexOf(':') > 0) {
                        open.add(Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16));
                    }
                }
            } catch (IOException | RuntimeException e) {
                // a table that cannot be read (no IPv6): the other one decides
            }
        }
        return open.containsAll(ports.values());
    }

    /**
     * A frontend port.
     *
     * @param name the name used in {@code ${port:NAME}}
     * @return its port on 127.0.0.1
     */
    public int port(String name) {
        Integer p = ports.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no port named " + name + " in the configuration: " + ports.keySet());
        }
        return p;
    }

    /** @return the port of the frontend named {@code front}, as {@link #tcp} makes it */
    public int port() {
        return port("front");
    }

    /** @return what HAProxy wrote so far (warnings, errors) */
    public String output() {
        try {
            Path log = dir.resolve("haproxy.log");
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(cannot read the log: " + e + ")";
        }
    }

    /** Stops HAProxy (and waits for it to end) and removes its files. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // a temporary directory left behind
        }
    }
}
