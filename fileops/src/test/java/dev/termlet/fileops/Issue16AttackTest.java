package dev.termlet.fileops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import dev.termlet.auth.Account;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.stream.Stream;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Attacks on the code that landed for issue 16 (atomic uploads, COMB records, SFTP extensions, hash over exec). */
class Issue16AttackTest {
    @TempDir
    Path data;

    FileOps files;
    TermletServer server;
    SshClient client;
    Path carol;

    @BeforeEach
    void start() throws Exception {
        files = FileOps.create().ftp(0).ftpAllowPlain(true);
        server = Termlet.server().port(0).dataDir(data).extension(files).build();
        server.accounts().save(Account.builder("alice").password("pw".toCharArray()).build());
        server.accounts().save(Account.builder("carol").password("pw3".toCharArray()).quota(100_000, 0).build());
        server.start();
        carol = Files.createDirectories(data.resolve("home/carol"));
        client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
        client.start();
    }

    @AfterEach
    void stop() {
        client.stop();
        server.close();
    }

    private ClientSession login(String user, String pw) throws Exception {
        return Fixture.login(client, server, user, pw);
    }

    private long onDisk(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    /**
     * AtomicUpload remembers the target's size when the upload starts and counts only the growth past it when it
     * commits. Renaming the target away while its replacement is being written leaves both files on disk with only
     * one counted: each round doubles what the user keeps past the quota.
     */
    @Test
    void renamingTheTargetAwayDuringAReplacementDoesNotLaunderTheQuota() throws Exception {
        byte[] chunk = new byte[60_000];
        try (ClientSession s = login("carol", "pw3"); SftpClient sftp = SftpClientFactory.instance().createSftpClient(s)) {
            try (OutputStream out = sftp.write("/x")) {
                out.write(chunk);
            }
            for (int round = 0; round < 3; round++) {
                try {
                    SftpClient.CloseableHandle h = sftp.open("/x", EnumSet.of(SftpClient.OpenMode.Write,
                            SftpClient.OpenMode.Create, SftpClient.OpenMode.Truncate));
                    sftp.write(h, 0, chunk);
                    sftp.rename("/x", "/kept" + round);
                    sftp.close(h);
                } catch (IOException refused) {
                    // the server may refuse the commit: that is the fix
                }
            }
        }
        assertThat(onDisk(carol)).as("bytes carol keeps with a quota of 100,000").isLessThanOrEqualTo(100_000);
    }

    /** The same with a write in place: the target renamed away before the close is counted as gone. */
    @Test
    void renamingTheTargetAwayDuringAnInPlaceWriteDoesNotLaunderTheQuota() throws Exception {
        byte[] chunk = new byte[60_000];
        try (ClientSession s = login("carol", "pw3"); SftpClient sftp = SftpClientFactory.instance().createSftpClient(s)) {
            for (int round = 0; round < 3; round++) {
                try {
                    try (OutputStream out = sftp.write("/x")) {
                        out.write(chunk);
                    }
                    SftpClient.CloseableHandle h = sftp.open("/x", EnumSet.of(SftpClient.OpenMode.Write));
                    sftp.write(h, 0, new byte[1]);
                    sftp.rename("/x", "/kept" + round);
                    sftp.close(h);
                } catch (IOException refused) {
                    // refused by the quota: expected once the count is right
                }
            }
        }
        assertThat(onDisk(carol)).as("bytes carol keeps with a quota of 100,000").isLessThanOrEqualTo(100_000);
    }
}
