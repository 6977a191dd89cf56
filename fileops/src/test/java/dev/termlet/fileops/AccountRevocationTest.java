package dev.termlet.fileops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import dev.termlet.auth.Account;
import dev.termlet.auth.JsonAccountStore;
import dev.termlet.test.TestClient;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPSClient;
import org.apache.commons.net.util.TrustManagerUtils;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession.ClientSessionEvent;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Account changes reach open file sessions: removing or disabling an account closes its SFTP, SCP and FTP sessions
 * (never leaving them without limits), a narrowed permission applies to the next operation, and a re-created
 * account's quota is counted afresh.
 */
class AccountRevocationTest {
    @TempDir
    Path data;

    TermletServer server;
    /** The store under the server, to change accounts behind its back (as another node sharing a database would). */
    JsonAccountStore raw;
    FileOps files;

    @BeforeEach
    void start() {
        files = FileOps.create().ftp(0);
        raw = JsonAccountStore.open(data);
        server = Termlet.server().port(0).dataDir(data).accounts(raw).extension(files).build();
        server.accounts().save(alice().build());
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static Account.Builder alice() {
        return Account.builder("alice").password("pw".toCharArray());
    }

    private Account stored() {
        return server.accounts().find("alice").orElseThrow();
    }

    private TestClient ssh() {
        return Fixture.login(server, "alice", "pw");
    }

    private FTPSClient ftp() throws Exception {
        FTPSClient c = new FTPSClient(false);
        c.setTrustManager(TrustManagerUtils.getAcceptAllTrustManager());
        c.setConnectTimeout(10_000);
        c.setDefaultTimeout(20_000);
        c.connect("127.0.0.1", files.ftpPort());
        c.setSoTimeout(20_000);
        c.execPBSZ(0);
        c.execPROT("P");
        assertThat(c.login("alice", "pw")).as(c.getReplyString()).isTrue();
        c.enterLocalPassiveMode();
        c.setFileType(FTP.BINARY_FILE_TYPE);
        return c;
    }

    private static void write(SftpClient sftp, String path, String text) throws IOException {
        try (OutputStream out = sftp.write(path)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static ByteArrayInputStream bytes(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether an FTP command still succeeds: false when refused or when the connection is gone. */
    private static boolean ftpStores(FTPSClient ftp, String name) {
        try {
            return ftp.storeFile(name, bytes("after"));
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean ftpAnswers(FTPSClient ftp) {
        try {
            return ftp.isConnected() && ftp.sendNoOp();
        } catch (IOException e) {
            return false;
        }
    }

    private Path home() {
        return data.resolve("home/alice");
    }

    /** Opens SFTP, SCP and FTP sessions, changes the account, and checks that all of them ended. */
    private void sessionsEndWhen(Runnable change) throws Exception {
        try (TestClient alice = ssh()) {
            SftpClient sftp = alice.sftp();
            write(sftp, "/before.txt", "before");
            // an SCP upload waiting for its first file
            ChannelExec scp = alice.session().createExecChannel("scp -t /");
            scp.setOut(new ByteArrayOutputStream());
            scp.open().verify(Duration.ofSeconds(10));
            FTPSClient ftp = ftp();
            try {
                assertThat(ftp.storeFile("ftp-before.txt", bytes("before"))).isTrue();
                change.run();
                assertThat(alice.session().waitFor(EnumSet.of(ClientSessionEvent.CLOSED), Duration.ofSeconds(10)))
                        .as("the SSH connection (SFTP and SCP) is closed").contains(ClientSessionEvent.CLOSED);
                assertThat(scp.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), Duration.ofSeconds(10)))
                        .contains(ClientChannelEvent.CLOSED);
                assertThatThrownBy(() -> write(sftp, "/after.txt", "after")).isInstanceOf(IOException.class);
                assertThatThrownBy(() -> sftp.stat("/before.txt")).isInstanceOf(IOException.class);
                assertThat(ftpStores(ftp, "ftp-after.txt")).as("FTP session ended").isFalse();
                assertThat(ftpAnswers(ftp)).as("FTP control connection closed").isFalse();
            } finally {
                try {
                    ftp.disconnect();
                } catch (IOException e) {
                    // already closed by the server
                }
            }
        }
        assertThat(home().resolve("after.txt")).doesNotExist();
        assertThat(home().resolve("ftp-after.txt")).doesNotExist();
        assertThat(home().resolve("before.txt")).as("files are data: kept").hasContent("before");
    }

    @Test
    void removingTheAccountEndsItsSftpScpAndFtpSessions() throws Exception {
        sessionsEndWhen(() -> assertThat(server.accounts().remove("alice")).isTrue());
    }

    @Test
    void disablingTheAccountEndsItsSftpScpAndFtpSessions() throws Exception {
        sessionsEndWhen(() -> server.accounts().save(stored().toBuilder().enabled(false).build()));
        assertThatThrownBy(this::ssh).isInstanceOf(UncheckedIOException.class).hasCauseInstanceOf(IOException.class);
    }

    @Test
    void anAccountRemovedBehindTheServersBackIsRefusedNotUnrestricted() throws Exception {
        server.accounts().save(stored().toBuilder().readOnly().build());
        Files.createDirectories(home());
        Files.writeString(home().resolve("a.txt"), "one");
        try (TestClient alice = ssh()) {
            SftpClient sftp = alice.sftp();
            FTPSClient ftp = ftp();
            try {
                assertThatThrownBy(() -> write(sftp, "/b.txt", "two")).isInstanceOf(SftpException.class);
                assertThat(raw.remove("alice")).isTrue(); // no event: the sessions stay open
                assertThatThrownBy(() -> write(sftp, "/b.txt", "two")).isInstanceOf(SftpException.class)
                        .matches(e -> ((SftpException) e).getStatus() == SftpConstants.SSH_FX_PERMISSION_DENIED);
                assertThatThrownBy(() -> sftp.read("/a.txt").readAllBytes()).isInstanceOf(SftpException.class);
                assertThat(ftpStores(ftp, "g.txt")).isFalse();
            } finally {
                try {
                    ftp.disconnect();
                } catch (IOException e) {
                    // the server may have closed it
                }
            }
        }
        assertThat(home().resolve("b.txt")).doesNotExist();
        assertThat(home().resolve("g.txt")).doesNotExist();
    }

    @Test
    void aNarrowedPermissionAppliesToTheNextOperation() throws Exception {
        try (TestClient alice = ssh()) {
            SftpClient sftp = alice.sftp();
            write(sftp, "/a.txt", "one");
            FTPSClient ftp = ftp();
            try {
                assertThat(ftp.storeFile("f.txt", bytes("one"))).isTrue();
                server.accounts().save(stored().toBuilder().readOnly().build());
                assertThatThrownBy(() -> write(sftp, "/b.txt", "two")).isInstanceOf(SftpException.class)
                        .matches(e -> ((SftpException) e).getStatus() == SftpConstants.SSH_FX_PERMISSION_DENIED);
                assertThat(sftp.stat("/a.txt").getSize()).as("reading is still allowed").isEqualTo(3);
                assertThat(ftp.storeFile("g.txt", bytes("two"))).isFalse();
                assertThat(ftp.getReplyCode()).isEqualTo(550);
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                assertThat(ftp.retrieveFile("f.txt", got)).isTrue();
                assertThat(alice.session().isOpen()).as("narrowing does not end sessions").isTrue();
            } finally {
                ftp.disconnect();
            }
        }
        assertThat(home().resolve("b.txt")).doesNotExist();
        assertThat(home().resolve("g.txt")).doesNotExist();
    }

    @Test
    void aReCreatedAccountHasItsQuotaUsageCountedAfresh() throws Exception {
        server.accounts().save(stored().toBuilder().quota(100, 0).build());
        try (TestClient alice = ssh()) {
            SftpClient sftp = alice.sftp();
            write(sftp, "/big.txt", "x".repeat(80));
        }
        assertThat(server.accounts().remove("alice")).isTrue();
        // the administrator clears the old files by hand (Termlet keeps them), then makes a new alice
        Files.delete(home().resolve("big.txt"));
        server.accounts().save(alice().quota(100, 0).build());
        try (TestClient alice = ssh()) {
            SftpClient sftp = alice.sftp();
            write(sftp, "/new.txt", "y".repeat(80));
        }
        assertThat(home().resolve("new.txt")).hasContent("y".repeat(80));
    }
}
