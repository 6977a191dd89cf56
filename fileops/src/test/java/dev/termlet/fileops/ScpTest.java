package dev.termlet.fileops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.RefusedException;
import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import dev.termlet.annotations.OnUser;
import dev.termlet.auth.Account;
import dev.termlet.event.EventType;
import dev.termlet.test.TestClient;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OpenSSH scp program (classic protocol) against the server: events, atomicity, refusals, quotas. */
class ScpTest {
    @TempDir
    Path data;

    @TempDir
    Path client;

    Fixture fx;
    TermletServer server;

    /** Records every file event; refuses .exe uploads. */
    public class Rules {
        @OnUser({"pre-upload", "upload", "upload-failed", "pre-download", "download", "download-failed", "pre-mkdir",
            "mkdir", "quota-exceeded", "pre-list", "hash", "ssh-cmd"})
        void record(EventType type, FileEvent e) {
            fx.add(Fixture.line(type.name(), e));
        }

        @OnUser("pre-upload")
        void noExe(FileEvent e) {
            if (e.path().endsWith(".exe")) {
                throw new RefusedException("no executables");
            }
        }
    }

    @BeforeEach
    void start() throws Exception {
        fx = new Fixture(client);
        server = Termlet.server().port(0).dataDir(data).extension(FileOps.create()).register(new Rules()).start();
        server.accounts().save(Account.builder("alice").addAuthorizedKey(fx.publicKey()).password("pw".toCharArray())
                .build());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Path home() {
        return data.resolve("home/alice");
    }

    private List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void uploadAndDownloadFireTheirEventsInOrder() throws Exception {
        Files.writeString(client.resolve("a.txt"), "hello scp");
        Files.setLastModifiedTime(client.resolve("a.txt"), FileTime.fromMillis(1_600_000_000_000L));
        Fixture.Result up = fx.scp(server, "-p", "a.txt", "alice@127.0.0.1:a.txt");
        assertThat(up.status()).as(up.out()).isZero();
        assertThat(home().resolve("a.txt")).hasContent("hello scp");
        assertThat(Files.getLastModifiedTime(home().resolve("a.txt")).toMillis()).isEqualTo(1_600_000_000_000L);
        // the upload's post-event is delivered on the first connection's queue: wait for it before the download
        assertThat(fx.await("upload SCP alice /a.txt size=9 status=1")).isTrue();
        Fixture.Result down = fx.scp(server, "alice@127.0.0.1:a.txt", "back.txt");
        assertThat(down.status()).as(down.out()).isZero();
        assertThat(client.resolve("back.txt")).hasContent("hello scp");
        assertThat(fx.await("download SCP alice /a.txt size=9 status=1")).isTrue();
        assertThat(fx.events()).containsSubsequence("pre-upload SCP alice /a.txt size=-1 status=1",
                "upload SCP alice /a.txt size=9 status=1", "pre-download SCP alice /a.txt size=9 status=1",
                "download SCP alice /a.txt size=9 status=1");
        assertThat(names(home())).containsExactly("a.txt");
    }

    @Test
    void recursiveCopiesMakeDirectoriesBothWays() throws Exception {
        Files.createDirectories(client.resolve("tree/sub"));
        Files.writeString(client.resolve("tree/one.txt"), "1");
        Files.writeString(client.resolve("tree/sub/two.txt"), "22");
        Fixture.Result up = fx.scp(server, "-r", "tree", "alice@127.0.0.1:");
        assertThat(up.status()).as(up.out()).isZero();
        assertThat(home().resolve("tree/sub/two.txt")).hasContent("22");
        assertThat(fx.await("mkdir SCP alice /tree/sub")).isTrue();
        Fixture.Result down = fx.scp(server, "-r", "alice@127.0.0.1:tree", "copy");
        assertThat(down.status()).as(down.out()).isZero();
        assertThat(client.resolve("copy/sub/two.txt")).hasContent("22");
        assertThat(fx.await("download SCP alice /tree/sub/two.txt size=2")).isTrue();
    }

    /**
     * Many times the channel's 2 MiB window, both ways: the command's input buffer wraps around and the window
     * re-opens again and again; every byte arrives in order.
     */
    @Test
    void aLargeUploadArrivesWholeThroughTheWindow() throws Exception {
        byte[] bytes = new byte[24 * 1024 * 1024 + 12_345];
        new java.util.Random(21).nextBytes(bytes);
        Files.write(client.resolve("large.bin"), bytes);
        Fixture.Result up = fx.scp(server, "large.bin", "alice@127.0.0.1:large.bin");
        assertThat(up.status()).as(up.out()).isZero();
        assertThat(Files.readAllBytes(home().resolve("large.bin"))).isEqualTo(bytes);
        Fixture.Result down = fx.scp(server, "alice@127.0.0.1:large.bin", "back.bin");
        assertThat(down.status()).as(down.out()).isZero();
        assertThat(Files.readAllBytes(client.resolve("back.bin"))).isEqualTo(bytes);
        assertThat(fx.await("upload SCP alice /large.bin size=" + bytes.length + " status=1")).isTrue();
    }

    /**
     * A server that writes more slowly than the client sends (here a bandwidth limit): the client's data waits in
     * the command's buffer until the window is full, and the client waits for the window, without an error.
     */
    @Test
    void aSlowWriterHoldsTheClientAtTheWindow() throws Exception {
        server.accounts().save(server.accounts().find("alice").orElseThrow().toBuilder().bandwidth(4096, 0).build());
        byte[] bytes = new byte[8 * 1024 * 1024];
        new java.util.Random(22).nextBytes(bytes);
        Files.write(client.resolve("paced.bin"), bytes);
        Fixture.Result up = fx.scp(server, "paced.bin", "alice@127.0.0.1:paced.bin");
        assertThat(up.status()).as(up.out()).isZero();
        assertThat(Files.readAllBytes(home().resolve("paced.bin"))).isEqualTo(bytes);
    }

    @Test
    void refusalsPermissionsAndTraversal() throws Exception {
        Files.writeString(client.resolve("tool.exe"), "MZ");
        Fixture.Result exe = fx.scp(server, "tool.exe", "alice@127.0.0.1:tool.exe");
        assertThat(exe.status()).isNotZero();
        assertThat(exe.out()).contains("no executables");
        Fixture.Result escape = fx.scp(server, "tool.exe", "alice@127.0.0.1:../../../escape.txt");
        assertThat(Files.exists(data.resolve("escape.txt"))).isFalse();
        assertThat(Files.exists(data.getParent().resolve("escape.txt"))).isFalse();
        assertThat(escape.status()).as(escape.out()).isZero();
        assertThat(home().resolve("escape.txt")).as("'..' above the root stays at the root").hasContent("MZ");
        server.accounts().save(server.accounts().find("alice").orElseThrow().toBuilder().readOnly().build());
        Files.writeString(client.resolve("b.txt"), "b");
        Fixture.Result ro = fx.scp(server, "b.txt", "alice@127.0.0.1:b.txt");
        assertThat(ro.status()).isNotZero();
        assertThat(ro.out()).contains("permission denied: upload");
        assertThat(Files.exists(home().resolve("b.txt"))).isFalse();
        assertThat(names(home()).stream().filter(n -> n.endsWith(".part"))).isEmpty();
    }

    @Test
    void quotaStopsTheUploadAndLeavesNothing() throws Exception {
        server.accounts().save(server.accounts().find("alice").orElseThrow().toBuilder().quota(50_000, 0).build());
        Files.write(client.resolve("big.bin"), new byte[80_000]);
        Fixture.Result r = fx.scp(server, "big.bin", "alice@127.0.0.1:big.bin");
        assertThat(r.status()).isNotZero();
        assertThat(r.out()).contains("quota exceeded");
        assertThat(fx.await("quota-exceeded SCP alice /big.bin")).isTrue();
        assertThat(fx.await(e -> e.startsWith("upload-failed SCP alice /big.bin") && e.endsWith("status=3"))).isTrue();
        assertThat(names(home())).isEmpty();
    }

    /**
     * Opens an {@code scp -t} channel and sends one file's header, each step acknowledged by the server.
     *
     * @return the channel's input, for the file's bytes
     */
    private static OutputStream startUpload(ChannelExec exec, String header) throws Exception {
        exec.open().verify(Duration.ofSeconds(10));
        OutputStream out = exec.getInvertedIn();
        InputStream in = exec.getInvertedOut();
        assertThat(in.read()).isZero();
        out.write((header + "\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        assertThat(in.read()).isZero();
        return out;
    }

    /** Speaks the SCP protocol over MINA's client and stops after half the announced bytes. */
    @Test
    void aTransferThatStopsShortKeepsTheOldFile() throws Exception {
        Files.createDirectories(home());
        Files.writeString(home().resolve("keep.txt"), "old content");
        try (TestClient alice = Fixture.login(server, "alice", "pw");
                // a conversation, not a command with its input: the channel itself
                ChannelExec exec = alice.session().createExecChannel("scp -t keep.txt")) {
            OutputStream out = startUpload(exec, "C0644 1000 keep.txt");
            out.write(new byte[500]);
            out.flush();
            out.close();
            exec.waitFor(List.of(ClientChannelEvent.CLOSED), Duration.ofSeconds(20));
        }
        assertThat(fx.await("upload-failed SCP alice /keep.txt")).isTrue();
        assertThat(home().resolve("keep.txt")).hasContent("old content");
        assertThat(names(home())).containsExactly("keep.txt");
        assertThat(fx.events()).noneMatch(e -> e.startsWith("upload SCP"));
    }

    /**
     * A client that goes on sending after its end of input (which SSH forbids) while a slow upload is still reading:
     * the server ends the connection instead of discarding the data and re-opening the window, which would let the
     * client make it decrypt without limit; the old file stays.
     */
    @Test
    void dataAfterTheEndOfInputEndsTheConnection() throws Exception {
        Files.createDirectories(home());
        Files.writeString(home().resolve("keep.bin"), "old content");
        server.accounts().save(server.accounts().find("alice").orElseThrow().toBuilder().bandwidth(1, 0).build());
        try (TestClient alice = Fixture.login(server, "alice", "pw");
                ChannelExec exec = alice.session().createExecChannel("scp -t keep.bin")) {
            OutputStream out = startUpload(exec, "C0644 1048576 keep.bin");
            out.write(new byte[64 * 1024]);
            out.flush();
            out.close(); // EOF
            org.apache.sshd.client.session.ClientSession session = alice.session();
            byte[] chunk = new byte[32 * 1024];
            long sent = 0;
            // past twice the 2 MiB window: only a server that re-opens the window for discarded data takes it all
            while (sent < 6L * 1024 * 1024 && session.isOpen()) {
                org.apache.sshd.common.util.buffer.Buffer packet = session.createBuffer(
                        org.apache.sshd.common.SshConstants.SSH_MSG_CHANNEL_DATA, chunk.length + 16);
                packet.putUInt(exec.getRecipient());
                packet.putBytes(chunk);
                try {
                    session.writePacket(packet).verify(Duration.ofSeconds(10));
                } catch (java.io.IOException e) {
                    break;
                }
                sent += chunk.length;
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (session.isOpen() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(session.isOpen()).as("connection after %d bytes past the end of input", sent).isFalse();
        }
        assertThat(fx.await("upload-failed SCP alice /keep.bin")).isTrue();
        assertThat(home().resolve("keep.bin")).hasContent("old content");
    }

    @Test
    void hashCommandsAnswerLikeCoreutilsInsideTheRoot() throws Exception {
        Files.createDirectories(home().resolve("docs"));
        Files.writeString(home().resolve("docs/a.txt"), "hash me");
        String expected = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest("hash me".getBytes(StandardCharsets.UTF_8)));
        try (TestClient alice = Fixture.login(server, "alice", "pw")) {
            assertThat(Fixture.succeeded(alice.exec("sha256sum docs/a.txt"))).isEqualTo(expected + "  docs/a.txt\n");
            assertThat(Fixture.succeeded(alice.exec("md5sum '/docs/a.txt'"))).startsWith(java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("MD5")
                            .digest("hash me".getBytes(StandardCharsets.UTF_8))));
            assertThat(alice.exec("sha256sum ../../../../etc/passwd").err()).contains("sum: ");
            assertThat(alice.exec("sha256sum docs").err()).contains("sum: ");
        }
        assertThat(fx.await("hash SSH alice /docs/a.txt size=7 status=1")).isTrue();
        assertThat(fx.await(e -> e.startsWith("ssh-cmd ") && e.contains("/docs/a.txt"))).isTrue();
    }

}
