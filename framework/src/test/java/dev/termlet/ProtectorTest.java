package dev.termlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.termlet.annotations.OnUser;
import dev.termlet.auth.Account;
import dev.termlet.protector.Ban;
import dev.termlet.protector.ProtectorSettings;
import dev.termlet.protector.Strike;
import dev.termlet.testing.HostKeyCache;
import dev.termlet.testing.Recorder;
import dev.termlet.testing.Ssh;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The protector and limits against real clients over loopback. */
class ProtectorTest {
    @TempDir
    Path data;

    final Recorder events = new Recorder();
    TermletServer server;

    /** Records the protector's events. */
    public class Watch {
        @OnUser("protector-strike")
        void strike(Strike s) {
            events.add("strike " + s.kind() + " " + s.score());
        }

        @OnUser("blocklist-add")
        void add(Ban b) {
            events.add("ban " + b.address() + " " + b.offences());
        }

        @OnUser("blocklist-hit")
        void hit(Ban b) {
            events.add("hit " + b.address());
        }
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void start(TermletServer.Builder b) {
        server = b.port(0).dataDir(HostKeyCache.seed(data)).register(new Watch()).build();
        server.accounts().save(Account.builder("alice").password("secret".toCharArray()).build());
        server.start();
    }

    /** Reads what the server sends first: its identification, or nothing when it closes at once. */
    private String greeting() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(5000);
            InputStream in = s.getInputStream();
            byte[] buf = new byte[256];
            int n;
            try {
                n = in.read(buf);
            } catch (SocketException e) {
                return "";
            }
            return n <= 0 ? "" : new String(buf, 0, n, StandardCharsets.US_ASCII);
        }
    }

    @Test
    void bruteForceIsBannedBeforeKeyExchangeAndReleasedAfterTheBan() throws Exception {
        start(Termlet.server().protector(new ProtectorSettings().threshold(5).banTime(Duration.ofSeconds(3))
                .failureDelay(Duration.ZERO)).maxAuthAttempts(3));
        assertThat(greeting()).startsWith("SSH-2.0-Termlet");
        int refused = 0;
        for (int i = 0; i < 10 && events.count(e -> e.startsWith("ban ")) == 0; i++) {
            try (Ssh ssh = Ssh.password(server.port(), "alice", "wrong" + i)) {
                throw new AssertionError("a wrong password was accepted");
            } catch (java.io.IOException | RuntimeException e) {
                refused++;
            }
        }
        events.await("ban 127.0.0.1 1");
        assertThat(refused).isGreaterThanOrEqualTo(1);
        // refused before any SSH exchange: the server does not even send its identification
        assertThat(greeting()).isEmpty();
        assertThatThrownBy(() -> Ssh.password(server.port(), "alice", "secret")).isNotNull();
        events.await("hit 127.0.0.1");
        assertThat(server.protector().bans()).extracting(Ban::address).contains("127.0.0.1");
        Thread.sleep(3200);
        try (Ssh ssh = Ssh.password(server.port(), "alice", "secret")) {
            assertThat(ssh.exec("whoami", null).out()).isEqualTo("alice\n");
        }
    }

    @Test
    void blockListRefusesAtOnceAndAdminsManageBans() throws Exception {
        start(Termlet.server());
        server.accounts().save(Account.builder("root").password("secret".toCharArray()).addPermission("admin").build());
        try (Ssh root = Ssh.password(server.port(), "root", "secret")) {
            assertThat(root.exec("bans add 198.51.100.7 --for 10m", null).out()).startsWith("Banned 198.51.100.7 until");
            assertThat(root.exec("bans list", null).out()).contains("198.51.100.7");
            assertThat(root.exec("bans lift 198.51.100.7", null).out()).isEqualTo("Ban of 198.51.100.7 lifted.\n");
            assertThat(root.exec("bans block nonsense", null).status()).isEqualTo(2);
            assertThat(root.exec("bans block 127.0.0.0/8", null).out()).isEqualTo("Blocked 127.0.0.0/8.\n");
        }
        assertThat(greeting()).isEmpty();
        events.await("hit 127.0.0.1");
        server.protector().unblock("127.0.0.0/8");
        assertThat(greeting()).startsWith("SSH-2.0-");
        try (Ssh alice = Ssh.password(server.port(), "alice", "secret")) {
            assertThat(alice.exec("bans list", null).status()).isEqualTo(126);
        }
    }

    @Test
    void floodOfUnauthenticatedConnectionsIsCappedAndTheServerGoesOn() throws Exception {
        start(Termlet.server().maxUnauthenticated(20).maxSessionsPerAddress(1000)
                .protector(new ProtectorSettings().enabled(false)));
        List<Socket> flood = new ArrayList<>();
        int greeted = 0;
        try {
            for (int i = 0; i < 150; i++) {
                Socket s = new Socket("127.0.0.1", server.port());
                s.setSoTimeout(3000);
                flood.add(s);
            }
            for (Socket s : flood) {
                try {
                    int n = s.getInputStream().read(new byte[64]);
                    if (n > 0) {
                        greeted++;
                    }
                } catch (java.io.IOException e) {
                    // refused
                }
            }
            assertThat(greeted).isLessThanOrEqualTo(20).isGreaterThan(0);
        } finally {
            for (Socket s : flood) {
                s.close();
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (server.connectionCount() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(server.connectionCount()).isZero();
        try (Ssh ssh = Ssh.password(server.port(), "alice", "secret")) {
            assertThat(ssh.exec("whoami", null).out()).isEqualTo("alice\n");
        }
    }

    @Test
    void unknownUsersAndGarbageEarnStrikes() throws Exception {
        start(Termlet.server().protector(new ProtectorSettings().failureDelay(Duration.ZERO)));
        assertThatThrownBy(() -> Ssh.password(server.port(), "nobody", "x")).isNotNull();
        events.await("strike UNKNOWN_USER");
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            s.setSoTimeout(5000);
            while (s.getInputStream().read(new byte[512]) >= 0) {
                // until the server drops it
            }
        } catch (SocketException e) {
            // reset
        }
        events.await(e -> e.startsWith("strike PROTOCOL") || e.startsWith("strike NO_AUTH"), Duration.ofSeconds(10));
    }
}
