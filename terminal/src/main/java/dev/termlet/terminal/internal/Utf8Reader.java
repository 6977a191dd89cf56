package dev.termlet.terminal.internal;

import java.io.IOException;
import org.jline.utils.NonBlockingInputStream;
import org.jline.utils.NonBlockingReader;

/**
 * Decodes a session's input from UTF-8 a byte at a time, as JLine's own non-blocking reader does (malformed
 * input becomes U+FFFD, one for each maximal invalid part), without its 2 KiB byte and 1 K-char buffers per
 * session, and without allocating per character.
 */
final class Utf8Reader extends NonBlockingReader {
    private static final char REPLACEMENT = '\ufffd';

    private final NonBlockingInputStream input;
    /** A decoded character not yet consumed (a peek's, or the low half of a pair), or -1. */
    private int next = -1;
    /** A second decoded character waiting behind {@link #next} (a low surrogate), or -1. */
    private int after = -1;
    /** A byte read that did not continue the sequence before it, to decode next, or -1. */
    private int pushback = -1;
    /** The code point decoded so far and the continuation bytes it still needs. */
    private int partial;
    private int need;
    private int lower = 0x80;
    private int upper = 0xbf;

    Utf8Reader(NonBlockingInputStream input) {
        this.input = input;
    }

    @Override
    protected int read(long timeout, boolean isPeek) throws IOException {
        synchronized (this) {
            if (next < 0) {
                long deadline = timeout > 0 ? System.currentTimeMillis() + timeout : 0;
                while (next < 0) {
                    int b;
                    if (pushback >= 0) {
                        b = pushback;
                        pushback = -1;
                    } else {
                        long left = 0;
                        if (timeout > 0) {
                            left = deadline - System.currentTimeMillis();
                            if (left <= 0) {
                                return READ_EXPIRED;
                            }
                        }
                        b = input.read(left);
                        if (b == EOF) {
                            return EOF;
                        }
                        if (b < 0) {
                            if (timeout > 0 && deadline - System.currentTimeMillis() > 0) {
                                continue;
                            }
                            return READ_EXPIRED;
                        }
                    }
                    decode(b);
                }
            }
            int c = next;
            if (!isPeek) {
                next = after;
                after = -1;
            }
            return c;
        }
    }

    private void decode(int b) {
        if (need > 0) {
            if (b < lower || b > upper) {
                need = 0;
                pushback = b;
                emit(REPLACEMENT);
                return;
            }
            lower = 0x80;
            upper = 0xbf;
            partial = (partial << 6) | (b & 0x3f);
            if (--need == 0) {
                // as the JDK: a surrogate's encoding (ED A0-BF xx) is one malformed sequence
                emit(partial >= 0xd800 && partial <= 0xdfff ? REPLACEMENT : partial);
            }
            return;
        }
        if (b < 0x80) {
            emit(b);
        } else if (b >= 0xc2 && b <= 0xdf) {
            start(b & 0x1f, 1, 0x80, 0xbf);
        } else if (b >= 0xe0 && b <= 0xef) {
            start(b & 0x0f, 2, b == 0xe0 ? 0xa0 : 0x80, 0xbf);
        } else if (b >= 0xf0 && b <= 0xf4) {
            start(b & 0x07, 3, b == 0xf0 ? 0x90 : 0x80, b == 0xf4 ? 0x8f : 0xbf);
        } else {
            emit(REPLACEMENT);
        }
    }

    private void start(int bits, int count, int lo, int hi) {
        partial = bits;
        need = count;
        lower = lo;
        upper = hi;
    }

    private void emit(int cp) {
        if (cp >= 0x10000) {
            next = Character.highSurrogate(cp);
            after = Character.lowSurrogate(cp);
        } else {
            next = cp;
        }
    }

    @Override
    public int readBuffered(char[] b, int off, int len, long timeout) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        int c = read(timeout, false);
        if (c < 0) {
            return c;
        }
        b[off] = (char) c;
        int n = 1;
        while (n < len) {
            synchronized (this) {
                if (next < 0 && pushback < 0 && input.available() <= 0) {
                    break;
                }
            }
            c = read(timeout, false);
            if (c < 0) {
                break;
            }
            b[off + n++] = (char) c;
        }
        return n;
    }

    @Override
    public void shutdown() {
        input.shutdown();
    }

    @Override
    public void close() throws IOException {
        input.close();
    }
}
