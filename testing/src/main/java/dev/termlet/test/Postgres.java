package dev.termlet.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL server for tests: a new cluster made by {@code initdb} in a temporary directory, served on
 * 127.0.0.1 on a free port with a password login, stopped and deleted by {@link #close()}. It runs the machine's own
 * PostgreSQL (the directory in {@code PG_BIN}, else the newest {@code /usr/lib/postgresql/N/bin}, as Debian installs
 * it); as root it runs them as the user {@code postgres}, since PostgreSQL refuses to run as root. Durability is
 * traded for speed ({@code fsync=off}): this is for tests only.
 *
 * <pre>{@code
 * try (Postgres pg = Postgres.start()) {
 *     var store = ... pg.jdbcUrl(), pg.user(), pg.password() ...
 * }
 * }</pre>
 */
public final class Postgres implements AutoCloseable {
    private final Path bin;
    private final Path dir;
    private final Path data;
    private final int port;
    private final String password;
    private final boolean root;

    private Postgres(Path bin, Path dir, int port, String password, boolean root) {
        this.bin = bin;
        this.dir = dir;
        this.data = dir.resolve("data");
        this.port = port;
        this.password = password;
        this.root = root;
    }

    /**
     * Makes a new cluster and starts it.
     *
     * @return the running server
     * @throws IOException if PostgreSQL is not installed or does not start (the message carries its log)
     */
    public static Postgres start() throws IOException {
        Path bin = binaries();
        Path dir = Files.createTempDirectory("termlet-pg");
        boolean root = "root".equals(System.getProperty("user.name"));
        byte[] secret = new byte[18];
        new SecureRandom().nextBytes(secret);
        Postgres pg = new Postgres(bin, dir, freePort(), HexFormat.of().formatHex(secret), root);
        try {
            Files.writeString(dir.resolve("pw"), pg.password, StandardCharsets.UTF_8);
            Files.createDirectories(dir.resolve("socket"));
            if (root) {
                run(List.of("chown", "-R", "postgres:", dir.toString()), dir, false, Map.of());
            }
            pg.runAs(List.of(bin.resolve("initdb").toString(), "-D", pg.data.toString(), "-U", "termlet",
                    "--auth=scram-sha-256", "--pwfile=" + dir.resolve("pw"), "-E", "UTF8", "--locale=C.UTF-8",
                    "--no-sync"));
            Files.deleteIfExists(dir.resolve("pw"));
            pg.startServer();
            return pg;
        } catch (IOException | RuntimeException e) {
            pg.close();
            throw e;
        }
    }

    private void startServer() throws IOException {
        runAs(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("log").toString(),
                "-w", "-t", "60", "-o", "-p " + port + " -h 127.0.0.1 -k " + dir.resolve("socket")
                        + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200",
                "start"));
    }

    /**
     * Stops the server (fast shutdown: sessions are ended), keeping its data, as a database failure would look.
     *
     * @throws IOException if it does not stop
     */
    public void stop() throws IOException {
        runAs(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "stop"));
    }

    /**
     * Starts the server again after {@link #stop()}, on the same port with the same data.
     *
     * @throws IOException if it does not start
     */
    public void restart() throws IOException {
        startServer();
    }

    /** @return the JDBC URL of the database {@code postgres} */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    /** @return the port on 127.0.0.1 */
    public int port() {
        return port;
    }

    /** @return the superuser's name, {@code termlet} */
    public String user() {
        return "termlet";
    }

    /** @return the superuser's password (random, per server) */
    public String password() {
        return password;
    }

    /**
     * Runs SQL with {@code psql} as the superuser, stopping at the first error.
     *
     * @param sql the statements
     * @return what psql printed (unaligned, tuples only)
     * @throws IOException if psql fails
     */
    public String psql(String sql) throws IOException {
        return runAs(Map.of("PGPASSWORD", password), List.of(bin.resolve("psql").toString(), "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h",
                dir.resolve("socket").toString(), "-p", String.valueOf(port), "-U", "termlet", "-d", "postgres", "-c",
                sql));
    }

    /** Stops the server and deletes its files. */
    @Override
    public void close() {
        try {
            if (Files.exists(data.resolve("postmaster.pid"))) {
                stop();
            }
        } catch (IOException e) {
            // deleting follows; a server still running is killed by its lost directory at worst
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String runAs(List<String> command) throws IOException {
        return runAs(Map.of(), command);
    }

    private String runAs(Map<String, String> env, List<String> command) throws IOException {
        List<String> c = new ArrayList<>();
        if (root) {
            c.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        if (root && !env.isEmpty()) {
            // runuser keeps the environment only when told which variables to pass
            c.add(c.size() - 1, "--whitelist-environment=" + String.join(",", env.keySet()));
        }
        c.addAll(command);
        return run(c, dir, true, env);
    }

    private static String run(List<String> command, Path dir, boolean withLog, Map<String, String> env)
            throws IOException {
        Path out = Files.createTempFile("termlet-pg-out", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(command.get(0) + " did not finish in 120 s");
            }
            String text = Files.readString(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                Path log = dir.resolve("log");
                String serverLog = withLog && Files.isReadable(log) ? Files.readString(log) : "";
                throw new IOException(String.join(" ", command) + " failed (" + p.exitValue() + "): " + text
                        + serverLog);
            }
            return text.strip();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static Path binaries() throws IOException {
        String env = System.getenv("PG_BIN");
        if (env != null && !env.isBlank()) {
            return Paths.get(env);
        }
        Path debian = Paths.get("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                var newest = versions.filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                        .max(Comparator.comparingInt(v -> {
                            try {
                                return Integer.parseInt(v.getFileName().toString());
                            } catch (NumberFormatException e) {
                                return 0;
                            }
                        }));
                if (newest.isPresent()) {
                    return newest.get().resolve("bin");
                }
            }
        }
        throw new IOException("no PostgreSQL server found: install Debian's postgresql package or set PG_BIN");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
