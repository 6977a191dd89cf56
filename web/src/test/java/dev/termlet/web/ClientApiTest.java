package dev.termlet.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.termlet.RefusedException;
import dev.termlet.annotations.Delivery;
import dev.termlet.annotations.OnUser;
import dev.termlet.event.EventType;
import dev.termlet.fileops.FileEvent;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The browser client's JSON file API, driven by the JDK's HttpClient as the page's script drives it. */
class ClientApiTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;

    /** Records the file events of the web side; refuses downloads of *.secret files. */
    public static class Events {
        final List<String> lines = new CopyOnWriteArrayList<>();

        @OnUser(value = {"list", "download", "upload", "mkdir", "rename", "delete", "rmdir"}, delivery = Delivery.SYNC)
        void record(EventType type, FileEvent e) {
            lines.add(type.name() + " " + e.protocol() + " " + e.path());
        }

        @OnUser("pre-download")
        void noSecrets(FileEvent e) {
            if (e.path().endsWith(".secret")) {
                throw new RefusedException("secret");
            }
        }
    }

    /** A logged-in browser: its cookie and CSRF token. */
    record Browser(HttpClient http, WebFixture f, String cookie, String csrf) {
        static Browser login(WebFixture f, String user, String password) throws Exception {
            HttpClient c = f.client();
            HttpResponse<String> r = c.send(SessionTest.login(f, user, password), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            String set = r.headers().firstValue("set-cookie").orElseThrow();
            return new Browser(c, f, set.substring(0, set.indexOf(';')), JSON.readTree(r.body()).get("csrf").asText());
        }

        HttpRequest.Builder request(String pathAndQuery) {
            return HttpRequest.newBuilder(f.uri(pathAndQuery)).header("Cookie", cookie);
        }

        HttpResponse<String> get(String pathAndQuery) throws Exception {
            return http.send(request(pathAndQuery).build(), HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> post(String op, String json) throws Exception {
            return http.send(request("/api/files/" + op).header("X-CSRF-Token", csrf)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json))
                    .build(), HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> upload(String path, String query, HttpRequest.BodyPublisher body) throws Exception {
            return http.send(request("/api/files/upload?path=" + enc(path) + query).header("X-CSRF-Token", csrf)
                    .PUT(body).build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static JsonNode problem(HttpResponse<String> r, int status) throws IOException {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("content-type")).contains("application/problem+json");
        JsonNode p = JSON.readTree(r.body());
        assertThat(p.get("status").asInt()).isEqualTo(status);
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("/home/");
        return p;
    }

    @Test
    void listsUploadsDownloadsMakesMovesAndDeletes() throws Exception {
        Events events = new Events();
        try (WebFixture f = WebFixture.start(data, w -> w, events)) {
            Browser b = Browser.login(f, "alice", "pw");
            assertThat(b.post("mkdir", "{\"path\":\"/docs\"}").statusCode()).isEqualTo(201);
            assertThat(Files.isDirectory(f.home("alice").resolve("docs"))).isTrue();

            HttpResponse<String> up = b.upload("/docs/ä b.txt", "", HttpRequest.BodyPublishers.ofString("hello world"));
            assertThat(up.statusCode()).as(up.body()).isEqualTo(201);
            assertThat(JSON.readTree(up.body()).get("size").asLong()).isEqualTo(11);
            assertThat(Files.readString(f.home("alice").resolve("docs/ä b.txt"))).isEqualTo("hello world");
            JsonNode taken = problem(b.upload("/docs/ä b.txt", "", HttpRequest.BodyPublishers.ofString("x")), 412);
            assertThat(taken.get("detail").asText()).contains("there already");
            assertThat(b.upload("/docs/ä b.txt", "&overwrite=true", HttpRequest.BodyPublishers.ofString("hello there!"))
                    .statusCode()).isEqualTo(200);

            HttpResponse<String> list = b.get("/api/files/list?path=" + enc("/docs"));
            assertThat(list.statusCode()).isEqualTo(200);
            assertThat(list.headers().firstValue("content-type")).contains("application/json");
            JsonNode l = JSON.readTree(list.body());
            assertThat(l.get("path").asText()).isEqualTo("/docs");
            JsonNode e = l.get("entries").get(0);
            assertThat(e.get("name").asText()).isEqualTo("ä b.txt");
            assertThat(e.get("path").asText()).isEqualTo("/docs/ä b.txt");
            assertThat(e.get("directory").asBoolean()).isFalse();
            assertThat(e.get("size").asLong()).isEqualTo(12);
            assertThat(java.time.Instant.parse(e.get("modified").asText())).isNotNull();
            JsonNode root = JSON.readTree(b.get("/api/files/list?path=/").body());
            assertThat(root.get("entries").get(0).get("directory").asBoolean()).isTrue();

            HttpResponse<String> down = b.get("/api/files/download?path=" + enc("/docs/ä b.txt"));
            assertThat(down.statusCode()).isEqualTo(200);
            assertThat(down.body()).isEqualTo("hello there!");
            assertThat(down.headers().firstValue("content-disposition")).contains(
                    "attachment; filename=\"_ b.txt\"; filename*=UTF-8''%C3%A4%20b.txt");
            assertThat(down.headers().firstValue("content-type")).contains("application/octet-stream");
            HttpResponse<String> part = b.http().send(b.request("/api/files/download?path=" + enc("/docs/ä b.txt"))
                    .header("Range", "bytes=6-10").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(part.statusCode()).isEqualTo(206);
            assertThat(part.body()).isEqualTo("there");
            assertThat(part.headers().firstValue("content-range")).contains("bytes 6-10/12");
            HttpResponse<String> tail = b.http().send(b.request("/api/files/download?path=" + enc("/docs/ä b.txt"))
                    .header("Range", "bytes=-1").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(tail.body()).isEqualTo("!");
            HttpResponse<String> past = b.http().send(b.request("/api/files/download?path=" + enc("/docs/ä b.txt"))
                    .header("Range", "bytes=99-").build(), HttpResponse.BodyHandlers.ofString());
            problem(past, 416);
            assertThat(past.headers().firstValue("content-range")).contains("bytes */12");

            HttpResponse<String> moved = b.post("move", "{\"from\":\"/docs/ä b.txt\",\"to\":\"/docs/c.txt\"}");
            assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
            assertThat(JSON.readTree(moved.body()).get("path").asText()).isEqualTo("/docs/c.txt");
            assertThat(f.home("alice").resolve("docs/c.txt")).hasContent("hello there!");
            assertThat(f.home("alice").resolve("docs/ä b.txt")).doesNotExist();
            b.upload("/docs/d.txt", "", HttpRequest.BodyPublishers.ofString("d"));
            problem(b.post("move", "{\"from\":\"/docs/d.txt\",\"to\":\"/docs/c.txt\"}"), 412);
            assertThat(b.post("move", "{\"from\":\"/docs/d.txt\",\"to\":\"/docs/c.txt\",\"overwrite\":true}")
                    .statusCode()).isEqualTo(200);
            assertThat(f.home("alice").resolve("docs/c.txt")).hasContent("d");

            assertThat(b.post("delete", "{\"path\":\"/docs/c.txt\"}").statusCode()).isEqualTo(204);
            assertThat(f.home("alice").resolve("docs/c.txt")).doesNotExist();
            assertThat(b.post("delete", "{\"path\":\"/docs\"}").statusCode()).isEqualTo(204);
            assertThat(f.home("alice").resolve("docs")).doesNotExist();

            assertThat(events.lines).contains("mkdir HTTP /docs", "upload HTTP /docs/ä b.txt",
                    "list HTTP /docs", "download HTTP /docs/ä b.txt", "rename HTTP /docs/ä b.txt",
                    "delete HTTP /docs/c.txt", "rmdir HTTP /docs");
        }
    }

    @Test
    void refusalsAreProblemDocuments() throws Exception {
        try (WebFixture f = WebFixture.start(data, w -> w)) {
            Browser b = Browser.login(f, "alice", "pw");
            Files.createDirectories(f.home("alice").resolve("dir"));
            Files.writeString(f.home("alice").resolve("file"), "x");
            assertThat(problem(b.get("/api/files/list?path=/nope"), 404).get("title").asText()).isEqualTo("Not found");
            problem(b.get("/api/files/list?path=/file"), 409);
            problem(b.get("/api/files/list"), 400);
            problem(b.get("/api/files/download?path=/dir"), 409);
            problem(b.get("/api/files/download?path=/nope"), 404);
            problem(b.get("/api/files/zip?path=/file"), 409);
            problem(b.get("/api/files/nothing"), 404);
            HttpResponse<String> wrongMethod = b.get("/api/files/mkdir");
            problem(wrongMethod, 405);
            assertThat(wrongMethod.headers().firstValue("allow")).contains("POST");
            problem(b.post("mkdir", "{\"path\":\"/dir\"}"), 412);
            problem(b.post("mkdir", "{\"path\":\"/no/such/parent\"}"), 409);
            problem(b.post("mkdir", "not json"), 400);
            problem(b.post("mkdir", "{}"), 400);
            problem(b.post("mkdir", "{\"path\":42}"), 400);
            problem(b.post("delete", "{\"path\":\"/\"}"), 403);
            problem(b.post("move", "{\"from\":\"/dir\",\"to\":\"/dir/inside\"}"), 403);
            // replacing a directory that holds the source would delete the source: refused, nothing lost
            Files.writeString(f.home("alice").resolve("dir/keep.txt"), "kept");
            problem(b.post("move", "{\"from\":\"/dir/keep.txt\",\"to\":\"/dir\",\"overwrite\":true}"), 403);
            assertThat(f.home("alice").resolve("dir/keep.txt")).hasContent("kept");
            problem(b.post("delete", "{\"path\":\"/nope\"}"), 404);
            HttpResponse<String> form = b.http().send(b.request("/api/files/mkdir").header("X-CSRF-Token", b.csrf())
                    .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(
                            "{\"path\":\"/x\"}")).build(), HttpResponse.BodyHandlers.ofString());
            problem(form, 415);
            problem(b.upload("/no/parent/f", "", HttpRequest.BodyPublishers.ofString("x")), 409);
            problem(b.upload("/dir", "&overwrite=true", HttpRequest.BodyPublishers.ofString("x")), 412);
            problem(b.upload("/.f.01234567-89ab-cdef-0123-456789abcdef.part", "", HttpRequest.BodyPublishers.ofString("x")),
                    403);
            problem(b.get("/api/files/list?path=" + enc("/bad\u0001name")), 403);
            assertThat(f.home("alice").resolve("x")).doesNotExist();
        }
    }

    @Test
    void zipsAFolderWhileSendingItThroughEveryFilesChecksAndEvents() throws Exception {
        Events events = new Events();
        Path outside = Files.createDirectories(data.resolve("outside"));
        Files.writeString(outside.resolve("private.txt"), "not alice's");
        try (WebFixture f = WebFixture.start(data, w -> w, events)) {
            Browser b = Browser.login(f, "alice", "pw");
            Path home = f.home("alice");
            Path dir = Files.createDirectories(home.resolve("photos/2024"));
            Files.createDirectories(home.resolve("photos/empty"));
            Files.writeString(home.resolve("photos/a.txt"), "A");
            Files.writeString(dir.resolve("b.txt"), "BB");
            Files.writeString(dir.resolve("keys.secret"), "refused by a pre-download handler");
            Files.write(home.resolve("photos/zero"), new byte[0]);
            Files.createSymbolicLink(home.resolve("photos/out"), outside);
            Files.createSymbolicLink(home.resolve("photos/out.txt"), outside.resolve("private.txt"));
            Files.createSymbolicLink(dir.resolve("loop"), home.resolve("photos"));

            HttpResponse<InputStream> r = b.http().send(b.request("/api/files/zip?path=/photos").build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("content-type")).contains("application/zip");
            assertThat(r.headers().firstValue("content-disposition").orElseThrow()).contains("filename=\"photos.zip\"");
            Map<String, String> zip = new TreeMap<>();
            try (ZipInputStream in = new ZipInputStream(r.body())) {
                for (ZipEntry z; (z = in.getNextEntry()) != null; ) {
                    zip.put(z.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
            assertThat(zip).containsOnlyKeys("photos/", "photos/2024/", "photos/empty/", "photos/a.txt",
                    "photos/2024/b.txt", "photos/zero");
            assertThat(zip).containsEntry("photos/a.txt", "A").containsEntry("photos/2024/b.txt", "BB")
                    .containsEntry("photos/zero", "");
            assertThat(events.lines).contains("download HTTP /photos/a.txt", "download HTTP /photos/2024/b.txt",
                    "list HTTP /photos/2024").noneMatch(l -> l.contains("secret") || l.contains("out"));

            HttpResponse<InputStream> all = b.http().send(b.request("/api/files/zip?path=/").build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(all.headers().firstValue("content-disposition").orElseThrow()).contains("filename=\"alice.zip\"");
            try (ZipInputStream in = new ZipInputStream(all.body())) {
                assertThat(in.getNextEntry().getName()).isEqualTo("alice/");
            }
        }
    }

    @Test
    void aLargeUploadIsStreamedToDiskWhileItArrives() throws Exception {
        long size = 50L * 1024 * 1024;
        try (WebFixture f = WebFixture.start(data, w -> w)) {
            Browser b = Browser.login(f, "alice", "pw");
            Path home = f.home("alice");
            MessageDigest sent = MessageDigest.getInstance("SHA-256");
            // the body comes from a generator; past 40 MB it waits until the server's temporary file holds 30 MB of
            // it, which only happens if the server writes the data out as it arrives instead of keeping it in memory
            InputStream generator = new InputStream() {
                long at;
                boolean seen;

                @Override
                public int read() {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] buf, int off, int len) {
                    if (at >= size) {
                        return -1;
                    }
                    if (at >= 40L * 1024 * 1024 && !seen) {
                        awaitPartFile(home, 30L * 1024 * 1024);
                        seen = true;
                    }
                    int n = (int) Math.min(len, size - at);
                    for (int i = 0; i < n; i++) {
                        buf[off + i] = (byte) ((at + i) * 31 >>> 3);
                    }
                    sent.update(buf, off, n);
                    at += n;
                    return n;
                }
            };
            HttpResponse<String> up = b.upload("/big.bin", "",
                    HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> generator),
                            size));
            assertThat(up.statusCode()).as(up.body()).isEqualTo(201);
            assertThat(Files.size(home.resolve("big.bin"))).isEqualTo(size);
            try (Stream<Path> s = Files.list(home)) {
                assertThat(s.map(p -> p.getFileName().toString())).containsExactly("big.bin");
            }
            MessageDigest got = MessageDigest.getInstance("SHA-256");
            HttpResponse<InputStream> down = b.http().send(b.request("/api/files/download?path=/big.bin").build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = new DigestInputStream(down.body(), got)) {
                assertThat(in.transferTo(java.io.OutputStream.nullOutputStream())).isEqualTo(size);
            }
            assertThat(HexFormat.of().formatHex(got.digest())).isEqualTo(HexFormat.of().formatHex(sent.digest()));
        }
    }

    /** Waits until an upload's temporary file in the directory holds at least the bytes (a stuck server fails). */
    static void awaitPartFile(Path dir, long bytes) {
        long end = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < end) {
            try (Stream<Path> s = Files.list(dir)) {
                if (s.anyMatch(p -> p.getFileName().toString().endsWith(".part") && sizeOf(p) >= bytes)) {
                    return;
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("the upload's data never reached the disk while it was being sent");
    }

    static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return -1;
        }
    }
}
