package dev.termlet.web;

import static dev.termlet.web.AdminAccountsTest.assertProblem;
import static dev.termlet.web.AdminHttp.json;
import static dev.termlet.web.ShareSupport.link;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin API's share links: every user's shares listed, one shown, one deleted (its link then 404 for visitors),
 * never with a token or a password hash; refused to non-admins; 404 when share links are off.
 */
class AdminSharesTest {
    @TempDir
    Path data;

    private static void files(WebFixture f) throws Exception {
        Files.createDirectories(f.home("alice").resolve("docs"));
        Files.writeString(f.home("alice").resolve("docs/a.txt"), "hello");
        Files.writeString(f.home("alice").resolve("report.pdf"), "%PDF-1.7");
        Files.createDirectories(f.home("bob").resolve("drop"));
    }

    private static List<String> ids(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(n -> out.add(n.get("id").asText()));
        return out;
    }

    /** Neither the link's token nor the password's hash (nor the password) is in an admin answer. */
    private static void assertNoSecrets(HttpResponse<String> r, List<JsonNode> shares) {
        for (JsonNode s : shares) {
            assertThat(r.body()).doesNotContain(link(s).substring(3)).doesNotContain("/s/");
        }
        assertThat(r.body()).doesNotContain("argon2").doesNotContain("passwordHash").doesNotContain("token")
                .doesNotContain("url").doesNotContain("open sesame");
    }

    @Test
    void listsGetsAndDeletesEveryUsersSharesWithoutTokensOrHashes() throws Exception {
        try (AdminHttp a = new AdminHttp(data)) {
            files(a.f);
            ShareSupport.Owner alice = ShareSupport.login(a.f, "alice", "pw");
            ShareSupport.Owner bob = ShareSupport.login(a.f, "bob", "pw2");
            JsonNode docs = alice.share("{\"path\":\"/docs\",\"password\":\"open sesame\",\"maxUses\":5,"
                    + "\"expiresIn\":\"7d\"}");
            JsonNode report = alice.share("{\"path\":\"/report.pdf\"}");
            JsonNode drop = bob.share("{\"path\":\"/drop\",\"mode\":\"upload-only\"}");
            List<JsonNode> all = List.of(docs, report, drop);
            assertThat(Files.readString(data.resolve("web/shares.json"))).as("the store does hold a hash")
                    .contains("argon2");

            HttpResponse<String> list = a.get("/shares");
            assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
            assertThat(list.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v)
                    .startsWith("application/json"));
            assertThat(ids(json(list))).containsExactly(docs.get("id").asText(), report.get("id").asText(),
                    drop.get("id").asText());
            assertNoSecrets(list, all);

            JsonNode d = json(list).get(0);
            assertThat(d.get("owner").asText()).isEqualTo("alice");
            assertThat(d.get("path").asText()).isEqualTo("/docs");
            assertThat(d.get("directory").asBoolean()).isTrue();
            assertThat(d.get("mode").asText()).isEqualTo("read");
            assertThat(d.get("hasPassword").asBoolean()).isTrue();
            assertThat(d.get("maxUses").asInt()).isEqualTo(5);
            assertThat(d.get("uses").asInt()).isZero();
            assertThat(d.get("expires").asText()).isEqualTo(docs.get("expires").asText());
            assertThat(d.get("created").asText()).isEqualTo(docs.get("created").asText());
            JsonNode b = json(list).get(2);
            assertThat(b.get("owner").asText()).isEqualTo("bob");
            assertThat(b.get("mode").asText()).isEqualTo("upload-only");
            assertThat(b.get("hasPassword").asBoolean()).isFalse();
            assertThat(b.get("expires").isNull()).isTrue();

            HttpResponse<String> one = a.get("/shares/" + drop.get("id").asText());
            assertThat(one.statusCode()).isEqualTo(200);
            assertThat(json(one)).isEqualTo(b);
            HttpResponse<String> withPassword = a.get("/shares/" + docs.get("id").asText());
            assertThat(json(withPassword).get("hasPassword").asBoolean()).isTrue();
            assertNoSecrets(withPassword, all);

            // the owner filter
            HttpResponse<String> ofBob = a.get("/shares?owner=bob");
            assertThat(ids(json(ofBob))).containsExactly(drop.get("id").asText());
            assertThat(ids(json(a.get("/shares?owner=alice")))).containsExactly(docs.get("id").asText(),
                    report.get("id").asText());
            assertThat(json(a.get("/shares?owner=carol")).size()).as("no such account: no shares").isZero();
            assertProblem(a.get("/shares?owner=..%2Fetc"), 400);

            // delete one of alice's and one of bob's
            assertThat(a.delete("/shares/" + report.get("id").asText()).statusCode()).isEqualTo(204);
            assertThat(a.delete("/shares/" + drop.get("id").asText()).statusCode()).isEqualTo(204);
            assertThat(ids(json(a.get("/shares")))).containsExactly(docs.get("id").asText());
            assertProblem(a.get("/shares/" + report.get("id").asText()), 404);
            assertProblem(a.delete("/shares/" + report.get("id").asText()), 404);
            assertThat(json(bob.send("GET", "/api/shares", null)).size()).as("gone for its owner too").isZero();
            assertThat(Files.readString(data.resolve("web/shares.json"))).doesNotContain(report.get("id").asText())
                    .doesNotContain(drop.get("id").asText()).contains(docs.get("id").asText());
        }
    }

    @Test
    void aDeletedSharesLinkIs404ForVisitorsEvenInAVisitUnderWay() throws Exception {
        try (AdminHttp a = new AdminHttp(data)) {
            files(a.f);
            ShareSupport.Owner alice = ShareSupport.login(a.f, "alice", "pw");
            JsonNode docs = alice.share("{\"path\":\"/docs\",\"password\":\"open sesame\"}");
            JsonNode report = alice.share("{\"path\":\"/report.pdf\"}");

            ShareSupport.Visitor v = new ShareSupport.Visitor(a.f);
            assertThat(v.password(link(docs), "open sesame").statusCode()).isEqualTo(200);
            assertThat(v.cookie).isNotNull();
            assertThat(v.get(link(docs) + "/file?path=/a.txt").body()).isEqualTo("hello");
            ShareSupport.Visitor w = new ShareSupport.Visitor(a.f);
            assertThat(w.get(link(report) + "/file").body()).isEqualTo("%PDF-1.7");

            assertThat(a.delete("/shares/" + docs.get("id").asText()).statusCode()).isEqualTo(204);
            assertThat(a.delete("/shares/" + report.get("id").asText()).statusCode()).isEqualTo(204);
            assertProblem(v.get(link(docs) + "/file?path=/a.txt"), 404);
            assertProblem(w.get(link(report) + "/file"), 404);
            assertProblem(new ShareSupport.Visitor(a.f).get(link(report) + "/file"), 404);
            assertThat(a.f.home("alice").resolve("report.pdf")).as("the file itself stays").exists();
        }
    }

    @Test
    void unknownIdsAndMethodsAreProblems() throws Exception {
        try (AdminHttp a = new AdminHttp(data)) {
            assertThat(json(a.get("/shares")).size()).isZero();
            assertProblem(a.get("/shares/0123456789ab"), 404);
            assertProblem(a.delete("/shares/0123456789ab"), 404);
            assertProblem(a.get("/shares/not%20a%20share%3Cb%3E"), 404);
            HttpResponse<String> post = a.post("/shares", "{\"path\":\"/docs\"}");
            assertProblem(post, 405);
            assertThat(post.headers().firstValue("allow")).contains("GET");
        }
    }

    @Test
    void nonAdminsAreRefused() throws Exception {
        try (AdminHttp a = new AdminHttp(data)) {
            files(a.f);
            ShareSupport.Owner alice = ShareSupport.login(a.f, "alice", "pw");
            JsonNode report = alice.share("{\"path\":\"/report.pdf\"}");
            String id = report.get("id").asText();
            HttpRequest.Builder basic = HttpRequest.newBuilder(a.f.uri(AdminHttp.API + "/shares/" + id))
                    .header("Authorization", WebFixture.basic("bob", "pw2"));
            assertProblem(a.send(basic.copy().build()), 403);
            assertProblem(a.send(basic.copy().DELETE().build()), 403);
            assertProblem(a.send(HttpRequest.newBuilder(a.f.uri(AdminHttp.API + "/shares"))
                    .header("Authorization", WebFixture.basic("alice", "pw")).build()), 403);
            // a browser login that is not an admin's, with its CSRF token
            assertProblem(alice.send("DELETE", AdminHttp.API + "/shares/" + id, null), 403);
            assertProblem(a.send(HttpRequest.newBuilder(a.f.uri(AdminHttp.API + "/shares")).build()), 401);
            assertThat(ids(json(a.get("/shares")))).as("nothing was deleted").containsExactly(id);
            // an admin account does it
            assertThat(a.send(HttpRequest.newBuilder(a.f.uri(AdminHttp.API + "/shares/" + id))
                    .header("Authorization", WebFixture.basic("root", "rootpw")).DELETE().build()).statusCode())
                    .isEqualTo(204);
        }
    }

    @Test
    void withShareLinksOffTheRoutesStayAndAnswer404() throws Exception {
        String key = Web.newAdminKey();
        try (WebFixture f = WebFixture.start(data, w -> w.shares(false).adminKey("tests", key))) {
            assertThat(f.web.adminRoute().routes()).contains("GET /shares", "GET /shares/{id}",
                    "DELETE /shares/{id}");
            java.net.http.HttpClient c = f.client();
            for (String[] r : new String[][] {{"GET", "/shares"}, {"GET", "/shares/0123456789ab"},
                    {"DELETE", "/shares/0123456789ab"}}) {
                HttpResponse<String> res = c.send(HttpRequest.newBuilder(f.uri(AdminHttp.API + r[1]))
                        .header("Authorization", "Bearer " + key).method(r[0], HttpRequest.BodyPublishers.noBody())
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertProblem(res, 404);
                assertThat(json(res).get("detail").asText()).contains("turned off");
            }
            // still refused to a non-admin first
            assertProblem(c.send(HttpRequest.newBuilder(f.uri(AdminHttp.API + "/shares"))
                    .header("Authorization", WebFixture.basic("alice", "pw")).build(),
                    HttpResponse.BodyHandlers.ofString()), 403);
        }
    }
}
