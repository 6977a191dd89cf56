package dev.termlet.web;

import static dev.termlet.web.AdminAccountsTest.assertProblem;
import static dev.termlet.web.AdminHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who may use the admin API: API keys, admin accounts over Basic or their browser login, and no one else. */
class AdminAuthTest {
    @TempDir
    Path data;

    @Test
    void refusesClientsWithoutAdminRights() throws Exception {
        try (AdminHttp a = new AdminHttp(data)) {
            HttpResponse<String> none = a.send(HttpRequest.newBuilder(a.f.uri("/api/admin/v1/accounts")).build());
            assertProblem(none, 401);
            assertThat(none.headers().allValues("www-authenticate")).anySatisfy(v -> assertThat(v).startsWith("Bearer"));
            assertProblem(a.send(HttpRequest.newBuilder(a.f.uri("/api/admin/v1/accounts"))
                    .header("Authorization", "Bearer tka_wrong").build()), 401);
            assertProblem(a.send(HttpRequest.newBuilder(a.f.uri("/api/admin/v1/accounts"))
                    .header("Authorization", WebFixture.basic("alice", "pw")).build()), 403);
            assertProblem(a.send(HttpRequest.newBuilder(a.f.uri("/api/admin/v1/accounts"))
                    .header("Authorization", WebFixture.basic("root", "wrong")).build()), 401);
            HttpResponse<String> root = a.send(HttpRequest.newBuilder(a.f.uri("/api/admin/v1/accounts"))
                    .header("Authorization", WebFixture.basic("root", "rootpw")).build());
            assertThat(root.statusCode()).isEqualTo(200);

            // a browser login: alice is no admin; root is, and needs the CSRF token to change anything
            String aliceCookie = a.send(SessionTest.login(a.f, "alice", "pw")).headers().firstValue("set-cookie")
                    .orElseThrow().split(";")[0];
            assertProblem(a.send(HttpRequest.newBuilder(a.f.uri("/api/admin/v1/accounts"))
                    .header("Cookie", aliceCookie).build()), 403);
            HttpResponse<String> login = a.send(SessionTest.login(a.f, "root", "rootpw"));
            String cookie = login.headers().firstValue("set-cookie").orElseThrow().split(";")[0];
            String csrf = json(login).get("csrf").asText();
            assertThat(a.send(HttpRequest.newBuilder(a.f.uri("/api/admin/v1/bans")).header("Cookie", cookie).build())
                    .statusCode()).isEqualTo(200);
            HttpRequest.Builder ban = HttpRequest.newBuilder(a.f.uri("/api/admin/v1/bans")).header("Cookie", cookie)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"address\":\"203.0.113.7\",\"seconds\":60}"));
            assertProblem(a.send(ban.build()), 403);
            assertThat(a.send(ban.header("X-CSRF-Token", csrf).build()).statusCode()).isEqualTo(201);
        }
    }

    @Test
    void wrongKeysAreProtectorStrikesUntilTheAddressIsBanned() throws Exception {
        try (AdminHttp a = new AdminHttp(data)) {
            int status = 0;
            for (int i = 0; i < 20 && status != 403; i++) {
                status = a.send(HttpRequest.newBuilder(a.f.uri("/api/admin/v1/accounts"))
                        .header("Authorization", "Bearer tka_guess" + i).build()).statusCode();
            }
            assertThat(status).as("banned after the protector's threshold").isEqualTo(403);
            assertThat(a.f.server.protector().bans()).anySatisfy(b -> assertThat(b.address()).isEqualTo("127.0.0.1"));
            assertProblem(a.get("/accounts"), 403);
        }
    }

    @Test
    void adminAccountsMakeApiKeysThatAreShownOnceAndStoredHashed() throws Exception {
        try (AdminHttp a = new AdminHttp(data)) {
            assertProblem(a.post("/api-keys", "{\"name\":\"by a key\"}"), 403);
            HttpResponse<String> made = a.send(HttpRequest.newBuilder(a.f.uri("/api/admin/v1/api-keys"))
                    .header("Authorization", WebFixture.basic("root", "rootpw"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"backup script\"}")).build());
            assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
            JsonNode k = json(made);
            String key = k.get("key").asText();
            String id = k.get("id").asText();
            assertThat(key).startsWith("tka_").hasSizeGreaterThan(40);

            Path file = data.resolve("web/api-keys.json");
            assertThat(Files.readString(file)).contains("backup script").doesNotContain(key);
            assertThat(Files.getPosixFilePermissions(file)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
                    PosixFilePermission.OWNER_WRITE);
            HttpResponse<String> list = a.get("/api-keys");
            assertThat(list.body()).contains(id).contains("backup script").doesNotContain(key)
                    .doesNotContain("sha256");

            HttpRequest withNewKey = HttpRequest.newBuilder(a.f.uri("/api/admin/v1/sessions"))
                    .header("Authorization", "Bearer " + key).build();
            assertThat(a.send(withNewKey).statusCode()).isEqualTo(200);
            assertThat(a.delete("/api-keys/" + id).statusCode()).isEqualTo(204);
            assertProblem(a.send(withNewKey), 401);
            assertProblem(a.delete("/api-keys/" + id), 404);
        }
    }

    @Test
    void theApiIsOffUnlessAsked() throws Exception {
        try (WebFixture f = WebFixture.start(data, w -> w)) {
            HttpResponse<String> r = f.client().send(HttpRequest.newBuilder(f.uri("/api/admin/v1/openapi.json"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(404);
        }
    }
}
