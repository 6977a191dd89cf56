package dev.termlet.terminal.internal;

import dev.termlet.terminal.Key;
import java.util.Map;
import java.util.function.Consumer;
import org.jline.keymap.KeyMap;
import org.jline.reader.Binding;
import org.jline.reader.EndOfFileException;
import org.jline.reader.MaskingCallback;
import org.jline.reader.Reference;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.terminal.Terminal;

/**
 * JLine's line reader with what a session needs on top: every key it reads is reported to a listener
 * (for the {@code type} and {@code rawtype} events), and lines longer than a limit are refused without
 * growing the buffer past it.
 */
public class TermletLineReader extends LineReaderImpl {

    private final KeyDecoder decoder;
    private volatile Consumer<Key> keyListener;
    private int maxLineLength;
    private boolean overflow;

    /**
     * Creates a reader.
     *
     * @param terminal the session terminal
     * @param appName the application name (JLine uses it for {@code inputrc} sections)
     * @param variables JLine variables, for example {@code HISTORY_FILE}
     */
    public TermletLineReader(Terminal terminal, String appName, Map<String, Object> variables) {
        super(terminal, appName, variables);
        this.decoder = new KeyDecoder(terminal);
    }

    /** Key maps by terminal type and console characters; a few entries, since clients use few types. */
    private static final Map<String, Map<String, KeyMap<Binding>>> SHARED_KEY_MAPS =
            new java.util.concurrent.ConcurrentHashMap<>();
    /** The most distinct terminal setups kept: a client cannot grow the cache by inventing terminal types. */
    private static final int MAX_SHARED = 32;

    /**
     * The key maps, shared by every session with the same terminal type and console characters: JLine builds
     * about 140 KiB of maps per reader, and nothing changes them after they are built (they are only read while
     * a line is edited). Each reader gets its own map of names to the shared key maps.
     *
     * @return the key maps by name
     */
    @Override
    public Map<String, KeyMap<Binding>> defaultKeyMaps() {
        org.jline.terminal.Attributes attr = getTerminal().getAttributes();
        // the type decides dumbness and the terminfo keys; the console characters decide erase and kill
        String key = getTerminal().getType() + '\u0000' + getVariable(BIND_TTY_SPECIAL_CHARS) + '\u0000'
                + attr.getControlChar(org.jline.terminal.Attributes.ControlChar.VERASE) + ','
                + attr.getControlChar(org.jline.terminal.Attributes.ControlChar.VWERASE) + ','
                + attr.getControlChar(org.jline.terminal.Attributes.ControlChar.VKILL) + ','
                + attr.getControlChar(org.jline.terminal.Attributes.ControlChar.VLNEXT);
        Map<String, KeyMap<Binding>> shared = SHARED_KEY_MAPS.get(key);
        if (shared == null) {
            shared = bindCommonKeys(super.defaultKeyMaps());
            if (SHARED_KEY_MAPS.size() < MAX_SHARED) {
                Map<String, KeyMap<Binding>> raced = SHARED_KEY_MAPS.putIfAbsent(key, shared);
                shared = raced != null ? raced : shared;
            }
        }
        return new java.util.HashMap<>(shared);
    }

    /**
     * Binds the cursor and editing keys in both their normal-mode and application-mode forms: JLine binds
     * only what terminfo names, but many clients send the other form.
     */
    private static Map<String, KeyMap<Binding>> bindCommonKeys(Map<String, KeyMap<Binding>> keyMaps) {
        String[][] keys = {
            {UP_LINE_OR_SEARCH, "\u001b[A", "\u001bOA"}, {DOWN_LINE_OR_SEARCH, "\u001b[B", "\u001bOB"},
            {FORWARD_CHAR, "\u001b[C", "\u001bOC"}, {BACKWARD_CHAR, "\u001b[D", "\u001bOD"},
            {BEGINNING_OF_LINE, "\u001b[H", "\u001bOH", "\u001b[1~", "\u001b[7~"},
            {END_OF_LINE, "\u001b[F", "\u001bOF", "\u001b[4~", "\u001b[8~"},
            {DELETE_CHAR, "\u001b[3~"}, {OVERWRITE_MODE, "\u001b[2~"},
            {FORWARD_WORD, "\u001b[1;5C", "\u001b[1;3C"}, {BACKWARD_WORD, "\u001b[1;5D", "\u001b[1;3D"},
        };
        for (String map : new String[] {EMACS, VIINS}) {
            KeyMap<Binding> keyMap = keyMaps.get(map);
            if (keyMap == null) {
                continue;
            }
            for (String[] k : keys) {
                for (int i = 1; i < k.length; i++) {
                    keyMap.bind(new Reference(k[0]), k[i]);
                }
            }
        }
        return keyMaps;
    }

    /**
     * Sets who hears each key read while a line is edited; it runs on the reading thread.
     *
     * @param listener the listener, or null for none
     */
    public void keyListener(Consumer<Key> listener) {
        this.keyListener = listener;
    }

    /**
     * Sets the longest line accepted; 0 or less means no limit.
     *
     * @param max the limit in characters
     */
    public void maxLineLength(int max) {
        this.maxLineLength = max;
    }

    /**
     * The longest line accepted.
     *
     * @return the limit in characters, 0 for none
     */
    public int maxLineLength() {
        return maxLineLength;
    }

    /**
     * Whether the line most recently read was longer than {@link #maxLineLength()}; such a line is
     * returned cut short and should be refused by the caller.
     *
     * @return true if the last line overflowed
     */
    public boolean lastLineTooLong() {
        return overflow;
    }

    @Override
    public String readLine(String prompt, String rightPrompt, MaskingCallback maskingCallback, String buffer)
            throws UserInterruptException, EndOfFileException {
        overflow = false;
        SessionTerminal session = getTerminal() instanceof SessionTerminal s ? s : null;
        boolean was = session != null && session.pollingBlocks(true);
        String line;
        try {
            line = super.readLine(prompt, rightPrompt, maskingCallback, buffer);
        } finally {
            if (session != null) {
                session.pollingBlocks(was);
            }
        }
        if (maxLineLength > 0 && line != null && line.length() > maxLineLength) {
            overflow = true;
            return line.substring(0, maxLineLength);
        }
        return line;
    }

    /**
     * Reads and drops a mouse report that reaches the line editor (JLine's own handler asks the terminal
     * for the cursor position, which a remote session cannot answer synchronously).
     *
     * @return true
     */
    @Override
    public boolean mouse() {
        readMouseEvent();
        return true;
    }

    @Override
    public Binding readBinding(KeyMap<Binding> keys, KeyMap<Binding> local) {
        while (true) {
            Binding binding = super.readBinding(keys, local);
            if (binding == null) {
                return null;
            }
            String seq = getLastBinding();
            Consumer<Key> listener = keyListener;
            if (listener != null && seq != null) {
                listener.accept(decoder.decode(seq));
            }
            if (maxLineLength > 0
                    && buf.length() >= maxLineLength
                    && binding instanceof Reference
                    && SELF_INSERT.equals(((Reference) binding).name())) {
                overflow = true;
                continue;
            }
            return binding;
        }
    }
}
