package dev.termlet.fileops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import dev.termlet.annotations.OnUser;
import dev.termlet.auth.Account;
import dev.termlet.event.EventType;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
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

    /** Runs a command with MINA's client, sends the input then EOF; returns stdout, stderr and the exit status. */
    private String[] exec(String command, byte[] input) throws Exception {
        try (SshClient c = SshClient.setUpDefaultClient()) {
            c.setServerKeyVerifier(org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier.INSTANCE);
            c.start();
            try (ClientSession s = Fixture.login(c, server, "alice", "pw");
                    ChannelExec ch = s.createExecChannel(command)) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ByteArrayOutputStream err = new ByteArrayOutputStream();
                ch.setOut(out);
                ch.setErr(err);
                ch.open().verify(Duration.ofSeconds(10));
                OutputStream in = ch.getInvertedIn();
                for (int off = 0; off < input.length; off += 32 * 1024) {
                    in.write(input, off, Math.min(32 * 1024, input.length - off));
                }
                in.flush();
                in.close(); // EOF
                var done = ch.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), Duration.ofSeconds(30));
                assertThat(done).as("channel closed within 30 s").contains(ClientChannelEvent.CLOSED);
                Integer status = ch.getExitStatus();
                return new String[] {out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
                    String.valueOf(status)};
            }
        }
    }

    @Test
    void bareHashCommandsHashTheDataSentThenEof() throws Exception {
        byte[] data = new byte[700_000];
        new java.util.Random(3).nextBytes(data);
        String[] r = exec("md5sum", data);
        assertThat(r[0]).isEqualTo(hex("MD5", data) + "  -\n");
        assertThat(r[1]).isEmpty();
        assertThat(r[2]).isEqualTo("0");
        for (var e : Map.of("sha1sum", "SHA-1", "sha256sum", "SHA-256", "sha512sum", "SHA-512 ").entrySet()) {
            String[] q = exec(e.getKey() + " -", "abc".getBytes(StandardCharsets.UTF_8));
            assertThat(q[0]).isEqualTo(hex(e.getValue().trim(), "abc".getBytes(StandardCharsets.UTF_8)) + "  -\n");
            assertThat(q[2]).isEqualTo("0");
        }
        // nothing at all (rclone's probe): the hash of the empty input
        String[] empty = exec("md5sum", new byte[0]);
        assertThat(empty[0]).isEqualTo("d41d8cd98f00b204e9800998ecf8427e  -\n");
        assertThat(empty[2]).isEqualTo("0");
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
