package dev.termlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.annotations.OnUser;
import dev.termlet.auth.Account;
import dev.termlet.protector.Strike;
import dev.termlet.testing.HostKeyCache;
import dev.termlet.testing.Recorder;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.core.CoreModuleProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding 2: idle connections from one address must not take the unauthenticated slots of everyone, and idle
 * probes are timed out and struck. The attacker is 127.0.0.2, the good client 127.0.0.3.
 */
class LimitsAttackTest {
    @TempDir
    Path data;

    final Recorder events = new Recorder();
    final List<Socket> idle = new ArrayList<>();
    TermletServer server;
    SshClient client;

    /** Records strikes. */
    public class Watch {
        @OnUser("protector-strike")
        void strike(Strike s) {
            events.add("strike " + s.kind() + " " + s.address());
        }
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket s : idle) {
            s.close();
        }
        if (client != null) {
            client.stop();
        }
        if (server != null) {
            server.close();
        }
    }

    private void start(TermletServer.Builder b) {
        server = b.port(0).dataDir(HostKeyCache.seed(data)).register(new Watch()).build();
        server.accounts().save(Account.builder("alice").password("secret".toCharArray()).build());
        server.start();
    }

    /**
     * Opens idle TCP connections from an address and waits for each to be greeted or dropped.
     *
     * @return how many the server greeted (admitted)
     */
    static int openIdle(List<Socket> into, String from, int port, int count, String greeting) throws IOException {
        int greeted = 0;
        List<Socket> opened = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Socket s = new Socket();
            s.bind(new InetSocketAddress(from, 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            s.setSoTimeout(10_000);
            opened.add(s);
            into.add(s);
        }
        for (Socket s : opened) {
            try {
                byte[] buf = new byte[greeting.length()];
                InputStream in = s.getInputStream();
                int n = in.readNBytes(buf, 0, buf.length);
                if (n == buf.length && new String(buf, java.nio.charset.StandardCharsets.US_ASCII).equals(greeting)) {
                    greeted++;
                }
            } catch (IOException e) {
                // dropped by the server
            }
        }
        return greeted;
    }

    private void login(String from) throws IOException {
        if (client == null) {
            client = SshClient.setUpDefaultClient();
            client.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
            CoreModuleProperties.PREFERRED_AUTHS.set(client, "password");
            client.start();
        }
        try (ClientSession s = client.connect("alice", new InetSocketAddress("127.0.0.1", server.port()), null,
                new InetSocketAddress(from, 0)).verify(Duration.ofSeconds(20)).getSession()) {
            s.addPasswordIdentity("secret");
            s.auth().verify(Duration.ofSeconds(30));
            assertThat(s.isAuthenticated()).isTrue();
        }
    }

    @Test
    void idleConnectionsFromOneAddressDoNotLockOutAnotherAddress() throws Exception {
        start(Termlet.server());
        int greeted = openIdle(idle, "127.0.0.2", server.port(), 150, "SSH-2.0-");
        login("127.0.0.3");
        // the default per-address share of unauthenticated slots, below the point where random drops start (10)
        assertThat(greeted).isBetween(1, 5);
    }

    @Test
    void idleProbesAreClosedAtThePreAuthTimeoutAndStruck() throws Exception {
        start(Termlet.server().authTimeout(Duration.ofSeconds(2)));
        // one that never sends a byte, one that sends half an identification line
        Socket silent = new Socket();
        silent.bind(new InetSocketAddress("127.0.0.2", 0));
        silent.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
        idle.add(silent);
        Socket slow = new Socket();
        slow.bind(new InetSocketAddress("127.0.0.2", 0));
        slow.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
        idle.add(slow);
        slow.getOutputStream().write("SSH-2.0-Slo".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        for (Socket s : List.of(silent, slow)) {
            s.setSoTimeout(30_000);
            // the server's identification, then the end of the stream once the pre-auth time is up
            assertThat(drain(s.getInputStream())).as("closed by the server").isTrue();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (events.count(e -> e.equals("strike NO_AUTH 127.0.0.2")) < 2 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(events.count(e -> e.equals("strike NO_AUTH 127.0.0.2"))).as(events.all().toString()).isEqualTo(2);
        login("127.0.0.3");
    }

    /** Reads until the end of the stream; false if the read timed out first. */
    private static boolean drain(InputStream in) {
        try {
            while (in.read(new byte[256]) >= 0) {
                // discard
            }
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
