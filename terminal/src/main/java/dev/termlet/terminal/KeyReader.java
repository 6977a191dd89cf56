package dev.termlet.terminal;

import java.io.EOFException;
import java.io.IOError;
import java.io.IOException;
import java.io.InterruptedIOException;
import org.jline.keymap.BindingReader;
import org.jline.keymap.KeyMap;
import org.jline.terminal.Terminal;
import org.jline.utils.NonBlockingReader;

/**
 * Reads whole keys from a terminal: escape sequences are matched against the terminal's key map, so an
 * arrow key is one {@link Key}, and a lone Esc is told from the start of a sequence by a short timeout
 * (100 ms by default). For full-screen apps and widgets; the terminal should be in raw mode.
 */
public final class KeyReader {
    private static final String SEQUENCE = "seq";
    private static final String OTHER = "other";

    private final BindingReader bindings;
    private final NonBlockingReader reader;
    private final KeyMap<String> keys = new KeyMap<>();
    private final KeyDecoder decoder;

    /**
     * Creates a reader.
     *
     * @param terminal the terminal
     */
    public KeyReader(Terminal terminal) {
        this.reader = terminal.reader();
        this.bindings = new BindingReader(reader);
        this.decoder = new KeyDecoder(terminal);
        for (String seq : decoder.sequences()) {
            keys.bind(SEQUENCE, seq);
        }
        for (char c = 0; c < 32; c++) {
            keys.bind(SEQUENCE, Character.toString(c));
        }
        keys.bind(SEQUENCE, "\u007f");
        keys.setUnicode(OTHER);
        keys.setNomatch(OTHER);
        keys.setAmbiguousTimeout(100);
    }

    /**
     * Sets how long to wait after an Esc for the rest of a sequence.
     *
     * @param millis the timeout
     */
    public void escapeTimeout(long millis) {
        keys.setAmbiguousTimeout(millis);
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
     * Reads one key, waiting at most a while.
     *
     * @param timeoutMillis how long to wait; 0 or less waits as long as it takes
     * @return the key, or null when none came in time
     * @throws EOFException when the input has ended
     * @throws InterruptedIOException when the session's idle limit is reached or the read is interrupted
     */
    public Key read(long timeoutMillis) throws IOException {
        try {
            if (timeoutMillis > 0) {
                int c = reader.peek(timeoutMillis);
                if (c == NonBlockingReader.READ_EXPIRED) {
                    return null;
                }
                if (c == NonBlockingReader.EOF) {
                    throw new EOFException("input ended");
                }
            }
            String binding = bindings.readBinding(keys);
            if (binding == null) {
                throw new EOFException("input ended");
            }
            return decoder.decode(bindings.getLastBinding());
        } catch (IOError e) {
            if (e.getCause() instanceof IOException) {
                throw (IOException) e.getCause();
            }
            throw e;
        }
    }
}
