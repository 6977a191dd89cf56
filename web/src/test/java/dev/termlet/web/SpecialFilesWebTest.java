package dev.termlet.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A FIFO planted in a user's root, through the browser client's file API: downloading it (alone or in a zip) and
 * uploading over it are refused at once instead of leaving a server thread waiting for the FIFO's other end; the FIFO
 * stays, and a link that leads outside is not replaced by an upload either. A request the server does not answer is
 * given up after a while so that the test fails instead of hanging; no figure of time is asserted.
 */
class SpecialFilesWebTest {
    @TempDir
    Path data;

    private static HttpRequest.Builder timed(ClientApiTest.Browser b, String pathAndQuery) {
        return b.request(pathAndQuery).timeout(Duration.ofSeconds(30));
    }

    @Test
    void aFifoIsNeitherDownloadedNorReplaced() throws Exception {
        try (WebFixture f = WebFixture.start(data, w -> w)) {
            ClientApiTest.Browser b = ClientApiTest.Browser.login(f, "alice", "pw");
            Path home = Files.createDirectories(f.home("alice"));
            Files.writeString(home.resolve("plain.txt"), "plain");
            Path fifo = home.resolve("pipe");
            Process mk = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
            assertThat(mk.waitFor(30, TimeUnit.SECONDS) && mk.exitValue() == 0).isTrue();
            Path outside = Files.writeString(data.resolve("outside.txt"), "outside");
            Files.createSymbolicLink(home.resolve("out"), outside);
            try {
                HttpResponse<String> down = b.http().send(timed(b, "/api/files/download?path=/pipe").build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(ClientApiTest.problem(down, 403).get("detail").asText()).contains("not a regular file");

                HttpResponse<String> up = b.http().send(timed(b, "/api/files/upload?path=/pipe&overwrite=true")
                        .header("X-CSRF-Token", b.csrf()).PUT(HttpRequest.BodyPublishers.ofString("x")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(ClientApiTest.problem(up, 403).get("detail").asText()).contains("not a regular file");
                assertThat(Files.isRegularFile(fifo, LinkOption.NOFOLLOW_LINKS)).isFalse();
                assertThat(Files.exists(fifo, LinkOption.NOFOLLOW_LINKS)).isTrue();

                HttpResponse<String> over = b.http().send(timed(b, "/api/files/upload?path=/out&overwrite=true")
                        .header("X-CSRF-Token", b.csrf()).PUT(HttpRequest.BodyPublishers.ofString("x")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(over.statusCode()).as(over.body()).isGreaterThanOrEqualTo(400);
                assertThat(Files.isSymbolicLink(home.resolve("out"))).isTrue();
                assertThat(Files.readString(outside)).isEqualTo("outside");

                // a zip of the whole root leaves the FIFO out and goes on
                HttpResponse<InputStream> zip = b.http().send(timed(b, "/api/files/zip?path=/").build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                assertThat(zip.statusCode()).isEqualTo(200);
                List<String> names = new ArrayList<>();
                try (ZipInputStream in = new ZipInputStream(zip.body())) {
                    for (ZipEntry z; (z = in.getNextEntry()) != null;) {
                        names.add(z.getName());
                        in.readAllBytes();
                    }
                }
                assertThat(names).contains("alice/plain.txt").noneMatch(n -> n.contains("pipe") || n.contains("out"));

                HttpResponse<String> plain = b.http().send(timed(b, "/api/files/download?path=/plain.txt").build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                assertThat(plain.statusCode()).isEqualTo(200);
                assertThat(plain.body()).isEqualTo("plain");
            } finally {
                // a server thread the fault left waiting in an open is let go, so the server can close
                try (FileChannel ch = FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                    ch.write(java.nio.ByteBuffer.wrap(new byte[1]));
                }
            }
        }
    }
}
