package dev.termlet.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** WebDAV's dead properties outlive the server; write locks on a collection guard its members and the collection. */
class DavStoreTest {
    @TempDir
    Path data;

    static final String AUTH = WebFixture.basic("alice", "pw");

    private static HttpResponse<String> send(HttpClient c, WebFixture f, String method, String path, String body,
            String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(f.uri(path)).header("Authorization", AUTH)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return c.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void deadPropertiesAreKeptAcrossARestart() throws Exception {
        String patch = "<D:propertyupdate xmlns:D='DAV:' xmlns:t='urn:t'><D:set><D:prop><t:colour lang='en'>"
                + "<t:shade xmlns:u='urn:u' u:x='1'>dark</t:shade> red</t:colour></D:prop></D:set></D:propertyupdate>";
        try (WebFixture f = WebFixture.start(data, w -> w)) {
            HttpClient c = f.client();
            assertThat(send(c, f, "PUT", "/dav/f.txt", "x").statusCode()).isEqualTo(201);
            HttpResponse<String> r = send(c, f, "PROPPATCH", "/dav/f.txt", patch);
            assertThat(r.statusCode()).isEqualTo(207);
            assertThat(r.body()).contains("HTTP/1.1 200 OK");
            assertThat(send(c, f, "PROPPATCH", "/dav/missing.txt", patch).statusCode()).isEqualTo(404);
        }
        assertThat(Files.getPosixFilePermissions(data.resolve("web/dav-props/alice.json")))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        try (WebFixture f = WebFixture.start(data, w -> w)) {
            HttpClient c = f.client();
            HttpResponse<String> r = send(c, f, "PROPFIND", "/dav/f.txt",
                    "<propfind xmlns='DAV:'><prop><colour xmlns='urn:t'/></prop></propfind>", "Depth", "0");
            assertThat(r.statusCode()).isEqualTo(207);
            assertThat(r.body()).contains("<t:colour xmlns:t=\"urn:t\" lang=\"en\"><t:shade xmlns:u=\"urn:u\" "
                    + "u:x=\"1\">dark</t:shade> red</t:colour>");
            HttpResponse<String> names = send(c, f, "PROPFIND", "/dav/f.txt",
                    "<propfind xmlns='DAV:'><propname/></propfind>", "Depth", "0");
            assertThat(names.body()).contains("<R:colour xmlns:R=\"urn:t\"/>", "<D:getetag/>");
            // a file made anew where one was deleted starts without properties
            assertThat(send(c, f, "DELETE", "/dav/f.txt", null).statusCode()).isEqualTo(204);
            assertThat(send(c, f, "PUT", "/dav/f.txt", "y").statusCode()).isEqualTo(201);
            assertThat(send(c, f, "PROPFIND", "/dav/f.txt", null, "Depth", "0").body()).doesNotContain("urn:t");
        }
    }

    @Test
    void aLockedCollectionGuardsItsMembers() throws Exception {
        try (WebFixture f = WebFixture.start(data, w -> w)) {
            HttpClient c = f.client();
            assertThat(send(c, f, "MKCOL", "/dav/c", null).statusCode()).isEqualTo(201);
            assertThat(send(c, f, "PUT", "/dav/c/m.txt", "1").statusCode()).isEqualTo(201);
            assertThat(send(c, f, "PUT", "/dav/f.txt", "f").statusCode()).isEqualTo(201);
            HttpResponse<String> lock = send(c, f, "LOCK", "/dav/c/", "<D:lockinfo xmlns:D='DAV:'><D:lockscope>"
                    + "<D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype><D:owner><D:href>mailto:a@b"
                    + "</D:href></D:owner></D:lockinfo>", "Timeout", "Second-600");
            assertThat(lock.statusCode()).isEqualTo(200);
            String token = lock.headers().firstValue("Lock-Token").orElseThrow();
            assertThat(token).startsWith("<urn:uuid:").endsWith(">");
            assertThat(lock.body()).contains("<D:depth>infinity</D:depth>", "mailto:a@b", "<D:href>/dav/c/</D:href>");

            assertThat(send(c, f, "PUT", "/dav/c/m.txt", "2").statusCode()).isEqualTo(423);
            assertThat(send(c, f, "PUT", "/dav/c/new.txt", "2").statusCode()).isEqualTo(423);
            assertThat(send(c, f, "DELETE", "/dav/c/m.txt", null).statusCode()).isEqualTo(423);
            assertThat(send(c, f, "DELETE", "/dav/c", null).statusCode()).isEqualTo(423);
            assertThat(send(c, f, "MOVE", "/dav/f.txt", null, "Destination", "/dav/c/f.txt").statusCode())
                    .isEqualTo(423);
            assertThat(send(c, f, "LOCK", "/dav/c/m.txt", "<lockinfo xmlns='DAV:'><lockscope><shared/></lockscope>"
                    + "<locktype><write/></locktype></lockinfo>").statusCode()).isEqualTo(423);
            assertThat(f.home("alice").resolve("c/m.txt")).hasContent("1");
            assertThat(f.home("alice").resolve("f.txt")).exists();

            assertThat(send(c, f, "PUT", "/dav/c/m.txt", "2", "If", "(" + token + ")").statusCode()).isEqualTo(204);
            assertThat(send(c, f, "MOVE", "/dav/f.txt", null, "Destination", "/dav/c/f.txt", "If",
                    "</dav/c/> (" + token + ")").statusCode()).isEqualTo(201);
            assertThat(f.home("alice").resolve("c/m.txt")).hasContent("2");
            assertThat(f.home("alice").resolve("c/f.txt")).hasContent("f");
            HttpResponse<String> refresh = send(c, f, "LOCK", "/dav/c/m.txt", null, "If", "(" + token + ")",
                    "Timeout", "Second-100");
            assertThat(refresh.statusCode()).isEqualTo(200);
            java.util.regex.Matcher left = java.util.regex.Pattern.compile("<D:timeout>Second-(\\d+)</D:timeout>")
                    .matcher(refresh.body());
            assertThat(left.find()).isTrue();
            assertThat(Integer.parseInt(left.group(1))).isBetween(1, 100); // refreshed from 600 to 100
            assertThat(send(c, f, "PROPFIND", "/dav/c/", null, "Depth", "0").body())
                    .contains(token.substring(1, token.length() - 1));

            assertThat(send(c, f, "UNLOCK", "/dav/c/m.txt", null, "Lock-Token", token).statusCode()).isEqualTo(204);
            assertThat(send(c, f, "PUT", "/dav/c/m.txt", "3").statusCode()).isEqualTo(204);
            assertThat(send(c, f, "UNLOCK", "/dav/c/", null, "Lock-Token", token).statusCode()).isEqualTo(409);

            assertThat(send(c, f, "COPY", "/dav/c/", null, "Destination", "/dav/shallow", "Depth", "0").statusCode())
                    .isEqualTo(201);
            try (var s = Files.list(f.home("alice").resolve("shallow"))) {
                assertThat(s).isEmpty();
            }
            assertThat(send(c, f, "COPY", "/dav/c/", null, "Destination", "/dav/deep").statusCode()).isEqualTo(201);
            assertThat(f.home("alice").resolve("deep/m.txt")).hasContent("3");
            assertThat(send(c, f, "COPY", "/dav/c/", null, "Destination", "/dav/c/inner").statusCode()).isEqualTo(403);
            assertThat(send(c, f, "MOVE", "/dav/c/m.txt", null, "Destination", "/dav/c").statusCode()).isEqualTo(403);
            assertThat(f.home("alice").resolve("c/m.txt")).exists();
        }
    }
}
