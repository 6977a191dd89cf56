package dev.termlet.fileops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import dev.termlet.auth.Account;
import dev.termlet.auth.FilePermission;
import dev.termlet.test.TestClient;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.sshd.sftp.client.SftpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-account file settings PyserSSH and SFTPGo users expect: a read-only switch that wins over file permissions,
 * a file root of the account's own, and upload and download bandwidth limits, over SFTP and FTP.
 */
class AccountFileSettingsTest {
    @TempDir
    Path data;

    @TempDir
    Path elsewhere;

    FileOps files;
    TermletServer server;

    @BeforeEach
    void start() {
        files = FileOps.create().ftp(0).ftpAllowPlain(true);
        server = Termlet.server().port(0).dataDir(data).extension(files).build();
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private void save(Account.Builder b) {
        server.accounts().save(b.password("pw".toCharArray()).build());
    }

    private static void put(SftpClient sftp, String path, byte[] data) throws Exception {
        try (OutputStream out = sftp.write(path)) {
            out.write(data);
        }
    }

    @Test
    void theReadOnlySwitchWinsOverFilePermissionsAndAppliesAtOnce() throws Exception {
        save(Account.builder("ro").readOnly(true).filePermissions("/", EnumSet.allOf(FilePermission.class)));
        Files.createDirectories(data.resolve("home/ro"));
        Files.writeString(data.resolve("home/ro/a.txt"), "readable");
        try (TestClient ro = Fixture.login(server, "ro", "pw")) {
            SftpClient sftp = ro.sftp();
            try (InputStream in = sftp.read("/a.txt")) {
                assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("readable");
            }
            assertThatThrownBy(() -> put(sftp, "/b.txt", new byte[] {1})).hasMessageContaining("denied");
            assertThatThrownBy(() -> sftp.remove("/a.txt")).hasMessageContaining("denied");
            assertThatThrownBy(() -> sftp.mkdir("/d")).hasMessageContaining("denied");
            server.accounts().save(server.accounts().find("ro").orElseThrow().toBuilder().readOnly(false).build());
            put(sftp, "/b.txt", new byte[] {1});
        }
        assertThat(data.resolve("home/ro/b.txt")).exists();
        assertThat(Files.readString(data.resolve("users.json"))).doesNotContain("\"readOnly\"");
    }

    @Test
    void anAccountsOwnRootHoldsItsFilesOnEveryProtocol() throws Exception {
        save(Account.builder("carol").home("shared/projects"));
        save(Account.builder("dave").home(elsewhere.toString()));
        assertThat(Files.readString(data.resolve("users.json"))).contains("\"home\" : \"shared/projects\"");
        try (TestClient carol = Fixture.login(server, "carol", "pw")) {
            SftpClient sftp = carol.sftp();
            put(sftp, "/plan.txt", new byte[] {1, 2});
        }
        assertThat(data.resolve("home/shared/projects/plan.txt")).hasBinaryContent(new byte[] {1, 2});
        assertThat(data.resolve("home/carol")).doesNotExist();
        FTPClient ftp = new FTPClient();
        ftp.setDefaultTimeout(20_000);
        ftp.connect("127.0.0.1", files.ftpPort());
        try {
            assertThat(ftp.login("dave", "pw")).isTrue();
            ftp.enterLocalPassiveMode();
            ftp.setFileType(FTP.BINARY_FILE_TYPE);
            assertThat(ftp.storeFile("d.bin", new ByteArrayInputStream(new byte[] {3}))).isTrue();
        } finally {
            ftp.disconnect();
        }
        // FTP answers 226 once the upload is in place
        assertThat(elsewhere.resolve("d.bin")).hasBinaryContent(new byte[] {3});
        assertThatThrownBy(() -> Account.builder("x").home("../../etc")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bandwidthLimitsPaceUploadsAndDownloads() throws Exception {
        // 256 KiB a second each way: 512 KiB take about two seconds; the test asserts only that they take more than
        // one (a lower bound the pacing guarantees however slow the machine), and that the bytes arrive whole
        save(Account.builder("slow").bandwidth(256, 256));
        byte[] half = new byte[512 * 1024];
        new java.util.Random(7).nextBytes(half);
        try (TestClient slow = Fixture.login(server, "slow", "pw")) {
            SftpClient sftp = slow.sftp();
            long t0 = System.nanoTime();
            put(sftp, "/up.bin", half);
            long upMillis = (System.nanoTime() - t0) / 1_000_000;
            t0 = System.nanoTime();
            byte[] back;
            try (InputStream in = sftp.read("/up.bin")) {
                back = in.readAllBytes();
            }
            long downMillis = (System.nanoTime() - t0) / 1_000_000;
            assertThat(back).isEqualTo(half);
            assertThat(upMillis).as("upload of 512 KiB at 256 KiB/s").isGreaterThan(1000);
            assertThat(downMillis).as("download of 512 KiB at 256 KiB/s").isGreaterThan(1000);
        }
        assertThat(Files.readString(data.resolve("users.json"))).contains("\"uploadBandwidth\" : 256");
    }
}
