package dev.termlet.fileops;

import static dev.termlet.fileops.HookTests.await;
import static dev.termlet.fileops.HookTests.lines;
import static dev.termlet.fileops.HookTests.script;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import dev.termlet.auth.Account;
import dev.termlet.fileops.HookTests.Receiver;
import dev.termlet.test.TestClient;
import java.nio.file.Path;
import java.util.List;
import org.apache.sshd.sftp.client.SftpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SFTPGo's post-connect and post-disconnect hooks. */
class ConnectionHooksTest {
    @TempDir
    Path data;

    @TempDir
    Path dir;

    TermletServer server;
    Receiver receiver;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    private void start(Hooks hooks) {
        server = Termlet.server().port(0).dataDir(data).extension(FileOps.sftp()).extension(hooks).build();
        server.accounts().save(Account.builder("alice").password("pw".toCharArray()).build());
        server.start();
    }

    @Test
    void aPostDisconnectProgramGetsTheConnectionVariables() throws Exception {
        Path log = dir.resolve("disconnects.log");
        Path hook = script(dir, "disconnect.sh", "echo \"ip=$SFTPGO_CONNECTION_IP protocol=$SFTPGO_CONNECTION_PROTOCOL"
                + " user=$SFTPGO_CONNECTION_USERNAME duration=$SFTPGO_CONNECTION_DURATION\" >> \"" + log + "\"\n");
        start(Hooks.builder().postDisconnect(hook).build());
        try (TestClient alice = Fixture.login(server, "alice", "pw")) {
            SftpClient sftp = alice.sftp();
            sftp.mkdir("x");
        }
        await("the hook ran", () -> !lines(log).isEmpty());
        assertThat(lines(log).get(0)).matches("ip=127\\.0\\.0\\.1 protocol=SSH user=alice duration=\\d+");
    }

    @Test
    void aPostConnectProgramExitingNonZeroRefusesTheConnection() throws Exception {
        Path seen = dir.resolve("connects.log");
        Path hook = script(dir, "connect.sh", "echo \"$SFTPGO_CONNECTION_IP $SFTPGO_CONNECTION_PROTOCOL\" >> \"" + seen
                + "\"\nexit 1\n");
        start(Hooks.builder().postConnect(hook).build());
        assertThatThrownBy(() -> Fixture.login(server, "alice", "pw").close())
                .isInstanceOf(Exception.class);
        assertThat(lines(seen)).containsExactly("127.0.0.1 SSH");
    }

    @Test
    void postConnectAndPostDisconnectUrlsGetSftpgosQueryParameters() throws Exception {
        receiver = new Receiver(0);
        start(Hooks.builder().postConnect(receiver.uri("/connect")).postDisconnect(receiver.uri("/disconnect?k=v"))
                .build());
        try (TestClient alice = Fixture.login(server, "alice", "pw")) {
            assertThat(alice.session().isAuthenticated()).isTrue();
        }
        await("both hooks called", () -> receiver.requests().size() == 2);
        List<Receiver.Request> r = receiver.requests();
        assertThat(r.get(0).method()).isEqualTo("GET");
        assertThat(r.get(0).uri().toString()).isEqualTo("/connect?ip=127.0.0.1&protocol=SSH");
        assertThat(r.get(1).method()).isEqualTo("GET");
        assertThat(r.get(1).uri().toString())
                .matches("/disconnect\\?k=v&ip=127\\.0\\.0\\.1&protocol=SSH&username=alice&connection_duration=\\d+");
    }
}
