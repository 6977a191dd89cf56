package dev.termlet.web;

import static dev.termlet.web.AdminHttp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.termlet.auth.Account;
import dev.termlet.auth.FilePermission;
import dev.termlet.test.TestClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin API's accounts: create, list, get, change, remove, through the server's store, and the errors. */
class AdminAccountsTest {
    @TempDir
    Path data;

    static void assertProblem(HttpResponse<String> r, int status) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("content-type")).contains("application/problem+json");
        JsonNode p = json(r);
        assertThat(p.get("status").asInt()).isEqualTo(status);
        assertThat(p.get("type").asText()).isNotEmpty();
        assertThat(p.get("title").asText()).isNotEmpty();
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("/tmp").doesNotContain("junit");
    }

    @Test
    void createsListsChangesAndRemovesAccountsWithoutShowingHashes() throws Exception {
        try (AdminHttp a = new AdminHttp(data)) {
            HttpResponse<String> made = a.post("/accounts", "{\"name\":\"carol\",\"password\":\"s3cret\","
                    + "\"permissions\":[\"deploy\"],\"filePermissions\":{\"/\":[\"list\",\"download\"],"
                    + "\"/in\":[\"*\"]},\"quota\":{\"bytes\":1000000,\"files\":10},\"home\":\"shared/carol\","
                    + "\"umask\":\"027\",\"metadata\":{\"description\":\"from the API\"}}");
            assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
            assertThat(made.headers().firstValue("location")).contains("/api/admin/v1/accounts/carol");
            JsonNode c = json(made);
            assertThat(c.get("hasPassword").asBoolean()).isTrue();
            assertThat(c.get("quota").get("files").asLong()).isEqualTo(10);
            assertThat(c.get("umask").asText()).isEqualTo("027");
            assertThat(made.body()).doesNotContain("argon2").doesNotContain("s3cret").doesNotContain("passwordHash");

            Account stored = a.f.server.accounts().find("carol").orElseThrow();
            assertThat(stored.hasPermission("deploy")).isTrue();
            assertThat(stored.filePermissionsIn("/in/x")).containsExactly(FilePermission.ALL);
            assertThat(stored.mayInDirectory("/", FilePermission.UPLOAD)).isFalse();
            assertThat(stored.home()).contains("shared/carol");
            try (TestClient ssh = TestClient.password("127.0.0.1", a.f.server.port(), "carol", "s3cret")) {
                assertThat(ssh.user()).isEqualTo("carol");
            }

            HttpResponse<String> list = a.get("/accounts");
            assertThat(list.statusCode()).isEqualTo(200);
            assertThat(json(list).findValuesAsText("name")).contains("alice", "bob", "carol", "root");
            assertThat(list.body()).doesNotContain("argon2");
            assertThat(json(a.get("/accounts/alice")).get("name").asText()).isEqualTo("alice");

            HttpResponse<String> changed = a.patch("/accounts/carol", "{\"password\":\"n3w\",\"quota\":{\"files\":3},"
                    + "\"filePermissions\":{\"/\":[\"*\"]}}");
            assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
            assertThat(json(changed).get("quota").get("bytes").asLong()).as("only the fields sent change")
                    .isEqualTo(1000000);
            assertThat(json(changed).get("filePermissions").has("/in")).as("the map is replaced").isFalse();
            assertThat(a.f.server.accounts().checkPassword("carol", "n3w".toCharArray())).isTrue();
            assertThat(a.f.server.accounts().checkPassword("carol", "s3cret".toCharArray())).isFalse();

            assertThat(a.delete("/accounts/carol").statusCode()).isEqualTo(204);
            assertThat(a.f.server.accounts().find("carol")).isEmpty();
            assertProblem(a.get("/accounts/carol"), 404);
            assertProblem(a.delete("/accounts/carol"), 404);
        }
    }

    @Test
    void disablingOrRemovingAnAccountEndsItsSshAndWebSessions() throws Exception {
        try (AdminHttp a = new AdminHttp(data)) {
            TestClient alice = TestClient.password("127.0.0.1", a.f.server.port(), "alice", "pw").open();
            HttpResponse<String> web = a.send(SessionTest.login(a.f, "bob", "pw2"));
            String cookie = web.headers().firstValue("set-cookie").orElseThrow().split(";")[0];
            TestClient bob = TestClient.password("127.0.0.1", a.f.server.port(), "bob", "pw2").open();

            assertThat(a.patch("/accounts/alice", "{\"enabled\":false}").statusCode()).isEqualTo(200);
            assertThat(alice.awaitClosed(Duration.ofSeconds(30))).isTrue();
            assertThatThrownBy(() -> TestClient.password("127.0.0.1", a.f.server.port(), "alice", "pw"))
                    .as("a disabled account cannot log in");

            assertThat(a.delete("/accounts/bob").statusCode()).isEqualTo(204);
            assertThat(bob.awaitClosed(Duration.ofSeconds(30))).isTrue();
            HttpResponse<String> who = a.send(HttpRequest.newBuilder(a.f.uri("/api/session")).header("Cookie", cookie)
                    .build());
            assertThat(who.statusCode()).as("the web login of a removed account ends").isEqualTo(401);
            alice.close();
            bob.close();
        }
    }

    @Test
    void refusesBadRequestsWithProblemDocuments() throws Exception {
        try (AdminHttp a = new AdminHttp(data)) {
            assertProblem(a.post("/accounts", "{\"name\":\"alice\"}"), 409);
            assertProblem(a.post("/accounts", "{\"name\":"), 400);
            assertProblem(a.post("/accounts", "[1,2]"), 400);
            assertProblem(a.post("/accounts", "{\"name\":\"../x\"}"), 400);
            assertProblem(a.post("/accounts", "{\"name\":\"dave\",\"enabeld\":true}"), 400);
            assertProblem(a.post("/accounts", "{\"name\":\"dave\",\"quota\":{\"bytes\":-1}}"), 400);
            assertProblem(a.post("/accounts", "{\"name\":\"dave\",\"filePermissions\":{\"/\":[\"fly\"]}}"), 400);
            assertProblem(a.patch("/accounts/alice", "{\"enabled\":\"no\"}"), 400);
            assertProblem(a.patch("/accounts/nobody", "{\"enabled\":true}"), 404);
            assertThat(a.f.server.accounts().find("dave")).isEmpty();

            assertProblem(a.send(a.req("/accounts").header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"dave\"}")).build()), 415);
            String big = "{\"name\":\"dave\",\"banner\":\"" + "x".repeat(70_000) + "\"}";
            assertProblem(a.post("/accounts", big), 413);
            HttpResponse<String> put = a.send(a.req("/accounts/alice").header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{}")).build());
            assertProblem(put, 405);
            assertThat(put.headers().firstValue("allow")).hasValueSatisfying(v -> assertThat(v)
                    .contains("GET").contains("PATCH").contains("DELETE"));
            assertProblem(a.get("/nothing"), 404);
            assertThat(a.f.server.accounts().find("dave")).isEmpty();
        }
    }
}
