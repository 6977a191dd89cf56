package dev.termlet.fileops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import dev.termlet.annotations.Delivery;
import dev.termlet.annotations.OnUser;
import dev.termlet.auth.Account;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
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
    SshClient client;

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

    @BeforeEach
    void start() {
        server = Termlet.server().port(0).dataDir(data).extension(FileOps.sftp()).register(new Watch()).build();
        server.accounts().save(Account.builder("alice").password("pw".toCharArray()).build());
        server.start();
        client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
        client.start();
    }

    @AfterEach
    void stop() {
        client.stop();
        server.close();
    }

    private ClientSession login() throws Exception {
        ClientSession s = client.connect("alice", "127.0.0.1", server.port()).verify(Duration.ofSeconds(10)).getSession();
        s.addPasswordIdentity("pw");
        s.auth().verify(Duration.ofSeconds(20));
        return s;
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
        try (ClientSession s = login(); SftpClient sftp = SftpClientFactory.instance().createSftpClient(s)) {
            try (OutputStream out = sftp.write("keep.txt")) {
                out.write("old".getBytes(StandardCharsets.UTF_8));
            }
        }
        await("upload /keep.txt 3");
        ClientSession s = login();
        SftpClient sftp = SftpClientFactory.instance().createSftpClient(s);
        OutputStream out = sftp.write("keep.txt");
        out.write(new byte[256 * 1024]);
        out.flush();
        Thread.sleep(200);
        s.close(true);
        await("upload-failed /keep.txt 2");
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
        try (ClientSession s = login(); SftpClient sftp = SftpClientFactory.instance().createSftpClient(s)) {
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
        try (ClientSession s = login(); SftpClient sftp = SftpClientFactory.instance().createSftpClient(s)) {
            try (OutputStream out = sftp.write("reject.txt")) {
                out.write("no".getBytes(StandardCharsets.UTF_8));
            }
        }
        await("upload /reject.txt");
        assertThat(Files.exists(home().resolve("reject.txt"))).isFalse();
    }
}
