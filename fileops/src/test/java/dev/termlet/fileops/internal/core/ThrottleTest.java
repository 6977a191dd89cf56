package dev.termlet.fileops.internal.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A throttle moves bytes in pieces of a tenth of a second at its rate, whatever size the caller hands it, so that a
 * slow transfer keeps moving and never bursts (a narrow test of the pieces; the pacing itself is in
 * AccountFileSettingsTest with real clients).
 */
class ThrottleTest {
    /** 10,000 KiB/s: pieces of 1,024,000 bytes, so 3 MB take about 0.3 s. */
    private final Throttle throttle = new Throttle(() -> 10_000);
    private final int piece = 1_024_000;

    @Test
    void aStreamWriteGoesDownInPieces() throws IOException {
        List<Integer> sizes = new ArrayList<>();
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        OutputStream counting = new OutputStream() {
            @Override
            public void write(int b) {
                sizes.add(1);
                sink.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                sizes.add(len);
                sink.write(b, off, len);
            }
        };
        byte[] data = bytes(3_000_000);
        throttle.output(counting).write(data, 0, data.length);
        assertThat(sizes).hasSize(3).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(piece));
        assertThat(sink.toByteArray()).isEqualTo(data);
    }

    @Test
    void aStreamReadAsksForOnePieceAtMost() throws IOException {
        byte[] data = bytes(3_000_000);
        InputStream in = throttle.input(new ByteArrayInputStream(data));
        byte[] into = new byte[data.length];
        int n = in.read(into, 0, into.length);
        assertThat(n).isEqualTo(piece);
    }

    @Test
    void aChannelWriteTakesEverythingInPieces() throws IOException {
        List<Integer> sizes = new ArrayList<>();
        SeekableByteChannel counting = new ForwardingChannel(null) {
            @Override
            public int write(ByteBuffer src) {
                int n = src.remaining();
                sizes.add(n);
                src.position(src.limit());
                return n;
            }

            @Override
            public int read(ByteBuffer dst) {
                int n = dst.remaining();
                dst.position(dst.limit());
                return n;
            }
        };
        SeekableByteChannel paced = Throttle.channel(counting, throttle, throttle);
        ByteBuffer src = ByteBuffer.wrap(bytes(2_500_000));
        src.limit(2_400_000);
        assertThat(paced.write(src)).isEqualTo(2_400_000);
        assertThat(src.position()).isEqualTo(2_400_000);
        assertThat(src.limit()).as("the caller's limit is kept").isEqualTo(2_400_000);
        assertThat(sizes).containsExactly(piece, piece, 2_400_000 - 2 * piece);
        ByteBuffer dst = ByteBuffer.allocate(3_000_000);
        assertThat(paced.read(dst)).isEqualTo(piece);
        assertThat(dst.limit()).isEqualTo(3_000_000);
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        new java.util.Random(n).nextBytes(b);
        return b;
    }
}
