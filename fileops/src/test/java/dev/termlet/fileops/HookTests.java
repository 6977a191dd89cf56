package dev.termlet.fileops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.sshd.sftp.client.SftpClient;

/** What the hook tests share: scripts, waiting for conditions, SFTP uploads, and an HTTP receiver. */
final class HookTests {
    static final ObjectMapper JSON = new ObjectMapper();
    /** How long a test waits for something that should happen; generous, never asserted as a duration. */
    static final Duration PATIENCE = Duration.ofSeconds(30);

    private HookTests() {}

    /** Writes an executable shell script. */
    static Path script(Path dir, String name, String body) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    /** Waits until a condition holds, or fails naming it. */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("still waiting for: " + what);
            }
            Thread.sleep(50);
        }
    }

    /** The lines of a file, or none if it does not exist yet. */
    static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The notifications waiting in a data directory's hook outbox. */
    static List<Path> outbox(Path data) {
        Path dir = data.resolve("hooks/outbox");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    static void upload(SftpClient sftp, String path, byte[] content) throws IOException {
        try (OutputStream out = sftp.write(path)) {
            out.write(content);
        }
    }

    /** A real HTTP server on 127.0.0.1 recording what it receives. */
    static final class Receiver implements AutoCloseable {
        /** One request as received. */
        record Request(String method, URI uri, String contentType, String body) {
            JsonNode json() throws IOException {
                return JSON.readTree(body);
            }
        }

        private final HttpServer server;
        private final ExecutorService threads = Executors.newCachedThreadPool();
        private final List<Request> requests = new ArrayList<>();
        private final java.util.concurrent.atomic.AtomicInteger arrived = new java.util.concurrent.atomic.AtomicInteger();
        private volatile int status = 200;
        private volatile CountDownLatch gate;
        private volatile Function<Request, String> responder = r -> "";

        Receiver(int port) throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
            server.setExecutor(threads);
            server.createContext("/", exchange -> {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                Request r = new Request(exchange.getRequestMethod(), exchange.getRequestURI(),
                        exchange.getRequestHeaders().getFirst("Content-Type"), body);
                arrived.incrementAndGet();
                CountDownLatch g = gate;
                if (g != null) {
                    try {
                        g.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                synchronized (requests) {
                    requests.add(r);
                }
                byte[] answer = responder.apply(r).getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
                if (answer.length > 0) {
                    exchange.getResponseBody().write(answer);
                }
                exchange.close();
            });
            server.start();
        }

        int port() {
            return server.getAddress().getPort();
        }

        URI uri(String path) {
            return URI.create("http://127.0.0.1:" + port() + path);
        }

        Receiver status(int code) {
            this.status = code;
            return this;
        }

        Receiver respond(Function<Request, String> answer) {
            this.responder = answer;
            return this;
        }

        /** Holds every request until {@link #open()}. */
        Receiver hold() {
            this.gate = new CountDownLatch(1);
            return this;
        }

        void open() {
            CountDownLatch g = gate;
            gate = null;
            if (g != null) {
                g.countDown();
            }
        }

        /** @return how many requests arrived, held ones included */
        int arrived() {
            return arrived.get();
        }

        List<Request> requests() {
            synchronized (requests) {
                return List.copyOf(requests);
            }
        }

        @Override
        public void close() {
            open();
            server.stop(0);
            threads.shutdownNow();
        }
    }
}
