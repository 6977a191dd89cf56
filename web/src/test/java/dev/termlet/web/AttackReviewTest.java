package dev.termlet.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.termlet.web.ShareSupport.Owner;
import dev.termlet.web.ShareSupport.Visitor;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The security review of the web side: each attack that once succeeded (its severity and what it did are in its
 * Javadoc; every one is fixed, and the test is what keeps it fixed), named after what must hold, plus regression
 * checks of defences that held.
 */
class AttackReviewTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;

    /** One raw HTTP/1.1 exchange over TLS ({@code Connection: close}): the whole answer as text. */
    static String raw(WebFixture f, String request) throws Exception {
        try (SSLSocket s = (SSLSocket) f.trust().getSocketFactory().createSocket("127.0.0.1", f.web.port())) {
            s.setSoTimeout(20_000);
            OutputStream o = s.getOutputStream();
            o.write(request.getBytes(StandardCharsets.ISO_8859_1));
            o.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            try {
                in.transferTo(b);
            } catch (java.io.IOException e) {
                // reset after the answer
            }
            return b.toString(StandardCharsets.UTF_8);
        }
    }

    private static String headers(String rawAnswer) {
        int end = rawAnswer.indexOf("\r\n\r\n");
        return (end < 0 ? rawAnswer : rawAnswer.substring(0, end)).toLowerCase(java.util.Locale.ROOT);
    }

    // ---- findings ------------------------------------------------------------------------------------------------

    /**
     * HIGH. An admin API caller (an API key, or an admin account) can give any account an absolute home, such as the
     * server's data directory or "/": that account then reads and writes everything the server's OS user can
     * (shares.json with every share token, api-keys.json, the TLS key, other users' homes, ~/.ssh of the service
     * user). The remote admin API becomes OS-level file access.
     */
    @Test
    void theAdminApiCannotGiveAnAccountAHomeOutsideTheHomes() throws Exception {
        try (AdminHttp a = new AdminHttp(data)) {
            Files.writeString(Files.createDirectories(a.f.home("bob")).resolve("bobs.txt"), "bob's");
            HttpResponse<String> patched = a.patch("/accounts/alice", JSON.writeValueAsString(
                    java.util.Map.of("home", data.toAbsolutePath().toString())));
            if (patched.statusCode() == 200) {
                ClientApiTest.Browser alice = ClientApiTest.Browser.login(a.f, "alice", "pw");
                HttpResponse<String> bobs = alice.get("/api/files/download?path=/home/bob/bobs.txt");
                assertThat(bobs.statusCode()).as("alice reads bob's file through a home set by the admin API: "
                        + bobs.body()).isNotEqualTo(200);
            }
            assertThat(patched.statusCode()).as(patched.body()).isEqualTo(400);
            assertThat(a.patch("/accounts/alice", "{\"home\":\"/\"}").statusCode()).isEqualTo(400);
            assertThat(a.post("/accounts", "{\"name\":\"eve\",\"password\":\"x\",\"home\":\"/etc\"}").statusCode())
                    .isEqualTo(400);
            // a home below the homes is still an admin's to give
            assertThat(a.patch("/accounts/alice", "{\"home\":\"shared/alice\"}").statusCode()).isEqualTo(200);
        }
    }

    /**
     * MEDIUM. An event stream outlives the credential that opened it: revoking the API key (or disabling the admin
     * account) leaves the stream open, and the revoked caller keeps receiving every login, file operation and ban.
     */
    @Test
    void anEventStreamEndsWhenItsApiKeyIsRevoked() throws Exception {
        try (AdminHttp a = new AdminHttp(data)) {
            HttpResponse<String> made = a.send(HttpRequest.newBuilder(a.f.uri(AdminHttp.API + "/api-keys"))
                    .header("Authorization", WebFixture.basic("root", "rootpw"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"monitoring\"}")).build());
            assertThat(made.statusCode()).isEqualTo(201);
            JsonNode k = AdminHttp.json(made);
            HttpResponse<Stream<String>> stream = a.client.send(HttpRequest.newBuilder(a.f.uri(AdminHttp.API
                    + "/events")).header("Authorization", "Bearer " + k.get("key").asText()).build(),
                    HttpResponse.BodyHandlers.ofLines());
            assertThat(stream.statusCode()).isEqualTo(200);
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            Thread reader = new Thread(() -> {
                try {
                    stream.body().forEach(lines::add);
                } catch (RuntimeException e) {
                    // closed
                }
                lines.add("<end>");
            });
            reader.setDaemon(true);
            reader.start();
            assertThat(lines.poll(10, TimeUnit.SECONDS)).isNotNull();

            assertThat(a.delete("/api-keys/" + k.get("id").asText()).statusCode()).isEqualTo(204);
            assertThat(a.send(SessionTest.login(a.f, "bob", "pw2")).statusCode()).isEqualTo(200);

            List<String> seen = new ArrayList<>();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            String l;
            while ((l = lines.poll(Math.max(1, until - System.nanoTime()), TimeUnit.NANOSECONDS)) != null) {
                seen.add(l);
                if (l.equals("<end>")) {
                    break;
                }
            }
            stream.body().close();
            assertThat(seen).as("events sent after the key was revoked").noneMatch(x -> x.contains("\"bob\""));
        }
    }

    /**
     * LOW (policy). "Only an admin account makes API keys, not another key" is a speed bump: a key makes an admin
     * account with a password it chose, and that account makes keys.
     */
    @Test
    void anApiKeyCannotMakeKeysThroughAnAdminAccountItMade() throws Exception {
        try (AdminHttp a = new AdminHttp(data)) {
            assertThat(a.post("/api-keys", "{\"name\":\"direct\"}").statusCode()).isEqualTo(403);
            HttpResponse<String> acc = a.post("/accounts",
                    "{\"name\":\"mallory\",\"password\":\"m4llory\",\"permissions\":[\"admin\"]}");
            HttpResponse<String> key = a.send(HttpRequest.newBuilder(a.f.uri(AdminHttp.API + "/api-keys"))
                    .header("Authorization", WebFixture.basic("mallory", "m4llory"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"laundered\"}")).build());
            assertThat(acc.statusCode() == 201 && key.statusCode() == 201)
                    .as("a key made an admin account (%s) and through it a key (%s)", acc.statusCode(),
                            key.statusCode()).isFalse();
        }
    }

    /**
     * LOW. The share link in the API's answer is built from the request's Host header (when no publicUrl is set):
     * whoever controls the Host (a proxy passing it on, a client tricked into another name) makes the owner hand out
     * links to another server, which then collects the token.
     */
    @Test
    void shareLinksDoNotTakeTheirHostFromTheRequest() throws Exception {
        try (WebFixture f = WebFixture.start(data, w -> w)) {
            Owner alice = ShareSupport.login(f, "alice", "pw");
            Files.createDirectories(f.home("alice").resolve("pub"));
            alice.share("{\"path\":\"/pub\"}");
            String answer = raw(f, "GET /api/shares HTTP/1.1\r\nHost: evil.example\r\nCookie: " + alice.cookie()
                    + "\r\nConnection: close\r\n\r\n");
            assertThat(answer).startsWith("HTTP/1.1 200").doesNotContain("https://evil.example");
        }
    }

    /**
     * LOW. A share link with a query Jetty cannot decode (%ZZ, bad UTF-8) escapes the route's error handling: Jetty's
     * own HTML error page answers, without the security headers (CSP, nosniff, X-Frame-Options, no-store) and with
     * the link's token echoed in it. The admin API's event stream answers the same with a 500 and a warning.
     */
    @Test
    void aBadQueryIsAProblemDocumentWithTheSecurityHeaders() throws Exception {
        try (AdminHttp a = new AdminHttp(data)) {
            WebFixture f = a.f;
            Owner alice = ShareSupport.login(f, "alice", "pw");
            Files.createDirectories(f.home("alice").resolve("pub"));
            String link = ShareSupport.link(alice.share("{\"path\":\"/pub\"}"));
            for (String target : new String[] {link + "/api/list?path=%ZZ", link + "/file?path=%FF",
                link + "/zip?path=%C0%AE", link + "/file?path=%E2%82"}) {
                String answer = raw(f, "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
                assertThat(answer).as(target).startsWith("HTTP/1.1 400");
                assertThat(headers(answer)).as(target).contains("content-type: application/problem+json")
                        .contains("content-security-policy:").contains("x-content-type-options: nosniff");
            }
            String ev = raw(f, "GET " + AdminHttp.API + "/events?types=%ZZ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: Bearer " + a.key + "\r\nConnection: close\r\n\r\n");
            assertThat(ev).startsWith("HTTP/1.1 400");
            assertThat(headers(ev)).contains("content-type: application/problem+json");
        }
    }

    /**
     * LOW (information). An upload-only share ("drop box") must not show what is in the folder, but it answers a
     * taken name with 409 and a free one with 201: a visitor learns whether any name exists, one guess at a time.
     */
    @Test
    void anUploadOnlyShareDoesNotTellWhichNamesExist() throws Exception {
        try (WebFixture f = WebFixture.start(data, w -> w)) {
            Owner alice = ShareSupport.login(f, "alice", "pw");
            Path drop = Files.createDirectories(f.home("alice").resolve("drop"));
            Files.writeString(drop.resolve("salaries-2026.xlsx"), "secret");
            String link = ShareSupport.link(alice.share("{\"path\":\"/drop\",\"mode\":\"upload-only\"}"));
            Visitor v = new Visitor(f);
            assertThat(v.get(link + "/api/list?path=/").statusCode()).isEqualTo(403);
            int taken = v.put(link + "/file?path=/salaries-2026.xlsx", new byte[] {1}).statusCode();
            int free = v.put(link + "/file?path=/nothing-here.xlsx", new byte[] {1}).statusCode();
            assertThat(drop.resolve("salaries-2026.xlsx")).hasContent("secret");
            assertThat(taken).as("a taken name (%d) and a free one (%d) are told apart", taken, free)
                    .isEqualTo(free);
        }
    }

    // ---- defences that held (regression checks) ------------------------------------------------------------------

    /** A new password (as the admin API or the account store sets it) ends the account's browser logins. */
    @Test
    void aNewPasswordEndsTheBrowserLoginsOfTheAccount() throws Exception {
        try (AdminHttp a = new AdminHttp(data)) {
            ClientApiTest.Browser alice = ClientApiTest.Browser.login(a.f, "alice", "pw");
            assertThat(alice.get("/api/files/list?path=/").statusCode()).isEqualTo(200);
            assertThat(a.patch("/accounts/alice", "{\"password\":\"n3w\"}").statusCode()).isEqualTo(200);
            assertThat(alice.get("/api/files/list?path=/").statusCode()).isEqualTo(401);
            assertThat(alice.get("/api/session").statusCode()).isEqualTo(401);
        }
    }

    /**
     * Share links stay in their folder whatever the path says, a share made of a sub-folder never reaches its parent
     * (by dot-dot or through a link), a read share takes no upload, an upload-only one shows nothing, and alice's
     * share API never shows or deletes bob's shares.
     */
    @Test
    void sharesStayInTheirFolderAndWithTheirOwner() throws Exception {
        try (WebFixture f = WebFixture.start(data, w -> w)) {
            Path home = f.home("alice");
            Files.createDirectories(home.resolve("pub/sub"));
            Files.writeString(home.resolve("pub/sub/in.txt"), "in");
            Files.writeString(home.resolve("pub/parent.txt"), "parent");
            Files.createSymbolicLink(home.resolve("pub/sub/up"), Path.of(".."));
            Files.createSymbolicLink(home.resolve("pub/sub/abs"), home.resolve("pub/parent.txt"));
            Owner alice = ShareSupport.login(f, "alice", "pw");
            JsonNode share = alice.share("{\"path\":\"/pub/sub\",\"mode\":\"read\"}");
            String link = ShareSupport.link(share);
            Visitor v = new Visitor(f);
            for (String p : new String[] {"/../parent.txt", "..%2Fparent.txt", "%2e%2e/parent.txt",
                "..\\parent.txt", "/up/parent.txt", "/abs", "//../../parent.txt"}) {
                HttpResponse<String> r = v.get(link + "/file?path=" + (p.contains("%") ? p
                        : java.net.URLEncoder.encode(p, StandardCharsets.UTF_8)));
                assertThat(r.body()).as(p).doesNotContain("parent");
                assertThat(r.statusCode()).as(p).isIn(400, 403, 404);
            }
            String zip = new String(v.bytes(link + "/zip?path=/").body(), StandardCharsets.ISO_8859_1);
            assertThat(zip).contains("in.txt").doesNotContain("parent");
            assertThat(v.get(link + "/api/list?path=/up").statusCode()).isEqualTo(403);
            assertThat(v.put(link + "/file?path=/new.txt", new byte[] {1}).statusCode()).isEqualTo(403);
            assertThat(home.resolve("pub/sub/new.txt")).doesNotExist();
            // the shared folder swapped for a link after the share was made
            Files.move(home.resolve("pub/sub"), home.resolve("pub/moved"));
            Files.createSymbolicLink(home.resolve("pub/sub"), Path.of("."));
            assertThat(v.get(link + "/file?path=/parent.txt").statusCode()).isEqualTo(403);
            // bob neither sees nor deletes alice's share
            Owner bob = ShareSupport.login(f, "bob", "pw2");
            assertThat(bob.send("GET", "/api/shares", null).body()).isEqualTo("[]");
            String id = share.get("id").asText();
            assertThat(bob.send("GET", "/api/shares/" + id, null).statusCode()).isEqualTo(404);
            assertThat(bob.send("DELETE", "/api/shares/" + id, null).statusCode()).isEqualTo(404);
            assertThat(alice.send("GET", "/api/shares/" + id, null).statusCode()).isEqualTo(200);
            // bob cannot share alice's files through a path of his own
            assertThat(bob.send("POST", "/api/shares", "{\"path\":\"/../alice/pub\"}").statusCode()).isEqualTo(404);
        }
    }

    /** No CORS, no method override, and the login takes JSON only. */
    @Test
    void noCorsNoMethodOverride() throws Exception {
        try (WebFixture f = WebFixture.start(data, w -> w)) {
            ClientApiTest.Browser alice = ClientApiTest.Browser.login(f, "alice", "pw");
            Files.writeString(f.home("alice").resolve("keep.txt"), "kept");
            String pre = raw(f, "OPTIONS /api/files/list?path=/ HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: https://evil"
                    + ".example\r\nAccess-Control-Request-Method: POST\r\nConnection: close\r\n\r\n");
            String get = raw(f, "GET /api/session HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: https://evil.example\r\n"
                    + "Cookie: " + alice.cookie() + "\r\nConnection: close\r\n\r\n");
            assertThat(headers(pre) + headers(get)).doesNotContain("access-control-allow");
            String body = "{\"path\":\"/keep.txt\"}";
            String override = raw(f, "GET /api/files/delete HTTP/1.1\r\nHost: 127.0.0.1\r\nX-HTTP-Method-Override: POST"
                    + "\r\nX-HTTP-Method: POST\r\nCookie: " + alice.cookie() + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body);
            assertThat(override).startsWith("HTTP/1.1 405");
            assertThat(f.home("alice").resolve("keep.txt")).exists();
        }
    }
}
