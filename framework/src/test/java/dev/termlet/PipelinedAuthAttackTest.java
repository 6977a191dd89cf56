package dev.termlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.annotations.OnUser;
import dev.termlet.auth.Account;
import dev.termlet.protector.ProtectorSettings;
import dev.termlet.testing.HostKeyCache;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.client.session.ClientSession.ClientSessionEvent;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.core.CoreModuleProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding 12: pipelined password attempts from one address must not starve logins from another. The flood
 * sends its wrong passwords as raw {@code SSH_MSG_USERAUTH_REQUEST} packets without waiting for the answers
 * (RFC 4252 allows it), so that each connection has several Argon2 checks outstanding at once.
 */
class PipelinedAuthAttackTest {
    private static final int FLOOD_CONNECTIONS = 60;
    private static final int ATTEMPTS_EACH = 6;

    @TempDir
    Path data;

    TermletServer server;
    final List<SshClient> clients = new ArrayList<>();

    @AfterEach
    void stop() {
        clients.forEach(SshClient::stop);
        if (server != null) {
            server.close();
        }
    }

    private SshClient client() {
        SshClient c = SshClient.setUpDefaultClient();
        c.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
        CoreModuleProperties.PREFERRED_AUTHS.set(c, "password");
        c.start();
        clients.add(c);
        return c;
    }

    private ClientSession connect(SshClient c, String user, String from) throws Exception {
        return c.connect(user, new InetSocketAddress("127.0.0.1", server.port()), null,
                new InetSocketAddress(from, 0)).verify(Duration.ofSeconds(30)).getSession();
    }

    /** Records the order in which the server decides attempts (the auth event runs in each decision). */
    public class Order {
        @OnUser("auth")
        void decided(AuthRequest r) {
            synchronized (decisions) {
                decisions.add(r.user());
                decisions.notifyAll();
            }
        }
    }

    final List<String> decisions = new ArrayList<>();

    @Test
    void pipelinedPasswordFloodFromOneAddressDoesNotStarveAnotherAddress() throws Exception {
        // Admission is opened wide and the protector is off, so that this test exercises the auth scheduling
        // alone: every flood connection gets in and no ban ends the flood early.
        server = Termlet.server().port(0).dataDir(HostKeyCache.seed(data)).register(new Order())
                .maxUnauthenticated(1000).maxUnauthenticatedPerAddress(1000).maxAuthAttempts(ATTEMPTS_EACH)
                .protector(new ProtectorSettings().enabled(false)).build();
        server.accounts().save(Account.builder("alice").password("secret".toCharArray()).build());
        server.accounts().save(Account.builder("bob").password("bob-secret".toCharArray()).build());
        server.start();

        SshClient flood = client();
        List<ClientSession> sessions = new ArrayList<>();
        for (int i = 0; i < FLOOD_CONNECTIONS; i++) {
            ClientSession s = connect(flood, "alice", "127.0.0.2");
            s.waitFor(EnumSet.of(ClientSessionEvent.WAIT_AUTH, ClientSessionEvent.CLOSED), Duration.ofSeconds(30));
            sessions.add(s);
        }
        // every connection sends all its attempts at once, without waiting for an answer
        for (ClientSession s : sessions) {
            for (int a = 0; a < ATTEMPTS_EACH; a++) {
                Buffer b = s.createBuffer(SshConstants.SSH_MSG_USERAUTH_REQUEST);
                b.putString("alice");
                b.putString("ssh-connection");
                b.putString("password");
                b.putBoolean(false);
                b.putString("wrong-" + a);
                s.writePacket(b);
            }
        }
        // the flood is being checked before the good client comes
        synchronized (decisions) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (decisions.size() < 10 && System.nanoTime() < deadline) {
                decisions.wait(100);
            }
            assertThat(decisions).hasSizeGreaterThanOrEqualTo(10);
        }

        SshClient good = client();
        long t0 = System.nanoTime();
        try (ClientSession s = connect(good, "bob", "127.0.0.3")) {
            s.addPasswordIdentity("bob-secret");
            // a generous bound: the old code made this login wait for the flood's whole queue (32 s on a 2-core
            // machine for 360 Argon2 checks); now it waits for at most the checks already running
            s.auth().verify(Duration.ofSeconds(20));
            assertThat(s.isAuthenticated()).isTrue();
        }
        System.out.println("login from 127.0.0.3 during the flood took "
                + Duration.ofNanos(System.nanoTime() - t0).toMillis() + " ms");
        // and, whatever the machine's speed: the good attempt was decided before most of the flood, not after it
        int position;
        synchronized (decisions) {
            position = decisions.indexOf("bob");
        }
        System.out.println("decisions before bob's: " + position);
        assertThat(position).as("decisions before bob's").isBetween(0, FLOOD_CONNECTIONS * ATTEMPTS_EACH / 2);
    }
}
