package dev.termlet.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * curl against {@code /dav/} over HTTPS (verifying the server's certificate): the methods one by one, then hostile
 * input, each answered with a clean 4xx and nothing done.
 */
class DavCurlTest {
    @TempDir
    Path data;
    @TempDir
    Path work;
    @TempDir
    Path outside;

    WebFixture f;
    Path home;

    @BeforeEach
    void start() throws Exception {
        f = WebFixture.start(data, w -> w);
        // alice's home is made at her first login
        assertThat(curl("-u", "alice:pw", "-X", "OPTIONS", url("/dav/")).status()).isEqualTo(200);
        home = f.home("alice");
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
    }

    private String url(String path) {
        return f.base() + path;
    }

    private DavTools.Answer curl(String... args) throws Exception {
        return DavTools.curl(f, work, args);
    }

    private DavTools.Answer alice(String... args) throws Exception {
        String[] a = new String[args.length + 2];
        a[0] = "-u";
        a[1] = "alice:pw";
        System.arraycopy(args, 0, a, 2, args.length);
        return curl(a);
    }

    @Test
    void everyMethod() throws Exception {
        DavTools.Answer o = alice("-X", "OPTIONS", url("/dav/"));
        assertThat(o.header("DAV")).isEqualTo("1, 2");
        assertThat(o.header("Allow")).contains("PROPFIND", "LOCK", "MKCOL");

        Path local = Files.writeString(work.resolve("hello.txt"), "hello, world\n");
        assertThat(alice("-T", local.toString(), url("/dav/hello.txt")).status()).isEqualTo(201);
        assertThat(home.resolve("hello.txt")).hasContent("hello, world");
        assertThat(alice("-T", local.toString(), url("/dav/hello.txt")).status()).isEqualTo(204);
        assertThat(alice("-T", local.toString(), url("/dav/no/such/dir/x.txt")).status()).isEqualTo(409);

        DavTools.Answer get = alice(url("/dav/hello.txt"));
        assertThat(get.status()).isEqualTo(200);
        assertThat(get.body()).isEqualTo("hello, world\n");
        String etag = get.header("ETag");
        assertThat(etag).startsWith("\"");
        assertThat(get.header("Last-Modified")).endsWith("GMT");
        assertThat(alice("-H", "If-None-Match: " + etag, url("/dav/hello.txt")).status()).isEqualTo(304);
        assertThat(alice("-H", "If-Modified-Since: " + get.header("Last-Modified"), url("/dav/hello.txt")).status())
                .isEqualTo(304);
        DavTools.Answer part = alice("-H", "Range: bytes=7-11", url("/dav/hello.txt"));
        assertThat(part.status()).isEqualTo(206);
        assertThat(part.body()).isEqualTo("world");
        assertThat(part.header("Content-Range")).isEqualTo("bytes 7-11/13");
        assertThat(alice("-H", "Range: bytes=-6", url("/dav/hello.txt")).body()).isEqualTo("world\n");
        DavTools.Answer beyond = alice("-H", "Range: bytes=100-", url("/dav/hello.txt"));
        assertThat(beyond.status()).isEqualTo(416);
        assertThat(beyond.header("Content-Range")).isEqualTo("bytes */13");
        DavTools.Answer head = alice("-I", url("/dav/hello.txt"));
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("Content-Length")).isEqualTo("13");

        assertThat(alice("-X", "MKCOL", url("/dav/dir")).status()).isEqualTo(201);
        assertThat(home.resolve("dir")).isDirectory();
        assertThat(alice("-X", "MKCOL", url("/dav/dir")).status()).isEqualTo(405);
        assertThat(alice("-X", "MKCOL", url("/dav/a/b")).status()).isEqualTo(409);
        assertThat(alice("-X", "MKCOL", "--data", "x", url("/dav/withbody")).status()).isEqualTo(415);
        assertThat(alice("-T", local.toString(), url("/dav/dir")).status()).isEqualTo(405);

        DavTools.Answer move = alice("-X", "MOVE", "-H", "Destination: " + url("/dav/dir/h%C3%A9llo.txt"),
                url("/dav/hello.txt"));
        assertThat(move.status()).isEqualTo(201);
        assertThat(home.resolve("hello.txt")).doesNotExist();
        assertThat(home.resolve("dir/héllo.txt")).hasContent("hello, world");
        assertThat(alice("-X", "COPY", "-H", "Destination: /dav/copy.txt", url("/dav/dir/h%C3%A9llo.txt"))
                .status()).isEqualTo(201);
        assertThat(alice("-X", "COPY", "-H", "Destination: /dav/copy.txt", "-H", "Overwrite: F",
                url("/dav/dir/h%C3%A9llo.txt")).status()).isEqualTo(412);
        assertThat(home.resolve("copy.txt")).hasContent("hello, world");

        DavTools.Answer pf = alice("-X", "PROPFIND", "-H", "Depth: 1", url("/dav/dir/"));
        assertThat(pf.status()).isEqualTo(207);
        assertThat(pf.body()).contains("<D:href>/dav/dir/</D:href>", "<D:href>/dav/dir/h%C3%A9llo.txt</D:href>",
                "<D:getcontentlength>13</D:getcontentlength>", "<D:collection/>");
        DavTools.Answer inf = alice("-X", "PROPFIND", "-H", "Depth: infinity", url("/dav/"));
        assertThat(inf.status()).isEqualTo(403);
        assertThat(inf.body()).contains("propfind-finite-depth");
        DavTools.Answer named = alice("-X", "PROPFIND", "-H", "Depth: 0", "--data",
                "<propfind xmlns='DAV:'><prop><getetag/><quota-used-bytes/><nothing xmlns='urn:x'/></prop></propfind>",
                url("/dav/copy.txt"));
        assertThat(named.body()).contains("<D:getetag>", "<D:quota-used-bytes>", "404 Not Found");

        DavTools.Answer patch = alice("-X", "PROPPATCH", "--data", "<D:propertyupdate xmlns:D='DAV:'><D:set><D:prop>"
                + "<c xmlns='urn:colour'>blue &amp; green</c></D:prop></D:set></D:propertyupdate>", url("/dav/copy.txt"));
        assertThat(patch.status()).isEqualTo(207);
        assertThat(patch.body()).contains("200 OK");
        DavTools.Answer live = alice("-X", "PROPPATCH", "--data", "<D:propertyupdate xmlns:D='DAV:'><D:set><D:prop>"
                + "<D:getetag>x</D:getetag><c xmlns='urn:colour'>red</c></D:prop></D:set></D:propertyupdate>",
                url("/dav/copy.txt"));
        assertThat(live.body()).contains("403 Forbidden", "424 Failed Dependency", "cannot-modify-protected-property");
        assertThat(alice("-X", "MOVE", "-H", "Destination: /dav/moved.txt", url("/dav/copy.txt")).status())
                .isEqualTo(201);
        DavTools.Answer kept = alice("-X", "PROPFIND", "-H", "Depth: 0", url("/dav/moved.txt"));
        assertThat(kept.body()).contains("blue &amp; green").doesNotContain(">red<");
        assertThat(Files.readString(data.resolve("web/dav-props/alice.json"))).contains("/moved.txt")
                .doesNotContain("/copy.txt");

        assertThat(alice("-X", "DELETE", url("/dav/dir")).status()).isEqualTo(204);
        assertThat(home.resolve("dir")).doesNotExist();
        assertThat(alice("-X", "DELETE", url("/dav/dir")).status()).isEqualTo(404);
        assertThat(alice(url("/dav/")).body()).contains("moved.txt");

        // bob has his own root
        assertThat(curl("-u", "bob:pw2", url("/dav/moved.txt")).status()).isEqualTo(404);
    }

    @Test
    void loginIsRequired() throws Exception {
        DavTools.Answer none = curl("-X", "PROPFIND", "-H", "Depth: 0", url("/dav/"));
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.header("WWW-Authenticate")).isEqualTo("Basic realm=\"Termlet\", charset=\"UTF-8\"");
        assertThat(curl("-u", "alice:wrong", url("/dav/")).status()).isEqualTo(401);
        assertThat(curl("-u", "nobody:pw", url("/dav/")).status()).isEqualTo(401);
        assertThat(curl("-H", "Authorization: Basic !!!", url("/dav/")).status()).isEqualTo(401);
        // a banned address is refused the connection: 403, even with the right password
        f.server.protector().ban("127.0.0.1", java.time.Duration.ofMinutes(5));
        DavTools.Answer banned = curl("-u", "bob:pw2", url("/dav/"));
        assertThat(banned.status()).isEqualTo(403);
        assertThat(banned.header("WWW-Authenticate")).isNull();
    }

    @Test
    void hostilePathsAreRefused() throws Exception {
        Files.writeString(outside.resolve("secret.txt"), "secret outside the root");
        Files.createSymbolicLink(home.resolve("out"), outside);
        Files.createSymbolicLink(home.resolve("passwd"), outside.resolve("secret.txt"));
        for (String p : new String[] {"/dav/../../etc/passwd", "/dav/%2e%2e/%2e%2e/etc/passwd", "/dav/..%2f..%2fetc",
            "/dav/a%2fb", "/dav/a%5c..%5c..%5cetc", "/dav/%00", "/dav/%zz", "/dav/%C3%28"}) {
            DavTools.Answer a = alice("--path-as-is", url(p));
            assertThat(a.status()).as(p).isBetween(400, 499);
            assertThat(a.body()).as(p).doesNotContain("root:").doesNotContain(outside.toString());
        }
        for (String p : new String[] {"/dav/out/secret.txt", "/dav/passwd", "/dav/out/"}) {
            DavTools.Answer a = alice(url(p));
            assertThat(a.status()).as(p).isIn(403, 404);
            assertThat(a.body()).doesNotContain("secret outside").doesNotContain(outside.toString());
        }
        Path local = Files.writeString(work.resolve("x.txt"), "x");
        assertThat(alice("-T", local.toString(), url("/dav/out/new.txt")).status()).isIn(403, 404, 409);
        assertThat(outside.resolve("new.txt")).doesNotExist();
        assertThat(alice("-X", "MKCOL", url("/dav/out/d")).status()).isIn(403, 404, 409);
        assertThat(alice("-X", "PROPFIND", "-H", "Depth: 1", url("/dav/")).body()).doesNotContain("/dav/out")
                .doesNotContain("/dav/passwd");
        assertThat(alice("-X", "COPY", "-H", "Destination: /dav/stolen.txt", url("/dav/passwd")).status())
                .isIn(403, 404);
        assertThat(home.resolve("stolen.txt")).doesNotExist();

        assertThat(alice("-T", local.toString(), url("/dav/x.txt")).status()).isEqualTo(201);
        for (String dest : new String[] {"https://example.com/dav/y.txt", "http://127.0.0.1:1/dav/y.txt",
            url("/other/y.txt"), url("/dav/../y.txt"), url("/dav/%2e%2e/y.txt"), "/api/session", "ftp://127.0.0.1/y",
            "not a url", url("/dav/y.txt#frag")}) {
            DavTools.Answer a = alice("-X", "MOVE", "-H", "Destination: " + dest, url("/dav/x.txt"));
            assertThat(a.status()).as(dest).isIn(400, 403, 502);
        }
        assertThat(alice("-X", "MOVE", url("/dav/x.txt")).status()).isEqualTo(400);
        assertThat(alice("-X", "MOVE", "-H", "Destination: /dav/", url("/dav/x.txt")).status()).isEqualTo(403);
        assertThat(home.resolve("x.txt")).exists();

        String longName = "/dav/" + "a".repeat(300);
        assertThat(alice("-T", local.toString(), url(longName)).status()).isBetween(400, 499);
        String longPath = "/dav" + "/abcdefghij".repeat(800);
        assertThat(alice(url(longPath)).status()).isBetween(400, 499);
        String veryLong = "/dav/" + "b".repeat(20_000);
        assertThat(alice(url(veryLong)).status()).isBetween(400, 499);
    }

    @Test
    void hostileBodiesAndHeadersAreRefused() throws Exception {
        DavTools.Answer bad = alice("-X", "PROPFIND", "-H", "Depth: 0", "--data", "<propfind xmlns='DAV:'><prop>",
                url("/dav/"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(alice("-X", "PROPFIND", "-H", "Depth: 0", "--data", "<x:propfind xmlns:x='urn:no'/>", url("/dav/"))
                .status()).isEqualTo(400);
        String xxe = "<?xml version='1.0'?><!DOCTYPE p [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>"
                + "<D:propertyupdate xmlns:D='DAV:'><D:set><D:prop><v xmlns='urn:v'>&x;</v></D:prop></D:set>"
                + "</D:propertyupdate>";
        DavTools.Answer e = alice("-X", "PROPPATCH", "--data", xxe, url("/dav/"));
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.body()).doesNotContain("root:");
        String laughs = "<?xml version='1.0'?><!DOCTYPE l [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;&a;'>"
                + "]><D:propfind xmlns:D='DAV:'><D:prop><v xmlns='urn:v'>&b;</v></D:prop></D:propfind>";
        assertThat(alice("-X", "PROPFIND", "-H", "Depth: 0", "--data", laughs, url("/dav/")).status()).isEqualTo(400);
        DavTools.Answer after = alice("-X", "PROPFIND", "-H", "Depth: 0", url("/dav/"));
        assertThat(after.status()).isEqualTo(207);
        assertThat(after.body()).doesNotContain("root:").doesNotContain("urn:v");
        assertThat(data.resolve("web/dav-props/alice.json")).doesNotExist();

        Path huge = work.resolve("huge.xml");
        Files.writeString(huge, "<propfind xmlns='DAV:'><prop>" + "<a/>".repeat(300_000) + "</prop></propfind>");
        assertThat(alice("-X", "PROPFIND", "-H", "Depth: 0", "--data-binary", "@" + huge, url("/dav/")).status())
                .isEqualTo(413);

        assertThat(alice("-X", "PROPFIND", "-H", "Depth: " + "1".repeat(10_000), url("/dav/")).status())
                .isEqualTo(400);
        assertThat(alice("-X", "PROPFIND", "-H", "Depth: " + "1".repeat(20_000), url("/dav/")).status())
                .isBetween(400, 499);
        Path local = Files.writeString(work.resolve("x.txt"), "x");
        assertThat(alice("-H", "If: " + "(<urn:uuid:x>)".repeat(1000), "-T", local.toString(), url("/dav/x.txt"))
                .status()).isEqualTo(400);
        assertThat(alice("-H", "If: ((((((", "-T", local.toString(), url("/dav/x.txt")).status()).isEqualTo(400);
        assertThat(alice("-H", "If: (<urn:uuid:nope>)", "-T", local.toString(), url("/dav/x.txt")).status())
                .isEqualTo(412);
        assertThat(home.resolve("x.txt")).doesNotExist();
        assertThat(alice("-X", "LOCK", "-H", "Timeout: Second-99999999999999999999999", "--data",
                "<lockinfo xmlns='DAV:'><lockscope><exclusive/></lockscope><locktype><write/></locktype></lockinfo>",
                url("/dav/x.txt")).status()).isEqualTo(201);
        assertThat(alice("-X", "LOCK", "--data", "<lockinfo xmlns='DAV:'/>", url("/dav/y.txt")).status())
                .isEqualTo(400);
        assertThat(alice("-X", "UNLOCK", "-H", "Lock-Token: <urn:uuid:nope>", url("/dav/x.txt")).status())
                .isEqualTo(409);
        assertThat(alice("-X", "BREW", url("/dav/")).status()).isEqualTo(405);
        assertThat(new String(Files.readAllBytes(home.resolve("x.txt")), StandardCharsets.UTF_8)).isEmpty();
    }
}
