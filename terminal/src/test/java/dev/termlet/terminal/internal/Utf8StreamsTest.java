package dev.termlet.terminal.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.jline.utils.NonBlockingReader;
import org.junit.jupiter.api.Test;

/** The session's UTF-8 reader and writer must code exactly as the JDK's reader and writer do. */
class Utf8StreamsTest {

    private static final int[] INTERESTING = {0x00, 0x41, 0x7f, 0x80, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xed,
        0xee, 0xef, 0xf0, 0xf1, 0xf4, 0xf5, 0xff, 0x9f, 0xa0, 0x90, 0x8f};

    private static byte[] randomBytes(Random r) {
        byte[] b = new byte[r.nextInt(24)];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (r.nextInt(3) == 0 ? r.nextInt(256) : INTERESTING[r.nextInt(INTERESTING.length)]);
        }
        return b;
    }

    private static String decode(byte[] bytes) throws Exception {
        SessionInput input = new SessionInput(n -> { }, 1 << 20);
        input.feed(bytes, 0, bytes.length);
        input.close();
        NonBlockingReader reader = new Utf8Reader(input);
        StringBuilder sb = new StringBuilder();
        for (int c; (c = reader.read(0L)) >= 0; ) {
            sb.append((char) c);
        }
        return sb.toString();
    }

    @Test
    void decodesAsTheJdkDoes() throws Exception {
        Random r = new Random(21);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = randomBytes(r);
            byte[] terminated = java.util.Arrays.copyOf(b, b.length + 1);
            terminated[b.length] = 'x';
            assertThat(decode(terminated)).as("bytes %s", java.util.Arrays.toString(b))
                    .isEqualTo(new String(terminated, StandardCharsets.UTF_8));
        }
        assertThat(decode("h\u00e9\u4e2d\ud83d\ude00!".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("h\u00e9\u4e2d\ud83d\ude00!");
    }

    @Test
    void peekDoesNotConsume() throws Exception {
        SessionInput input = new SessionInput(n -> { }, 1 << 20);
        byte[] b = "\ud83d\ude00a".getBytes(StandardCharsets.UTF_8);
        input.feed(b, 0, b.length);
        NonBlockingReader reader = new Utf8Reader(input);
        assertThat(reader.peek(10L)).isEqualTo(0xd83d);
        assertThat(reader.read(10L)).isEqualTo(0xd83d);
        assertThat(reader.peek(10L)).isEqualTo(0xde00);
        assertThat(reader.read(10L)).isEqualTo(0xde00);
        assertThat(reader.read(10L)).isEqualTo('a');
        assertThat(reader.read(10L)).isEqualTo(NonBlockingReader.READ_EXPIRED);
    }

    private static String randomText(Random r) {
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(20);
        for (int i = 0; i < n; i++) {
            switch (r.nextInt(6)) {
                case 0 -> sb.append((char) r.nextInt(0x80));
                case 1 -> sb.append((char) (0x80 + r.nextInt(0x780)));
                case 2 -> sb.append((char) (0x800 + r.nextInt(0xd000)));
                case 3 -> sb.append((char) (0xd800 + r.nextInt(0x800))); // lone or paired surrogates
                case 4 -> sb.appendCodePoint(0x10000 + r.nextInt(0x100000));
                default -> sb.append((char) (0xe000 + r.nextInt(0x2000)));
            }
        }
        return sb.toString();
    }

    @Test
    void encodesAsTheJdkDoes() throws Exception {
        Random r = new Random(21);
        for (int i = 0; i < 20_000; i++) {
            String a = randomText(r);
            String b = randomText(r);
            ByteArrayOutputStream jdk = new ByteArrayOutputStream();
            ByteArrayOutputStream ours = new ByteArrayOutputStream();
            for (Writer w : new Writer[] {new OutputStreamWriter(jdk, StandardCharsets.UTF_8), new Utf8Writer(ours)}) {
                w.write(a);
                w.flush();
                w.write(b.toCharArray());
                w.write('z');
                w.close();
            }
            assertThat(ours.toByteArray()).as("text %s|%s", a, b).isEqualTo(jdk.toByteArray());
        }
    }

    @Test
    void eachFlushIsOneWriteThenOneFlush() throws Exception {
        int[] calls = new int[2];
        ByteArrayOutputStream sink = new ByteArrayOutputStream() {
            @Override
            public synchronized void write(byte[] b, int off, int len) {
                calls[0]++;
                super.write(b, off, len);
            }

            @Override
            public void flush() {
                calls[1]++;
            }
        };
        Utf8Writer w = new Utf8Writer(sink);
        w.write("\u001b[1@");
        w.write('x');
        w.flush();
        assertThat(calls).containsExactly(1, 1);
        w.write("y".repeat(20_000));
        w.flush();
        assertThat(sink.toString(StandardCharsets.UTF_8)).isEqualTo("\u001b[1@x" + "y".repeat(20_000));
    }
}
