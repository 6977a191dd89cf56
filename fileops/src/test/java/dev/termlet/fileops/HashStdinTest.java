package dev.termlet.fileops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import dev.termlet.annotations.OnUser;
import dev.termlet.auth.Account;
import dev.termlet.event.EventType;
import dev.termlet.test.ExecResult;
import dev.termlet.test.TestClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bare {@code md5sum}/{@code sha*sum} over exec hash standard input until EOF, as SFTPGo's do (rclone's probe). */
class HashStdinTest {
    @TempDir
    Path data;

    @TempDir
    Path client;

    Fixture fx;
    TermletServer server;

    /** Records the hash and ssh-cmd events. */
    public class Rules {
        @OnUser("ssh-cmd")
        void record(EventType type, FileEvent e, String command) {
            fx.add(Fixture.line(type.name(), e) + " cmd=" + command);
        }

        @OnUser("hash")
        void hash(EventType type, FileEvent e) {
            fx.add(Fixture.line(type.name(), e));
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

    private static String hex(String algorithm, byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data));
    }

    /**
     * Runs a command with termlet-test's client on a connection of its own, sends the input then EOF, and waits up
     * to 30 s for its end.
     */
    private ExecResult exec(String command, byte[] input) {
        try (TestClient alice = Fixture.login(server, "alice", "pw").defaultTimeout(Duration.ofSeconds(30))) {
            return alice.exec(command, input);
        }
    }

    @Test
    void bareHashCommandsHashTheDataSentThenEof() throws Exception {
        byte[] data = new byte[700_000];
        new java.util.Random(3).nextBytes(data);
        ExecResult r = exec("md5sum", data);
        assertThat(r.out()).isEqualTo(hex("MD5", data) + "  -\n");
        assertThat(r.err()).isEmpty();
        assertThat(r.status()).isZero();
        for (var e : Map.of("sha1sum", "SHA-1", "sha256sum", "SHA-256", "sha512sum", "SHA-512 ").entrySet()) {
            ExecResult q = exec(e.getKey() + " -", "abc".getBytes(StandardCharsets.UTF_8));
            assertThat(q.out()).isEqualTo(hex(e.getValue().trim(), "abc".getBytes(StandardCharsets.UTF_8)) + "  -\n");
            assertThat(q.status()).isZero();
        }
        // nothing at all (rclone's probe): the hash of the empty input
        ExecResult empty = exec("md5sum", new byte[0]);
        assertThat(empty.out()).isEqualTo("d41d8cd98f00b204e9800998ecf8427e  -\n");
        assertThat(empty.status()).isZero();
        assertThat(fx.await(l -> l.startsWith("ssh-cmd SSH alice / size=700000 status=1 cmd=md5sum")))
                .as(fx.events().toString()).isTrue();
        assertThat(fx.events()).noneMatch(l -> l.startsWith("hash "));
    }

    @Test
    void opensshSendsAFileOnStandardInput() throws Exception {
        byte[] data = "hello over ssh\n".repeat(10_000).getBytes(StandardCharsets.UTF_8);
        Path file = client.resolve("in.txt");
        Files.write(file, data);
        List<String> cmd = new ArrayList<>(List.of("ssh"));
        cmd.addAll(Fixture.sshOptions(server));
        cmd.addAll(List.of("-i", fx.key.toString(), "-p", Integer.toString(server.port()), "alice@127.0.0.1",
                "sha256sum"));
        Fixture.Result r = fx.run(Map.of(), cmd, file.toFile());
        assertThat(r.out()).isEqualTo(hex("SHA-256", data) + "  -\n");
        assertThat(r.status()).isZero();
    }

    @Test
    void pathsStillHashFilesAndOptionsOrSeveralPathsAreRefused() throws Exception {
        Fixture.Result first = fx.ssh(server, "alice", "md5sum");
        assertThat(first.out()).isEqualTo("d41d8cd98f00b204e9800998ecf8427e  -\n");
        Files.writeString(data.resolve("home/alice/f.txt"), "file data");
        Fixture.Result file = fx.ssh(server, "alice", "md5sum f.txt");
        assertThat(file.out()).isEqualTo(hex("MD5", "file data".getBytes(StandardCharsets.UTF_8)) + "  f.txt\n");
        assertThat(file.status()).isZero();
        assertThat(fx.await(l -> l.startsWith("hash SSH alice /f.txt"))).isTrue();
        Files.writeString(data.resolve("home/alice/-dash.txt"), "dash");
        Fixture.Result dash = fx.ssh(server, "alice", "sha1sum -- -dash.txt");
        assertThat(dash.out()).isEqualTo(hex("SHA-1", "dash".getBytes(StandardCharsets.UTF_8)) + "  -dash.txt\n");
        for (String bad : List.of("sha1sum -dash.txt", "md5sum f.txt f.txt", "sha1sum --check f.txt", "md5sum ../../etc/passwd")) {
            Fixture.Result r = fx.ssh(server, "alice", bad);
            assertThat(r.status()).as(bad).isEqualTo(1);
            assertThat(r.out()).as(bad).doesNotContain("  f.txt").doesNotContain("root:");
        }
    }
}
