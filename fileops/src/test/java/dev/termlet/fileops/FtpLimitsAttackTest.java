package dev.termlet.fileops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import dev.termlet.annotations.OnUser;
import dev.termlet.auth.Account;
import dev.termlet.protector.Strike;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.net.ftp.FTPSClient;
import org.apache.commons.net.util.TrustManagerUtils;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.core.CoreModuleProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding 2, FTP side: idle FTP connections from one address (127.0.0.2) must not lock out logins from another
 * (127.0.0.3); SSH and FTP share one accounting of unauthenticated connections; an FTP client that does not log
 * in within the auth timeout is closed and struck.
 */
class FtpLimitsAttackTest {
    @TempDir
    Path data;

    final Fixture fx = new Fixture((Void) null);
    final List<Socket> idle = new ArrayList<>();
    TermletServer server;
    FileOps files;
    SshClient ssh;

    /** Records strikes. */
    public class Watch {
        @OnUser("protector-strike")
        void strike(Strike s) {
            fx.add("strike " + s.kind() + " " + s.address());
        }
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket s : idle) {
            s.close();
        }
        if (ssh != null) {
            ssh.stop();
        }
        if (server != null) {
            server.close();
        }
    }

    private void start(TermletServer.Builder b) {
        files = FileOps.create().ftp(0);
        server = b.port(0).dataDir(data).extension(files).register(new Watch()).build();
        server.accounts().save(Account.builder("alice").password("secret".toCharArray()).build());
        server.start();
    }

    /** Opens idle connections from an address; returns how many the server greeted with its first line. */
    private int openIdle(String from, int port, int count, String greeting) throws IOException {
        List<Socket> opened = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Socket s = new Socket();
            s.bind(new InetSocketAddress(from, 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            s.setSoTimeout(10_000);
            opened.add(s);
            idle.add(s);
        }
        int greeted = 0;
        for (Socket s : opened) {
            try {
                byte[] buf = s.getInputStream().readNBytes(greeting.length());
                if (new String(buf, StandardCharsets.US_ASCII).equals(greeting)) {
                    greeted++;
                }
            } catch (IOException e) {
                // dropped
            }
        }
        return greeted;
    }

    private void ftpLogin(String from) throws Exception {
        FTPSClient c = new FTPSClient(false);
        c.setTrustManager(TrustManagerUtils.getAcceptAllTrustManager());
        c.setConnectTimeout(10_000);
        c.setDefaultTimeout(20_000);
        InetAddress local = InetAddress.getByName(from);
        c.connect(InetAddress.getByName("127.0.0.1"), files.ftpPort(), local, 0);
        try {
            c.setSoTimeout(20_000);
            c.execPBSZ(0);
            c.execPROT("P");
            assertThat(c.login("alice", "secret")).as(c.getReplyString()).isTrue();
            c.setPassiveLocalIPAddress(local);
            c.enterLocalPassiveMode();
            assertThat(c.listFiles("/")).isNotNull();
            assertThat(c.getReplyCode()).isEqualTo(226);
            c.logout();
        } finally {
            c.disconnect();
        }
    }

    private void sshLogin(String from) throws Exception {
        if (ssh == null) {
            ssh = SshClient.setUpDefaultClient();
            ssh.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
            CoreModuleProperties.PREFERRED_AUTHS.set(ssh, "password");
            ssh.start();
        }
        try (ClientSession s = ssh.connect("alice", new InetSocketAddress("127.0.0.1", server.port()), null,
                new InetSocketAddress(from, 0)).verify(Duration.ofSeconds(20)).getSession()) {
            s.addPasswordIdentity("secret");
            s.auth().verify(Duration.ofSeconds(30));
            assertThat(s.isAuthenticated()).isTrue();
        }
    }

    @Test
    void idleFtpConnectionsFromOneAddressDoNotLockOutAnotherAddress() throws Exception {
        start(Termlet.server());
        int greeted = openIdle("127.0.0.2", files.ftpPort(), 150, "220");
        ftpLogin("127.0.0.3");
        sshLogin("127.0.0.3");
        assertThat(greeted).isBetween(1, 5);
    }

    @Test
    void sshAndFtpShareOneAccountingOfUnauthenticatedConnections() throws Exception {
        start(Termlet.server());
        int ftp = openIdle("127.0.0.2", files.ftpPort(), 100, "220");
        int sshGreeted = openIdle("127.0.0.2", server.port(), 100, "SSH-2.0-");
        ftpLogin("127.0.0.3");
        sshLogin("127.0.0.3");
        // one per-address share across both protocols
        assertThat(ftp + sshGreeted).isBetween(1, 5);
    }

    @Test
    void anFtpClientThatDoesNotLogInIsClosedAtTheAuthTimeoutAndStruck() throws Exception {
        start(Termlet.server().authTimeout(Duration.ofSeconds(2)));
        Socket s = new Socket();
        s.bind(new InetSocketAddress("127.0.0.2", 0));
        s.connect(new InetSocketAddress("127.0.0.1", files.ftpPort()), 10_000);
        idle.add(s);
        s.setSoTimeout(30_000);
        InputStream in = s.getInputStream();
        // keep the control connection busy with NOOPs, which an idle timeout would count as activity
        s.getOutputStream().write("NOOP\r\n".getBytes(StandardCharsets.US_ASCII));
        boolean closed = false;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        try {
            while (in.read(new byte[256]) >= 0 && System.nanoTime() < deadline) {
                Thread.sleep(200);
                s.getOutputStream().write("NOOP\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            closed = System.nanoTime() < deadline;
        } catch (SocketTimeoutException e) {
            closed = false;
        } catch (IOException e) {
            closed = true;
        }
        assertThat(closed).as("closed by the server").isTrue();
        assertThat(fx.await("strike NO_AUTH 127.0.0.2")).isTrue();
        ftpLogin("127.0.0.3");
    }
}
