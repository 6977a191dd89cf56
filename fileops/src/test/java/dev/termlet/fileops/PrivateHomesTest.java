package dev.termlet.fileops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import dev.termlet.auth.Account;
import dev.termlet.test.TestClient;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.commons.net.ftp.FTPSClient;
import org.apache.commons.net.util.TrustManagerUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The homes directory and each user's home are private (0700) whichever protocol makes them. */
class PrivateHomesTest {
    @TempDir
    Path data;

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void homesMadeBySftpAndFtpArePrivate() throws Exception {
        FileOps files = FileOps.create().ftp(0);
        try (TermletServer server = Termlet.server().port(0).dataDir(data).extension(files).build()) {
            server.accounts().save(Account.builder("alice").password("pw".toCharArray()).build());
            server.accounts().save(Account.builder("bob").password("pw".toCharArray()).build());
            server.start();
            assertThat(mode(data.resolve("home"))).isEqualTo("rwx------");
            try (TestClient alice = Fixture.login(server, "alice", "pw");
                    OutputStream out = alice.sftp().write("/a.txt")) {
                out.write("one".getBytes(StandardCharsets.UTF_8));
            }
            assertThat(mode(data.resolve("home/alice"))).as("made by the SFTP side").isEqualTo("rwx------");
            FTPSClient bob = new FTPSClient(false);
            bob.setTrustManager(TrustManagerUtils.getAcceptAllTrustManager());
            bob.setDefaultTimeout(20_000);
            bob.connect("127.0.0.1", files.ftpPort());
            try {
                bob.execPBSZ(0);
                bob.execPROT("P");
                assertThat(bob.login("bob", "pw")).isTrue();
                assertThat(bob.printWorkingDirectory()).isEqualTo("/");
            } finally {
                bob.disconnect();
            }
            assertThat(mode(data.resolve("home/bob"))).as("made by the FTP side").isEqualTo("rwx------");
        }
    }
}
