package dev.termlet.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.termlet.auth.Account;
import dev.termlet.auth.AccountStore;
import dev.termlet.auth.AuthMethod;
import dev.termlet.auth.FilePermission;
import dev.termlet.auth.Forwarding;
import dev.termlet.test.Postgres;
import java.time.Duration;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PostgresAccountStoreTest {
    static Postgres pg;
    Database dbA;
    Database dbB;
    PostgresAccountStore a;
    PostgresAccountStore b;

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

    @BeforeEach
    void open() throws Exception {
        dbA = open(pg);
        dbB = open(pg);
        sql("DELETE FROM termlet_accounts");
        a = PostgresAccountStore.open(dbA);
        b = PostgresAccountStore.open(dbB);
    }

    @AfterEach
    void close() {
        a.close();
        b.close();
        dbA.close();
        dbB.close();
    }

    static Database open(Postgres pg) {
        return Database.connect(pg.jdbcUrl()).user(pg.user()).password(pg.password().toCharArray())
                .connectTimeout(Duration.ofSeconds(2)).open();
    }

    /**
     * Runs SQL as the superuser over JDBC (not {@code Postgres.psql}: psql asks for the password on the terminal) and
     * returns what a query printed as psql would: columns joined by |, rows by new lines, booleans as t/f.
     */
    static String sql(String statement) throws java.sql.SQLException {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
                java.sql.Statement st = c.createStatement()) {
            if (!st.execute(statement)) {
                return "";
            }
            StringBuilder out = new StringBuilder();
            try (java.sql.ResultSet rs = st.getResultSet()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    if (out.length() > 0) {
                        out.append('\n');
                    }
                    for (int i = 1; i <= n; i++) {
                        Object v = rs.getObject(i);
                        out.append(i > 1 ? "|" : "").append(v instanceof Boolean x ? (x ? "t" : "f") : v);
                    }
                }
            }
            return out.toString();
        }
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 20 s: " + what);
            }
            Thread.sleep(20);
        }
    }

    static Account rich(String name) {
        return Account.builder(name).passwordHash("$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA")
                .addAuthorizedKey("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFgYVZEhYr7PhJM+YxQ/e1onXJ2iC/550VdmzLB26J6t a@b")
                .prompt("$ ").banner("hi").idleTimeout(Duration.ofMillis(1500)).echo(false)
                .permissions(List.of("admin", "ops")).authMethods(List.of(AuthMethod.PASSWORD, AuthMethod.PUBLICKEY))
                .filePermissions("/", List.of(FilePermission.LIST, FilePermission.DOWNLOAD))
                .filePermissions("/in", List.of(FilePermission.UPLOAD)).quota(1000, 10).umask(027).readOnly(true)
                .home("projects/x").bandwidth(100, 200).forwarding(Forwarding.LOCAL).role("sales")
                .metadata("description", "Alice A.\nsecond line").build();
    }

    @Test
    void keepsEveryFieldAndReadsItOnEveryNode() throws Exception {
        Account alice = rich("alice");
        a.save(alice);
        assertThat(a.find("alice")).contains(alice);
        await(() -> b.find("alice").isPresent(), "b sees alice");
        assertThat(b.find("alice")).contains(alice);
        assertThat(b.list()).containsExactly(alice);
        assertThat(sql("SELECT name, enabled, password_hash IS NOT NULL, data->'passwordHash' IS NOT NULL FROM"
                + " termlet_accounts")).isEqualTo("alice|t|t|f");
        // live reads (no copy) give the same
        assertThat(a.reload().isEmpty()).isTrue();
        assertThat(a.remove("alice")).isTrue();
        assertThat(a.remove("alice")).isFalse();
        assertThat(a.find("alice")).isEmpty();
        await(() -> b.find("alice").isEmpty(), "b sees alice removed");
        assertThat(b.isEmpty()).isTrue();
        assertThat(a.find("../etc")).isEmpty();
        assertThat(a.find(null)).isEmpty();
        assertThat(a.remove("bad name")).isFalse();
    }

    @Test
    void reportsChangesFromOtherNodesOnlyOnceAndNeverItsOwnSaves() throws Exception {
        BlockingQueue<AccountStore.Changes> atA = new LinkedBlockingQueue<>();
        BlockingQueue<AccountStore.Changes> atB = new LinkedBlockingQueue<>();
        a.watch(atA::add);
        b.watch(atB::add);
        Account bob = Account.builder("bob").password("pw".toCharArray()).build();
        a.save(bob);
        AccountStore.Changes c = atB.poll(10, TimeUnit.SECONDS);
        assertThat(c).isNotNull();
        assertThat(c.added()).containsExactly(bob);
        Account off = bob.toBuilder().enabled(false).build();
        a.save(off);
        c = atB.poll(10, TimeUnit.SECONDS);
        assertThat(c.updated()).containsExactly(off);
        a.remove("bob");
        c = atB.poll(10, TimeUnit.SECONDS);
        assertThat(c.removed()).extracting(Account::name).containsExactly("bob");
        // a's own saves are reported by its server's wrapper, not by the watch
        assertThat(atA.poll(300, TimeUnit.MILLISECONDS)).isNull();
        assertThat(atB.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void aSaveOverAChangeItDidNotSeeFailsInsteadOfLosingIt() throws Exception {
        Account carol = Account.builder("carol").role("one").build();
        a.save(carol);
        await(() -> b.find("carol").isPresent(), "b sees carol");
        // b has seen version 1; a changes it; b's notification is held back by stopping b's copy from updating:
        // simulate the race directly with a row change that sends no notification
        sql("UPDATE termlet_accounts SET data = jsonb_set(data, '{role}', '\"two\"'),"
                + " version = nextval('termlet_account_version') WHERE name = 'carol'");
        assertThatThrownBy(() -> b.save(carol.toBuilder().role("three").build()))
                .isInstanceOf(ConcurrentModificationException.class).hasMessageContaining("carol");
        assertThat(sql("SELECT data->>'role' FROM termlet_accounts WHERE name = 'carol'")).isEqualTo("two");
        // and two nodes creating the same new account: one wins, the other is told
        Account dave = Account.builder("dave").build();
        sql("INSERT INTO termlet_accounts (name) VALUES ('dave')");
        assertThatThrownBy(() -> a.save(dave)).isInstanceOf(ConcurrentModificationException.class);
    }

    @Test
    void concurrentUpdatesFromTwoNodesAllTakeEffect() throws Exception {
        a.save(Account.builder("erin").metadata("n", "0").build());
        await(() -> b.find("erin").isPresent(), "b sees erin");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> all = new java.util.ArrayList<>();
            for (int i = 0; i < 40; i++) {
                PostgresAccountStore node = i % 2 == 0 ? a : b;
                all.add(pool.submit(() -> node.update("erin", x -> x.toBuilder()
                        .metadata("n", String.valueOf(Integer.parseInt(x.metadata().get("n")) + 1)).build())));
            }
            for (Future<?> f : all) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(sql("SELECT data->'metadata'->>'n' FROM termlet_accounts WHERE name = 'erin'"))
                .isEqualTo("40");
        await(() -> "40".equals(a.find("erin").get().metadata().get("n"))
                && "40".equals(b.find("erin").get().metadata().get("n")), "both copies at 40");
    }

    @Test
    void anInvalidRowIsLeftOutWithAMessageThatShowsNoHash() throws Exception {
        a.save(Account.builder("frank").build());
        await(() -> b.find("frank").isPresent(), "b sees frank");
        sql("INSERT INTO termlet_accounts (name, password_hash, data) VALUES ('gina',"
                + " '$argon2id$v=19$secret', '{\"quotaBytes\": -5}')");
        AccountStore.Changes c = b.reload();
        assertThat(c.added()).isEmpty();
        assertThat(b.list()).extracting(Account::name).containsExactly("frank");
        assertThat(b.find("gina")).isEmpty();
    }

    @Test
    void aLostConnectionIsFollowedByAResyncThatReportsWhatWasMissed() throws Exception {
        a.save(Account.builder("henry").build());
        await(() -> b.find("henry").isPresent(), "b sees henry");
        BlockingQueue<AccountStore.Changes> atB = new LinkedBlockingQueue<>();
        b.watch(atB::add);
        // a change that sends no notification, then the listening connections are cut: only a resync can see it
        sql("UPDATE termlet_accounts SET enabled = false, version = nextval('termlet_account_version')"
                + " WHERE name = 'henry'");
        sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'termlet-listen'");
        AccountStore.Changes c = atB.poll(20, TimeUnit.SECONDS);
        assertThat(c).isNotNull();
        assertThat(c.updated()).extracting(Account::enabled).containsExactly(false);
        assertThat(b.find("henry").get().enabled()).isFalse();
    }

    @Test
    void whenTheDatabaseIsDownReadsFailQuicklyAndComeBackWithIt() throws Exception {
        a.save(Account.builder("ivan").build());
        await(() -> b.find("ivan").isPresent(), "b sees ivan");
        pg.stop();
        try {
            await(() -> {
                try {
                    b.find("ivan");
                    return false;
                } catch (IllegalStateException e) {
                    return e.getMessage().contains("cannot");
                }
            }, "reads fail");
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> b.find("ivan")).isInstanceOf(IllegalStateException.class)
                    .hasMessageNotContaining(pg.password());
            assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(1));
        } finally {
            pg.restart();
        }
        await(() -> {
            try {
                return b.find("ivan").isPresent() && b.current() && a.current();
            } catch (IllegalStateException e) {
                return false;
            }
        }, "b reads again from a current copy");
        a.save(a.find("ivan").get().toBuilder().role("back").build());
        await(() -> b.find("ivan").get().role().isPresent(), "b sees the change after the outage");
    }

    /** Rough cost of a login's account read: from the copy, and from the database (printed, not asserted). */
    @Test
    void measuresReadsFromTheCopyAndFromTheDatabase() throws Exception {
        a.save(rich("judy"));
        await(a::current, "a current");
        int n = 2000;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            assertThat(a.find("judy")).isPresent();
        }
        long copy = (System.nanoTime() - t0) / n;
        t0 = System.nanoTime();
        for (int i = 0; i < n / 4; i++) {
            Boolean found = dbA.transaction(c -> {
                try (var st = c.prepareStatement("SELECT data::text FROM termlet_accounts WHERE name = 'judy'");
                        var rs = st.executeQuery()) {
                    return rs.next();
                }
            });
            assertThat(found).isTrue();
        }
        long live = (System.nanoTime() - t0) / (n / 4);
        System.out.printf("account read: copy %d ns, database %d ns%n", copy, live);
    }
}
