package dev.termlet.terminal.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The byte ring against a plain model: whatever goes in comes out in order, across wraps and growth. */
class ByteRingTest {

    /** Appends and takes of random sizes, starting from a tiny ring so that it wraps and grows while wrapped. */
    @Property(tries = 300)
    void bytesComeOutInTheOrderTheyWentIn(@ForAll @Size(max = 60) List<@IntRange(min = 0, max = 700) Integer> steps,
            @ForAll @IntRange(min = 1, max = 64) int initial) {
        ByteRing ring = new ByteRing(initial);
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte next = 0;
        boolean append = true;
        for (int step : steps) {
            if (append) {
                byte[] chunk = new byte[step];
                for (int i = 0; i < step; i++) {
                    chunk[i] = next++;
                }
                ring.append(chunk, 0, step);
                in.write(chunk, 0, step);
            } else {
                byte[] got = new byte[step + 3];
                int n = ring.take(got, 3, step);
                assertThat(n).isLessThanOrEqualTo(step);
                out.write(got, 3, n);
            }
            assertThat(ring.size()).isEqualTo(in.size() - out.size());
            assertThat(ring.capacity()).isGreaterThanOrEqualTo(ring.size());
            append = !append;
        }
        while (ring.size() > 0) {
            int peeked = ring.peek();
            int taken = ring.take();
            assertThat(taken).isEqualTo(peeked);
            out.write(taken);
        }
        assertThat(out.toByteArray()).isEqualTo(in.toByteArray());
    }

    @Test
    void singleBytesPeekTakeAndClear() {
        ByteRing ring = new ByteRing(2);
        ring.append(new byte[] {1, 2, (byte) 0xff}, 0, 3);
        assertThat(ring.peek()).isEqualTo(1);
        assertThat(ring.take()).isEqualTo(1);
        assertThat(ring.take()).isEqualTo(2);
        assertThat(ring.take()).isEqualTo(255);
        assertThatThrownBy(ring::take).isInstanceOf(IllegalStateException.class);
        ring.append(new byte[100], 0, 100);
        assertThat(ring.capacity()).isGreaterThanOrEqualTo(100);
        ring.clear();
        assertThat(ring.size()).isZero();
        assertThat(ring.capacity()).isEqualTo(2);
    }
}
