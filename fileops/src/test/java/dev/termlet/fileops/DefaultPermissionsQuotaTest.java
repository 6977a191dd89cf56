package dev.termlet.fileops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import dev.termlet.auth.Account;
import dev.termlet.auth.FilePermission;
import dev.termlet.test.TestClient;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import org.apache.sshd.sftp.client.SftpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FileOps' default permissions and quota apply to accounts that set none, and only to them. */
class DefaultPermissionsQuotaTest {
    @TempDir
    Path data;

    private static void put(SftpClient sftp, String path) throws Exception {
        try (OutputStream out = sftp.write(path)) {
            out.write("hello".getBytes());
        }
    }

    @Test
    void defaultsFillWhatAnAccountLeavesUnset() throws Exception {
        FileOps files = FileOps.sftp()
                .defaultPermissions("/", List.of(FilePermission.LIST, FilePermission.DOWNLOAD))
                .defaultPermissions("/incoming", List.of(FilePermission.LIST, FilePermission.UPLOAD))
                .defaultQuota(0, 1);
        try (TermletServer server = Termlet.server().port(0).dataDir(data).extension(files).build()) {
            server.accounts().save(Account.builder("plain").password("pw".toCharArray()).build());
            server.accounts().save(Account.builder("own").password("pw".toCharArray())
                    .filePermissions("/", List.of(FilePermission.ALL)).quota(0, 5).build());
            server.start();
            try (TestClient plain = Fixture.login(server, "plain", "pw")) {
                SftpClient sftp = plain.sftp();
                assertThatThrownBy(() -> put(sftp, "/a.txt")).hasMessageContaining("ermission");
                assertThatThrownBy(() -> sftp.mkdir("/incoming")).as("no create_dirs in /")
                        .hasMessageContaining("ermission");
            }
            java.nio.file.Files.createDirectories(data.resolve("home/plain/incoming"));
            try (TestClient plain = Fixture.login(server, "plain", "pw")) {
                SftpClient sftp = plain.sftp();
                put(sftp, "/incoming/one.txt");
                assertThatThrownBy(() -> put(sftp, "/incoming/two.txt")).as("the default file quota of 1")
                        .isInstanceOf(org.apache.sshd.sftp.common.SftpException.class);
                assertThat(data.resolve("home/plain/incoming/two.txt")).doesNotExist();
            }
            try (TestClient own = Fixture.login(server, "own", "pw")) {
                SftpClient sftp = own.sftp();
                put(sftp, "/a.txt");
                put(sftp, "/b.txt");
            }
        }
    }

    @Test
    void defaultsMustSetTheRoot() {
        FileOps files = FileOps.sftp().defaultPermissions("/incoming", List.of(FilePermission.UPLOAD));
        assertThatThrownBy(() -> Termlet.server().port(0).dataDir(data).extension(files).build())
                .hasStackTraceContaining("must set '/'");
    }
}
