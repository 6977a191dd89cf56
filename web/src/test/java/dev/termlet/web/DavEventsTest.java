package dev.termlet.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.RefusedException;
import dev.termlet.annotations.Delivery;
import dev.termlet.annotations.OnUser;
import dev.termlet.event.EventType;
import dev.termlet.fileops.FileEvent;
import dev.termlet.fileops.Protocol;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file events of WebDAV requests (the JDK's HTTP client, HTTP/2): each fires with the protocol {@code WEBDAV};
 * a refusing {@code pre-upload} handler makes a PUT answer 403 with nothing written, and a refusing synchronous
 * {@code upload} handler has the arrived file removed.
 */
class DavEventsTest {
    @TempDir
    Path data;

    /** Records the file events (synchronously, so they are in before the answer); refuses .exe uploads. */
    public static class Rules {
        final List<String> seen = new CopyOnWriteArrayList<>();

        @OnUser(value = {"pre-upload", "upload", "upload-failed", "download", "mkdir", "rename", "delete", "rmdir",
            "copy", "list"}, delivery = Delivery.SYNC)
        public void record(EventType type, FileEvent e) {
            seen.add(type.name() + " " + e.protocol() + " " + e.path());
        }

        @OnUser("pre-upload")
        public void noExe(FileEvent e) {
            if (e.path().endsWith(".exe")) {
                throw new RefusedException("no executables");
            }
        }

        @OnUser(value = "upload", delivery = Delivery.SYNC)
        public boolean arrived(FileEvent e) {
            return !e.path().endsWith("reject.txt");
        }
    }

    @Test
    void fileEventsFireWithWebdavAndRefusalsHold() throws Exception {
        Rules rules = new Rules();
        try (WebFixture f = WebFixture.start(data, w -> w, rules)) {
            HttpClient c = f.client();
            String auth = WebFixture.basic("alice", "pw");
            assertThat(send(c, f, "PUT", "/dav/a.txt", auth, "hello").statusCode()).isEqualTo(201);
            assertThat(send(c, f, "MKCOL", "/dav/d", auth, null).statusCode()).isEqualTo(201);
            assertThat(send(c, f, "GET", "/dav/a.txt", auth, null).body()).isEqualTo("hello");
            HttpRequest mv = HttpRequest.newBuilder(f.uri("/dav/a.txt")).header("Authorization", auth)
                    .header("Destination", f.base() + "/dav/d/b.txt").method("MOVE", HttpRequest.BodyPublishers.noBody())
                    .build();
            assertThat(c.send(mv, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(201);
            HttpRequest cp = HttpRequest.newBuilder(f.uri("/dav/d/b.txt")).header("Authorization", auth)
                    .header("Destination", "/dav/c.txt").method("COPY", HttpRequest.BodyPublishers.noBody()).build();
            assertThat(c.send(cp, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(201);
            HttpRequest pf = HttpRequest.newBuilder(f.uri("/dav/d/")).header("Authorization", auth)
                    .header("Depth", "1").method("PROPFIND", HttpRequest.BodyPublishers.noBody()).build();
            HttpResponse<String> listed = c.send(pf, HttpResponse.BodyHandlers.ofString());
            assertThat(listed.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(listed.statusCode()).isEqualTo(207);
            assertThat(send(c, f, "DELETE", "/dav/d", auth, null).statusCode()).isEqualTo(204);

            assertThat(rules.seen).containsExactly("pre-upload WEBDAV /a.txt", "upload WEBDAV /a.txt",
                    "mkdir WEBDAV /d", "download WEBDAV /a.txt", "rename WEBDAV /a.txt", "copy WEBDAV /d/b.txt",
                    "list WEBDAV /d", "delete WEBDAV /d/b.txt", "rmdir WEBDAV /d");
            assertThat(rules.seen).allMatch(s -> s.contains(" WEBDAV "));

            // refused before: 403, nothing written (no temporary file either)
            HttpResponse<String> exe = send(c, f, "PUT", "/dav/tool.exe", auth, "MZ...");
            assertThat(exe.statusCode()).isEqualTo(403);
            assertThat(exe.body()).doesNotContain(f.home("alice").toString());
            assertThat(f.home("alice").resolve("tool.exe")).doesNotExist();
            assertThat(rules.seen).doesNotContain("upload WEBDAV /tool.exe");
            // refused after it arrived: removed, 403
            assertThat(send(c, f, "PUT", "/dav/reject.txt", auth, "no").statusCode()).isEqualTo(403);
            assertThat(f.home("alice").resolve("reject.txt")).doesNotExist();
            try (Stream<Path> s = Files.list(f.home("alice"))) {
                assertThat(s.map(p -> p.getFileName().toString())).containsExactly("c.txt");
            }
        }
    }

    private static HttpResponse<String> send(HttpClient c, WebFixture f, String method, String path, String auth,
            String body) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(f.uri(path)).header("Authorization", auth)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build();
        return c.send(r, HttpResponse.BodyHandlers.ofString());
    }
}
