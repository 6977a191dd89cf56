package dev.termlet.fileops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.termlet.Client;
import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import dev.termlet.annotations.OnUser;
import dev.termlet.auth.Account;
import dev.termlet.event.EventType;
import dev.termlet.test.TestClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.extensions.MD5FileExtension;
import org.apache.sshd.sftp.client.extensions.SpaceAvailableExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** connectsftp, and the SFTP requests that ask about files: stat (exists), md5-hash (hash), space-available. */
class SftpQueriesTest {
    @TempDir
    Path data;

    final Fixture fx = new Fixture((Void) null);
    TermletServer server;

    /** Records the query events and the SFTP session start. */
    public class Rules {
        @OnUser({"exists", "hash", "space", "pre-copy", "copy", "quota-exceeded"})
        void record(EventType type, FileEvent e) {
            fx.add(type.name() + " " + e.protocol() + " " + e.path() + (e.target() != null ? " -> " + e.target() : "")
                    + " status=" + e.status());
        }

        @OnUser("connectsftp")
        void started(Client c) {
            c.attribute("seen", true);
            fx.add("connectsftp " + c.user() + " pty=" + c.hasPty() + " " + c.attribute("seen"));
        }
    }

    @BeforeEach
    void start() throws Exception {
        server = Termlet.server().port(0).dataDir(data).extension(FileOps.sftp()).register(new Rules()).build();
        server.accounts().save(Account.builder("alice").password("pw".toCharArray()).build());
        server.start();
        Files.createDirectories(data.resolve("home/alice"));
        Files.writeString(data.resolve("home/alice/a.txt"), "hash me");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void statAndListingsNameTheOwnerAndGroupAsTheSystemDoes() throws Exception {
        Path file = data.resolve("home/alice/a.txt");
        java.util.Map<String, Object> disk = Files.readAttributes(file, "unix:*");
        String owner = ((java.nio.file.attribute.UserPrincipal) disk.get("owner")).getName();
        String group = ((java.nio.file.attribute.GroupPrincipal) disk.get("group")).getName();
        try (TestClient alice = Fixture.login(server, "alice", "pw")) {
            SftpClient sftp = alice.sftp();
            // the first stat fills the table of names, the next ones read it: all answer alike
            for (int i = 0; i < 3; i++) {
                SftpClient.Attributes a = sftp.stat("/a.txt");
                assertThat(a.getOwner()).isEqualTo(owner);
                assertThat(a.getGroup()).isEqualTo(group);
                assertThat(a.getSize()).isEqualTo(7);
                assertThat(a.getPermissions() & 0777).isEqualTo((Integer) disk.get("mode") & 0777);
                // SFTP carries whole seconds
                assertThat(a.getModifyTime().to(java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(
                        ((java.nio.file.attribute.FileTime) disk.get("lastModifiedTime")).to(
                                java.util.concurrent.TimeUnit.SECONDS));
            }
            for (SftpClient.DirEntry e : sftp.readDir("/")) {
                if (e.getFilename().equals("a.txt")) {
                    assertThat(e.getAttributes().getOwner()).isEqualTo(owner);
                    assertThat(e.getAttributes().getGroup()).isEqualTo(group);
                }
            }
        }
    }

    @Test
    void queriesFireTheirEvents() throws Exception {
        try (TestClient alice = Fixture.login(server, "alice", "pw")) {
            SftpClient sftp = alice.sftp();
            assertThat(sftp.stat("/a.txt").getSize()).isEqualTo(7);
            assertThatThrownBy(() -> sftp.stat("/missing.txt")).hasMessageContaining("No such file");
            byte[] md5 = sftp.getExtension(MD5FileExtension.class).getHash("/a.txt", 0, 7, new byte[0]);
            assertThat(md5).isEqualTo(MessageDigest.getInstance("MD5")
                    .digest("hash me".getBytes(StandardCharsets.UTF_8)));
            assertThat(sftp.getExtension(SpaceAvailableExtension.class).available("/").unusedBytesOnDevice)
                    .isPositive();
        }
        assertThat(fx.await("connectsftp alice pty=false true")).isTrue();
        assertThat(fx.await("exists SFTP /a.txt status=1")).isTrue();
        assertThat(fx.await("exists SFTP /missing.txt status=2")).isTrue();
        assertThat(fx.await("hash SFTP /a.txt status=1")).isTrue();
        assertThat(fx.await("space SFTP / status=1")).isTrue();
    }

    @Test
    void hashingNeedsTheDownloadPermission() throws Exception {
        server.accounts().save(server.accounts().find("alice").orElseThrow().toBuilder()
                .filePermissions("/", java.util.List.of(dev.termlet.auth.FilePermission.LIST)).build());
        try (TestClient alice = Fixture.login(server, "alice", "pw")) {
            SftpClient sftp = alice.sftp();
            assertThatThrownBy(() -> sftp.getExtension(MD5FileExtension.class).getHash("/a.txt", 0, 7,
                    new byte[0])).hasMessageContaining("denied");
        }
        assertThat(fx.events()).noneMatch(e -> e.startsWith("hash "));
    }

    @Test
    void serverSideCopyIsCheckedAndAtomic() throws Exception {
        server.accounts().save(server.accounts().find("alice").orElseThrow().toBuilder().quota(10, 0).build());
        try (TestClient alice = Fixture.login(server, "alice", "pw")) {
            SftpClient sftp = alice.sftp();
            var copy = sftp.getExtension(org.apache.sshd.sftp.client.extensions.CopyFileExtension.class);
            // 7 bytes used of 10: a second copy of the 7-byte file does not fit
            assertThatThrownBy(() -> copy.copyFile("/a.txt", "/b.txt", false)).satisfies(t -> assertThat(
                    ((org.apache.sshd.sftp.common.SftpException) t).getStatus()).isEqualTo(
                    org.apache.sshd.sftp.common.SftpConstants.SSH_FX_QUOTA_EXCEEDED));
            server.accounts().save(server.accounts().find("alice").orElseThrow().toBuilder().quota(0, 0).build());
            copy.copyFile("/a.txt", "/b.txt", false);
            assertThatThrownBy(() -> copy.copyFile("/a.txt", "/b.txt", false)).isInstanceOf(Exception.class);
            // '..' above the root stays at the root
            copy.copyFile("/a.txt", "/../../outside.txt", true);
        }
        assertThat(data.resolve("home/alice/b.txt")).hasContent("hash me");
        assertThat(fx.await("copy SFTP /a.txt -> /b.txt status=1")).isTrue();
        assertThat(fx.await("quota-exceeded SFTP /b.txt status=3")).isTrue();
        try (var files = Files.list(data.resolve("home/alice"))) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted()).containsExactly("a.txt", "b.txt",
                    "outside.txt");
        }
    }
}
