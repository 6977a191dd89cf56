package dev.termlet.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.Client;
import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import dev.termlet.auth.Account;
import dev.termlet.protector.Ban;
import dev.termlet.protector.ProtectorSettings;
import dev.termlet.test.ExecResult;
import dev.termlet.test.Postgres;
import dev.termlet.test.TestClient;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three nodes in one JVM, each with its own data directory and its own {@link Database} on one PostgreSQL, reached by
 * real SSH clients; brute force and bans come from other loopback addresses (127.0.0.x) than the sane clients.
 */
class ClusterTest {
    static Postgres pg;
    static final List<Node> nodes = new ArrayList<>();
    static Node a;
    static Node b;
    static Node c;
    static SshClient ssh;

    /** One node: a server, its database and its data directory. */
    record Node(String name, TermletServer server, Database db, Path data) {
        int port() {
            return server.port();
        }

        void close() {
            server.close();
            db.close();
        }
    }

    /** Strikes seen by every node, by address. */
    static final java.util.Map<String, java.util.concurrent.atomic.AtomicInteger> strikes =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** Counts the protector's strikes. */
    public static class Watch {
        @dev.termlet.annotations.OnUser("protector-strike")
        void strike(dev.termlet.protector.Strike s) {
            strikes.computeIfAbsent(s.address(), k -> new java.util.concurrent.atomic.AtomicInteger())
                    .incrementAndGet();
        }
    }

    static int strikesOf(String address) {
        var n = strikes.get(address);
        return n == null ? 0 : n.get();
    }

    static ProtectorSettings protector() {
        return new ProtectorSettings().threshold(6).failureDelay(Duration.ZERO).banTime(Duration.ofMinutes(10));
    }

    static Node node(String name, Duration timeout) throws Exception {
        Path data = Files.createTempDirectory("termlet-node-" + name);
        Database db = Database.connect(pg.jdbcUrl()).user(pg.user()).password(pg.password().toCharArray())
                .poolSize(4).connectTimeout(Duration.ofSeconds(1)).open();
        TermletServer server = Termlet.server().port(0).dataDir(data).protector(protector()).maxAuthAttempts(1)
                .register(new Watch()).extension(Cluster.on(db).node(name).sessionTimeout(timeout)).build();
        server.accounts().save(Account.builder("alice").password("secret".toCharArray()).build());
        server.accounts().save(Account.builder("root").password("secret".toCharArray()).addPermission("admin")
                .build());
        server.start();
        Node n = new Node(name, server, db, data);
        nodes.add(n);
        return n;
    }

    @BeforeAll
    static void start() throws Exception {
        pg = Postgres.start();
        a = node("a", Duration.ofSeconds(3));
        b = node("b", Duration.ofSeconds(3));
        c = node("c", Duration.ofSeconds(3));
        ssh = SshClient.setUpDefaultClient();
        ssh.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
        ssh.start();
    }

    @AfterAll
    static void stop() {
        if (ssh != null) {
            ssh.stop();
        }
        for (Node n : nodes) {
            try {
                n.close();
            } catch (RuntimeException e) {
                // the others still close
            }
        }
        if (pg != null) {
            pg.close();
        }
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 20 s: " + what);
            }
            Thread.sleep(25);
        }
    }

    /** What a node sends first to a client from a given loopback address: its identification, or "" if refused. */
    static String greeting(Node n, String from) throws Exception {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(from, 0));
            s.connect(new InetSocketAddress("127.0.0.1", n.port()), 5000);
            s.setSoTimeout(5000);
            InputStream in = s.getInputStream();
            byte[] buf = new byte[256];
            int got;
            try {
                got = in.read(buf);
            } catch (SocketException e) {
                return "";
            }
            return got <= 0 ? "" : new String(buf, 0, got, StandardCharsets.US_ASCII);
        }
    }

    /** Logs in as alice with a password from a loopback address; true if it was accepted. */
    static boolean login(Node n, String from, String password) {
        try (ClientSession s = ssh.connect("alice", new InetSocketAddress("127.0.0.1", n.port()), null,
                new InetSocketAddress(from, 0)).verify(10, TimeUnit.SECONDS).getSession()) {
            s.addPasswordIdentity(password);
            s.auth().verify(10, TimeUnit.SECONDS);
            return true;
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }

    static ExecResult root(Node n, String command) {
        try (TestClient t = TestClient.password("127.0.0.1", n.port(), "root", "secret")) {
            return t.exec(command);
        }
    }

    /**
     * Brute force from one address over some nodes in turn, one wrong password per connection, each after a probe of
     * the next node; returns how many wrong passwords were tried before a node refused the address. Each round earns
     * three strikes (the probe's and the connection's closing without authenticating, and the wrong password); the
     * next round waits for them, and for a ban they caused to reach every node.
     */
    static int bruteForce(List<Node> over, String from, List<Node> all) throws Exception {
        int before = strikesOf(from);
        for (int tried = 0; tried < 100; ) {
            Node n = over.get(tried % over.size());
            if (greeting(n, from).isEmpty()) {
                return tried;
            }
            assertThat(login(n, from, "wrong" + tried)).isFalse();
            tried++;
            int expected = before + 3 * tried;
            await("the strikes were scored", () -> strikesOf(from) >= expected);
            // a ban on one node reaches the others before the next try
            if (all.stream().anyMatch(x -> banned(x, from))) {
                await("the ban reached every node", () -> all.stream().allMatch(x -> banned(x, from)));
            }
        }
        throw new AssertionError("never banned");
    }

    static boolean banned(Node n, String address) {
        return n.server().protector().bans().stream().anyMatch(x -> x.address().equals(address));
    }

    @Test
    void bruteForceOverTwoNodesIsBannedAtTheSingleNodeThresholdAndRefusedByTheThird() throws Exception {
        // the same procedure against one node alone, without a cluster
        Path data = Files.createTempDirectory("termlet-alone");
        int alone;
        try (TermletServer single = Termlet.server().port(0).dataDir(data).protector(protector()).maxAuthAttempts(1)
                .register(new Watch()).build()) {
            single.accounts().save(Account.builder("alice").password("secret".toCharArray()).build());
            single.start();
            Node s = new Node("alone", single, null, data);
            alone = bruteForce(List.of(s), "127.0.0.3", List.of(s));
        }
        assertThat(alone).isBetween(2, 6);
        int spread = bruteForce(List.of(a, b), "127.0.0.2", List.of(a, b, c));
        assertThat(spread).isEqualTo(alone);
        assertThat(greeting(c, "127.0.0.2")).isEmpty();
        Ban ban = c.server().protector().bans().stream().filter(x -> x.address().equals("127.0.0.2")).findFirst()
                .orElseThrow();
        assertThat(ban.offences()).isEqualTo(1);
        // a sane client from another address logs in on every node
        for (Node n : List.of(a, b, c)) {
            assertThat(login(n, "127.0.0.1", "secret")).isTrue();
        }
        a.server().protector().lift("127.0.0.2");
        await("lifted everywhere", () -> List.of(a, b, c).stream().noneMatch(n -> banned(n, "127.0.0.2")));
    }

    @Test
    void anAdminBanOnOneNodeRefusesOnAnotherAndALiftThereLetsInEverywhere() throws Exception {
        ExecResult banned = root(a, "bans add 127.0.0.4 --for 10m");
        assertThat(banned.out()).startsWith("Banned 127.0.0.4 until");
        await("b refuses", () -> {
            try {
                return greeting(b, "127.0.0.4").isEmpty();
            } catch (Exception e) {
                return false;
            }
        });
        assertThat(root(b, "bans list").out()).contains("127.0.0.4");
        assertThat(root(b, "bans lift 127.0.0.4").out()).isEqualTo("Ban of 127.0.0.4 lifted.\n");
        await("a lets in", () -> {
            try {
                return greeting(a, "127.0.0.4").startsWith("SSH-2.0-");
            } catch (Exception e) {
                return false;
            }
        });
        // the permanent block-list too
        assertThat(root(c, "bans block 127.0.0.8/30").out()).isEqualTo("Blocked 127.0.0.8/30.\n");
        await("a refuses a blocked address", () -> {
            try {
                return greeting(a, "127.0.0.9").isEmpty();
            } catch (Exception e) {
                return false;
            }
        });
        assertThat(b.server().protector().blockList()).contains("127.0.0.8/30");
        assertThat(root(a, "bans unblock 127.0.0.8/30").out()).isEqualTo("Unblocked 127.0.0.8/30.\n");
        await("c lets the address in again", () -> !c.server().protector().blockList().contains("127.0.0.8/30"));
        assertThat(greeting(c, "127.0.0.9")).startsWith("SSH-2.0-");
    }

    static List<Client> remoteOf(Node n, String user) {
        return n.server().sessions().stream().filter(s -> s.node().isPresent() && s.user().equals(user)).toList();
    }

    @Test
    void whoBroadcastAndKickReachSessionsOnAnotherNode() throws Exception {
        try (TestClient shell = TestClient.password("127.0.0.1", b.port(), "alice", "secret").open()) {
            shell.awaitOutput("> ");
            await("a knows the session on b", () -> remoteOf(a, "alice").size() == 1);
            Client there = remoteOf(a, "alice").get(0);
            assertThat(there.node()).contains("b");
            assertThat(there.sessionId()).startsWith("b/");
            assertThat(there.remoteAddress()).isInstanceOf(InetSocketAddress.class);
            assertThat(((InetSocketAddress) there.remoteAddress()).getAddress().getHostAddress())
                    .isEqualTo("127.0.0.1");
            assertThat(there.isOpen()).isTrue();
            String who = root(a, "who").out();
            assertThat(who).contains("alice").contains(there.sessionId()).contains("on b");
            // broadcast from a, as TermletServer.sessions() documents it; long output arrives whole
            String big = "x".repeat(5000) + "END";
            a.server().sessions().forEach(s -> s.println("maintenance at noon"));
            there.println(big);
            shell.awaitOutput("maintenance at noon");
            shell.awaitOutput(big);
            // kick from a
            there.close();
            assertThat(shell.awaitClosed(Duration.ofSeconds(20))).isTrue();
            await("a forgets the session", () -> remoteOf(a, "alice").isEmpty());
            assertThat(there.isOpen()).isFalse();
        }
    }

    @Test
    void aNodeThatDiesWithoutCleaningUpLosesItsSessionsAfterTheTimeout() throws Exception {
        Node d = node("d", Duration.ofSeconds(3));
        try (TestClient shell = TestClient.password("127.0.0.1", d.port(), "root", "secret").open()) {
            shell.awaitOutput("> ");
            await("a knows d's session", () -> remoteOf(a, "root").size() == 1);
            // the node loses its database for good: no heartbeat, no cleanup
            d.db().close();
            long lost = System.nanoTime();
            await("a drops d's session", () -> remoteOf(a, "root").isEmpty());
            assertThat(System.nanoTime() - lost).isGreaterThan(TimeUnit.SECONDS.toNanos(1));
            // b keeps its own view: it drops d on its own beat
            await("b's who no longer lists d's session", () -> !root(b, "who").out().contains("on d"));
        }
    }

    @Test
    void withTheDatabaseDownKnownBansHoldSaneLoginsGoOnAndItResyncsWhenBack() throws Exception {
        a.server().protector().ban("127.0.0.5", Duration.ofMinutes(10));
        await("b knows the ban", () -> banned(b, "127.0.0.5"));
        pg.stop();
        try {
            await("b notices", () -> !b.db().listening());
            assertThat(greeting(b, "127.0.0.5")).isEmpty();
            assertThat(login(b, "127.0.0.1", "secret")).isTrue();
            // a strike is scored on the node alone; the login path does not fail
            assertThat(login(b, "127.0.0.6", "wrong")).isFalse();
            // a ban by hand applies here at once; a lift cannot be shared, so it is refused
            b.server().protector().ban("127.0.0.7", Duration.ofMinutes(10));
            assertThat(greeting(b, "127.0.0.7")).isEmpty();
            ExecResult lift = root(b, "bans lift 127.0.0.5");
            assertThat(lift.status()).isEqualTo(1);
            assertThat(lift.err()).contains("cannot be reached");
            assertThat(greeting(b, "127.0.0.5")).isEmpty();
        } finally {
            pg.restart();
        }
        // the ban made while the database was away reaches the others once it is back
        await("a learns b's ban", () -> banned(a, "127.0.0.7"));
        await("c learns b's ban", () -> banned(c, "127.0.0.7"));
        assertThat(banned(c, "127.0.0.5")).isTrue();
        a.server().protector().lift("127.0.0.7");
        a.server().protector().lift("127.0.0.5");
        await("lifted everywhere", () -> List.of(a, b, c).stream()
                .noneMatch(n -> banned(n, "127.0.0.7") || banned(n, "127.0.0.5")));
    }
}
