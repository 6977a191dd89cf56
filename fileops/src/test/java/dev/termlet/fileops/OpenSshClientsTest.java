package dev.termlet.fileops;

import dev.termlet.fileops.internal.core.Quotas;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import dev.termlet.annotations.OnUser;
import dev.termlet.auth.Account;
import dev.termlet.event.EventType;
import dev.termlet.test.TestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The clients people use, unmodified: OpenSSH sftp and scp (both modes) and rclone, without error output. */
class OpenSshClientsTest {
    @TempDir
    Path data;

    @TempDir
    Path client;

    Fixture fx;
    TermletServer server;

    /** Records every file event. */
    public class Rules {
        @OnUser({"pre-upload", "upload", "upload-failed", "pre-download", "download", "pre-settime", "settime",
            "pre-setattr", "setattr", "pre-copy", "copy", "pre-symlink", "symlink", "pre-rename", "rename",
            "space", "hash", "ssh-cmd", "mkdir"})
        void record(EventType type, FileEvent e) {
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

    private Path home() {
        return data.resolve("home/alice");
    }

    private Fixture.Result rclone(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("rclone", "--config", client.resolve("rclone.conf").toString()));
        cmd.addAll(List.of(args));
        return fx.run(Map.of("RCLONE_CONFIG_T_TYPE", "sftp", "RCLONE_CONFIG_T_HOST", "127.0.0.1",
                "RCLONE_CONFIG_T_PORT", Integer.toString(server.port()), "RCLONE_CONFIG_T_USER", "alice",
                "RCLONE_CONFIG_T_KEY_FILE", fx.key.toString()), cmd);
    }

    @Test
    void handlesOfUploadsStatSetAndTruncateTheirTemporaryFile() throws Exception {
        try (TestClient alice = Fixture.login(server, "alice", "pw")) {
            org.apache.sshd.sftp.client.SftpClient sftp = alice.sftp();
            Files.writeString(home().resolve("old.txt"), "old contents");
            for (String name : List.of("new.txt", "old.txt")) {
                try (org.apache.sshd.sftp.client.SftpClient.CloseableHandle h = sftp.open(name,
                        org.apache.sshd.sftp.client.SftpClient.OpenMode.Write,
                        org.apache.sshd.sftp.client.SftpClient.OpenMode.Create,
                        org.apache.sshd.sftp.client.SftpClient.OpenMode.Truncate)) {
                    sftp.write(h, 0, "12345678".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    assertThat(sftp.stat(h).getSize()).as(name).isEqualTo(8);
                    sftp.setStat(h, new org.apache.sshd.sftp.client.SftpClient.Attributes().size(3));
                    assertThat(sftp.stat(h).getSize()).as(name).isEqualTo(3);
                    sftp.setStat(h, new org.apache.sshd.sftp.client.SftpClient.Attributes().perms(0640)
                            .modifyTime(java.nio.file.attribute.FileTime.fromMillis(1_600_000_000_000L)));
                }
                assertThat(home().resolve(name)).as(name).hasContent("123");
                assertThat(Files.getLastModifiedTime(home().resolve(name)).toMillis()).isEqualTo(1_600_000_000_000L);
                assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(home().resolve(name)))).isEqualTo("rw-r-----");
            }
        }
    }

    @Test
    void namesUpTo255BytesUploadOverEveryClient() throws Exception {
        for (int len = 1; len <= 255; len++) {
            String name = "é".repeat(len / 2) + "a".repeat(len % 2);
            String tmp = Quotas.temporaryName(name, "part");
            assertThat(tmp.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).as(name).isLessThanOrEqualTo(255);
            assertThat(Quotas.TEMP.matcher(tmp).matches()).as(tmp).isTrue();
            assertThat(tmp).doesNotContain("\uFFFD");
        }
        fx.sftp(server, "alice", "ls\n");
        List<String> names = List.of("a".repeat(213), "b".repeat(240), "c".repeat(255), "é".repeat(127) + "d");
        for (String name : names) {
            Files.writeString(client.resolve(name), "data of " + name.length());
        }
        String batch = names.stream().map(n -> "put " + n + "\n").reduce("", String::concat);
        String out = fx.sftp(server, "alice", batch);
        assertThat(out).doesNotContainIgnoringCase("failure").doesNotContain("error");
        for (String name : names) {
            assertThat(home().resolve(name)).as(out).hasContent("data of " + name.length());
            Files.delete(home().resolve(name));
            Fixture.Result classic = fx.scp(server, name, "alice@127.0.0.1:");
            assertThat(classic.out()).isEmpty();
            assertThat(classic.status()).isZero();
            assertThat(home().resolve(name)).hasContent("data of " + name.length());
            Files.delete(home().resolve(name));
            Fixture.Result sftpMode = fx.scpSftp(server, name, "alice@127.0.0.1:");
            assertThat(sftpMode.out()).isEmpty();
            assertThat(sftpMode.status()).isZero();
            assertThat(home().resolve(name)).hasContent("data of " + name.length());
        }
        try (java.util.stream.Stream<Path> left = Files.list(home())) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrderElementsOf(names);
        }
    }
}
