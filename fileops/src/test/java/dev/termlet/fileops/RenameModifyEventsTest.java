package dev.termlet.fileops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import dev.termlet.annotations.OnUser;
import dev.termlet.auth.Account;
import dev.termlet.test.TestClient;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Syncplify's rename handlers tell directories from files ({@code BeforeRenameDir}, {@code AfterRenameFile}, ...),
 * and writes into an existing file without truncation are {@code pre-modify} / {@code modify}, not uploads, over
 * SFTP (OpenSSH sftp, MINA's client) and FTP (Commons Net).
 */
class RenameModifyEventsTest {
    @TempDir
    Path data;

    @TempDir
    Path clientDir;

    Fixture fx;
    TermletServer server;
    FileOps files;

    /** Records the rename and write events; pre-modify refuses paths containing "locked". */
    public class Handlers {
        @OnUser("BeforeRenameDir")
        void beforeDir(FileEvent e) {
            fx.add("BeforeRenameDir " + e.protocol() + " " + e.path() + " -> " + e.target());
        }

        @OnUser("AfterRenameDir")
        void afterDir(FileEvent e) {
            fx.add("AfterRenameDir " + e.protocol() + " " + e.path() + " -> " + e.target() + " status=" + e.status());
        }

        @OnUser("BeforeRenameFile")
        void beforeFile(FileEvent e) {
            fx.add("BeforeRenameFile " + e.protocol() + " " + e.path() + " -> " + e.target());
        }

        @OnUser("AfterRenameFile")
        void afterFile(FileEvent e) {
            fx.add("AfterRenameFile " + e.protocol() + " " + e.path() + " -> " + e.target() + " status=" + e.status());
        }

        @OnUser({"pre-rename", "rename"})
        void rename(dev.termlet.event.EventType t, FileEvent e) {
            fx.add(t.name() + " " + e.protocol() + " " + e.path() + " dir=" + e.directory());
        }

        @OnUser("BeforeModifyFile")
        boolean preModify(FileEvent e) {
            fx.add("pre-modify " + e.protocol() + " " + e.path());
            return !e.path().contains("locked");
        }

        @OnUser("AfterModifyFile")
        void modify(FileEvent e) {
            fx.add("modify " + e.protocol() + " " + e.path() + " size=" + e.size() + " status=" + e.status());
        }

        @OnUser({"pre-upload", "upload", "upload-failed"})
        void upload(dev.termlet.event.EventType t, FileEvent e) {
            fx.add(t.name() + " " + e.protocol() + " " + e.path());
        }
    }

    @BeforeEach
    void start() throws Exception {
        fx = new Fixture(clientDir);
        files = FileOps.create().ftp(0).ftpAllowPlain(true);
        server = Termlet.server().port(0).dataDir(data).extension(files).register(new Handlers()).start();
        server.accounts().save(Account.builder("alice").password("pw".toCharArray())
                .addAuthorizedKey(fx.publicKey()).build());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Path home() throws Exception {
        Path h = data.resolve("home/alice");
        Files.createDirectories(h);
        return h;
    }

    private FTPClient ftp() throws Exception {
        FTPClient c = new FTPClient();
        c.setConnectTimeout(10_000);
        c.setDefaultTimeout(20_000);
        c.connect("127.0.0.1", files.ftpPort());
        c.setSoTimeout(20_000);
        assertThat(c.login("alice", "pw")).as(c.getReplyString()).isTrue();
        c.enterLocalPassiveMode();
        c.setFileType(FTP.BINARY_FILE_TYPE);
        return c;
    }

    private static ByteArrayInputStream bytes(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    private void awaitLine(String line) throws Exception {
        assertThat(fx.await(line::equals)).as("%s in %s", line, fx.events()).isTrue();
    }

    private List<String> starting(String prefix) {
        return fx.events().stream().filter(e -> e.startsWith(prefix)).toList();
    }

    @Test
    void sftpRenameHandlersTellDirectoriesFromFiles() throws Exception {
        Files.createDirectories(home().resolve("d1"));
        Files.writeString(home().resolve("f1"), "file");
        String out = fx.sftp(server, "alice", "rename /d1 /d2\nrename /f1 /f2\n");
        assertThat(Files.isDirectory(home().resolve("d2"))).as(out).isTrue();
        assertThat(home().resolve("f2")).hasContent("file");
        awaitLine("AfterRenameDir SFTP /d1 -> /d2 status=1");
        awaitLine("AfterRenameFile SFTP /f1 -> /f2 status=1");
        awaitLine("rename SFTP /d1 dir=true");
        awaitLine("rename SFTP /f1 dir=false");
        assertThat(starting("BeforeRenameDir")).containsExactly("BeforeRenameDir SFTP /d1 -> /d2");
        assertThat(starting("BeforeRenameFile")).containsExactly("BeforeRenameFile SFTP /f1 -> /f2");
        assertThat(starting("AfterRenameDir")).hasSize(1);
        assertThat(starting("AfterRenameFile")).hasSize(1);
        assertThat(starting("pre-rename")).containsExactly("pre-rename SFTP /d1 dir=true", "pre-rename SFTP /f1 dir=false");
    }

    @Test
    void ftpRenameHandlersTellDirectoriesFromFiles() throws Exception {
        Files.createDirectories(home().resolve("d1"));
        Files.writeString(home().resolve("f1"), "file");
        FTPClient c = ftp();
        try {
            assertThat(c.rename("d1", "d2")).as(c.getReplyString()).isTrue();
            assertThat(c.rename("f1", "f2")).as(c.getReplyString()).isTrue();
        } finally {
            c.logout();
            c.disconnect();
        }
        awaitLine("AfterRenameDir FTP /d1 -> /d2 status=1");
        awaitLine("AfterRenameFile FTP /f1 -> /f2 status=1");
        awaitLine("rename FTP /d1 dir=true");
        awaitLine("rename FTP /f1 dir=false");
        assertThat(starting("BeforeRenameDir")).containsExactly("BeforeRenameDir FTP /d1 -> /d2");
        assertThat(starting("BeforeRenameFile")).containsExactly("BeforeRenameFile FTP /f1 -> /f2");
        assertThat(starting("AfterRenameDir")).hasSize(1);
        assertThat(starting("AfterRenameFile")).hasSize(1);
    }

    @Test
    void sftpWritesIntoExistingFilesAreModifiesNotUploads() throws Exception {
        // OpenSSH reput: the rest of a local file written after what the server already has
        Files.writeString(clientDir.resolve("big.txt"), "0123456789");
        Files.writeString(home().resolve("big.txt"), "0123");
        String out = fx.sftp(server, "alice", "reput " + clientDir.resolve("big.txt") + " /big.txt\n");
        assertThat(home().resolve("big.txt")).as(out).hasContent("0123456789");
        awaitLine("modify SFTP /big.txt size=10 status=1");
        Files.writeString(home().resolve("edit.txt"), "aaaaaa");
        Files.writeString(home().resolve("log.txt"), "one\n");
        try (TestClient alice = Fixture.login(server, "alice", "pw")) {
            SftpClient sftp = alice.sftp();
            // random-access write into an existing file, no truncation
            try (SftpClient.CloseableHandle h = sftp.open("/edit.txt", EnumSet.of(SftpClient.OpenMode.Write))) {
                sftp.write(h, 2, "XY".getBytes(StandardCharsets.UTF_8));
            }
            // an append
            try (SftpClient.CloseableHandle h = sftp.open("/log.txt",
                    EnumSet.of(SftpClient.OpenMode.Write, SftpClient.OpenMode.Append))) {
                sftp.write(h, 0, "two\n".getBytes(StandardCharsets.UTF_8));
            }
            // a new file opened without truncation is an upload
            try (SftpClient.CloseableHandle h = sftp.open("/new.txt",
                    EnumSet.of(SftpClient.OpenMode.Write, SftpClient.OpenMode.Create))) {
                sftp.write(h, 0, "new".getBytes(StandardCharsets.UTF_8));
            }
            // an existing file truncated and rewritten is an upload too
            try (SftpClient.CloseableHandle h = sftp.open("/log.txt", EnumSet.of(SftpClient.OpenMode.Write,
                    SftpClient.OpenMode.Create, SftpClient.OpenMode.Truncate))) {
                sftp.write(h, 0, "fresh\n".getBytes(StandardCharsets.UTF_8));
            }
        }
        assertThat(home().resolve("edit.txt")).hasContent("aaXYaa");
        assertThat(home().resolve("new.txt")).hasContent("new");
        assertThat(home().resolve("log.txt")).hasContent("fresh\n");
        awaitLine("modify SFTP /edit.txt size=6 status=1");
        awaitLine("modify SFTP /log.txt size=8 status=1");
        awaitLine("upload SFTP /new.txt");
        awaitLine("upload SFTP /log.txt");
        assertThat(starting("pre-modify")).containsExactly("pre-modify SFTP /big.txt", "pre-modify SFTP /edit.txt",
                "pre-modify SFTP /log.txt");
        assertThat(starting("pre-upload")).containsExactly("pre-upload SFTP /new.txt", "pre-upload SFTP /log.txt");
        assertThat(fx.events()).noneMatch(e -> e.matches("(pre-)?upload SFTP /(big|edit)\\.txt"));
    }

    @Test
    void aRefusedPreModifyIsPermissionDeniedAndLeavesTheFileAsItWas() throws Exception {
        Files.writeString(home().resolve("locked.txt"), "keep");
        Files.writeString(clientDir.resolve("locked.txt"), "keep and more");
        try (TestClient alice = Fixture.login(server, "alice", "pw")) {
            SftpClient sftp = alice.sftp();
            assertThatThrownBy(() -> sftp.open("/locked.txt", EnumSet.of(SftpClient.OpenMode.Write)))
                    .isInstanceOfSatisfying(SftpException.class,
                            e -> assertThat(e.getStatus()).isEqualTo(SftpConstants.SSH_FX_PERMISSION_DENIED));
            assertThatThrownBy(() -> sftp.open("/locked.txt", EnumSet.of(SftpClient.OpenMode.Append)))
                    .isInstanceOf(SftpException.class);
        }
        String out = fx.sftp(server, "alice", "-reput " + clientDir.resolve("locked.txt") + " /locked.txt\n");
        assertThat(out).containsIgnoringCase("permission denied");
        FTPClient c = ftp();
        try {
            assertThat(c.appendFile("locked.txt", bytes(" more"))).isFalse();
            assertThat(c.getReplyCode()).isEqualTo(550);
            c.setRestartOffset(2);
            assertThat(c.storeFile("locked.txt", bytes("XX"))).isFalse();
            assertThat(c.getReplyCode()).isEqualTo(550);
        } finally {
            c.logout();
            c.disconnect();
        }
        assertThat(home().resolve("locked.txt")).hasContent("keep");
        assertThat(starting("pre-modify")).hasSize(5).allMatch(e -> e.endsWith(" /locked.txt"));
        assertThat(fx.events()).noneMatch(e -> e.startsWith("modify ") || e.contains("upload"));
    }

    @Test
    void ftpAppendAndRestartedStoreIntoExistingFilesAreModifies() throws Exception {
        Files.writeString(home().resolve("log.txt"), "one\n");
        Files.writeString(home().resolve("part.bin"), "0123");
        FTPClient c = ftp();
        try {
            assertThat(c.appendFile("log.txt", bytes("two\n"))).as(c.getReplyString()).isTrue();
            c.setRestartOffset(4);
            assertThat(c.storeFile("part.bin", bytes("456789"))).as(c.getReplyString()).isTrue();
            c.setRestartOffset(0);
            assertThat(c.storeFile("whole.txt", bytes("w"))).as(c.getReplyString()).isTrue();
            assertThat(c.storeFile("log.txt", bytes("replaced"))).as(c.getReplyString()).isTrue();
            assertThat(c.appendFile("fresh.txt", bytes("f"))).as(c.getReplyString()).isTrue();
        } finally {
            c.logout();
            c.disconnect();
        }
        assertThat(home().resolve("part.bin")).hasContent("0123456789");
        assertThat(home().resolve("log.txt")).hasContent("replaced");
        awaitLine("modify FTP /log.txt size=8 status=1");
        awaitLine("modify FTP /part.bin size=10 status=1");
        awaitLine("upload FTP /whole.txt");
        awaitLine("upload FTP /log.txt");
        awaitLine("upload FTP /fresh.txt");
        assertThat(starting("pre-modify")).containsExactly("pre-modify FTP /log.txt", "pre-modify FTP /part.bin");
        assertThat(starting("pre-upload")).containsExactly("pre-upload FTP /whole.txt", "pre-upload FTP /log.txt",
                "pre-upload FTP /fresh.txt");
    }

    @Test
    void aClientLeavingMidModifyGetsAModifyWithAnErrorStatus() throws Exception {
        Files.writeString(home().resolve("open.txt"), "0123456789");
        try (TestClient alice = Fixture.login(server, "alice", "pw")) {
            SftpClient sftp = alice.sftp();
            SftpClient.Handle h = sftp.open("/open.txt", EnumSet.of(SftpClient.OpenMode.Write));
            sftp.write(h, 0, "AB".getBytes(StandardCharsets.UTF_8));
            // the session ends with the handle still open
        }
        assertThat(fx.await(e -> e.startsWith("modify SFTP /open.txt ") && e.endsWith(" status=2")))
                .as(fx.events().toString()).isTrue();
        assertThat(starting("pre-modify")).containsExactly("pre-modify SFTP /open.txt");
        assertThat(fx.events()).noneMatch(e -> e.contains("upload"));
        assertThat(home().resolve("open.txt")).as("written in place: what arrived stays").hasContent("AB23456789");
    }
}
