package dev.termlet.protector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The protector with a shared state, against a narrow in-memory stand-in of it (the PostgreSQL one is tested in
 * termlet-cluster): what is scored where, and what happens when the shared state fails.
 */
class SharedStateTest {

    /** Scores like a database would, and fails on demand. */
    static final class Memory implements SharedState {
        final Map<String, Integer> score = new HashMap<>();
        final Map<String, Integer> offences = new HashMap<>();
        final List<Ban> recorded = new ArrayList<>();
        Replica replica;
        volatile boolean down;

        @Override
        public void attach(Replica r) {
            replica = r;
        }

        private void check() throws Exception {
            if (down) {
                throw new java.sql.SQLException("connection refused", "08001");
            }
        }

        @Override
        public synchronized Scored strike(String key, int points, Instant at, Rule rule) throws Exception {
            check();
            int s = score.merge(key, points, Integer::sum);
            if (s < rule.threshold()) {
                return new Scored(s, null);
            }
            score.remove(key);
            int before = offences.getOrDefault(key, 0);
            offences.put(key, before + 1);
            Ban ban = new Ban(key, at.plus(rule.banTime().apply(before)), before + 1, rule.cause() + " (score " + s
                    + ")");
            recorded.add(ban);
            return new Scored(s, ban);
        }

        @Override
        public synchronized Ban ban(String key, Instant until, String reason) throws Exception {
            check();
            Ban ban = new Ban(key, until, offences.merge(key, 1, Integer::sum), reason);
            recorded.add(ban);
            return ban;
        }

        @Override
        public synchronized boolean lift(String key, Instant at) throws Exception {
            check();
            return recorded.removeIf(b -> b.address().equals(key));
        }

        @Override
        public synchronized boolean block(String range) throws Exception {
            check();
            return true;
        }

        @Override
        public synchronized boolean unblock(String range) throws Exception {
            check();
            return true;
        }
    }

    static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(5);
        }
    }

    static Protector protector(Memory m) {
        Protector p = new Protector(new ProtectorSettings().threshold(3).banTime(Duration.ofMinutes(10)), null,
                java.time.Clock.systemUTC());
        p.share(m);
        return p;
    }

    @Test
    void strikesAreScoredInTheSharedStateAndItsBanHoldsHere() throws Exception {
        Memory m = new Memory();
        Protector p = protector(m);
        // another node's strikes already count there
        m.score.put("203.0.113.9", 2);
        p.strike("203.0.113.9", Strike.Kind.FAILED_LOGIN, "bob");
        // scored on the protector's own thread, a moment later
        await("banned", () -> p.check("203.0.113.9").isPresent());
        assertThat(List.copyOf(m.recorded)).singleElement().satisfies(b -> {
            assertThat(b.offences()).isEqualTo(1);
            assertThat(b.reason()).isEqualTo("failed-login (score 3)");
        });
        assertThat(p.check("203.0.113.9")).isPresent();
    }

    @Test
    void whenTheSharedStateFailsStrikesAreScoredHereAndTheBanIsHandedBackLater() throws Exception {
        Memory m = new Memory();
        Protector p = protector(m);
        m.down = true;
        for (int i = 0; i < 3; i++) {
            p.strike("203.0.113.10", Strike.Kind.FAILED_LOGIN, "bob");
        }
        await("banned here", () -> p.check("203.0.113.10").isPresent());
        assertThat(p.check("203.0.113.10")).isPresent();
        assertThat(m.replica.unshared()).extracting(Ban::address).containsExactly("203.0.113.10");
        // a resync that does not know the ban yet keeps it, since it was never recorded
        m.replica.replace(List.of(), List.of());
        assertThat(p.check("203.0.113.10")).isPresent();
        // once recorded and announced, it is shared like any other
        Ban ban = m.replica.unshared().get(0);
        m.replica.banned(ban);
        assertThat(m.replica.unshared()).isEmpty();
        m.replica.replace(List.of(), List.of());
        assertThat(p.check("203.0.113.10")).isEmpty();
    }

    @Test
    void knownBansHoldWhileTheSharedStateIsDownAndLiftsAreRefused() {
        Memory m = new Memory();
        Protector p = protector(m);
        m.replica.banned(new Ban("198.51.100.7", Instant.now().plusSeconds(600), 1, "by another node"));
        m.replica.blocked("192.0.2.0/24");
        m.down = true;
        assertThat(p.check("198.51.100.7")).isPresent();
        assertThat(p.check("192.0.2.55")).isPresent();
        assertThatThrownBy(() -> p.lift("198.51.100.7")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot be reached");
        assertThatThrownBy(() -> p.unblock("192.0.2.0/24")).isInstanceOf(IllegalStateException.class);
        assertThat(p.check("198.51.100.7")).isPresent();
        // a ban by hand still applies here
        p.ban("198.51.100.8", Duration.ofMinutes(5));
        assertThat(p.check("198.51.100.8")).isPresent();
        m.down = false;
        assertThat(p.lift("198.51.100.7")).isTrue();
        assertThat(p.check("198.51.100.7")).isEmpty();
        assertThat(p.blockList()).contains("192.0.2.0/24");
        m.replica.unblocked("192.0.2.0/24");
        assertThat(p.check("192.0.2.55")).isEmpty();
    }
}
