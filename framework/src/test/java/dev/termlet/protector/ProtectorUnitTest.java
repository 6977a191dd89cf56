package dev.termlet.protector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProtectorUnitTest {
    @TempDir
    Path dir;

    /** A clock the test moves by hand. */
    static final class TestClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }
    }

    private final TestClock clock = new TestClock();

    @Test
    void banAtThresholdGrowsWithRepeatOffencesAndExpires() {
        Protector p = new Protector(new ProtectorSettings().threshold(5).banTime(Duration.ofMinutes(10)), null, clock);
        List<Ban> bans = new ArrayList<>();
        p.listener(new Protector.Listener() {
            public void strike(Strike s) {}

            public void banned(Ban b) {
                bans.add(b);
            }

            public void refused(Ban b) {}
        });
        for (int i = 0; i < 4; i++) {
            p.strike("203.0.113.9", Strike.Kind.FAILED_LOGIN, "root");
        }
        assertThat(p.check("203.0.113.9")).isEmpty();
        p.strike("203.0.113.9", Strike.Kind.FAILED_LOGIN, "root");
        assertThat(p.check("203.0.113.9")).isPresent();
        assertThat(bans).singleElement().satisfies(b -> assertThat(b.until()).isEqualTo(clock.now.plus(Duration.ofMinutes(10))));
        clock.advance(Duration.ofMinutes(10));
        assertThat(p.check("203.0.113.9")).isEmpty();
        for (int i = 0; i < 3; i++) {
            p.strike("203.0.113.9", Strike.Kind.UNKNOWN_USER, "x");
        }
        assertThat(bans).hasSize(2);
        assertThat(bans.get(1).until()).isEqualTo(clock.now.plus(Duration.ofMinutes(15)));
        assertThat(bans.get(1).offences()).isEqualTo(2);
        assertThat(p.check("198.51.100.1")).isEmpty();
    }

    @Test
    void strikesOutsideTheWindowDoNotCount() {
        Protector p = new Protector(new ProtectorSettings().threshold(3).observation(Duration.ofMinutes(5)), null, clock);
        p.strike("192.0.2.1", Strike.Kind.FAILED_LOGIN, null);
        p.strike("192.0.2.1", Strike.Kind.FAILED_LOGIN, null);
        clock.advance(Duration.ofMinutes(6));
        p.strike("192.0.2.1", Strike.Kind.FAILED_LOGIN, null);
        assertThat(p.check("192.0.2.1")).isEmpty();
    }

    @Test
    void safeListBlockListAndCidr() {
        Protector p = new Protector(new ProtectorSettings().threshold(1).safe("10.0.0.0/8").block("192.0.2.0/24",
                "2001:db8::/32"), null, clock);
        p.strike("10.1.2.3", Strike.Kind.PROTOCOL, null);
        assertThat(p.check("10.1.2.3")).isEmpty();
        assertThat(p.check("192.0.2.200")).get().satisfies(b -> assertThat(b.permanent()).isTrue());
        assertThat(p.check("2001:db8:1::5")).isPresent();
        assertThat(p.check("2001:db9::1")).isEmpty();
        assertThat(p.check("192.0.3.1")).isEmpty();
    }

    @Test
    void unknownCommandsScoreNothingByDefault() {
        Protector p = new Protector(new ProtectorSettings().threshold(1), null, clock);
        p.strike("192.0.2.5", Strike.Kind.UNKNOWN_COMMAND, "u");
        assertThat(p.check("192.0.2.5")).isEmpty();
    }

    @Test
    void blockListIsKeptOnDiskAndBansCanBeLifted() throws Exception {
        Protector p = new Protector(new ProtectorSettings(), dir, clock);
        assertThat(p.block("198.51.100.0/24")).isTrue();
        assertThat(p.block("198.51.100.0/24")).isFalse();
        assertThat(Files.readString(dir.resolve("blocklist.txt"))).contains("198.51.100.0/24");
        Protector again = new Protector(new ProtectorSettings(), dir, clock);
        assertThat(again.check("198.51.100.77")).isPresent();
        assertThat(again.unblock("198.51.100.0/24")).isTrue();
        assertThat(new Protector(new ProtectorSettings(), dir, clock).check("198.51.100.77")).isEmpty();
        again.ban("203.0.113.1", Duration.ofHours(1));
        assertThat(again.bans()).extracting(Ban::address).containsExactly("203.0.113.1");
        assertThat(again.lift("203.0.113.1")).isTrue();
        assertThat(again.check("203.0.113.1")).isEmpty();
    }

    @Test
    void cidrParsing() throws Exception {
        assertThat(Cidr.parse("10.0.0.0/8").contains(InetAddress.getByName("10.255.0.1"))).isTrue();
        assertThat(Cidr.parse("10.0.0.1").contains(InetAddress.getByName("10.0.0.2"))).isFalse();
        assertThat(Cidr.parse("0.0.0.0/0").contains(InetAddress.getByName("8.8.8.8"))).isTrue();
        assertThat(Cidr.parse("::1").contains(InetAddress.getByName("::1"))).isTrue();
        for (String bad : new String[] {"example.com", "10.0.0.0/33", "10.0.0.0/x", "", "1.2.3.4/-1"}) {
            assertThatThrownBy(() -> Cidr.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void theHostTableIsBounded() {
        Protector p = new Protector(new ProtectorSettings().threshold(1000).maxHosts(100), null, clock);
        for (int i = 0; i < 5000; i++) {
            p.strike("10." + (i / 65536) + "." + (i / 256 % 256) + "." + (i % 256), Strike.Kind.FAILED_LOGIN, null);
        }
        p.ban("192.0.2.1", Duration.ofHours(1));
        assertThat(p.bans()).hasSize(1);
    }

    @Test
    void addressesHaveOneCanonicalForm() throws Exception {
        assertThat(Addresses.canonical("0:0:0:0:0:0:0:1")).isEqualTo("::1");
        assertThat(Addresses.canonical("[::1]")).isEqualTo("::1");
        assertThat(Addresses.canonical("2001:DB8:0:0:1:0:0:1")).isEqualTo("2001:db8::1:0:0:1");
        assertThat(Addresses.canonical("2001:db8:0:1:1:1:1:1")).isEqualTo("2001:db8:0:1:1:1:1:1");
        assertThat(Addresses.canonical("::")).isEqualTo("::");
        assertThat(Addresses.canonical("::ffff:192.0.2.1")).isEqualTo("192.0.2.1");
        assertThat(Addresses.canonical(InetAddress.getByName("0:0:0:0:0:0:0:1"))).isEqualTo("::1");
        assertThat(Addresses.clientKey(Addresses.parse("2001:db8:1:2:aaaa::7"), 64)).isEqualTo("2001:db8:1:2::/64");
        assertThat(Addresses.clientKey(Addresses.parse("::1"), 128)).isEqualTo("::1");
        assertThat(Addresses.clientKey(Addresses.parse("192.0.2.9"), 64)).isEqualTo("192.0.2.9");
        // literals only: nothing that could be a host name is ever resolved
        for (String bad : new String[] {"dead.beef", "localhost", "1.2.3", "010.0.0.1", "256.0.0.1", "fe80::1%lo",
            ".1:2", "", "::1::2"}) {
            assertThatThrownBy(() -> Addresses.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(Cidr.parse("0:0:0:0:0:0:0:1/64").toString()).isEqualTo("::/64");
        assertThat(Cidr.parse("10.1.2.3/8").toString()).isEqualTo("10.0.0.0/8");
    }

    @Test
    void ipv6BansTakeTheWholeSlash64AndAnyWrittenForm() {
        Protector p = new Protector(new ProtectorSettings().threshold(3), null, clock);
        p.ban("::1", Duration.ofHours(1));
        assertThat(p.check("0:0:0:0:0:0:0:1")).get().extracting(Ban::address).isEqualTo("::/64");
        assertThat(p.check("::2")).isPresent();
        assertThat(p.check("0:0:0:1::1")).isEmpty();
        assertThat(p.bans()).extracting(Ban::address).containsExactly("::/64");
        assertThat(p.lift("0:0:0:0:0:0:0:1")).isTrue();
        assertThat(p.check("::1")).isEmpty();
        // strikes from several addresses of one /64 add up to one score
        p.strike("2001:db8:1:2::1", Strike.Kind.FAILED_LOGIN, null);
        p.strike("2001:db8:1:2::2", Strike.Kind.FAILED_LOGIN, null);
        p.strike("2001:DB8:1:2:0:0:0:3", Strike.Kind.FAILED_LOGIN, null);
        assertThat(p.check("2001:db8:1:2:ffff::9")).get().extracting(Ban::address).isEqualTo("2001:db8:1:2::/64");
        assertThat(p.check("2001:db8:1:3::1")).isEmpty();
        assertThat(p.lift("2001:db8:1:2::/64")).isTrue();
        assertThatThrownBy(() -> p.ban("2001:db8::/48", Duration.ofHours(1))).isInstanceOf(IllegalArgumentException.class);
        // single addresses when asked
        Protector single = new Protector(new ProtectorSettings().ipv6Prefix(128), null, clock);
        single.ban("0:0:0:0:0:0:0:1", Duration.ofHours(1));
        assertThat(single.check("::1")).get().extracting(Ban::address).isEqualTo("::1");
        assertThat(single.check("::2")).isEmpty();
    }
}
