package dev.termlet.fileops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import dev.termlet.auth.Account;
import dev.termlet.test.ExecResult;
import dev.termlet.test.TestClient;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.extensions.CopyFileExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jail escape an attacker showed, replayed through real clients: links built with SFTP that climb out of the
 * user's root, and a link on disk that leads out, tried with SFTP (MINA's client and OpenSSH {@code sftp}),
 * {@code scp -O}, {@code sha256sum} over exec, {@code copy-file}, hard links and FTP. Nothing outside the root is
 * read, written or linked.
 */
class JailEscapeTest {
    @TempDir
    Path data;

    @TempDir
    Path clientDir;

    Fixture fx;
    FileOps files;
    TermletServer server;
    Path alice;
    Path bob;

    @BeforeEach
    void start() throws Exception {
        fx = new Fixture(clientDir);
        files = FileOps.create().ftp(0).ftpAllowPlain(true);
        server = Termlet.server().port(0).dataDir(data).extension(files).build();
        server.accounts().save(Account.builder("alice").password("pw".toCharArray())
                .addAuthorizedKey(fx.publicKey()).build());
        server.accounts().save(Account.builder("bob").password("pw2".toCharArray()).build());
        server.start();
        alice = Files.createDirectories(data.resolve("home/alice"));
        bob = Files.createDirectories(data.resolve("home/bob"));
        Files.writeString(bob.resolve("diary.txt"), "bob's");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private TestClient login() {
        return Fixture.login(server, "alice", "pw");
    }

    private static String read(SftpClient sftp, String path) throws Exception {
        try (InputStream in = sftp.read(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private String users() throws Exception {
        return Files.readString(data.resolve("users.json"));
    }

    @Test
    void sftpLinksThatClimbOutAreRefusedOrStayInside() throws Exception {
        String store = users();
        try (TestClient client = login()) {
            SftpClient sftp = client.sftp();
            // the attacker's chain: a link to the root, a link to its parent, then .. through them
            sftp.symLink("/r", "/");
            sftp.symLink("/e1", "r/..");
            for (String path : new String[] {"/e1/../users.json", "e1/../users.json", "/r/r/r/r/../../../../users.json",
                "/e1/users.json", "/e1/../hostkeys/ssh_host_ed25519_key", "/r/../../users.json"}) {
                assertThatThrownBy(() -> read(sftp, path)).as(path).isInstanceOf(java.io.IOException.class);
            }
            // targets that climb above the root, or into another user's home, are refused when the link is made
            for (String target : new String[] {"../..", "../../users.json", "r/../..", "../bob", "/../../.."}) {
                assertThatThrownBy(() -> sftp.symLink("/bad", target)).as(target)
                        .hasMessageContaining("denied");
            }
            // writes and mkdir through the chain land inside alice's root, or nowhere
            try (var out = sftp.write("/e1/../planted.txt")) {
                out.write("x".getBytes(StandardCharsets.UTF_8));
            }
            assertThatThrownBy(() -> sftp.mkdir("/e1/../bob/x")).isInstanceOf(java.io.IOException.class);
            assertThat(Files.exists(data.resolve("planted.txt"))).isFalse();
            assertThat(Files.exists(alice.resolve("planted.txt"))).isTrue();
            assertThat(Files.exists(bob.resolve("x"))).isFalse();
            // a link made by a client stores where it leads: moving it cannot make it climb out
            sftp.mkdir("/deep");
            sftp.mkdir("/deep/er");
            sftp.symLink("/deep/er/up", "../..");
            sftp.rename("/deep/er/up", "/up");
            assertThat(Files.readSymbolicLink(alice.resolve("up")).toString()).isEqualTo(alice.toRealPath().toString());
            assertThat(sftp.readLink("/up")).isEqualTo("/");
            assertThatThrownBy(() -> read(sftp, "/up/../users.json")).isInstanceOf(java.io.IOException.class);
        }
        assertThat(users()).isEqualTo(store);
        assertThat(Files.readString(bob.resolve("diary.txt"))).isEqualTo("bob's");
    }

    /** A link on disk that leads out (left by an administrator, a restored backup, or made by another program). */
    private void plantEscapes() throws Exception {
        Files.createSymbolicLink(alice.resolve("out"), Path.of("../.."));
        Files.createSymbolicLink(alice.resolve("abs"), data.toRealPath());
        Files.createSymbolicLink(alice.resolve("bobs"), Path.of("../bob"));
    }

    @Test
    void linksOnDiskThatLeadOutAreNotFollowedBySftp() throws Exception {
        plantEscapes();
        try (TestClient client = login()) {
            SftpClient sftp = client.sftp();
            for (String path : new String[] {"/out/users.json", "/abs/users.json", "/bobs/diary.txt"}) {
                assertThatThrownBy(() -> read(sftp, path)).as(path).hasMessageContaining("denied");
                assertThatThrownBy(() -> sftp.stat(path)).as(path).hasMessageContaining("denied");
            }
            assertThatThrownBy(() -> sftp.openDir("/bobs")).hasMessageContaining("denied");
            assertThatThrownBy(() -> sftp.write("/bobs/new.txt").close()).hasMessageContaining("denied");
            assertThatThrownBy(() -> sftp.remove("/bobs/diary.txt")).hasMessageContaining("denied");
            assertThatThrownBy(() -> sftp.rename("/bobs/diary.txt", "/mine.txt")).hasMessageContaining("denied");
            assertThatThrownBy(() -> sftp.mkdir("/bobs/made")).hasMessageContaining("denied");
            assertThatThrownBy(() -> sftp.setStat("/bobs/diary.txt",
                    new SftpClient.Attributes().perms(0777))).hasMessageContaining("denied");
            assertThatThrownBy(() -> sftp.getExtension(CopyFileExtension.class).copyFile("/out/users.json",
                    "/stolen.json", false)).isInstanceOf(java.io.IOException.class);
            // the links themselves can still be seen and removed
            assertThat(sftp.lstat("/out").isSymbolicLink()).isTrue();
            sftp.remove("/out");
        }
        assertThat(Files.exists(alice.resolve("out"), java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(Files.exists(alice.resolve("stolen.json"))).isFalse();
        assertThat(Files.exists(bob.resolve("new.txt"))).isFalse();
        assertThat(Files.exists(bob.resolve("made"))).isFalse();
        assertThat(Files.readString(bob.resolve("diary.txt"))).isEqualTo("bob's");
    }

    @Test
    void openSshSftpAndScpCannotReachOut() throws Exception {
        plantEscapes();
        String out = fx.sftp(server, "alice", "-get /out/users.json got1.json\n-get /abs/users.json got2.json\n"
                + "-ln /out/users.json hard.json\n-ln -s /out/users.json soft.json\n-get /bobs/diary.txt d.txt\n"
                + "-put /etc/hostname /bobs/planted\nls -l\n");
        assertThat(out).contains("denied");
        assertThat(Files.exists(clientDir.resolve("got1.json"))).isFalse();
        assertThat(Files.exists(clientDir.resolve("got2.json"))).isFalse();
        assertThat(Files.exists(clientDir.resolve("d.txt"))).isFalse();
        assertThat(Files.exists(alice.resolve("hard.json"))).isFalse();
        assertThat(Files.exists(bob.resolve("planted"))).isFalse();
        Fixture.Result scp = fx.scp(server, "alice@127.0.0.1:/out/users.json", clientDir.resolve("scp.json").toString());
        assertThat(scp.status()).isNotZero();
        assertThat(Files.exists(clientDir.resolve("scp.json"))).isFalse();
        Fixture.Result up = fx.scp(server, "/etc/hostname", "alice@127.0.0.1:/bobs/planted");
        assertThat(up.status()).isNotZero();
        assertThat(Files.exists(bob.resolve("planted"))).isFalse();
    }

    @Test
    void hashCommandsCannotReachOut() throws Exception {
        plantEscapes();
        try (TestClient client = login().defaultTimeout(Duration.ofSeconds(20))) {
            for (String cmd : new String[] {"sha256sum /out/users.json", "md5sum /e1/../users.json",
                "sha1sum /abs/hostkeys/ssh_host_ed25519_key", "sha512sum bobs/diary.txt"}) {
                ExecResult r = client.exec(cmd);
                assertThat(r.out()).as(cmd).isEmpty();
                assertThat(r.status()).as(cmd).isEqualTo(1);
            }
        }
    }

    @Test
    void ftpFollowsNoLinkOutAndServesNoHardLinkMadeThroughOne() throws Exception {
        plantEscapes();
        // the old escape made a hard link to the account store with SFTP, then fetched it over plain FTP
        String out = fx.sftp(server, "alice", "-ln /out/users.json h.json\n-ln /bobs/diary.txt h2.txt\n");
        assertThat(out).contains("denied");
        FTPClient ftp = new FTPClient();
        ftp.setDefaultTimeout(20_000);
        ftp.connect("127.0.0.1", files.ftpPort());
        try {
            assertThat(ftp.login("alice", "pw")).isTrue();
            ftp.enterLocalPassiveMode();
            ftp.setFileType(FTP.BINARY_FILE_TYPE);
            for (String path : new String[] {"h.json", "h2.txt", "/out/users.json", "abs/users.json", "bobs/diary.txt",
                "../bob/diary.txt"}) {
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                assertThat(ftp.retrieveFile(path, got)).as(path).isFalse();
                assertThat(got.size()).isZero();
            }
            assertThat(ftp.storeFile("bobs/planted", new java.io.ByteArrayInputStream(new byte[] {1}))).isFalse();
            assertThat(ftp.makeDirectory("bobs/made")).isFalse();
            assertThat(ftp.deleteFile("bobs/diary.txt")).isFalse();
        } finally {
            ftp.disconnect();
        }
        assertThat(Files.exists(bob.resolve("planted"))).isFalse();
        assertThat(Files.exists(bob.resolve("made"))).isFalse();
        assertThat(Files.readString(bob.resolve("diary.txt"))).isEqualTo("bob's");
    }
}
