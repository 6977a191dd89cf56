package dev.termlet.fileops;

import static dev.termlet.fileops.HookTests.await;
import static dev.termlet.fileops.HookTests.lines;
import static dev.termlet.fileops.HookTests.script;
import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import dev.termlet.auth.Account;
import dev.termlet.fileops.HookTests.Receiver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.net.ftp.FTPSClient;
import org.apache.commons.net.util.TrustManagerUtils;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SFTPGo's hook forms that SFTPGo users rely on: ssh_cmd, protocols, logins, first transfers, provider actions. */
class SftpgoCompatTest {
    @TempDir
    Path data;

    @TempDir
    Path dir;

    TermletServer server;
    Receiver receiver;
    SshClient client;

    @BeforeEach
    void client() {
        client = HookTests.client();
    }

    @AfterEach
    void stop() {
        client.stop();
        if (server != null) {
            server.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    private void start(FileOps files, Hooks hooks) {
        server = Termlet.server().port(0).dataDir(data).extension(files).extension(hooks).build();
        server.accounts().save(Account.builder("alice").password("pw".toCharArray()).build());
        server.start();
    }

    @Test
    void anSshCmdHookGetsTheCommandAndProtocolSsh() throws Exception {
        Path log = dir.resolve("cmd.log");
        Path hook = script(dir, "cmd.sh", "echo \"$1|$5|$SFTPGO_ACTION_SSH_CMD|$SFTPGO_ACTION_PROTOCOL"
                + "|$SFTPGO_ACTION_STATUS|$SFTPGO_ACTION_VIRTUAL_PATH\" >> \"" + log + "\"\n");
        receiver = new Receiver(0);
        start(FileOps.sftp(), Hooks.builder().program(hook, "ssh_cmd").http(receiver.uri("/cmd"), "ssh_cmd").build());
        Files.createDirectories(data.resolve("home/alice"));
        Files.writeString(data.resolve("home/alice/a.txt"), "hash me");
        try (ClientSession s = HookTests.login(client, server.port(), "alice", "pw")) {
            s.executeRemoteCommand("sha256sum a.txt");
        }
        await("the program ran", () -> !lines(log).isEmpty());
        assertThat(lines(log)).containsExactly("ssh_cmd|sha256sum a.txt|sha256sum a.txt|SSH|1|/a.txt");
        await("the URL was called", () -> !receiver.requests().isEmpty());
        var json = receiver.requests().get(0).json();
        assertThat(json.path("action").asText()).isEqualTo("ssh_cmd");
        assertThat(json.path("ssh_cmd").asText()).isEqualTo("sha256sum a.txt");
        assertThat(json.path("protocol").asText()).isEqualTo("SSH");
    }

    /** An FTPS client (explicit TLS) logged in to the test server. */
    private FTPSClient ftpLogin(FileOps files, String user, String password) throws Exception {
        FTPSClient c = new FTPSClient(false);
        c.setTrustManager(TrustManagerUtils.getAcceptAllTrustManager());
        c.setConnectTimeout(10_000);
        c.setDefaultTimeout(20_000);
        c.connect("127.0.0.1", files.ftpPort());
        c.setSoTimeout(20_000);
        c.execPBSZ(0);
        c.execPROT("P");
        c.login(user, password);
        return c;
    }

    @Test
    void postConnectAndPostDisconnectReportFtpForFtpConnections() throws Exception {
        Path log = dir.resolve("conn.log");
        Path connect = script(dir, "connect.sh", "echo \"connect $SFTPGO_CONNECTION_IP $SFTPGO_CONNECTION_PROTOCOL\" >> \""
                + log + "\"\n");
        Path disconnect = script(dir, "disconnect.sh", "echo \"disconnect $SFTPGO_CONNECTION_PROTOCOL"
                + " $SFTPGO_CONNECTION_USERNAME\" >> \"" + log + "\"\n");
        FileOps files = FileOps.create().ftp(0);
        start(files, Hooks.builder().postConnect(connect).postDisconnect(disconnect).build());
        FTPSClient c = ftpLogin(files, "alice", "pw");
        assertThat(c.getReplyCode()).as(c.getReplyString()).isEqualTo(230);
        c.logout();
        c.disconnect();
        await("both hooks ran", () -> lines(log).size() == 2);
        assertThat(lines(log)).containsExactly("connect 127.0.0.1 FTP", "disconnect FTP alice");
        try (ClientSession s = HookTests.login(client, server.port(), "alice", "pw")) {
            assertThat(s.isAuthenticated()).isTrue();
        }
        await("both hooks ran for SSH", () -> lines(log).size() == 4);
        assertThat(lines(log).subList(2, 4)).containsExactly("connect 127.0.0.1 SSH", "disconnect SSH alice");
    }
}
