package dev.termlet.fileops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import dev.termlet.annotations.OnUser;
import dev.termlet.auth.Account;
import dev.termlet.event.EventType;
import dev.termlet.test.ExecResult;
import dev.termlet.test.TestClient;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.sshd.sftp.client.SftpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Names no protocol accepts: control characters (newline, ESC, BEL) that would reach hook arguments, logs and
 * events.log, and the names of the server's own upload temporaries, which would hide a file from listings and the
 * quota. Also: temporaries left by a crash are swept at start, and uploads in progress count against the quota.
 */
class HostileNamesTest {
    private static final String TEMP_NAME = ".x.01234567-89ab-cdef-0123-456789abcdef.part";
    private static final List<String> HOSTILE = List.of("/a\nb.txt", "/esc\u001b[31m.txt", "/bel\u0007", "/c1\u009b.txt",
            "/" + TEMP_NAME, "/dir/" + TEMP_NAME);

    @TempDir
    Path data;

    final Fixture fx = new Fixture((Void) null);
    FileOps files;
    TermletServer server;
    Path home;

    /** Records every path an event names. */
    public class Recorder {
        @OnUser({"pre-upload", "upload", "upload-failed", "pre-download", "download", "download-failed", "pre-mkdir",
            "mkdir", "pre-rename", "rename", "pre-symlink", "symlink", "pre-delete", "delete", "exists", "hash",
            "ssh-cmd"})
        void record(EventType type, FileEvent e) {
            fx.add(type.name() + " " + e.path() + " -> " + e.target());
        }
    }

    @BeforeEach
    void start() throws Exception {
        home = Files.createDirectories(data.resolve("home/alice/dir"));
        // left by a crash of an earlier run
        Files.writeString(data.resolve("home/alice/.big.iso.0b5a6c84-2b70-4d8b-9a0c-3f1f5f3b2a11.part"), "partial");
        home = data.resolve("home/alice");
        files = FileOps.create().ftp(0).ftpAllowPlain(true);
        server = Termlet.server().port(0).dataDir(data).extension(files).register(new Recorder()).build();
        server.accounts().save(Account.builder("alice").password("pw".toCharArray()).quota(1024 * 1024, 0).build());
        server.start();
        Files.writeString(home.resolve("ok.txt"), "ok");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private TestClient login() {
        return Fixture.login(server, "alice", "pw");
    }

    private List<String> names() throws Exception {
        try (Stream<Path> all = Files.walk(home)) {
            return all.map(p -> home.relativize(p).toString()).filter(n -> !n.isEmpty()).sorted().toList();
        }
    }

    private void assertNoEventNamesAControlCharacterOrATemporary() {
        for (String e : fx.events()) {
            assertThat(e).as("an event line").doesNotContainPattern("[\\x00-\\x1f\\x7f\\x80-\\x9f]");
            assertThat(e).doesNotContain(TEMP_NAME);
        }
    }

    @Test
    void sftpRefusesHostileNamesBeforeAnyEvent() throws Exception {
        try (TestClient alice = login()) {
            SftpClient sftp = alice.sftp();
            for (String name : HOSTILE) {
                assertThatThrownBy(() -> {
                    try (OutputStream out = sftp.write(name)) {
                        out.write(1);
                    }
                }).as(name).hasMessageContaining("denied");
                assertThatThrownBy(() -> sftp.mkdir(name)).as(name).hasMessageContaining("denied");
                assertThatThrownBy(() -> sftp.rename("/ok.txt", name)).as(name).hasMessageContaining("denied");
                assertThatThrownBy(() -> sftp.symLink(name, "/ok.txt")).as(name).hasMessageContaining("denied");
                assertThatThrownBy(() -> sftp.symLink("/l", name)).as(name).hasMessageContaining("denied");
                assertThatThrownBy(() -> sftp.stat(name)).as(name).hasMessageContaining("denied");
            }
        }
        assertThat(names()).containsExactly("dir", "ok.txt");
        assertNoEventNamesAControlCharacterOrATemporary();
    }

    @Test
    void scpAndExecRefuseHostileNames() throws Exception {
        try (TestClient alice = login()) {
            for (String name : List.of("a\u001bb.txt", "bell\u0007", TEMP_NAME)) {
                // the SCP sink protocol, as scp -t receives it: "C<mode> <size> <name>\n", the data, a zero byte
                alice.exec("scp -t /", "C0644 1 " + name + "\n" + "x\0");
                ExecResult hash = alice.exec("sha256sum '/ok.txt\u0007'");
                assertThat(hash.out()).isEmpty();
                assertThat(hash.status()).isEqualTo(1);
            }
        }
        assertThat(names()).containsExactly("dir", "ok.txt");
        assertNoEventNamesAControlCharacterOrATemporary();
    }

    @Test
    void ftpRefusesHostileNames() throws Exception {
        FTPClient ftp = new FTPClient();
        ftp.setDefaultTimeout(20_000);
        ftp.connect("127.0.0.1", files.ftpPort());
        try {
            assertThat(ftp.login("alice", "pw")).isTrue();
            ftp.enterLocalPassiveMode();
            ftp.setFileType(FTP.BINARY_FILE_TYPE);
            for (String name : List.of("esc\u001b[31m.txt", "be\u0007l", TEMP_NAME, "dir/" + TEMP_NAME)) {
                assertThat(ftp.storeFile(name, new ByteArrayInputStream(new byte[] {1}))).as(name).isFalse();
                assertThat(ftp.makeDirectory(name)).as(name).isFalse();
                assertThat(ftp.rename("ok.txt", name)).as(name).isFalse();
            }
            // the server's temporaries never show in a listing, whatever a client asks
            assertThat(ftp.listNames()).containsExactlyInAnyOrder("dir", "ok.txt");
        } finally {
            ftp.disconnect();
        }
        assertThat(names()).containsExactly("dir", "ok.txt");
        assertNoEventNamesAControlCharacterOrATemporary();
    }

    @Test
    void leftoverTemporariesAreSweptAtStart() throws Exception {
        assertThat(names()).doesNotContain(".big.iso.0b5a6c84-2b70-4d8b-9a0c-3f1f5f3b2a11.part");
        // a crash in the middle of an FTP COMB: its taken parts are given back, its unfinished result removed
        server.close();
        Files.writeString(home.resolve(".p1.bin.6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f.taken"), "part one");
        Files.writeString(home.resolve(".t.bin.7f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f.part"), "part o");
        server = Termlet.server().port(0).dataDir(data).extension(FileOps.create()).build();
        server.start();
        assertThat(names()).containsExactly("dir", "ok.txt", "p1.bin");
        assertThat(Files.readString(home.resolve("p1.bin"))).isEqualTo("part one");
    }

    @Test
    void uploadsInProgressCountAgainstTheQuota() throws Exception {
        byte[] chunk = new byte[600 * 1024];
        try (TestClient alice = login()) {
            SftpClient sftp = alice.sftp();
            SftpClient.CloseableHandle a = sftp.open("/a.bin", SftpClient.OpenMode.Write, SftpClient.OpenMode.Create);
            SftpClient.CloseableHandle b = sftp.open("/b.bin", SftpClient.OpenMode.Write, SftpClient.OpenMode.Create);
            sftp.write(a, 0, chunk);
            // 600 KiB are in a's temporary file, not yet in place: b may not take the quota's remaining 424 KiB past
            assertThatThrownBy(() -> sftp.write(b, 0, chunk)).hasMessageFindingMatch("(?i)quota");
            sftp.close(a);
            sftp.close(b);
        }
        assertThat(Files.size(home.resolve("a.bin"))).isEqualTo(chunk.length);
    }
}
