package dev.termlet.web;

import static dev.termlet.web.ShareSupport.JSON;
import static dev.termlet.web.ShareSupport.link;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.termlet.auth.Account;
import dev.termlet.auth.FilePermission;
import dev.termlet.fileops.FileEvent;
import dev.termlet.fileops.Protocol;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Share links end to end: a real server, the JDK's HttpClient as the owner's browser and as the visitor. */
class ShareLinksTest {
    @TempDir
    Path data;
    @TempDir
    Path outside;

    private final ShareSupport.Recorder events = new ShareSupport.Recorder();

    private WebFixture start() throws Exception {
        return WebFixture.start(data, w -> w, b -> b.register(events));
    }

    private void files(WebFixture f) throws Exception {
        Path home = f.home("alice");
        Files.createDirectories(home.resolve("docs/sub"));
        Files.writeString(home.resolve("docs/a.txt"), "hello");
        Files.writeString(home.resolve("docs/sub/b.txt"), "world!");
        Files.writeString(home.resolve("report.pdf"), "%PDF-1.7 report");
        Files.createDirectories(home.resolve("drop"));
        Files.createDirectories(home.resolve("private"));
        Files.writeString(home.resolve("private/secret.txt"), "secret");
    }

    @Test
    void aFileShareDownloadsWithEveryEventInOrderAndTheOwnersFileEvents() throws Exception {
        try (WebFixture f = start()) {
            files(f);
            ShareSupport.Owner alice = ShareSupport.login(f, "alice", "pw");
            JsonNode s = alice.share("{\"path\":\"/report.pdf\"}");
            assertThat(events.take()).containsExactly("BeforeShrCreate", "AfterShrCreate");
            assertThat(s.get("mode").asText()).isEqualTo("read");
            assertThat(s.get("directory").asBoolean()).isFalse();
            assertThat(s.get("url").asText()).startsWith(f.base() + "/s/");
            String token = link(s).substring(3);
            assertThat(token).hasSize(43); // 256 random bits, base64url

            ShareSupport.Visitor v = new ShareSupport.Visitor(f);
            HttpResponse<String> page = v.getHtml(link(s));
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("/s/assets/share.js").doesNotContain("<script>").doesNotContain("style=");
            assertThat(page.headers().firstValue("content-security-policy").orElseThrow()).contains("script-src 'self'");
            assertThat(v.get("/s/assets/share.js").statusCode()).isEqualTo(200);
            assertThat(v.get("/s/assets/share.css").statusCode()).isEqualTo(200);
            assertThat(events.take()).as("the page itself fires nothing").isEmpty();

            HttpResponse<byte[]> d = v.bytes(link(s) + "/file");
            assertThat(d.statusCode()).isEqualTo(200);
            assertThat(new String(d.body(), StandardCharsets.UTF_8)).isEqualTo("%PDF-1.7 report");
            assertThat(d.headers().firstValue("content-disposition").orElseThrow()).contains("report.pdf");
            assertThat(events.take()).containsExactly("BeforeShrAuthRequest", "OnShrAuthRequestAllowed",
                    "OnShrAuthSuccess", "BeforeShrFileDownload", "AfterShrFileDownload");
            ShareEvent after = events.last();
            assertThat(after.owner()).isEqualTo("alice");
            assertThat(after.file()).isEqualTo("/report.pdf");
            assertThat(after.size()).isEqualTo(15);
            assertThat(after.status()).isEqualTo(ShareEvent.OK);
            assertThat(after.uses()).isEqualTo(1);
            assertThat(((InetSocketAddress) after.remoteAddress()).getAddress().isLoopbackAddress()).isTrue();
            FileEvent fe = events.files.get(events.files.size() - 1);
            assertThat(fe.user()).isEqualTo("alice");
            assertThat(fe.protocol()).isEqualTo(Protocol.HTTP);
            assertThat(fe.path()).isEqualTo("/report.pdf");
            assertThat(fe.remoteAddress()).isEqualTo(after.remoteAddress());

            // the visit's cookie is scoped to the link; a second download needs no new visit
            assertThat(v.cookie).startsWith("termlet_share=");
            assertThat(v.bytes(link(s) + "/file").statusCode()).isEqualTo(200);
            assertThat(events.take()).containsExactly("BeforeShrFileDownload", "AfterShrFileDownload");
            assertThat(v.get(link(s) + "/api/list").statusCode()).as("a file is no folder").isEqualTo(400);
            assertThat(v.get(link(s) + "/file?path=/other").statusCode()).isEqualTo(404);

            HttpResponse<String> mine = alice.send("GET", "/api/shares", null);
            assertThat(JSON.readTree(mine.body()).get(0).get("uses").asInt()).isEqualTo(2);
            ShareSupport.Owner bob = ShareSupport.login(f, "bob", "pw2");
            assertThat(JSON.readTree(bob.send("GET", "/api/shares", null).body())).isEmpty();
            assertThat(bob.send("DELETE", "/api/shares/" + s.get("id").asText(), null).statusCode()).isEqualTo(404);
            assertThat(alice.send("DELETE", "/api/shares/" + s.get("id").asText(), null).statusCode()).isEqualTo(204);
            HttpResponse<String> gone = v.getHtml(link(s));
            assertThat(gone.statusCode()).isEqualTo(404);
            assertThat(gone.body()).contains("No such share link");
            assertThat(v.get(link(s) + "/file").headers().firstValue("content-type"))
                    .contains("application/problem+json");
        }
    }

    @Test
    void aFolderShareListsDownloadsAndZipsButNeverLeavesTheFolder() throws Exception {
        try (WebFixture f = start()) {
            files(f);
            ShareSupport.Owner alice = ShareSupport.login(f, "alice", "pw");
            JsonNode s = alice.share("{\"path\":\"/docs\",\"mode\":\"read\"}");
            Files.createSymbolicLink(f.home("alice").resolve("docs/peek"), f.home("alice").resolve("private"));
            ShareSupport.Visitor v = new ShareSupport.Visitor(f);
            JsonNode info = JSON.readTree(v.get(link(s) + "/api/info").body());
            assertThat(info.get("name").asText()).isEqualTo("docs");
            assertThat(info.get("directory").asBoolean()).isTrue();
            HttpResponse<String> list = v.get(link(s) + "/api/list");
            assertThat(list.statusCode()).isEqualTo(200);
            JsonNode entries = JSON.readTree(list.body()).get("entries");
            assertThat(entries).extracting(e -> e.get("path").asText()).containsExactly("/a.txt", "/sub");
            assertThat(JSON.readTree(v.get(link(s) + "/api/list?path=/sub").body()).get("entries").get(0)
                    .get("path").asText()).isEqualTo("/sub/b.txt");
            assertThat(new String(v.bytes(link(s) + "/file?path=/sub/b.txt").body(), StandardCharsets.UTF_8))
                    .isEqualTo("world!");
            events.take();

            for (String bad : List.of("/../private/secret.txt", "/peek/secret.txt", "/..%2fprivate%2fsecret.txt")) {
                HttpResponse<String> r = v.get(link(s) + "/file?path=" + bad);
                assertThat(r.statusCode()).as(bad).isIn(403, 404);
                assertThat(r.body()).doesNotContain("secret").doesNotContain(data.toString());
            }
            assertThat(v.get(link(s) + "/api/list?path=/peek").statusCode()).isEqualTo(403);

            HttpResponse<byte[]> z = v.bytes(link(s) + "/zip");
            assertThat(z.statusCode()).isEqualTo(200);
            assertThat(z.headers().firstValue("content-type")).contains("application/zip");
            Map<String, String> zipped = unzip(z.body());
            assertThat(zipped).containsEntry("a.txt", "hello").containsEntry("sub/b.txt", "world!")
                    .containsKey("sub/").doesNotContainKey("peek/secret.txt");
            assertThat(events.take()).containsExactly("BeforeShrZipDownload", "AfterShrZipDownload");
            assertThat(events.last().size()).isEqualTo(z.body().length);
            assertThat(events.last().file()).isEqualTo("/docs");
            assertThat(v.put(link(s) + "/file?path=/new.txt", "x".getBytes(StandardCharsets.UTF_8)).statusCode())
                    .as("a read share takes no uploads").isEqualTo(403);
            assertThat(Files.exists(f.home("alice").resolve("docs/new.txt"))).isFalse();
        }
    }

    @Test
    void writeAndUploadOnlySharesTakeUploadsAndADropBoxShowsAndReplacesNothing() throws Exception {
        try (WebFixture f = start()) {
            files(f);
            ShareSupport.Owner alice = ShareSupport.login(f, "alice", "pw");
            JsonNode w = alice.share("{\"path\":\"/docs\",\"mode\":\"write\"}");
            events.take();
            ShareSupport.Visitor v = new ShareSupport.Visitor(f);
            HttpResponse<String> up = v.put(link(w) + "/file?path=/sub/up.txt", "uploaded".getBytes(StandardCharsets.UTF_8));
            assertThat(up.statusCode()).as(up.body()).isEqualTo(201);
            assertThat(Files.readString(f.home("alice").resolve("docs/sub/up.txt"))).isEqualTo("uploaded");
            assertThat(events.take()).containsExactly("BeforeShrAuthRequest", "OnShrAuthRequestAllowed",
                    "OnShrAuthSuccess", "BeforeShrFileUpload", "AfterShrFileUpload");
            assertThat(events.last().file()).isEqualTo("/docs/sub/up.txt");
            assertThat(events.last().size()).isEqualTo(8);
            FileEvent fe = events.files.get(events.files.size() - 1);
            assertThat(fe.protocol()).isEqualTo(Protocol.HTTP);
            assertThat(fe.path()).isEqualTo("/docs/sub/up.txt");
            assertThat(v.put(link(w) + "/file?path=/a.txt", "replaced".getBytes(StandardCharsets.UTF_8)).statusCode())
                    .isEqualTo(200);
            // .. stops at the share's top, as at a root: the file lands in the shared folder, never above it
            assertThat(v.put(link(w) + "/file?path=/../escape.txt", "x".getBytes(StandardCharsets.UTF_8)).statusCode())
                    .isEqualTo(201);
            assertThat(Files.exists(f.home("alice").resolve("escape.txt"))).isFalse();
            assertThat(Files.exists(f.home("alice").resolve("docs/escape.txt"))).isTrue();

            JsonNode d = alice.share("{\"path\":\"/drop\",\"mode\":\"upload-only\"}");
            Files.writeString(f.home("alice").resolve("drop/theirs.txt"), "someone else's");
            ShareSupport.Visitor v2 = new ShareSupport.Visitor(f);
            assertThat(v2.get(link(d) + "/api/list").statusCode()).isEqualTo(403);
            assertThat(v2.get(link(d) + "/file?path=/theirs.txt").statusCode()).isEqualTo(403);
            assertThat(v2.get(link(d) + "/zip").statusCode()).isEqualTo(403);
            // a taken name is never replaced: the file is kept beside it, and the answer does not tell
            HttpResponse<String> same = v2.put(link(d) + "/file?path=/theirs.txt",
                    "overwritten".getBytes(StandardCharsets.UTF_8));
            assertThat(same.statusCode()).isEqualTo(201);
            assertThat(same.body()).doesNotContain("theirs");
            assertThat(Files.readString(f.home("alice").resolve("drop/theirs.txt"))).isEqualTo("someone else's");
            assertThat(Files.readString(f.home("alice").resolve("drop/theirs (2).txt"))).isEqualTo("overwritten");
            assertThat(v2.put(link(d) + "/file?path=/sub/x.txt", "x".getBytes(StandardCharsets.UTF_8)).statusCode())
                    .isEqualTo(403);
            assertThat(v2.put(link(d) + "/file?path=/mine.txt", "mine".getBytes(StandardCharsets.UTF_8)).statusCode())
                    .isEqualTo(201);
            assertThat(Files.readString(f.home("alice").resolve("drop/mine.txt"))).isEqualTo("mine");

            HttpResponse<String> fileWrite = alice.send("POST", "/api/shares", "{\"path\":\"/report.pdf\",\"mode\":\"write\"}");
            assertThat(fileWrite.statusCode()).isEqualTo(400);
            assertThat(fileWrite.headers().firstValue("content-type")).contains("application/problem+json");
        }
    }

    @Test
    void beforeHandlersRefuseEachStepWithA403() throws Exception {
        try (WebFixture f = start()) {
            files(f);
            ShareSupport.Owner alice = ShareSupport.login(f, "alice", "pw");
            events.refuse.add("BeforeShrCreate");
            HttpResponse<String> r = alice.send("POST", "/api/shares", "{\"path\":\"/docs\",\"mode\":\"write\"}");
            assertThat(r.statusCode()).isEqualTo(403);
            assertThat(JSON.readTree(r.body()).get("detail").asText()).contains("not today");
            assertThat(events.take()).containsExactly("BeforeShrCreate");
            assertThat(JSON.readTree(alice.send("GET", "/api/shares", null).body())).isEmpty();
            events.refuse.clear();
            JsonNode s = alice.share("{\"path\":\"/docs\",\"mode\":\"write\",\"maxUses\":5}");
            events.take();

            events.refuse.add("BeforeShrAuthRequest");
            ShareSupport.Visitor v = new ShareSupport.Visitor(f);
            HttpResponse<String> page = v.getHtml(link(s) + "/file?path=/a.txt");
            assertThat(page.statusCode()).isEqualTo(403);
            assertThat(page.headers().firstValue("content-type").orElseThrow()).startsWith("text/html");
            assertThat(page.body()).contains("not today");
            assertThat(events.take()).containsExactly("BeforeShrAuthRequest");
            events.refuse.clear();

            for (String step : List.of("BeforeShrFileDownload", "BeforeShrZipDownload", "BeforeShrFileUpload")) {
                events.refuse.add(step);
                HttpResponse<String> x = step.contains("Upload")
                        ? v.put(link(s) + "/file?path=/refused.txt", "x".getBytes(StandardCharsets.UTF_8))
                        : v.get(link(s) + (step.contains("Zip") ? "/zip" : "/file?path=/a.txt"));
                assertThat(x.statusCode()).as(step).isEqualTo(403);
                assertThat(JSON.readTree(x.body()).get("detail").asText()).contains("not today");
                assertThat(events.seen).as(step).contains(step).doesNotContain(step.replace("Before", "After"));
                events.refuse.clear();
                events.take();
            }
            assertThat(Files.exists(f.home("alice").resolve("docs/refused.txt"))).isFalse();
            assertThat(JSON.readTree(alice.send("GET", "/api/shares", null).body()).get(0).get("uses").asInt())
                    .as("refused transfers use nothing").isZero();
        }
    }

    @Test
    void maxUsesCountsDownloadsZipsAndUploadsThenTheLinkIsGone() throws Exception {
        try (WebFixture f = start()) {
            files(f);
            ShareSupport.Owner alice = ShareSupport.login(f, "alice", "pw");
            JsonNode s = alice.share("{\"path\":\"/docs\",\"mode\":\"write\",\"maxUses\":3}");
            ShareSupport.Visitor v = new ShareSupport.Visitor(f);
            assertThat(v.get(link(s) + "/api/list").statusCode()).as("listing is no use").isEqualTo(200);
            assertThat(v.get(link(s) + "/file?path=/a.txt").statusCode()).isEqualTo(200);
            assertThat(v.get(link(s) + "/zip").statusCode()).isEqualTo(200);
            assertThat(v.get(link(s) + "/file?path=/missing.txt").statusCode()).as("a failure is no use")
                    .isEqualTo(404);
            assertThat(v.put(link(s) + "/file?path=/u.txt", "u".getBytes(StandardCharsets.UTF_8)).statusCode())
                    .isEqualTo(201);
            HttpResponse<String> used = v.get(link(s) + "/file?path=/a.txt");
            assertThat(used.statusCode()).isEqualTo(410);
            HttpResponse<String> page = v.getHtml(link(s));
            assertThat(page.statusCode()).isEqualTo(410);
            assertThat(page.body()).contains("This share link has ended").contains("used as many times");
            assertThat(JSON.readTree(alice.send("GET", "/api/shares", null).body()).get(0).get("uses").asInt())
                    .isEqualTo(3);
        }
    }

    @Test
    void passwordsAreHashedCheckedPerVisitAndGuessingGetsTheAddressBanned() throws Exception {
        try (WebFixture f = start()) {
            files(f);
            ShareSupport.Owner alice = ShareSupport.login(f, "alice", "pw");
            JsonNode s = alice.share("{\"path\":\"/docs\",\"password\":\"open sesame\",\"expiresIn\":\"7d\"}");
            assertThat(s.get("password").asBoolean()).isTrue();
            assertThat(Instant.parse(s.get("expires").asText())).isAfter(Instant.now().plusSeconds(6 * 86400));
            String stored = Files.readString(data.resolve("web/shares.json"));
            assertThat(stored).doesNotContain("open sesame").contains("$argon2id$");
            events.take();

            ShareSupport.Visitor v = new ShareSupport.Visitor(f);
            JsonNode info = JSON.readTree(v.get(link(s) + "/api/info").body());
            assertThat(info.get("password").asBoolean()).isTrue();
            assertThat(info.has("name")).as("nothing is told before the password").isFalse();
            assertThat(v.get(link(s) + "/api/list").statusCode()).isEqualTo(401);
            assertThat(v.get(link(s) + "/file?path=/a.txt").statusCode()).isEqualTo(401);
            assertThat(v.password(link(s), "wrong").statusCode()).isEqualTo(401);
            assertThat(v.cookie).isNull();
            assertThat(events.take()).containsExactly("BeforeShrAuthRequest", "OnShrAuthRequestAllowed");
            HttpResponse<String> ok = v.password(link(s), "open sesame");
            assertThat(ok.statusCode()).isEqualTo(200);
            String set = ok.headers().allValues("set-cookie").get(0);
            assertThat(set).startsWith("termlet_share=").containsIgnoringCase("HttpOnly").containsIgnoringCase("Secure")
                    .containsIgnoringCase("SameSite=Strict").contains("Path=" + link(s));
            assertThat(events.take()).containsExactly("BeforeShrAuthRequest", "OnShrAuthRequestAllowed",
                    "OnShrAuthSuccess");
            assertThat(v.get(link(s) + "/file?path=/a.txt").body()).isEqualTo("hello");
            assertThat(JSON.readTree(v.get(link(s) + "/api/info").body()).get("name").asText()).isEqualTo("docs");

            // another address-less client guesses: after the protector's threshold (15 strikes) the address is banned
            ShareSupport.Visitor guesser = new ShareSupport.Visitor(f);
            int status = 0;
            for (int i = 0; i < 16 && status != 403; i++) {
                status = guesser.password(link(s), "guess" + i).statusCode();
            }
            assertThat(status).as("banned").isEqualTo(403);
            assertThat(guesser.password(link(s), "open sesame").statusCode()).as("even the right one, while banned")
                    .isEqualTo(403);
            assertThat(f.server.protector().bans()).isNotEmpty();
        }
    }

    @Test
    void sharesSurviveARestartAndExpiredOnesEndWithA410() throws Exception {
        JsonNode kept;
        JsonNode expiring;
        try (WebFixture f = start()) {
            files(f);
            ShareSupport.Owner alice = ShareSupport.login(f, "alice", "pw");
            kept = alice.share("{\"path\":\"/docs\",\"password\":\"pw-share\",\"maxUses\":10}");
            expiring = alice.share("{\"path\":\"/report.pdf\",\"expires\":\"" + Instant.now().plusSeconds(3600) + "\"}");
            ShareSupport.Visitor v = new ShareSupport.Visitor(f);
            assertThat(v.get(link(expiring) + "/file").statusCode()).isEqualTo(200);
        }
        // time passes: the expiry is moved into the past in the store, as it will be once the hour has gone
        Path store = data.resolve("web/shares.json");
        ObjectNode root = (ObjectNode) JSON.readTree(Files.readAllBytes(store));
        for (JsonNode n : root.get("shares")) {
            if (n.get("id").asText().equals(expiring.get("id").asText())) {
                assertThat(n.get("uses").asInt()).isEqualTo(1);
                ((ObjectNode) n).put("expires", Instant.now().minusSeconds(1).toString());
            }
        }
        Files.write(store, JSON.writeValueAsBytes(root));
        try (WebFixture f = start()) {
            ShareSupport.Visitor v = new ShareSupport.Visitor(f);
            assertThat(v.password(link(kept), "pw-share").statusCode()).isEqualTo(200);
            assertThat(v.get(link(kept) + "/file?path=/a.txt").body()).isEqualTo("hello");
            HttpResponse<String> ended = v.getHtml(link(expiring));
            assertThat(ended.statusCode()).isEqualTo(410);
            assertThat(ended.body()).contains("expired");
            assertThat(v.get(link(expiring) + "/file").statusCode()).isEqualTo(410);
            ShareSupport.Owner alice = ShareSupport.login(f, "alice", "pw");
            assertThat(JSON.readTree(alice.send("GET", "/api/shares", null).body())).hasSize(2);
        }
    }

    @Test
    void aSharedPathThatBecomesALinkLeadingOutServesNothing() throws Exception {
        try (WebFixture f = start()) {
            files(f);
            Files.writeString(outside.resolve("passwd"), "root:x:0:0");
            ShareSupport.Owner alice = ShareSupport.login(f, "alice", "pw");
            JsonNode dir = alice.share("{\"path\":\"/docs\"}");
            JsonNode file = alice.share("{\"path\":\"/report.pdf\"}");
            Path home = f.home("alice");
            Files.move(home.resolve("docs"), home.resolve("docs-old"));
            Files.createSymbolicLink(home.resolve("docs"), outside);
            Files.delete(home.resolve("report.pdf"));
            Files.createSymbolicLink(home.resolve("report.pdf"), outside.resolve("passwd"));
            ShareSupport.Visitor v = new ShareSupport.Visitor(f);
            for (String path : List.of(link(dir) + "/api/list", link(dir) + "/file?path=/passwd", link(dir) + "/zip",
                    link(file) + "/file")) {
                HttpResponse<String> r = v.get(path);
                assertThat(r.statusCode()).as(path).isEqualTo(403);
                assertThat(r.body()).as(path).doesNotContain("root:x").doesNotContain(outside.toString());
            }
            assertThat(v.put(link(dir) + "/file?path=/planted", "x".getBytes(StandardCharsets.UTF_8)).statusCode())
                    .isEqualTo(403);
            assertThat(Files.exists(outside.resolve("planted"))).isFalse();
            HttpResponse<String> r = alice.send("POST", "/api/shares", "{\"path\":\"/docs\"}");
            assertThat(r.statusCode()).as("a link cannot be shared").isIn(400, 403);
        }
    }

    @Test
    void theOwnersPermissionsApplyAtUseTimeAndARemovedOrDisabledOwnerEndsTheShares() throws Exception {
        try (WebFixture f = start()) {
            files(f);
            ShareSupport.Owner alice = ShareSupport.login(f, "alice", "pw");
            JsonNode s = alice.share("{\"path\":\"/docs\",\"mode\":\"write\"}");
            ShareSupport.Visitor v = new ShareSupport.Visitor(f);
            assertThat(v.get(link(s) + "/file?path=/a.txt").statusCode()).isEqualTo(200);

            Account a = f.server.accounts().find("alice").orElseThrow();
            f.server.accounts().save(a.toBuilder().filePermissions("/", Set.of(FilePermission.LIST)).build());
            assertThat(v.get(link(s) + "/file?path=/a.txt").statusCode()).as("no download right now").isEqualTo(403);
            assertThat(v.put(link(s) + "/file?path=/n.txt", "n".getBytes(StandardCharsets.UTF_8)).statusCode())
                    .isEqualTo(403);
            HttpResponse<String> noRight = alice.send("POST", "/api/shares", "{\"path\":\"/docs\"}");
            assertThat(noRight.statusCode()).as("cannot share what one cannot download").isEqualTo(403);

            f.server.accounts().save(a.toBuilder().enabled(false).build());
            assertThat(v.get(link(s) + "/file?path=/a.txt").statusCode()).isEqualTo(410);
            f.server.accounts().save(a);
            assertThat(v.get(link(s) + "/file?path=/a.txt").statusCode()).isEqualTo(200);
            f.server.accounts().remove("alice");
            assertThat(v.get(link(s) + "/file?path=/a.txt").statusCode()).isEqualTo(404);
            assertThat(Files.readString(data.resolve("web/shares.json"))).doesNotContain(s.get("id").asText());
        }
    }

    @Test
    void theApiNeedsALoginAndTheCsrfTokenAndRefusesBadInputWithProblems() throws Exception {
        try (WebFixture f = start()) {
            files(f);
            ShareSupport.Owner alice = ShareSupport.login(f, "alice", "pw");
            ShareSupport.Owner noCsrf = new ShareSupport.Owner(alice.client(), f, alice.cookie(), "nope");
            assertThat(noCsrf.send("POST", "/api/shares", "{\"path\":\"/docs\"}").statusCode()).isEqualTo(401);
            ShareSupport.Owner nobody = new ShareSupport.Owner(alice.client(), f, "termlet_session=x", "x");
            assertThat(nobody.send("GET", "/api/shares", null).statusCode()).isEqualTo(401);
            Map<String, Integer> bad = new HashMap<>();
            bad.put("{\"path\":\"/nope\"}", 404);
            bad.put("{\"path\":\"/docs\",\"mode\":\"everything\"}", 400);
            bad.put("{\"path\":\"/docs\",\"maxUses\":-1}", 400);
            bad.put("{\"path\":\"/docs\",\"maxUses\":\"many\"}", 400);
            bad.put("{\"path\":\"/docs\",\"expires\":\"tomorrow\"}", 400);
            bad.put("{\"path\":\"/docs\",\"expires\":\"2001-01-01T00:00:00Z\"}", 400);
            bad.put("{\"path\":\"/docs\",\"expiresIn\":\"soon\"}", 400);
            bad.put("{\"path\":\"/docs\\u0001\"}", 400);
            bad.put("{\"mode\":\"read\"}", 400);
            bad.put("[1]", 400);
            bad.put("{\"path\":\"/../../etc\"}", 404);
            for (Map.Entry<String, Integer> e : bad.entrySet()) {
                HttpResponse<String> r = alice.send("POST", "/api/shares", e.getKey());
                assertThat(r.statusCode()).as(e.getKey()).isIn(e.getValue(), 403);
                assertThat(r.headers().firstValue("content-type")).as(e.getKey()).contains("application/problem+json");
                assertThat(r.body()).doesNotContain(data.toString());
            }
            assertThat(alice.send("PUT", "/api/shares", "{}").statusCode()).isEqualTo(405);
            assertThat(new ShareSupport.Visitor(f).get("/s/not-a-token/file").statusCode()).isEqualTo(404);
            assertThat(new ShareSupport.Visitor(f).get("/s/assets/nothing.js").statusCode()).isEqualTo(404);
        }
    }

    private static Map<String, String> unzip(byte[] zip) throws Exception {
        Map<String, String> out = new HashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip), StandardCharsets.UTF_8)) {
            for (ZipEntry e; (e = in.getNextEntry()) != null;) {
                out.put(e.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return out;
    }
}
