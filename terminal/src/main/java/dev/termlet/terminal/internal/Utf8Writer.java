package dev.termlet.terminal.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;

/**
 * Encodes characters as UTF-8 for a session's output, as an {@link java.io.OutputStreamWriter} does (a lone
 * surrogate becomes {@code ?}), but holds only what is written between flushes: the JDK's writer keeps an 8 KiB
 * buffer for the life of every session. The bytes go out as one write, followed by one flush, at each
 * {@link #flush()}; more than 8 KiB between flushes is written out (unflushed) as it fills.
 */
final class Utf8Writer extends Writer {
    private static final int MAX = 8192;
    private static final int KEEP = 1024;
    private static final byte[] NONE = new byte[0];

    private final OutputStream out;
    private byte[] buf = NONE;
    private int count;
    /** A high surrogate waiting for its low half, or 0. */
    private char high;

    Utf8Writer(OutputStream out) {
        this.out = out;
    }

    @Override
    public void write(int c) throws IOException {
        synchronized (lock) {
            put((char) c);
        }
    }

    @Override
    public void write(char[] cbuf, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, cbuf.length);
        synchronized (lock) {
            for (int i = 0; i < len; i++) {
                put(cbuf[off + i]);
            }
        }
    }

    @Override
    public void write(String str, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, str.length());
        synchronized (lock) {
            for (int i = 0; i < len; i++) {
                put(str.charAt(off + i));
            }
        }
    }

    private void put(char c) throws IOException {
        if (high != 0) {
            char h = high;
            high = 0;
            if (Character.isLowSurrogate(c)) {
                int cp = Character.toCodePoint(h, c);
                room(4);
                buf[count++] = (byte) (0xf0 | (cp >> 18));
                buf[count++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
                buf[count++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
                buf[count++] = (byte) (0x80 | (cp & 0x3f));
                return;
            }
            room(1);
            buf[count++] = '?';
        }
        if (c < 0x80) {
            room(1);
            buf[count++] = (byte) c;
        } else if (c < 0x800) {
            room(2);
            buf[count++] = (byte) (0xc0 | (c >> 6));
            buf[count++] = (byte) (0x80 | (c & 0x3f));
        } else if (Character.isHighSurrogate(c)) {
            high = c;
        } else if (Character.isLowSurrogate(c)) {
            room(1);
            buf[count++] = '?';
        } else {
            room(3);
            buf[count++] = (byte) (0xe0 | (c >> 12));
            buf[count++] = (byte) (0x80 | ((c >> 6) & 0x3f));
            buf[count++] = (byte) (0x80 | (c & 0x3f));
        }
    }

    private void room(int n) throws IOException {
        if (count + n <= buf.length) {
            return;
        }
        if (count + n > MAX) {
            out.write(buf, 0, count);
            count = 0;
            if (n <= buf.length) {
                return;
            }
        }
        int size = Math.max(64, buf.length);
        while (size < count + n) {
            size *= 2;
        }
        buf = java.util.Arrays.copyOf(buf, Math.min(size, MAX));
    }

    @Override
    public void flush() throws IOException {
        synchronized (lock) {
            if (count > 0) {
                out.write(buf, 0, count);
                count = 0;
            }
            if (buf.length > KEEP) {
                buf = NONE; // a large output is over: give the memory back
            }
            out.flush();
        }
    }

    @Override
    public void close() throws IOException {
        synchronized (lock) {
            if (high != 0) {
                high = 0;
                room(1);
                buf[count++] = '?';
            }
            flush();
            out.close();
        }
    }
}
