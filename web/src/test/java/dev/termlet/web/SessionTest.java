package dev.termlet.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A browser's login: the cookie's flags, the CSRF token, logout, and refusals. */
class SessionTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;

    static HttpRequest login(WebFixture f, String user, String password) {
        return HttpRequest.newBuilder(f.uri("/api/session")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"" + user + "\",\"password\":\"" + password
                        + "\"}")).build();
    }

    @Test
    void logsInWithASecureHttpOnlyCookieAndNeedsTheCsrfTokenToLogOut() throws Exception {
        try (WebFixture f = WebFixture.start(data, w -> w)) {
            HttpClient c = f.client();
            HttpResponse<String> r = c.send(login(f, "alice", "pw"), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            String cookie = r.headers().firstValue("set-cookie").orElseThrow();
            assertThat(cookie).startsWith("termlet_session=").containsIgnoringCase("HttpOnly")
                    .containsIgnoringCase("Secure").containsIgnoringCase("SameSite=Strict");
            String session = cookie.substring(0, cookie.indexOf(';'));
            JsonNode body = JSON.readTree(r.body());
            assertThat(body.get("user").asText()).isEqualTo("alice");
            String csrf = body.get("csrf").asText();
            assertThat(csrf).hasSizeGreaterThan(30);

            HttpResponse<String> who = c.send(HttpRequest.newBuilder(f.uri("/api/session")).header("Cookie", session)
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(who.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(who.body()).get("csrf").asText()).isEqualTo(csrf);

            HttpResponse<String> noToken = c.send(HttpRequest.newBuilder(f.uri("/api/session"))
                    .header("Cookie", session).DELETE().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(noToken.statusCode()).isEqualTo(401);
            HttpResponse<String> out = c.send(HttpRequest.newBuilder(f.uri("/api/session")).header("Cookie", session)
                    .header("X-CSRF-Token", csrf).DELETE().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(out.statusCode()).isEqualTo(204);
            HttpResponse<String> after = c.send(HttpRequest.newBuilder(f.uri("/api/session"))
                    .header("Cookie", session).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(after.statusCode()).isEqualTo(401);
            assertThat(after.headers().firstValue("content-type")).contains("application/problem+json");
        }
    }

    @Test
    void wrongPasswordsAndFormPostsAreRefused() throws Exception {
        try (WebFixture f = WebFixture.start(data, w -> w)) {
            HttpClient c = f.client();
            HttpResponse<String> r = c.send(login(f, "alice", "nope"), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.headers().firstValue("set-cookie")).isEmpty();
            HttpResponse<String> form = c.send(HttpRequest.newBuilder(f.uri("/api/session"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("user=alice&password=pw")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(form.statusCode()).as("a cross-site form cannot log in").isEqualTo(415);
            HttpResponse<String> lookalike = c.send(HttpRequest.newBuilder(f.uri("/api/session"))
                    .header("Content-Type", "application/jsonx")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"alice\",\"password\":\"pw\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(lookalike.statusCode()).isEqualTo(415);
            HttpResponse<String> withCharset = c.send(HttpRequest.newBuilder(f.uri("/api/session"))
                    .header("Content-Type", "Application/JSON; charset=utf-8")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"alice\",\"password\":\"pw\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(withCharset.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aBanRefusesTheRequestsOfLoginsAlreadyOpenFromItsAddress() throws Exception {
        try (WebFixture f = WebFixture.start(data, w -> w)) {
            HttpClient c = f.client();
            HttpResponse<String> r = c.send(login(f, "alice", "pw"), HttpResponse.BodyHandlers.ofString());
            String cookie = r.headers().firstValue("set-cookie").orElseThrow();
            String session = cookie.substring(0, cookie.indexOf(';'));
            HttpRequest who = HttpRequest.newBuilder(f.uri("/api/session")).header("Cookie", session).build();
            HttpRequest dav = HttpRequest.newBuilder(f.uri("/dav/")).header("Authorization",
                    WebFixture.basic("bob", "pw2")).method("PROPFIND", HttpRequest.BodyPublishers.noBody())
                    .header("Depth", "0").build();
            assertThat(c.send(who, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            assertThat(c.send(dav, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(207);

            f.server.protector().ban("127.0.0.1", java.time.Duration.ofMinutes(5));
            HttpResponse<String> refused = c.send(who, HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(refused.body()).contains("banned");
            assertThat(c.send(dav, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);

            assertThat(f.server.protector().lift("127.0.0.1")).isTrue();
            assertThat(c.send(who, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        }
    }
}
