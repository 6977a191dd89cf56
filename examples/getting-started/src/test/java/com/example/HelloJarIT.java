package com.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.test.TestClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged app as its users run it: {@code java -jar target/hello-ssh.jar 0 DIR} in a process of its own, on a
 * free port and a temporary data directory, logged in to over SSH. Failsafe runs it after {@code package}
 * ({@code mvn verify}) and passes the jar's path in the system property {@code app.jar}; the app's output goes to
 * {@code target/HelloJarIT-app.log}.
 */
class HelloJarIT {
    private static final Pattern LISTENING = Pattern.compile("Listening on [^ ]+:(\\d+);");

    @TempDir
    Path dataDir;

    private final Path log = Path.of("target", "HelloJarIT-app.log");
    private Process app;

    @Test
    void theJarServesHelloOverSsh() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        app = new ProcessBuilder(java, "-jar", System.getProperty("app.jar"), "0", dataDir.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        int port = awaitPort();

        try (TestClient client = TestClient.password("127.0.0.1", port, "alice", "secret")) {
            client.awaitText("Welcome, alice!");
            client.typeLine("hello");
            assertThat(client.awaitText("world!")).containsLine("world!");
        }
        // the host keys and the account went into the directory given, not into ./termlet-data
        assertThat(dataDir.resolve("users.json")).content(StandardCharsets.UTF_8).contains("\"alice\"");

        app.destroy();                          // SIGTERM, as Ctrl-C's SIGINT: the shutdown hook stops the server
        assertThat(app.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s; output:%n%s", output()).isTrue();
    }

    /** Waits for the line the app prints once its port is open, and returns the port. */
    private int awaitPort() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Matcher m = LISTENING.matcher(output());
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            if (!app.isAlive()) {
                throw new AssertionError("the app exited with " + app.exitValue() + ":\n" + output());
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the app printed no port in 60 s:\n" + output());
    }

    private String output() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (app != null && app.isAlive()) {
            app.destroyForcibly().waitFor();
        }
    }
}
