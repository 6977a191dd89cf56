package dev.termlet.fileops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import dev.termlet.auth.Account;
import dev.termlet.test.TestClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.extensions.CopyFileExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes whose target is a symbolic link on disk (placed by an administrator): one that leads outside the root is
 * refused as a read through it is, with real clients (MINA's SftpClient, OpenSSH {@code sftp} and {@code scp -O},
 * Commons Net FTP), and the link stays as it was, the file outside untouched and no temporary file left; one that
 * leads to a file inside the root keeps working as it did.
 */
class LinkWritesTest {
    @TempDir
    Path data;

    @TempDir
    Path clientDir;

    Fixture fx;
    FileOps files;
    TermletServer server;
    Path alice;
    Path outside;

    @BeforeEach
    void start() throws Exception {
        fx = new Fixture(clientDir);
        files = FileOps.create().ftp(0).ftpAllowPlain(true);
        server = Termlet.server().port(0).dataDir(data).extension(files).build();
        server.accounts().save(Account.builder("alice").password("pw".toCharArray())
                .addAuthorizedKey(fx.publicKey()).build());
        server.start();
        alice = Files.createDirectories(data.resolve("home/alice"));
        outside = Files.writeString(data.resolve("outside.txt"), "outside");
        // an absolute link, and a relative one, both leading out
        Files.createSymbolicLink(alice.resolve("out"), outside.toRealPath());
        Files.createSymbolicLink(alice.resolve("rel-out"), Path.of("../../outside.txt"));
        Files.writeString(alice.resolve("mine.txt"), "mine");
        Files.writeString(clientDir.resolve("local.txt"), "local");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private TestClient login() {
        return Fixture.login(server, "alice", "pw");
    }

    /** The links, the file outside and the root are as they were: nothing replaced, nothing left behind. */
    private void assertUntouched() throws Exception {
        assertThat(Files.isSymbolicLink(alice.resolve("out"))).as("out is still a link").isTrue();
        assertThat(Files.readSymbolicLink(alice.resolve("out"))).isEqualTo(outside.toRealPath());
        assertThat(Files.isSymbolicLink(alice.resolve("rel-out"))).as("rel-out is still a link").isTrue();
        assertThat(Files.readSymbolicLink(alice.resolve("rel-out"))).isEqualTo(Path.of("../../outside.txt"));
        assertThat(Files.readString(outside)).isEqualTo("outside");
        assertThat(Files.getPosixFilePermissions(outside)).isEqualTo(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        try (var names = Files.list(alice)) {
            assertThat(names.map(n -> n.getFileName().toString()).sorted()).as("what is in the root")
                    .containsExactlyElementsOf(List.of("mine.txt", "out", "rel-out"));
        }
    }

    @Test
    void sftpWritesThroughALinkLeadingOutAreRefusedAsReads() throws Exception {
        java.nio.file.Files.setPosixFilePermissions(outside,
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        try (TestClient client = login()) {
            SftpClient sftp = client.sftp();
            for (String link : new String[] {"/out", "/rel-out"}) {
                assertThatThrownBy(() -> sftp.read(link).close()).as("read " + link).hasMessageContaining("denied");
                assertThatThrownBy(() -> {
                    try (OutputStream out = sftp.write(link)) {
                        out.write("x".getBytes(StandardCharsets.UTF_8));
                    }
                }).as("upload " + link).hasMessageContaining("denied");
                assertThatThrownBy(() -> sftp.close(sftp.open(link, SftpClient.OpenMode.Write,
                        SftpClient.OpenMode.Append))).as("append " + link).hasMessageContaining("denied");
                assertThatThrownBy(() -> sftp.close(sftp.open(link, SftpClient.OpenMode.Write)))
                        .as("write in place " + link).hasMessageContaining("denied");
                assertThatThrownBy(() -> sftp.close(sftp.open(link, SftpClient.OpenMode.Write,
                        SftpClient.OpenMode.Create, SftpClient.OpenMode.Exclusive))).as("create new " + link)
                        .isInstanceOf(IOException.class);
                assertThatThrownBy(() -> sftp.setStat(link, new SftpClient.Attributes().size(0)))
                        .as("truncate " + link).hasMessageContaining("denied");
                assertThatThrownBy(() -> sftp.setStat(link, new SftpClient.Attributes().perms(0666)))
                        .as("chmod " + link).hasMessageContaining("denied");
                assertThatThrownBy(() -> sftp.getExtension(CopyFileExtension.class).copyFile("/mine.txt", link, true))
                        .as("copy onto " + link).hasMessageContaining("denied");
            }
        }
        assertUntouched();
    }

    @Test
    void openSshSftpScpAndFtpUploadsOntoALinkLeadingOutAreRefused() throws Exception {
        String out = fx.sftp(server, "alice", "-put local.txt /out\n-put local.txt /rel-out\n-reput local.txt /out\n"
                + "ls -l\n");
        assertThat(out).contains("denied");
        assertUntouched();
        Fixture.Result up = fx.scp(server, clientDir.resolve("local.txt").toString(), "alice@127.0.0.1:/out");
        assertThat(up.status()).isNotZero();
        assertUntouched();
        FTPClient ftp = new FTPClient();
        ftp.setDefaultTimeout(20_000);
        ftp.connect("127.0.0.1", files.ftpPort());
        try {
            assertThat(ftp.login("alice", "pw")).isTrue();
            ftp.enterLocalPassiveMode();
            ftp.setFileType(FTP.BINARY_FILE_TYPE);
            assertThat(ftp.storeFile("out", new ByteArrayInputStream(new byte[] {1}))).isFalse();
            assertThat(ftp.getReplyCode()).isEqualTo(550);
            assertThat(ftp.appendFile("rel-out", new ByteArrayInputStream(new byte[] {1}))).isFalse();
            assertThat(ftp.getReplyCode()).isEqualTo(550);
        } finally {
            ftp.disconnect();
        }
        assertUntouched();
    }

    private void relink() throws Exception {
        Files.deleteIfExists(alice.resolve("in"));
        Files.writeString(alice.resolve("mine.txt"), "mine");
        Files.createSymbolicLink(alice.resolve("in"), Path.of("mine.txt"));
    }

    /**
     * A link to a file inside the root works as it did before links leading out were refused: SFTP and SCP uploads
     * replace the link itself by the new file (the file it led to is left as it was), an SFTP write into the file
     * through the link is refused, and FTP writes through it into the file it leads to (the link stays).
     */
    @Test
    void writesOntoALinkInsideTheRootWorkAsBefore() throws Exception {
        Path in = alice.resolve("in");
        relink();
        try (TestClient client = login()) {
            SftpClient sftp = client.sftp();
            try (OutputStream o = sftp.write("/in")) {
                o.write("sftp".getBytes(StandardCharsets.UTF_8));
            }
            assertThat(Files.isSymbolicLink(in)).isFalse();
            assertThat(Files.readString(in)).isEqualTo("sftp");
            assertThat(Files.readString(alice.resolve("mine.txt"))).isEqualTo("mine");
            relink();
            assertThatThrownBy(() -> sftp.close(sftp.open("/in", SftpClient.OpenMode.Write,
                    SftpClient.OpenMode.Append))).isInstanceOf(IOException.class);
            assertThat(Files.isSymbolicLink(in)).isTrue();
            assertThat(Files.readString(alice.resolve("mine.txt"))).isEqualTo("mine");
            // reads follow it
            try (var r = sftp.read("/in")) {
                assertThat(new String(r.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("mine");
            }
        }
        relink();
        FTPClient ftp = new FTPClient();
        ftp.setDefaultTimeout(20_000);
        ftp.connect("127.0.0.1", files.ftpPort());
        try {
            assertThat(ftp.login("alice", "pw")).isTrue();
            ftp.enterLocalPassiveMode();
            ftp.setFileType(FTP.BINARY_FILE_TYPE);
            assertThat(ftp.storeFile("in", new ByteArrayInputStream("ftp".getBytes(StandardCharsets.UTF_8))))
                    .isTrue();
            assertThat(Files.isSymbolicLink(in)).isTrue();
            assertThat(Files.readString(alice.resolve("mine.txt"))).isEqualTo("ftp");
            assertThat(ftp.appendFile("in", new ByteArrayInputStream("+appe".getBytes(StandardCharsets.UTF_8))))
                    .isTrue();
            assertThat(Files.isSymbolicLink(in)).isTrue();
            assertThat(Files.readString(alice.resolve("mine.txt"))).isEqualTo("ftp+appe");
        } finally {
            ftp.disconnect();
        }
        relink();
        Fixture.Result up = fx.scp(server, clientDir.resolve("local.txt").toString(), "alice@127.0.0.1:/in");
        assertThat(up.status()).isZero();
        assertThat(Files.isSymbolicLink(in)).isFalse();
        assertThat(Files.readString(in)).isEqualTo("local");
        assertThat(Files.readString(alice.resolve("mine.txt"))).isEqualTo("mine");
    }
}
