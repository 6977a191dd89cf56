package dev.termlet.internal.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.internal.util.SerialExecutor;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The admission arithmetic of {@link Limits}: MaxStartups' random early drop and the per-address caps. */
class LimitsTest {
    private static Connection from(String address) {
        return new Connection(new InetSocketAddress(address, 2222), new SerialExecutor(Runnable::run, 10));
    }

    @Test
    void dropChanceFollowsMaxStartups10To30To100() {
        Limits l = new Limits(1000, 1000, 20, 10, 30, 100, 1000, 64, new SplittableRandom(1));
        assertThat(l.dropPercent(0)).isZero();
        assertThat(l.dropPercent(9)).isZero();
        assertThat(l.dropPercent(10)).isEqualTo(30.0);
        assertThat(l.dropPercent(55)).isEqualTo(65.0);
        assertThat(l.dropPercent(99)).isCloseTo(99.22, org.assertj.core.data.Offset.offset(0.01));
        assertThat(l.dropPercent(100)).isEqualTo(100.0);
    }

    @Test
    void belowTheStartAllAreAdmittedAndAtFullNone() {
        Limits l = new Limits(1000, 1000, 20, 10, 30, 100, 1000, 64, new SplittableRandom(7));
        for (int i = 0; i < 10; i++) {
            assertThat(l.admit(from("10.0.0." + (i + 1)))).isNull();
        }
        int admitted = 10;
        int refused = 0;
        for (int i = 0; i < 2000 && admitted < 100; i++) {
            if (l.admit(from("10.0." + (i / 250 + 1) + "." + (i % 250 + 1))) == null) {
                admitted++;
            } else {
                refused++;
            }
        }
        assertThat(admitted).isEqualTo(100);
        assertThat(refused).isPositive();
        assertThat(l.admit(from("192.0.2.1"))).contains("not yet authenticated (100)");
    }

    @Test
    void oneAddressGetsItsShareOnlyAndAuthenticatedConnectionsLeaveIt() {
        Limits l = new Limits(1000, 1000, 20, 10, 30, 100, 3, 64, new SplittableRandom(1));
        List<Connection> mine = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Connection c = from("192.0.2.7");
            assertThat(l.admit(c)).isNull();
            mine.add(c);
        }
        assertThat(l.admit(from("192.0.2.7"))).contains("from 192.0.2.7 (3)");
        assertThat(l.admit(from("192.0.2.8"))).isNull();
        l.authenticated(mine.get(0), "alice");
        l.authenticated(mine.get(0), "alice");
        assertThat(l.unauthenticated()).isEqualTo(3);
        assertThat(l.admit(from("192.0.2.7"))).isNull();
        l.closed(mine.get(1));
        l.closed(mine.get(1));
        assertThat(l.total()).isEqualTo(4);
        assertThat(l.unauthenticated()).isEqualTo(3);
        // IPv6 clients are counted by their /64
        assertThat(l.admit(from("2001:db8::1"))).isNull();
        assertThat(l.admit(from("2001:db8::2"))).isNull();
        assertThat(l.admit(from("2001:db8::3"))).isNull();
        assertThat(l.admit(from("2001:db8:0:0:ffff::4"))).contains("2001:db8::/64");
        assertThat(l.admit(from("2001:db8:0:1::1"))).isNull();
    }
}
