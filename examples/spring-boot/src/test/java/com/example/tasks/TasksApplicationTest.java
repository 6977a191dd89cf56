package com.example.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.TermletServer;
import dev.termlet.test.ExecResult;
import dev.termlet.test.TestClient;
import dev.termlet.test.VirtualScreen;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole application, HTTP and SSH on free ports and a temporary data directory, logged in to over SSH with
 * termlet-test's client. {@code @AutoConfigureObservability} keeps the Prometheus registry, which Spring Boot's tests
 * otherwise leave out.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "termlet.listeners[0].port=0")
@AutoConfigureObservability
class TasksApplicationTest {
    private static final Pattern ADDED = Pattern.compile("Added task (\\d+)\\.");

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        registry.add("termlet.data-dir", () -> dataDir.toString());
    }

    @Autowired
    TermletServer server;

    @LocalServerPort
    int httpPort;

    private TestClient login() {
        return TestClient.password("127.0.0.1", server.port(), "alice", "secret");
    }

    @Test
    void addsListsAndFinishesTasks() {
        try (TestClient client = login()) {
            client.awaitText("Welcome, alice.");
            client.typeLine("add buy milk");
            VirtualScreen screen = client.awaitScreen(
                    s -> s.lines().stream().anyMatch(l -> ADDED.matcher(l).matches()));
            int id = screen.lines().stream().map(ADDED::matcher).filter(Matcher::matches).findFirst()
                    .map(m -> Integer.parseInt(m.group(1))).orElseThrow();
            client.typeLine("tasks");
            client.awaitText(id + "  buy milk  (alice)");
            client.typeLine("done " + id);
            client.awaitText("Task " + id + " done.");
        }
    }

    @Test
    void answersOverExecToo() {
        try (TestClient client = login()) {
            ExecResult r = client.exec("done 999");
            assertThat(r.status()).isEqualTo(1);
            assertThat(r.out()).isEqualTo("No open task 999.\n");
        }
    }

    @Test
    void prometheusShowsTermletsMetersAndHealthItsState() throws Exception {
        try (TestClient client = login()) {
            client.awaitText("Welcome, alice.");
        }
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + httpPort + "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains(
                "termlet_logins_total{method=\"password\",outcome=\"success\",protocol=\"SSH\"}",
                "termlet_sessions_started_total{kind=\"shell\"}",
                "termlet_connections_open ");

        HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + httpPort + "/actuator/health/termlet")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"");
    }
}
