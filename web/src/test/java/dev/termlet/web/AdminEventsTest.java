package dev.termlet.web;

import static dev.termlet.web.AdminAccountsTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.termlet.test.TestClient;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.sshd.sftp.client.SftpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The event stream: server-sent events of file operations and logins, over a real SFTP client and a web login. */
class AdminEventsTest {
    @TempDir
    Path data;

    /** Reads an event stream's lines on a thread of its own. */
    static final class Stream2 implements AutoCloseable {
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final HttpResponse<Stream<String>> response;
        private final Thread reader;

        Stream2(AdminHttp a, String query) throws Exception {
            response = a.client.send(a.req("/events" + query).build(), HttpResponse.BodyHandlers.ofLines());
            reader = new Thread(() -> {
                try {
                    response.body().forEach(lines::add);
                } catch (RuntimeException e) {
                    // the stream was closed
                }
                lines.add("<end>");
            });
            reader.setDaemon(true);
            reader.start();
        }

        /** Waits for the first event that matches, skipping the others; fails at the end of the stream. */
        JsonNode await(Predicate<JsonNode> wanted, List<String> seen) throws Exception {
            while (true) {
                // a generous guard against a hang, not a measure of speed
                String l = lines.poll(60, TimeUnit.SECONDS);
                assertThat(l).as("the stream went quiet; saw " + seen).isNotNull().isNotEqualTo("<end>");
                seen.add(l);
                if (l.startsWith("data: ")) {
                    JsonNode e = AdminHttp.JSON.readTree(l.substring(6));
                    if (wanted.test(e)) {
                        return e;
                    }
                }
            }
        }

        @Override
        public void close() {
            response.body().close();
        }
    }

    @Test
    void streamsAnSftpUploadAndAWebLogin() throws Exception {
        try (AdminHttp a = new AdminHttp(data); Stream2 events = new Stream2(a, "")) {
            assertThat(events.response.statusCode()).isEqualTo(200);
            assertThat(events.response.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v)
                    .startsWith("text/event-stream"));
            List<String> seen = new java.util.ArrayList<>();
            try (TestClient alice = TestClient.password("127.0.0.1", a.f.server.port(), "alice", "pw");
                    OutputStream out = alice.sftp().write("/report.txt", SftpClient.OpenMode.Write,
                            SftpClient.OpenMode.Create, SftpClient.OpenMode.Truncate)) {
                out.write("quarterly".getBytes(StandardCharsets.UTF_8));
            }
            JsonNode up = events.await(e -> e.get("type").asText().equals("upload"), seen);
            assertThat(up.get("file").get("path").asText()).isEqualTo("/report.txt");
            assertThat(up.get("file").get("user").asText()).isEqualTo("alice");
            assertThat(up.get("file").get("protocol").asText()).isEqualTo("SFTP");
            assertThat(up.get("file").get("size").asLong()).isEqualTo(9);
            assertThat(Files.readString(a.f.home("alice").resolve("report.txt"))).isEqualTo("quarterly");

            assertThat(a.send(SessionTest.login(a.f, "bob", "pw2")).statusCode()).isEqualTo(200);
            JsonNode login = events.await(e -> e.get("type").asText().equals("auth-success")
                    && e.path("auth").path("protocol").asText().equals("HTTP"), seen);
            assertThat(login.get("auth").get("user").asText()).isEqualTo("bob");
            assertThat(login.get("auth").get("method").asText()).isEqualTo("password");

            String all = String.join("\n", seen);
            assertThat(all).as("no secret and no place on the server's disk").doesNotContain("pw2")
                    .doesNotContain(data.toString()).doesNotContain("password\":");
        }
    }

    @Test
    void aClientMayAskForSomeEventTypesOnly() throws Exception {
        try (AdminHttp a = new AdminHttp(data); Stream2 events = new Stream2(a, "?types=mkdir")) {
            List<String> seen = new java.util.ArrayList<>();
            try (TestClient alice = TestClient.password("127.0.0.1", a.f.server.port(), "alice", "pw")) {
                alice.sftp().mkdir("/photos");
            }
            JsonNode first = events.await(e -> true, seen);
            assertThat(first.get("type").asText()).as("auth and connection events were left out").isEqualTo("mkdir");
            assertThat(first.get("file").get("path").asText()).isEqualTo("/photos");
            assertProblem(a.get("/events?types=nonsense"), 400);
        }
    }
}
