package dev.termlet.demos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import dev.termlet.auth.Account;
import dev.termlet.cluster.Cluster;
import dev.termlet.cluster.Database;
import dev.termlet.test.Postgres;
import dev.termlet.test.TestClient;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chat room on two nodes of a cluster: users on different nodes talk. */
class ChatClusterTest {
    @TempDir
    Path data;

    private static TermletServer node(Database db, String name, Path dir) {
        ChatDemo.Room room = new ChatDemo.Room();
        TermletServer server = Termlet.server().port(0).dataDir(dir).builtins(false).banner("Termlet chat")
                .register(room).extension(Cluster.on(db).node(name).sessionTimeout(Duration.ofSeconds(5))).build();
        room.attach(server);
        server.accounts().save(Account.builder("alice").password("pw".toCharArray()).build());
        server.accounts().save(Account.builder("bob").password("pw".toCharArray()).build());
        return server.start();
    }

    private static void await(TermletServer at, String user) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (at.sessions().stream().noneMatch(c -> c.node().isPresent() && c.user().equals(user))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(user + "'s session never showed on the other node");
            }
            Thread.sleep(25);
        }
    }

    @Test
    void usersOnDifferentNodesTalk() throws Exception {
        try (Postgres pg = Postgres.start();
                Database dbA = Database.connect(pg.jdbcUrl()).user(pg.user()).password(pg.password().toCharArray())
                        .poolSize(3).open();
                Database dbB = Database.connect(pg.jdbcUrl()).user(pg.user()).password(pg.password().toCharArray())
                        .poolSize(3).open();
                TermletServer a = node(dbA, "a", data.resolve("a"));
                TermletServer b = node(dbB, "b", data.resolve("b"));
                TestClient alice = TestClient.password("127.0.0.1", a.port(), "alice", "pw").resize(80, 24)) {
            alice.awaitOutput("alice> ");
            await(b, "alice");
            try (TestClient bob = TestClient.password("127.0.0.1", b.port(), "bob", "pw").resize(80, 24)) {
                bob.awaitOutput("bob> ");
                alice.awaitOutput("* bob joined");
                await(a, "bob");
                alice.type("hello from a\r");
                bob.awaitOutput("<alice> hello from a");
                bob.type("hi from b\r");
                alice.awaitOutput("<bob> hi from b");
                alice.type("/who\r");
                alice.awaitOutput("In the room: alice, bob@b");
                alice.type("/msg bob@b psst\r");
                bob.awaitOutput("[alice whispers] psst");
                bob.type("/quit\r");
                assertThat(bob.awaitClosed(Duration.ofSeconds(10))).isTrue();
                alice.awaitOutput("* bob left");
            }
        }
    }
}
