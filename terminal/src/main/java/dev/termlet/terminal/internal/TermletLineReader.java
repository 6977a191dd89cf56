package dev.termlet.terminal.internal;

import dev.termlet.terminal.Key;
import java.util.Map;
import java.util.function.Consumer;
import org.jline.keymap.KeyMap;
import org.jline.reader.Binding;
import org.jline.reader.Buffer;
import org.jline.reader.EndOfFileException;
import org.jline.reader.MaskingCallback;
import org.jline.reader.Reference;
import org.jline.reader.UserInterruptException;
import org.jline.reader.Widget;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;

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
        this.highlighter = new PlainHighlighter();
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
        veof = getTerminal().getAttributes().getControlChar(org.jline.terminal.Attributes.ControlChar.VEOF);
        widgetDepth = 0;
        shownPrompt = null;
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
            if (local == null && widgetDepth == 0 && binding instanceof Reference
                    && SELF_INSERT.equals(((Reference) binding).name()) && echoAtEnd(seq)) {
                continue;
            }
            return binding;
        }
    }

    // ---- the typing shortcut ----------------------------------------------------------------------------------

    /** Whether typed characters may be echoed by the shortcut (tests turn it off to compare with JLine's path). */
    private boolean shortcut = true;

    /**
     * Turns the typing shortcut on or off; it is on unless turned off.
     *
     * @param on false to send every key through JLine's full redisplay
     */
    void shortcut(boolean on) {
        this.shortcut = on;
    }

    /** Keys echoed by the shortcut so far. */
    private long shortcutKeys;

    /** @return how many keys the shortcut has echoed (for tests) */
    long shortcutKeys() {
        return shortcutKeys;
    }

    /** The control character that ends input at an empty line, as it was when the current line began. */
    private int veof = -1;
    /** Widgets running now (started by the main loop of {@code readLine}); keys they read are theirs. */
    private int widgetDepth;
    /** The display, reused from line to line, once installed. */
    private EchoDisplay echo;
    /** The prompt shown when the screen was last recorded, or null if the record is not valid. */
    private AttributedString shownPrompt;
    /**
     * The characters (code points) shown after the prompt when the screen was last recorded, followed by those
     * echoed since. Only ever appended to in place; a new record gets a new array, since undo states share it.
     */
    private int[] shown = new int[0];
    private int shownLength;

    /**
     * Hands JLine's display for a new line over to the reader's {@link EchoDisplay}. JLine asks for this option
     * once per line, right after it made and sized a new display and before it drew anything with it; if a later
     * JLine no longer does, the display stays JLine's and every key takes the full redisplay.
     */
    @Override
    public boolean isSet(Option option) {
        boolean set = super.isSet(option);
        if (option == Option.DELAY_LINE_WRAP && display != null && !(display instanceof EchoDisplay)) {
            lock.lock();
            try {
                if (echo == null) {
                    echo = new EchoDisplay(getTerminal());
                }
                echo.restart(size.getRows(), size.getColumns(), set);
                display = echo;
                shownPrompt = null;
                // JLine sets the option on its own display after this call; ours has it already
                return false;
            } finally {
                lock.unlock();
            }
        }
        return set;
    }

    @Override
    protected Widget getWidget(Object binding) {
        Widget w = super.getWidget(binding);
        return () -> {
            widgetDepth++;
            try {
                return w.apply();
            } finally {
                widgetDepth--;
            }
        };
    }

    @Override
    protected void redisplay(boolean flush) {
        lock.lock();
        try {
            shownPrompt = null;
            super.redisplay(flush);
            recordScreen();
        } finally {
            lock.unlock();
        }
    }

    @Override
    protected void setBuffer(Buffer buffer) {
        if (buffer instanceof TypedState) {
            TypedState state = (TypedState) buffer;
            buf.clear();
            buf.write(new String(state.text, 0, state.length));
        } else {
            super.setBuffer(buffer);
        }
    }

    /**
     * Whether what JLine draws for the buffer is just the prompt followed by the buffer's characters: no mask,
     * no right prompt, no completion list or message below, no suggestion, no highlighting, no status bar.
     */
    private boolean plainScreen() {
        return maskingCallback == null
                && rightPrompt.length() == 0
                && post == null
                && autosuggestion == SuggestionType.NONE
                && searchTerm == null
                && regionActive == RegionType.NONE
                && !skipRedisplay
                && !overTyping
                && size.getRows() >= 3
                && size.getColumns() > 0
                && (highlighter instanceof PlainHighlighter && ((PlainHighlighter) highlighter).plain()
                        || isSet(Option.DISABLE_HIGHLIGHTER))
                && org.jline.utils.Status.getStatus(getTerminal(), false) == null;
    }

    /** A character the shortcut echoes: printable, one column wide, a single UTF-16 unit. */
    private static boolean simpleChar(int c) {
        return c < 0x10000 && !Character.isSurrogate((char) c) && KeyDecoder.isPrintable(c)
                && org.jline.utils.WCWidth.wcwidth(c) == 1;
    }

    /**
     * After a full redisplay: if the screen is one row showing the prompt and the buffer's simple characters with
     * the cursor at the end, records it, so that the next characters typed at the end can be echoed directly.
     */
    private void recordScreen() {
        if (display != echo || echo == null || !reading || !plainScreen()) {
            return;
        }
        echo.markSimple();
        if (!echo.simple()) {
            return;
        }
        int n = buf.length();
        if (buf.cursor() != n) {
            return;
        }
        for (int i = 0; i < n; i++) {
            if (!simpleChar(buf.atChar(i))) {
                return;
            }
        }
        int end = prompt.columnLength() + n;
        if (end >= echo.width() || echo.cursor() != end || prompt.toString().indexOf('\n') >= 0) {
            return;
        }
        int[] text = new int[Math.max(16, n * 2)];
        for (int i = 0; i < n; i++) {
            text[i] = buf.atChar(i);
        }
        shown = text;
        shownLength = n;
        shownPrompt = prompt;
    }

    /**
     * Inserts a typed character at the end of the line and echoes it, when nothing but the character itself would
     * change on screen; JLine's display takes it into account the next time it draws.
     *
     * @param seq the key's characters
     * @return false, having changed nothing, if the key needs JLine's full path
     */
    private boolean echoAtEnd(String seq) {
        if (!shortcut || seq == null || seq.length() != 1) {
            return false;
        }
        char c = seq.charAt(0);
        if (!simpleChar(c) || c == veof) {
            return false;
        }
        lock.lock();
        try {
            if (!reading || state != State.NORMAL || shownPrompt == null || shownPrompt != prompt
                    || display != echo || !echo.simple() || repeatCount != 0 || mult != 1
                    || !plainScreen() || !builtinSelfInsert()) {
                return false;
            }
            int n = buf.length();
            if (n != shownLength || buf.cursor() != n || echo.cursor() + 1 >= echo.width()) {
                return false;
            }
            int[] text = shown;
            for (int i = 0; i < n; i++) {
                if (buf.atChar(i) != text[i]) {
                    return false;
                }
            }
            int max = org.jline.reader.impl.ReaderUtils.getInt(this, FEATURES_MAX_BUFFER_SIZE, DEFAULT_FEATURES_MAX_BUFFER_SIZE);
            buf.write(c);
            if (n == text.length) {
                text = java.util.Arrays.copyOf(text, n * 2);
                shown = text;
            }
            text[n] = c;
            shownLength = n + 1;
            // as the main loop does after a widget changed the buffer: one undo state per key
            if (!isSet(Option.DISABLE_UNDO) && n <= max && n + 1 <= max) {
                undo.newState(new TypedState(text, n + 1));
            }
            doAutosuggestion = true;
            shortcutKeys++;
            java.io.PrintWriter w = getTerminal().writer();
            w.write(c);
            echo.appended(c);
            w.flush();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the self-insert widget is JLine's own (a user may replace it). */
    private boolean builtinSelfInsert() {
        Widget w = widgets.get(SELF_INSERT);
        return w != null && w == builtinWidgets.get(SELF_INSERT);
    }

    /**
     * An undo state left by the typing shortcut: the line's first {@code length} characters. It shares the array
     * with later states of the same typing run, which only ever write past their own lengths.
     */
    private static final class TypedState extends org.jline.reader.impl.BufferImpl {
        private final int[] text;
        private final int length;

        TypedState(int[] text, int length) {
            super(0);
            this.text = text;
            this.length = length;
        }
    }

    /** JLine's default highlighter, able to say whether it would style anything. */
    private static final class PlainHighlighter extends org.jline.reader.impl.DefaultHighlighter {
        boolean plain() {
            return errorPattern == null && errorIndex < 0;
        }
    }
}
