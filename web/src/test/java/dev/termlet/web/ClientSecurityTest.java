package dev.termlet.web;

import static dev.termlet.web.ClientApiTest.enc;
import static dev.termlet.web.ClientApiTest.problem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.web.ClientApiTest.Browser;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The browser client's defences: no change without the CSRF token, no way out of the user's root (dot-dot in any
 * spelling, a link leading out), another user's files out of reach, and the page's security headers.
 */
class ClientSecurityTest {
    @TempDir
    Path data;

    @Test
    void theCookieWithoutTheRightCsrfTokenChangesNothing() throws Exception {
        try (WebFixture f = WebFixture.start(data, w -> w)) {
            Browser b = Browser.login(f, "alice", "pw");
            Path home = f.home("alice");
            Files.writeString(home.resolve("keep.txt"), "kept");
            HttpClient c = b.http();
            for (String token : new String[] {null, "", "wrong", b.csrf() + "x"}) {
                List<HttpRequest.Builder> changes = List.of(
                        b.request("/api/files/mkdir").header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"path\":\"/made\"}")),
                        b.request("/api/files/delete").header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"path\":\"/keep.txt\"}")),
                        b.request("/api/files/move").header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"from\":\"/keep.txt\",\"to\":\"/m\"}")),
                        b.request("/api/files/upload?path=/up.txt").PUT(HttpRequest.BodyPublishers.ofString("x")),
                        b.request("/api/files/upload?path=/keep.txt&overwrite=true")
                                .POST(HttpRequest.BodyPublishers.ofString("replaced")));
                for (HttpRequest.Builder r : changes) {
                    if (token != null) {
                        r.header("X-CSRF-Token", token);
                    }
                    HttpResponse<String> res = c.send(r.build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(problem(res, 403).get("detail").asText()).contains("CSRF");
                }
            }
            // without the cookie, even with the right token
            HttpResponse<String> noCookie = c.send(HttpRequest.newBuilder(f.uri("/api/files/mkdir"))
                    .header("X-CSRF-Token", b.csrf()).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"path\":\"/made\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            problem(noCookie, 401);
            problem(c.send(HttpRequest.newBuilder(f.uri("/api/files/list?path=/")).build(),
                    HttpResponse.BodyHandlers.ofString()), 401);
            try (var s = Files.list(home)) {
                assertThat(s.map(p -> p.getFileName().toString())).containsExactly("keep.txt");
            }
            assertThat(home.resolve("keep.txt")).hasContent("kept");
            // and the same requests with the token do work
            assertThat(b.post("mkdir", "{\"path\":\"/made\"}").statusCode()).isEqualTo(201);
            // reading needs no token, only the cookie
            assertThat(b.get("/api/files/list?path=/").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void noPathLeadsOutOfTheRoot() throws Exception {
        Path outside = Files.createDirectories(data.resolve("outside"));
        Files.writeString(outside.resolve("private.txt"), "not alice's");
        try (WebFixture f = WebFixture.start(data, w -> w)) {
            Browser b = Browser.login(f, "alice", "pw");
            Path home = f.home("alice");
            Files.createDirectories(home.resolve("sub"));
            Files.createSymbolicLink(home.resolve("out"), outside);
            Files.createSymbolicLink(home.resolve("sub/back"), Path.of("../../outside"));
            Files.writeString(Files.createDirectories(f.home("bob")).resolve("bobs.txt"), "bob's");

            for (String p : new String[] {"/../..", "../outside", "/sub/../../outside", "..\\..\\outside",
                "/sub/..", "/..%2F..%2Foutside"}) {
                String q = p.contains("%") ? p : enc(p);
                problem(b.get("/api/files/list?path=" + q), 400);
                problem(b.get("/api/files/download?path=" + q + "%2Fprivate.txt"), 400);
                problem(b.get("/api/files/zip?path=" + q), 400);
                if (!p.contains("%")) {
                    problem(b.upload(p + "/new.txt", "", HttpRequest.BodyPublishers.ofString("x")), 400);
                }
            }
            problem(b.get("/api/files/list?path=%2e%2e%2f%2e%2e%2foutside"), 400);
            problem(b.post("mkdir", "{\"path\":\"/../outside/made\"}"), 400);
            problem(b.post("move", "{\"from\":\"/sub\",\"to\":\"/../../outside/moved\"}"), 400);
            problem(b.post("delete", "{\"path\":\"/sub/../../outside/private.txt\"}"), 400);
            // decoded twice it would climb, decoded once (as it is) it is just a name that is not there
            problem(b.get("/api/files/list?path=%252e%252e%252f%252e%252e"), 404);
            // in the URL's path itself: the server refuses or normalises, never serves what is outside
            for (String raw : new String[] {"/api/files/..%2f..%2foutside", "/api/files/%2e%2e/list?path=/",
                "/api/files/list/..%2f..?path=/"}) {
                HttpResponse<String> r = b.get(raw);
                assertThat(r.statusCode()).as(raw).isIn(400, 404);
            }

            // a link leading out: refused when named, left out when listed or zipped
            problem(b.get("/api/files/list?path=/out"), 403);
            problem(b.get("/api/files/list?path=/sub/back"), 403);
            problem(b.get("/api/files/download?path=/out/private.txt"), 403);
            problem(b.get("/api/files/zip?path=/out"), 403);
            problem(b.upload("/out/new.txt", "", HttpRequest.BodyPublishers.ofString("x")), 403);
            problem(b.post("mkdir", "{\"path\":\"/out/made\"}"), 403);
            assertThat(b.get("/api/files/list?path=/").body()).doesNotContain("\"out\"");
            assertThat(b.get("/api/files/list?path=/sub").body()).doesNotContain("back");
            try (var s = Files.list(outside)) {
                assertThat(s.map(p -> p.getFileName().toString())).containsExactly("private.txt");
            }

            // another user's files: alice's / is her own home
            problem(b.get("/api/files/download?path=/bobs.txt"), 404);
            problem(b.get("/api/files/download?path=" + enc("/../bob/bobs.txt")), 400);
            assertThat(f.home("bob").resolve("bobs.txt")).hasContent("bob's");
            assertThat(outside.resolve("private.txt")).hasContent("not alice's");
        }
    }

    @Test
    void thePageAndItsFilesCarryTheSecurityHeadersAndMayBeCached() throws Exception {
        try (WebFixture f = WebFixture.start(data, w -> w)) {
            HttpClient c = f.client();
            String[][] files = {{"/", "text/html"}, {"/app.js", "text/javascript"}, {"/app.css", "text/css"},
                {"/favicon.svg", "image/svg+xml"}};
            for (String[] file : files) {
                HttpResponse<String> r = c.send(HttpRequest.newBuilder(f.uri(file[0])).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(file[0]).isEqualTo(200);
                assertThat(r.headers().firstValue("content-type").orElseThrow()).startsWith(file[1]);
                assertThat(r.headers().firstValue("content-security-policy").orElseThrow())
                        .contains("script-src 'self'").contains("style-src 'self'").doesNotContain("unsafe");
                assertThat(r.headers().firstValue("x-content-type-options")).contains("nosniff");
                assertThat(r.headers().allValues("cache-control")).containsExactly("no-cache");
                String etag = r.headers().firstValue("etag").orElseThrow();
                HttpResponse<String> again = c.send(HttpRequest.newBuilder(f.uri(file[0]))
                        .header("If-None-Match", etag).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(again.statusCode()).isEqualTo(304);
                assertThat(again.body()).isEmpty();
            }
            String page = c.send(HttpRequest.newBuilder(f.uri("/")).build(), HttpResponse.BodyHandlers.ofString())
                    .body();
            // nothing inline for the CSP to block: scripts and styles come from files
            assertThat(page).contains("<script type=\"module\" src=\"/app.js\"></script>")
                    .doesNotContainPattern("<script(?![^>]*src=)").doesNotContain("style=").doesNotContain("<style")
                    .doesNotContainPattern("\\son[a-z]+=");
            for (String missing : new String[] {"/app.jsx", "/index.htm", "/dev/termlet/web/client/app.js",
                "/../pom.xml", "/WEB-INF/web.xml", "/api/nothing"}) {
                HttpResponse<String> r = c.send(HttpRequest.newBuilder(f.uri(missing)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(missing).isIn(400, 404);
            }
            problem(c.send(HttpRequest.newBuilder(f.uri("/")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString()), 405);
            // the API's answers are never cached
            HttpResponse<String> api = c.send(HttpRequest.newBuilder(f.uri("/api/files/list?path=/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(api.headers().firstValue("cache-control")).contains("no-store");
            // the session cookie's flags
            HttpResponse<String> login = c.send(SessionTest.login(f, "alice", "pw"),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(login.headers().firstValue("set-cookie").orElseThrow()).containsIgnoringCase("HttpOnly")
                    .containsIgnoringCase("Secure").containsIgnoringCase("SameSite=Strict");
        }
    }

    @Test
    void theClientCanBeTurnedOff() throws Exception {
        try (WebFixture f = WebFixture.start(data, w -> w.client(false))) {
            Browser b = Browser.login(f, "alice", "pw");
            assertThat(b.get("/").statusCode()).isEqualTo(404);
            assertThat(b.get("/app.js").statusCode()).isEqualTo(404);
            assertThat(b.get("/api/files/list?path=/").statusCode()).isEqualTo(404);
        }
    }
}
