package dev.termlet.web;

import static dev.termlet.web.AdminAccountsTest.assertProblem;
import static dev.termlet.web.AdminHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.termlet.test.TestClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The live sessions through the admin API: listed, sent a message, kicked. */
class AdminSessionsTest {
    @TempDir
    Path data;

    private static JsonNode find(JsonNode sessions, String protocol, String user) {
        for (JsonNode s : sessions) {
            if (s.get("protocol").asText().equals(protocol) && user.equals(s.path("user").asText(null))) {
                return s;
            }
        }
        throw new AssertionError("no " + protocol + " session of " + user + " in " + sessions);
    }

    @Test
    void listsMessagesAndKicksSshAndWebSessions() throws Exception {
        try (AdminHttp a = new AdminHttp(data);
                TestClient alice = TestClient.password("127.0.0.1", a.f.server.port(), "alice", "pw").open();
                TestClient sftp = TestClient.password("127.0.0.1", a.f.server.port(), "alice", "pw")) {
            alice.awaitScreen(s -> !s.text().isBlank());
            sftp.sftp().mkdir("made-over-sftp");
            String cookie = a.send(SessionTest.login(a.f, "bob", "pw2")).headers().firstValue("set-cookie")
                    .orElseThrow().split(";")[0];

            JsonNode sessions = json(a.get("/sessions"));
            JsonNode web = find(sessions, "HTTP", "bob");
            assertThat(web.get("remote").asText()).startsWith("127.0.0.1:");
            JsonNode shell = null;
            int ssh = 0;
            for (JsonNode s : sessions) {
                if (s.get("protocol").asText().equals("SSH") && "alice".equals(s.path("user").asText(null))) {
                    ssh++;
                    if (s.get("terminals").size() == 1) {
                        shell = s;
                    }
                }
            }
            assertThat(ssh).as("the shell's connection and the SFTP one").isEqualTo(2);
            assertThat(shell).isNotNull();
            assertThat(shell.get("terminals").get(0).get("pty").asBoolean()).isTrue();
            String shellId = shell.get("id").asText();
            String sftpId = null;
            for (JsonNode s : sessions) {
                if (s.get("protocol").asText().equals("SSH") && !s.get("id").asText().equals(shellId)
                        && "alice".equals(s.path("user").asText(null))) {
                    sftpId = s.get("id").asText();
                }
            }

            HttpResponse<String> sent = a.post("/sessions/" + shellId + "/message",
                    "{\"text\":\"Maintenance at noon\"}");
            assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
            assertThat(json(sent).get("terminals").asInt()).isEqualTo(1);
            alice.awaitText("Maintenance at noon");
            assertProblem(a.post("/sessions/" + shellId + "/message", "{\"text\":\"\\u001b[2Jgone\"}"), 400);
            assertProblem(a.post("/sessions/" + shellId + "/message", "{\"text\":\"\"}"), 400);
            assertProblem(a.post("/sessions/" + sftpId + "/message", "{\"text\":\"hi\"}"), 409);
            assertProblem(a.post("/sessions/" + web.get("id").asText() + "/message", "{\"text\":\"hi\"}"), 409);
            assertProblem(a.post("/sessions/c-none/message", "{\"text\":\"hi\"}"), 404);

            assertThat(a.delete("/sessions/" + shellId).statusCode()).isEqualTo(204);
            assertThat(alice.awaitClosed(Duration.ofSeconds(30))).as("the kicked shell ends").isTrue();
            assertThat(a.delete("/sessions/" + web.get("id").asText()).statusCode()).isEqualTo(204);
            HttpResponse<String> who = a.send(HttpRequest.newBuilder(a.f.uri("/api/session"))
                    .header("Cookie", cookie).build());
            assertThat(who.statusCode()).as("the kicked web login ends").isEqualTo(401);
            assertProblem(a.delete("/sessions/c-none"), 404);
            JsonNode after = json(a.get("/sessions"));
            // a web login ends at once; the SSH connection may still be closing
            assertThat(after.findValuesAsText("id")).doesNotContain(web.get("id").asText()).contains(sftpId);
        }
    }
}
