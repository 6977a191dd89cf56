package dev.termlet.terminal;

import dev.termlet.terminal.internal.KeyDecoder;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import org.jline.terminal.Terminal;
import org.jline.utils.NonBlockingReader;

/**
 * Reads whole keys from a terminal in raw mode: a printable character, a control key, an escape sequence
 * (named from the terminal's terminfo entry and the common xterm forms, modifiers included), a bracketed
 * paste as one {@code PASTE} key, or a mouse report as one {@code MOUSE} key.
 *
 * <p>A lone Esc is told from the start of a sequence by a short timeout (100 ms by default). Broken input
 * never throws: a truncated or over-long sequence becomes an {@code UNKNOWN} key, and broken UTF-8 arrives
 * as U+FFFD, which is not a printable key.
 */
public final class KeyReader {
    private static final int ESC = 27;
    private static final int MAX_SEQUENCE = 64;
    private static final int MAX_PASTE = 1 << 20;
    private static final String PASTE_END = "\u001b[201~";

    private final NonBlockingReader reader;
    private final KeyDecoder decoder;
    private final ArrayDeque<Integer> pushback = new ArrayDeque<>();
    private long escapeTimeout = 100;

    /**
     * Creates a reader.
     *
     * @param terminal the terminal
     */
    public KeyReader(Terminal terminal) {
        this.reader = terminal.reader();
        this.decoder = KeyDecoder.of(terminal);
    }

    /**
     * Sets how long to wait after an Esc for the rest of a sequence.
     *
     * @param millis the timeout
     */
    public void escapeTimeout(long millis) {
        this.escapeTimeout = Math.max(1, millis);
    }

    /**
     * Reads one key, waiting as long as it takes.
     *
     * @return the key
     * @throws EOFException when the input has ended (the client left)
     * @throws InterruptedIOException when the session's idle limit is reached or the read is interrupted
     */
    public Key read() throws IOException {
        return read(0);
    }

    /**
     * Reads one key, waiting at most a while for it to start.
     *
     * @param timeoutMillis how long to wait; 0 or less waits as long as it takes
     * @return the key, or null when none came in time
     * @throws EOFException when the input has ended
     * @throws InterruptedIOException when the session's idle limit is reached or the read is interrupted
     */
    public Key read(long timeoutMillis) throws IOException {
        int c = next(timeoutMillis > 0 ? timeoutMillis : 0);
        if (c == NonBlockingReader.READ_EXPIRED) {
            return null;
        }
        if (c == NonBlockingReader.EOF) {
            throw new EOFException("input ended");
        }
        if (c != ESC) {
            return decoder.decode(c);
        }
        int n = next(escapeTimeout);
        if (n == NonBlockingReader.READ_EXPIRED || n == NonBlockingReader.EOF) {
            return decoder.decode("\u001b");
        }
        if (n == '[') {
            return csi();
        }
        if (n == 'O') {
            int m = next(escapeTimeout);
            if (m < 0) {
                return decoder.decode("\u001bO");
            }
            return decoder.decode("\u001bO" + character(m));
        }
        if (n == ESC) {
            pushback.push(n);
            return decoder.decode("\u001b");
        }
        return decoder.decode("\u001b" + character(n));
    }

    private Key csi() throws IOException {
        StringBuilder seq = new StringBuilder("\u001b[");
        while (true) {
            int ch = next(escapeTimeout);
            if (ch < 0) {
                return new Key(seq.toString(), "UNKNOWN", -1);
            }
            seq.appendCodePoint(ch);
            if (seq.length() == 3 && ch == 'M') {
                return x10Mouse(seq);
            }
            if (ch >= 0x40 && ch <= 0x7e && !(seq.length() == 3 && ch == '<')) {
                break;
            }
            if (seq.length() > MAX_SEQUENCE || ch < 0x20) {
                return new Key(seq.toString(), "UNKNOWN", -1);
            }
        }
        String s = seq.toString();
        if (s.startsWith("\u001b[<") && (s.endsWith("M") || s.endsWith("m"))) {
            return sgrMouse(s);
        }
        if (s.equals("\u001b[200~")) {
            return paste();
        }
        return decoder.decode(s);
    }

    private Key x10Mouse(StringBuilder seq) throws IOException {
        int[] v = new int[3];
        for (int i = 0; i < 3; i++) {
            int ch = next(escapeTimeout);
            if (ch < 0) {
                return new Key(seq.toString(), "UNKNOWN", -1);
            }
            seq.appendCodePoint(ch);
            v[i] = ch - 32;
        }
        if (v[0] < 0 || v[1] < 1 || v[2] < 1) {
            return new Key(seq.toString(), "UNKNOWN", -1);
        }
        return Key.mouse(seq.toString(), Mouse.decode(v[0], v[1], v[2], false));
    }

    private static Key sgrMouse(String s) {
        String[] parts = s.substring(3, s.length() - 1).split(";");
        if (parts.length != 3) {
            return new Key(s, "UNKNOWN", -1);
        }
        try {
            int code = Integer.parseInt(parts[0]);
            int x = Integer.parseInt(parts[1]);
            int y = Integer.parseInt(parts[2]);
            if (code < 0 || x < 1 || y < 1 || code > 255) {
                return new Key(s, "UNKNOWN", -1);
            }
            return Key.mouse(s, Mouse.decode(code, x, y, s.endsWith("m")));
        } catch (NumberFormatException e) {
            return new Key(s, "UNKNOWN", -1);
        }
    }

    private Key paste() throws IOException {
        StringBuilder text = new StringBuilder();
        int matched = 0;
        int kept = 0;
        while (true) {
            int ch = next(0);
            if (ch < 0) {
                break;
            }
            if (ch == PASTE_END.charAt(matched)) {
                matched++;
                if (matched == PASTE_END.length()) {
                    break;
                }
                continue;
            }
            if (matched > 0) {
                if (kept + matched <= MAX_PASTE) {
                    text.append(PASTE_END, 0, matched);
                    kept += matched;
                }
                matched = ch == PASTE_END.charAt(0) ? 1 : 0;
                if (matched == 1) {
                    continue;
                }
            }
            if (kept < MAX_PASTE) {
                text.appendCodePoint(ch);
                kept++;
            }
        }
        return Key.paste(text.toString());
    }

    private static String character(int c) {
        return new String(Character.toChars(c));
    }

    /** The next code point, joining surrogate pairs; EOF or READ_EXPIRED as JLine reports them. */
    private int next(long timeout) throws IOException {
        if (!pushback.isEmpty()) {
            return pushback.pop();
        }
        int c = reader.read(timeout);
        if (c >= 0 && Character.isHighSurrogate((char) c)) {
            int low = reader.read(escapeTimeout);
            if (low >= 0 && Character.isLowSurrogate((char) low)) {
                return Character.toCodePoint((char) c, (char) low);
            }
            if (low >= 0) {
                pushback.push(low);
            }
            return 0xfffd;
        }
        return c;
    }
}
