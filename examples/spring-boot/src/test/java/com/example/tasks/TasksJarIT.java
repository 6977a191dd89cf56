package com.example.tasks;

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
 * The packaged application as its users run it: {@code java -jar target/tasks-ssh.jar} in a process of its own, with
 * free ports and a temporary data directory given as Spring Boot arguments, logged in to over SSH, then stopped with
 * SIGTERM, which closes the context and the open session with it. Failsafe runs it after {@code package}
 * ({@code mvn verify}) and passes the jar's path in the system property {@code app.jar}; the application's output
 * goes to {@code target/TasksJarIT-app.log}.
 */
class TasksJarIT {
    private static final Pattern LISTENING = Pattern.compile("Termlet is listening on \\[/[^:]+:(\\d+)]");

    @TempDir
    Path dataDir;

    private final Path log = Path.of("target", "TasksJarIT-app.log");
    private Process app;

    @Test
    void theJarServesTasksOverSshAndStopsGracefully() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        app = new ProcessBuilder(java, "-jar", System.getProperty("app.jar"),
                "--termlet.listeners[0].port=0", "--server.port=0", "--termlet.data-dir=" + dataDir)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        int port = awaitPort();

        try (TestClient client = TestClient.password("127.0.0.1", port, "alice", "secret")) {
            client.awaitText("Welcome, alice.");
            client.typeLine("add water the plants");
            client.awaitText("Added task 1.");

            app.destroy();                      // SIGTERM: Spring closes the context, Termlet ends the session
            client.awaitText("Server is shutting down.");
            assertThat(app.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s; output:%n%s", output()).isTrue();
        }
        assertThat(dataDir.resolve("users.json")).content(StandardCharsets.UTF_8).contains("\"alice\"");
        assertThat(output()).contains("Stopping Termlet: 1 open session(s) get up to PT10S to end");
    }

    /** Waits for the line the starter logs once the SSH port is open, and returns the port. */
    private int awaitPort() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            Matcher m = LISTENING.matcher(output());
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            if (!app.isAlive()) {
                throw new AssertionError("the application exited with " + app.exitValue() + ":\n" + output());
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the application logged no SSH port in 90 s:\n" + output());
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
