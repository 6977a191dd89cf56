package dev.termlet.terminal.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jline.builtins.ScreenTerminal;
import org.jline.reader.LineReader;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.junit.jupiter.api.Test;

/**
 * The typing shortcut of {@link TermletLineReader} must leave the screen exactly as JLine's full redisplay does.
 * Each test types the same keys into two readers, one with the shortcut and one without, feeds what each sends
 * through a VT100 screen emulator, and compares the screens (characters, attributes and cursor) after every key.
 */
class TypingShortcutTest {

    private static final String LEFT = "\u001b[D";
    private static final String UP = "\u001b[A";
    private static final String DOWN = "\u001b[B";
    private static final String BACKSPACE = "\u007f";
    private static final String CTRL_E = "\u0005";
    private static final String CTRL_A = "\u0001";
    private static final String UNDO = "\u001f";

    /** A reader on a session terminal, driven key by key from the test thread, with its screen. */
    private static final class Session implements AutoCloseable {
        final SessionInput input = new SessionInput(n -> { }, 1 << 20);
        final Screen channel;
        final SessionTerminal terminal;
        final TermletLineReader reader;
        final List<String> lines = new ArrayList<>();
        Thread thread;

        Session(boolean shortcut, int columns, int rows, Character mask, int lineCount) throws Exception {
            channel = new Screen(columns, rows);
            terminal = new SessionTerminal("t", "xterm-256color", input, channel, new Size(columns, rows),
                    PtyModes.defaults());
            reader = new TermletLineReader(terminal, "test", new HashMap<>());
            reader.shortcut(shortcut);
            thread = new Thread(() -> {
                try {
                    for (int i = 0; i < lineCount; i++) {
                        String line = reader.readLine("$ ", null, mask, null);
                        synchronized (lines) {
                            lines.add(line);
                        }
                    }
                } catch (org.jline.reader.EndOfFileException | java.io.IOError e) {
                    // the test closed the input
                }
            });
            thread.start();
            settle();
        }

        /** Waits until the reader has consumed everything fed and is waiting for more. */
        void settle() throws InterruptedException {
            for (int i = 0; i < 5000 && input.available() > 0; i++) {
                Thread.sleep(1);
            }
            CountDownLatch waiting = new CountDownLatch(1);
            input.submit(waiting::countDown);
            // the task runs when the reading thread next reads, that is after it dealt with the key
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!waiting.await(5, TimeUnit.MILLISECONDS) && thread.isAlive()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("reader did not come back for input");
                }
            }
            if (!thread.isAlive()) {
                // the reader returned its last line: its output is complete
                thread.join();
            }
        }

        void type(String key) throws Exception {
            byte[] b = key.getBytes(StandardCharsets.UTF_8);
            input.feed(b, 0, b.length);
            settle();
        }

        @Override
        public void close() throws Exception {
            input.close();
            thread.join(10_000);
        }
    }

    /** The channel: a VT100 emulator fed with everything the terminal sends. */
    private static final class Screen extends OutputStream {
        final ScreenTerminal vt;
        final int columns;
        final int rows;
        final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        Screen(int columns, int rows) {
            this.vt = new ScreenTerminal(columns, rows);
            this.columns = columns;
            this.rows = rows;
        }

        @Override
        public synchronized void write(int b) {
            pending.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            pending.write(b, off, len);
        }

        @Override
        public synchronized void flush() {
            vt.write(pending.toString(StandardCharsets.UTF_8));
            pending.reset();
        }

        synchronized String picture() {
            flush();
            long[] cells = new long[columns * rows];
            int[] cursor = new int[2];
            vt.dump(cells, 0, 0, rows, columns, cursor);
            StringBuilder sb = new StringBuilder();
            for (int y = 0; y < rows; y++) {
                sb.append('|');
                for (int x = 0; x < columns; x++) {
                    long cell = cells[y * columns + x];
                    int c = (int) (cell & 0xffffffffL);
                    sb.appendCodePoint(c == 0 ? ' ' : c);
                }
                sb.append("|\n");
            }
            sb.append("cursor ").append(cursor[0]).append(',').append(cursor[1]).append('\n');
            sb.append("attributes ").append(Arrays.hashCode(attributes(cells)));
            return sb.toString();
        }

        private static long[] attributes(long[] cells) {
            long[] a = new long[cells.length];
            for (int i = 0; i < cells.length; i++) {
                a[i] = cells[i] >>> 32;
            }
            return a;
        }
    }

    /**
     * Types the keys into both readers and compares their screens after each key.
     *
     * @return the reader with the shortcut, for further checks
     */
    private static long compare(int columns, int rows, Character mask, int lineCount, String... keys) throws Exception {
        return compare(columns, rows, mask, lineCount, (s, k) -> { }, keys);
    }

    private interface Between {
        void after(Session s, int key) throws Exception;
    }

    private static long compare(int columns, int rows, Character mask, int lineCount, Between between, String... keys)
            throws Exception {
        try (Session fast = new Session(true, columns, rows, mask, lineCount);
                Session plain = new Session(false, columns, rows, mask, lineCount)) {
            assertThat(fast.channel.picture()).isEqualTo(plain.channel.picture());
            for (int i = 0; i < keys.length; i++) {
                fast.type(keys[i]);
                plain.type(keys[i]);
                between.after(fast, i);
                between.after(plain, i);
                assertThat(fast.channel.picture())
                        .as("screen after key %d (%s)", i, keys[i].replace("\u001b", "ESC"))
                        .isEqualTo(plain.channel.picture());
            }
            fast.thread.join(10_000);
            plain.thread.join(10_000);
            assertThat(fast.lines).isEqualTo(plain.lines);
            assertThat(plain.reader.shortcutKeys()).isZero();
            return fast.reader.shortcutKeys();
        }
    }

    private static String[] keys(String typed) {
        return typed.codePoints().mapToObj(Character::toString).toArray(String[]::new);
    }

    private static String[] concat(String[]... parts) {
        List<String> all = new ArrayList<>();
        for (String[] p : parts) {
            all.addAll(Arrays.asList(p));
        }
        return all.toArray(new String[0]);
    }

    @Test
    void appendsThenEditsLookAsJLineDrawsThem() throws Exception {
        long echoed = compare(40, 6, null, 1, concat(keys("hello world"), new String[] {BACKSPACE, BACKSPACE,
            LEFT, LEFT, LEFT}, keys("X"), new String[] {CTRL_E}, keys("yz"), new String[] {CTRL_A, CTRL_E},
            keys("!"), new String[] {"\r"}));
        assertThat(echoed).isGreaterThanOrEqualTo(12);
    }

    @Test
    void historyRecallThenTyping() throws Exception {
        long echoed = compare(40, 6, null, 3, concat(keys("first"), new String[] {"\r"}, keys("sec"),
            new String[] {UP}, keys("more"), new String[] {DOWN}, keys("ond"), new String[] {"\r", UP, UP},
            keys("x"), new String[] {"\r"}));
        assertThat(echoed).isPositive();
    }

    @Test
    void maskedInputFallsBackAndMatches() throws Exception {
        assertThat(compare(40, 6, '*', 1, concat(keys("secret"), new String[] {BACKSPACE}, keys("!"),
            new String[] {"\r"}))).isZero();
        assertThat(compare(40, 6, '\0', 1, concat(keys("hidden"), new String[] {"\r"}))).isZero();
    }

    @Test
    void lineReachingTheRightMarginWrapsAsJLineWrapsIt() throws Exception {
        long echoed = compare(12, 6, null, 1, concat(keys("abcdefghijklmnopqrstuvw"),
            new String[] {BACKSPACE, BACKSPACE, BACKSPACE, BACKSPACE, BACKSPACE, BACKSPACE, BACKSPACE, BACKSPACE,
                BACKSPACE, BACKSPACE, BACKSPACE, BACKSPACE, BACKSPACE, BACKSPACE}, keys("XYZ"),
            new String[] {"\r"}));
        // columns 0-1 hold the prompt; the shortcut stops short of the last column
        assertThat(echoed).isBetween(9L, 14L);
    }

    @Test
    void wideAndCombiningCharactersMatch() throws Exception {
        long echoed = compare(20, 6, null, 1, concat(keys("ab\u4e2d\u6587cd"), keys("e\u0301f"),
            keys("\ud83d\ude00g"), new String[] {BACKSPACE, BACKSPACE}, keys("h\u00e9"), new String[] {"\r"}));
        assertThat(echoed).isPositive();
    }

    @Test
    void undoOfTypedCharactersRestoresEachStep() throws Exception {
        compare(40, 6, null, 1, concat(keys("abc"), new String[] {UNDO, UNDO}, keys("de"), new String[] {UNDO},
            keys("f"), new String[] {LEFT, UNDO, UNDO, "\r"}));
    }

    @Test
    void printAboveWhileTypingKeepsTheLine() throws Exception {
        long echoed = compare(30, 8, null, 1, (s, i) -> {
            if (i == 2 || i == 5) {
                s.reader.printAbove("note " + i);
                s.settle();
            }
        }, concat(keys("abcdefg"), new String[] {BACKSPACE}, keys("hi"), new String[] {"\r"}));
        assertThat(echoed).isGreaterThanOrEqualTo(6);
    }

    @Test
    void resizeWhileTypingRedrawsAsJLineDoes() throws Exception {
        compare(30, 8, null, 1, (s, i) -> {
            if (i == 3) {
                s.terminal.setSize(new Size(20, 8));
                s.terminal.raise(Terminal.Signal.WINCH);
                s.settle();
            }
        }, concat(keys("abcdefghijklmnop"), new String[] {"\r"}));
    }

    @Test
    void replacedSelfInsertWidgetIsUsed() throws Exception {
        try (Session s = new Session(true, 40, 6, null, 1)) {
            s.reader.getWidgets().put(LineReader.SELF_INSERT, () -> {
                s.reader.getBuffer().write(s.reader.getLastBinding().toUpperCase());
                return true;
            });
            for (String k : keys("abc\r")) {
                s.type(k);
            }
            s.thread.join(10_000);
            assertThat(s.lines).containsExactly("ABC");
            assertThat(s.reader.shortcutKeys()).isZero();
        }
    }

    /** Counts what reaches the channel. */
    private static final class Counting extends OutputStream {
        int writes;
        int flushes;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            writes++;
            bytes.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            writes++;
            bytes.write(b, off, len);
        }

        @Override
        public synchronized void flush() {
            flushes++;
        }

        synchronized String reset() {
            String s = writes + " write(s), " + flushes + " flush(es): " + bytes.toString(StandardCharsets.UTF_8);
            writes = 0;
            flushes = 0;
            bytes.reset();
            return s;
        }
    }

    @Test
    void eachEchoedKeyIsOneWriteAndOneFlushOnTheChannel() throws Exception {
        Counting channel = new Counting();
        SessionInput input = new SessionInput(n -> { }, 1 << 20);
        SessionTerminal terminal = new SessionTerminal("t", "xterm-256color", input, channel, new Size(80, 24),
                PtyModes.defaults());
        TermletLineReader reader = new TermletLineReader(terminal, "test", new HashMap<>());
        Thread t = new Thread(() -> {
            try {
                reader.readLine("$ ");
            } catch (org.jline.reader.EndOfFileException | java.io.IOError e) {
                // the test closed the input
            }
        });
        t.start();
        try {
            awaitIdle(input);
            channel.reset();
            for (String key : new String[] {"a", "b", "\u00e9", "c"}) {
                byte[] b = key.getBytes(StandardCharsets.UTF_8);
                input.feed(b, 0, b.length);
                awaitIdle(input);
                assertThat(channel.reset()).isEqualTo("1 write(s), 1 flush(es): " + key);
            }
            for (String key : new String[] {BACKSPACE, LEFT, "x"}) {
                byte[] b = key.getBytes(StandardCharsets.UTF_8);
                input.feed(b, 0, b.length);
                awaitIdle(input);
                assertThat(channel.reset()).startsWith("1 write(s), 1 flush(es): ");
            }
            assertThat(reader.shortcutKeys()).isEqualTo(4);
        } finally {
            input.close();
            t.join(10_000);
        }
    }

    private static void awaitIdle(SessionInput input) throws InterruptedException {
        for (int i = 0; i < 5000 && input.available() > 0; i++) {
            Thread.sleep(1);
        }
        CountDownLatch waiting = new CountDownLatch(1);
        input.submit(waiting::countDown);
        assertThat(waiting.await(10, TimeUnit.SECONDS)).isTrue();
    }
}
