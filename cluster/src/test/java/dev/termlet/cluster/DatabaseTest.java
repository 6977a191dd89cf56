package dev.termlet.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.termlet.test.Postgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DatabaseTest {
    static Postgres pg;

    @BeforeAll
    static void start() throws Exception {
        pg = Postgres.start();
    }

    @AfterAll
    static void stop() {
        if (pg != null) {
            pg.close();
        }
    }

    private static Database open() {
        return Database.connect(pg.jdbcUrl()).user(pg.user()).password(pg.password().toCharArray()).open();
    }

    @Test
    void opensAndMigratesOnceWhateverTheNumberOfNodes() throws Exception {
        try (Database a = open(); Database b = open()) {
            try (Connection c = a.dataSource().getConnection(); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT count(*) FROM termlet_schema_history WHERE success")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(Migrations().size());
            }
            Integer nodes = b.transaction(c -> {
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM termlet_nodes")) {
                    rs.next();
                    return rs.getInt(1);
                }
            });
            assertThat(nodes).isZero();
            assertThat(pg.psql("SELECT count(*) FROM termlet_schema_history WHERE success"))
                    .isEqualTo(String.valueOf(Migrations().size()));
        }
    }

    private static java.util.List<?> Migrations() throws Exception {
        var f = Class.forName("dev.termlet.cluster.internal.Migrations").getDeclaredField("ALL");
        f.setAccessible(true);
        return (java.util.List<?>) f.get(null);
    }

    @Test
    void notificationsReachEveryNodeAndTheSenderToo() throws Exception {
        try (Database a = open(); Database b = open()) {
            BlockingQueue<String> atA = new LinkedBlockingQueue<>();
            BlockingQueue<String> atB = new LinkedBlockingQueue<>();
            a.listen("termlet_test", atA::add);
            b.listen("termlet_test", atB::add);
            a.notify("termlet_test", "héllo");
            assertThat(atB.poll(10, TimeUnit.SECONDS)).isEqualTo("héllo");
            assertThat(atA.poll(10, TimeUnit.SECONDS)).isEqualTo("héllo");
        }
    }

    @Test
    void aNotificationInARolledBackTransactionIsNeverSent() throws Exception {
        try (Database a = open()) {
            BlockingQueue<String> got = new LinkedBlockingQueue<>();
            a.listen("termlet_tx", got::add);
            assertThatThrownBy(() -> a.transaction(c -> {
                a.notify(c, "termlet_tx", "lost");
                throw new java.sql.SQLException("no", "22000");
            })).hasMessage("no");
            a.transaction(c -> {
                a.notify(c, "termlet_tx", "kept");
                return null;
            });
            assertThat(got.poll(10, TimeUnit.SECONDS)).isEqualTo("kept");
            assertThat(got).isEmpty();
        }
    }

    @Test
    void listenersResyncAfterTheDatabaseComesBack() throws Exception {
        try (Database a = open()) {
            AtomicInteger resyncs = new AtomicInteger();
            BlockingQueue<String> got = new LinkedBlockingQueue<>();
            a.listen("termlet_resync", new Database.Listener() {
                @Override
                public void notified(String payload) {
                    got.add(payload);
                }

                @Override
                public void resync() {
                    resyncs.incrementAndGet();
                }
            });
            pg.stop();
            try {
                assertThatThrownBy(() -> a.notify("termlet_resync", "down")).isInstanceOf(java.sql.SQLException.class);
            } finally {
                pg.restart();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (resyncs.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(resyncs.get()).isEqualTo(1);
            a.notify("termlet_resync", "up");
            assertThat(got.poll(10, TimeUnit.SECONDS)).isEqualTo("up");
        }
    }

    @Test
    void refusesBadNamesAndOversizedPayloads() throws Exception {
        try (Database a = open()) {
            assertThatThrownBy(() -> a.listen("x; DROP TABLE termlet_nodes", p -> { }))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> a.notify("Bad-Name", "x")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> a.notify("termlet_big", "x".repeat(8000)))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> Database.connect("jdbc:mysql://x/y")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anUnreachableDatabaseFailsToOpenWithAMessageAndNoSecret() {
        assertThatThrownBy(() -> Database.connect("jdbc:postgresql://127.0.0.1:1/none").user("u")
                .password("s3cret-pw".toCharArray()).connectTimeout(Duration.ofSeconds(1)).open())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot connect to jdbc:postgresql://127.0.0.1:1/none")
                .hasMessageNotContaining("s3cret-pw");
        assertThatThrownBy(() -> Database.connect(pg.jdbcUrl()).user(pg.user()).password("wrong".toCharArray())
                .connectTimeout(Duration.ofSeconds(1)).open())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("password");
    }
}
