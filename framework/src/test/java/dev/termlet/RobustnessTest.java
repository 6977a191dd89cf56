package dev.termlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.annotations.OnUser;
import dev.termlet.auth.Account;
import dev.termlet.testing.HostKeyCache;
import dev.termlet.testing.Recorder;
import dev.termlet.testing.Ssh;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input and faults: each session copes, and the server and other sessions go on. */
class RobustnessTest {
    @TempDir
    Path data;

    final Recorder events = new Recorder();
    TermletServer server;

    /** Handlers under stress. */
    public class Handlers {
        @OnUser("command")
        void command(Client c, String line) throws Exception {
            if (line.equals("hello")) {
                c.println("world!");
            } else if (line.equals("big")) {
                c.print("x".repeat(5 << 20));
                c.println("\nEND");
            } else if (line.equals("block")) {
                events.add("blocking " + c.sessionId());
                Thread.sleep(3000);
                c.println("unblocked");
            } else {
                events.add("command " + line.length() + " " + line.substring(0, Math.min(20, line.length())));
                c.println("len " + line.length());
            }
        }

        @OnUser("resized")
        void resized(WindowSize s) {
            events.add("resized " + s.columns() + "x" + s.rows());
        }

        @OnUser("timeout")
        void timeout(Client c) {
            events.add("timeout");
        }

        @OnUser("disconnected")
        void disconnected(Client c) {
            events.add("disconnected " + c.sessionId());
        }
    }

    @BeforeEach
    void start() {
        // manyConcurrentSessions logs 20 clients in at once from one address: more than the default per-address
        // share of unauthenticated connections
        server = Termlet.server().port(0).dataDir(HostKeyCache.seed(data)).register(new Handlers())
                .maxLineLength(4096).maxUnauthenticatedPerAddress(20).maxStartups(20, 30, 100).build();
        server.accounts().save(Account.builder("alice").password("secret".toCharArray()).build());
        server.accounts().save(Account.builder("sleepy").password("secret".toCharArray())
                .idleTimeout(Duration.ofMillis(700)).build());
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void malformedUtf8BecomesReplacementCharacters() throws Exception {
        try (Ssh ssh = Ssh.password(server.port(), "alice", "secret");
                Ssh.Shell shell = ssh.shell(80, 24)) {
            shell.out().await("> ");
            shell.send(new byte[] {(byte) 0xff, (byte) 0xc3, 'a', (byte) 0xe2, (byte) 0x82, '\r'});
            events.await("command ");
            shell.send("hello\r");
            shell.out().await("world!");
        }
    }

    @Test
    void mouseReportsAtThePromptAreIgnored() throws Exception {
        // regression: JLine's mouse widget asked for the cursor position and ended the session
        try (Ssh ssh = Ssh.password(server.port(), "alice", "secret");
                Ssh.Shell shell = ssh.shell(80, 24)) {
            shell.out().await("> ");
            shell.send("\u001b[<0;5;5M\u001b[<0;5;5m\u001b[M !!\u001b[M#!!");
            shell.send("hello\r");
            shell.out().await("world!");
        }
    }

    @Test
    void oneMebibyteLineIsRefusedAndTheSessionGoesOn() throws Exception {
        byte[] huge = new byte[1 << 20];
        Arrays.fill(huge, (byte) 'a');
        try (Ssh ssh = Ssh.password(server.port(), "alice", "secret");
                Ssh.Shell shell = ssh.shell(80, 24)) {
            shell.out().await("> ");
            shell.send(huge);
            shell.send("\r");
            shell.out().await("Line too long (over 4096 characters); ignored.", Duration.ofSeconds(60));
            shell.send("hello\r");
            shell.out().await("world!");
        }
        try (Ssh ssh = Ssh.password(server.port(), "alice", "secret");
                Ssh.Shell shell = ssh.shellNoPty()) {
            shell.send(huge);
            shell.send("\nhello\n");
            shell.out().await("Line too long (over 4096 characters); ignored.", Duration.ofSeconds(60));
            shell.out().await("world!");
        }
        assertThat(events.all()).noneMatch(e -> e.startsWith("command 1048576"));
    }

    @Test
    void resizeFloodCoalescesAndEndsAtTheLastSize() throws Exception {
        try (Ssh ssh = Ssh.password(server.port(), "alice", "secret");
                Ssh.Shell shell = ssh.shell(80, 24)) {
            shell.out().await("> ");
            for (int i = 0; i < 10_000; i++) {
                shell.resize(20 + i % 500, 10 + i % 300);
            }
            shell.resize(133, 44);
            events.await(e -> e.equals("resized 133x44"), Duration.ofSeconds(30));
            assertThat(events.count(e -> e.startsWith("resized"))).isLessThan(10_001);
            shell.send("hello\r");
            shell.out().await("world!");
        }
    }

    @Test
    void clientVanishingMidLineEndsItsSessionOnce() throws Exception {
        Ssh ssh = Ssh.password(server.port(), "alice", "secret");
        Ssh.Shell shell = ssh.shell(80, 24);
        shell.out().await("> ");
        shell.send("half a li");
        ssh.session().close(true);
        events.await("disconnected");
        Thread.sleep(300);
        assertThat(events.count(e -> e.startsWith("disconnected"))).isEqualTo(1);
        dev.termlet.testing.Await.until("no session left", () -> server.sessionCount() == 0);
        try (Ssh again = Ssh.password(server.port(), "alice", "secret")) {
            assertThat(again.exec("hello", null).out()).isEqualTo("world!\n");
        }
    }

    @Test
    void blockingHandlerDoesNotStallOtherSessions() throws Exception {
        try (Ssh a = Ssh.password(server.port(), "alice", "secret");
                Ssh.Shell blocked = a.shell(80, 24);
                Ssh b = Ssh.password(server.port(), "alice", "secret");
                Ssh.Shell free = b.shell(80, 24)) {
            blocked.out().await("> ");
            free.out().await("> ");
            blocked.send("block\r");
            events.await("blocking");
            free.send("hello\r");
            free.out().await("world!", Duration.ofSeconds(2));
            assertThat(blocked.out().text()).doesNotContain("unblocked");
            blocked.out().await("unblocked", Duration.ofSeconds(10));
        }
    }

    @Test
    void idleSessionTimesOutThenDisconnects() throws Exception {
        try (Ssh ssh = Ssh.password(server.port(), "sleepy", "secret");
                Ssh.Shell shell = ssh.shell(80, 24)) {
            shell.out().await("> ");
            assertThat(shell.awaitClosed(Duration.ofSeconds(10))).isTrue();
            assertThat(shell.out().text()).contains("Idle timeout: session closed.");
        }
        List<String> all = events.all();
        assertThat(all).containsSubsequence("timeout", all.stream().filter(e -> e.startsWith("disconnected"))
                .findFirst().orElse("disconnected missing"));
    }

    @Test
    void manyConcurrentSessions() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                int n = i;
                results.add(pool.submit(() -> {
                    try (Ssh ssh = Ssh.password(server.port(), "alice", "secret");
                            Ssh.Shell shell = ssh.shell(80, 24)) {
                        shell.out().await("> ", Duration.ofSeconds(30));
                        shell.send("line-" + n + "\r");
                        shell.out().await("len " + ("line-" + n).length(), Duration.ofSeconds(30));
                        shell.send("hello\r");
                        shell.out().await("world!", Duration.ofSeconds(30));
                        return "ok";
                    }
                }));
            }
            for (Future<String> f : results) {
                assertThat(f.get()).isEqualTo("ok");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void gracefulStopTellsSessionsAndFiresDisconnected() throws Exception {
        try (Ssh ssh = Ssh.password(server.port(), "alice", "secret");
                Ssh.Shell shell = ssh.shell(80, 24)) {
            shell.out().await("> ");
            server.stop(Duration.ofSeconds(5));
            shell.out().await("Server is shutting down.");
            events.await("disconnected");
            assertThat(shell.awaitClosed(Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void largeOutputIsWrittenWhole() throws Exception {
        try (Ssh ssh = Ssh.password(server.port(), "alice", "secret");
                Ssh.Shell shell = ssh.shell(80, 24)) {
            shell.out().await("> ");
            shell.send("big\r");
            shell.out().await("\r\nEND\r\n", Duration.ofSeconds(60));
            String text = shell.out().text();
            assertThat(text.chars().filter(ch -> ch == 'x').count()).isEqualTo(5L << 20);
        }
        try (Ssh ssh = Ssh.password(server.port(), "alice", "secret")) {
            Ssh.Exec r = ssh.exec("big", null);
            assertThat(r.out()).hasSize((5 << 20) + "\nEND\n".length()).endsWith("x\nEND\n");
        }
    }

    @Test
    void absurdPtySizesAreClamped() throws Exception {
        try (Ssh ssh = Ssh.password(server.port(), "alice", "secret");
                Ssh.Shell shell = ssh.shell(100_000, 0)) {
            shell.out().await("> ");
            shell.send("sized\r");
            events.await("command 5 sized");
            shell.resize(0, 77777);
            events.await(e -> e.equals("resized 80x1000"), Duration.ofSeconds(10));
        }
    }

    @Test
    void unauthenticatedConnectionsAreDroppedAtTheAuthTimeout() throws Exception {
        server.close();
        server = Termlet.server().port(0).dataDir(HostKeyCache.seed(data)).authTimeout(Duration.ofSeconds(1)).start();
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(15_000);
            s.getOutputStream().write("SSH-2.0-slowpoke\r\n".getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            byte[] buf = new byte[4096];
            while (s.getInputStream().read(buf) >= 0) {
                // the server's identification and KEXINIT; then it must close
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        } catch (java.net.SocketException e) {
            // a reset also ends it
        }
    }

    @Test
    void garbageInsteadOfSshIsDroppedAndTheServerGoesOn() throws Exception {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", server.port())) {
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().write(new byte[4096]);
            s.setSoTimeout(10_000);
            byte[] buf = new byte[8192];
            int total = 0;
            while (s.getInputStream().read(buf) >= 0) {
                total++;
            }
            assertThat(total).isGreaterThanOrEqualTo(0);
        } catch (java.net.SocketException e) {
            // reset by the server is a fine way to drop it
        }
        try (Ssh ssh = Ssh.password(server.port(), "alice", "secret")) {
            assertThat(ssh.exec("hello", null).out()).isEqualTo("world!\n");
        }
    }
}
