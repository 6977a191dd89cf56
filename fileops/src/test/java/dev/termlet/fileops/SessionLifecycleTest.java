package dev.termlet.fileops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.termlet.Client;
import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import dev.termlet.annotations.OnUser;
import dev.termlet.auth.Account;
import dev.termlet.event.ConnectionClosed;
import dev.termlet.test.TestClient;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.commons.net.ftp.FTPSClient;
import org.apache.commons.net.util.TrustManagerUtils;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every session, whatever its protocol, fires {@code disconnected} exactly once when it ends; {@code open-sftp}
 * can refuse SFTP; {@code software-id} changes the identification the server sends.
 */
class SessionLifecycleTest {
    @TempDir
    Path data;

    @TempDir
    Path clientDir;

    Fixture fx;
    TermletServer server;
    FileOps files;

    /** Records session starts and ends. */
    public class Handlers {
        @OnUser("connectsftp")
        void sftp(Client c) {
            fx.add("connectsftp " + c.sessionId());
        }

        @OnUser("OnConnectionClose")
        void disconnected(Client c) {
            fx.add("disconnected " + c.sessionId() + " " + c.user());
        }

        @OnUser("connection-closed")
        void closed(ConnectionClosed c) {
            fx.add("closed " + c.protocol() + " " + c.user());
        }

        @OnUser("BeforeOpenSFTP")
        boolean openSftp(Client c) {
            fx.add("open-sftp " + c.user());
            return !c.user().equals("bob");
        }

        @OnUser("BeforeSendSoftwareID")
        String softwareId(InetSocketAddress from, String standard) {
            fx.add("software-id " + standard);
            return "Custom_2.5 made-for " + from.getAddress().getHostAddress();
        }
    }

    @BeforeEach
    void start() throws Exception {
        fx = new Fixture(clientDir);
        files = FileOps.create().ftp(0).ftpAllowPlain(true);
        server = Termlet.server().port(0).dataDir(data).extension(files).register(new Handlers()).start();
        for (String user : new String[] {"alice", "bob"}) {
            server.accounts().save(Account.builder(user).password("pw".toCharArray())
                    .addAuthorizedKey(fx.publicKey()).build());
        }
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private long count(String prefix) {
        return fx.events().stream().filter(e -> e.startsWith(prefix)).count();
    }

    /** Waits for the connection's end, after which no further disconnected can come for its sessions. */
    private void awaitClosed(String protocol, String user, int n) throws Exception {
        assertThat(fx.await(e -> fx.events().stream().filter(x -> x.equals("closed " + protocol + " " + user))
                .count() >= n)).as(fx.events().toString()).isTrue();
    }

    /**
     * Asserts that, at the moment each connection's {@code connection-closed} was recorded, at least as many
     * {@code disconnected} had been recorded as the sessions of the connections closed so far: no session ends
     * after its connection.
     */
    private void assertDisconnectedFirst(String protocol, String user, int sessionsPerConnection) {
        java.util.List<String> events = fx.events();
        int disconnected = 0;
        int closed = 0;
        for (String e : events) {
            if (e.startsWith("disconnected ")) {
                disconnected++;
            } else if (e.equals("closed " + protocol + " " + user)) {
                closed++;
                assertThat(disconnected).as("disconnected before connection-closed #" + closed + ": " + events)
                        .isGreaterThanOrEqualTo(closed * sessionsPerConnection);
            }
        }
    }

    @Test
    void sftpSessionsEndWithOneDisconnectedEach() throws Exception {
        sftpSessionsEndBeforeTheirConnection();
    }

    /** The second SFTP channel is closed just before the connection: its disconnected still comes first. */
    @org.junit.jupiter.api.RepeatedTest(20)
    void sftpDisconnectedAlwaysPrecedesConnectionClosed() throws Exception {
        sftpSessionsEndBeforeTheirConnection();
    }

    private void sftpSessionsEndBeforeTheirConnection() throws Exception {
        try (TestClient alice = Fixture.login(server, "alice", "pw")) {
            // two SFTP channels on the connection, one after the other
            try (SftpClient sftp = SftpClientFactory.instance().createSftpClient(alice.session())) {
                sftp.mkdir("/one");
            }
            try (SftpClient sftp = SftpClientFactory.instance().createSftpClient(alice.session())) {
                sftp.rmdir("/one");
            }
        }
        awaitClosed("SSH", "alice", 1);
        assertThat(count("connectsftp ")).isEqualTo(2);
        // both channels' disconnected came before the connection's connection-closed, which was awaited
        assertThat(fx.events().stream().filter(e -> e.startsWith("disconnected ")))
                .hasSize(2).allMatch(e -> e.matches("disconnected .*/sftp\\d+ alice")).doesNotHaveDuplicates();
        assertDisconnectedFirst("SSH", "alice", 2);
    }

    @Test
    void openSftpRefusesTheSubsystem() throws Exception {
        try (TestClient bob = Fixture.login(server, "bob", "pw")) {
            // the subsystem itself is refused: TestClient cannot open SFTP
            assertThatThrownBy(() -> bob.sftp().mkdir("/nope")).isInstanceOf(UncheckedIOException.class)
                    .hasCauseInstanceOf(java.io.IOException.class);
        }
        awaitClosed("SSH", "bob", 1);
        assertThat(fx.events()).contains("open-sftp bob").noneMatch(e -> e.startsWith("connectsftp"))
                .noneMatch(e -> e.startsWith("disconnected"));
        assertThat(Files.exists(data.resolve("home/bob/nope"))).isFalse();
        // OpenSSH's sftp too: refused before anything is answered
        assertThat(fx.sftp(server, "bob", "mkdir /nope\n")).doesNotContain("sftp> mkdir");
        assertThat(Files.exists(data.resolve("home/bob/nope"))).isFalse();
    }

    @Test
    void scpCommandsEndWithOneDisconnectedEach() throws Exception {
        Path local = clientDir.resolve("a.txt");
        Files.writeString(local, "hello");
        Fixture.Result up = fx.scp(server, local.toString(), "alice@127.0.0.1:/a.txt");
        assertThat(up.status()).as(up.out()).isZero();
        Fixture.Result down = fx.scp(server, "alice@127.0.0.1:/a.txt", clientDir.resolve("b.txt").toString());
        assertThat(down.status()).as(down.out()).isZero();
        awaitClosed("SSH", "alice", 2);
        assertThat(fx.events().stream().filter(e -> e.startsWith("disconnected ")))
                .hasSize(2).allMatch(e -> e.matches("disconnected .*/scp\\d+ alice"));
        assertDisconnectedFirst("SSH", "alice", 1);
    }

    @Test
    void execAndShellSessionsEndWithOneDisconnectedEach() throws Exception {
        try (TestClient alice = Fixture.login(server, "alice", "pw").defaultTimeout(Duration.ofSeconds(20))) {
            for (String command : new String[] {"whoami", "nosuchcommand"}) {
                alice.exec(command);
            }
            alice.typeLine("exit");
            assertThat(alice.awaitClosed(Duration.ofSeconds(20))).as("the shell ended").isTrue();
        }
        awaitClosed("SSH", "alice", 1);
        assertThat(fx.events().stream().filter(e -> e.startsWith("disconnected "))).hasSize(3)
                .allMatch(e -> e.endsWith(" alice")).doesNotHaveDuplicates();
        assertDisconnectedFirst("SSH", "alice", 3);
    }

    @Test
    void ftpLoginsEndWithOneDisconnected() throws Exception {
        FTPSClient c = new FTPSClient(false);
        c.setTrustManager(TrustManagerUtils.getAcceptAllTrustManager());
        c.connect("127.0.0.1", files.ftpPort());
        c.execPBSZ(0);
        c.execPROT("P");
        assertThat(c.login("alice", "pw")).isTrue();
        assertThat(c.makeDirectory("d")).isTrue();
        c.logout();
        c.disconnect();
        // a connection that never logs in is no session
        FTPSClient anonymous = new FTPSClient(false);
        anonymous.setTrustManager(TrustManagerUtils.getAcceptAllTrustManager());
        anonymous.connect("127.0.0.1", files.ftpPort());
        anonymous.disconnect();
        awaitClosed("FTP", "alice", 1);
        awaitClosed("FTP", "null", 1);
        assertThat(fx.events().stream().filter(e -> e.startsWith("disconnected ")))
                .containsExactly("disconnected " + fx.events().stream().filter(e -> e.startsWith("disconnected "))
                        .findFirst().orElseThrow().substring("disconnected ".length()));
        assertThat(fx.events()).anyMatch(e -> e.matches("disconnected .*/ftp alice"));
        assertThat(fx.events().indexOf(fx.events().stream().filter(e -> e.startsWith("disconnected ")).findFirst()
                .orElseThrow())).isLessThan(fx.events().indexOf("closed FTP alice"));
    }

    @Test
    void softwareIdHandlerChangesTheIdentification() throws Exception {
        try (TestClient alice = Fixture.login(server, "alice", "pw")) {
            assertThat(alice.session().getServerVersion()).isEqualTo("SSH-2.0-Custom_2.5 made-for 127.0.0.1");
        }
        assertThat(fx.events()).contains("software-id Termlet");
    }
}
