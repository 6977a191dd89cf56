package dev.termlet.fileops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import dev.termlet.annotations.Delivery;
import dev.termlet.annotations.OnUser;
import dev.termlet.auth.Account;
import dev.termlet.test.TestClient;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.sshd.sftp.client.SftpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Uploads appear whole or not at all. */
class AtomicUploadTest {
    @TempDir
    Path data;

    final List<String> events = new ArrayList<>();
    TermletServer server;

    /** Records upload outcomes; refuses files named reject.txt after they arrive. */
    public class Watch {
        @OnUser(value = "upload", delivery = Delivery.SYNC)
        boolean upload(FileEvent e) {
            record("upload " + e.path() + " " + e.size());
            return !e.path().endsWith("reject.txt");
        }

        @OnUser("upload-failed")
        void failed(FileEvent e) {
            record("upload-failed " + e.path() + " " + e.status());
        }
    }

    private void record(String s) {
        synchronized (events) {
            events.add(s);
            events.notifyAll();
        }
    }

    private void await(String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        synchronized (events) {
            while (events.stream().noneMatch(e -> e.startsWith(prefix))) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    throw new AssertionError("no event " + prefix + " in " + events);
                }
                events.wait(left);
            }
        }
    }

    /** @return the file operations under test: uploads forced to disk, the default */
    FileOps fileOps() {
        return FileOps.sftp();
    }

    @BeforeEach
    void start() {
        server = Termlet.server().port(0).dataDir(data).extension(fileOps()).register(new Watch()).build();
        server.accounts().save(Account.builder("alice").password("pw".toCharArray()).build());
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private TestClient login() {
        return Fixture.login(server, "alice", "pw");
    }

    private Path home() {
        return data.resolve("home/alice");
    }

    private List<String> leftovers() throws Exception {
        try (Stream<Path> files = Files.list(home())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".part")).toList();
        }
    }

    @Test
    void aClientKilledMidUploadLeavesTheOldFileAndNothingElse() throws Exception {
        try (TestClient alice = login()) {
            SftpClient sftp = alice.sftp();
            try (OutputStream out = sftp.write("keep.txt")) {
                out.write("old".getBytes(StandardCharsets.UTF_8));
            }
        }
        await("upload /keep.txt 3");
        try (TestClient killed = login()) {
            OutputStream out = killed.sftp().write("keep.txt");
            out.write(new byte[256 * 1024]);
            out.flush();
            Thread.sleep(200);
            // the connection drops, the upload still open
            killed.session().close(true);
            await("upload-failed /keep.txt 2");
        }
        assertThat(Files.readString(home().resolve("keep.txt"))).isEqualTo("old");
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!leftovers().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void aCompleteUploadReplacesTheFileWhole() throws Exception {
        Files.createDirectories(home());
        Files.writeString(home().resolve("data.bin"), "old content");
        byte[] content = new byte[1 << 20];
        new java.util.Random(1).nextBytes(content);
        try (TestClient alice = login()) {
            SftpClient sftp = alice.sftp();
            try (OutputStream out = sftp.write("data.bin")) {
                out.write(content);
            }
        }
        await("upload /data.bin " + content.length);
        assertThat(Files.readAllBytes(home().resolve("data.bin"))).isEqualTo(content);
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void aSynchronousUploadHandlerThatRefusesRemovesTheFile() throws Exception {
        try (TestClient alice = login()) {
            SftpClient sftp = alice.sftp();
            try (OutputStream out = sftp.write("reject.txt")) {
                out.write("no".getBytes(StandardCharsets.UTF_8));
            }
        }
        await("upload /reject.txt");
        assertThat(Files.exists(home().resolve("reject.txt"))).isFalse();
    }
}
