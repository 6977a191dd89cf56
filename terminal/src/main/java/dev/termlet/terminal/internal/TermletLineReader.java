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
        this.decoder = KeyDecoder.of(terminal);
        this.highlighter = new PlainHighlighter();
        // JLine built empty tables in the constructor (see builtinWidgets()); these views take their place
        this.builtinWidgets = new BuiltinView();
        this.widgets = new WidgetTable();
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

    // ---- widget tables --------------------------------------------------------------------------------------

    /**
     * Returns an empty table while JLine's constructor runs: JLine makes about 150 widget objects and two hash
     * maps of them for every reader (about 26 KiB held per idle session). This reader instead keeps one shared
     * table of what each built-in widget does ({@link Builtins}) and makes a reader's widget object for a name
     * only when it is first used; the constructor then puts views over that table in place of JLine's maps.
     *
     * @return an empty map
     */
    @Override
    protected Map<String, Widget> builtinWidgets() {
        return new java.util.HashMap<>();
    }

    /** This reader's widget objects for the built-in widgets, by index in {@link Builtins}, made when used. */
    private Widget[] bound;

    private Widget bound(int index) {
        Widget[] b = bound;
        if (b == null) {
            b = new Widget[Builtins.NAMES.length];
            bound = b;
        }
        Widget w = b[index];
        if (w == null) {
            w = new BuiltinWidget(this, index);
            b[index] = w;
        }
        return w;
    }

    /** A built-in widget bound to a reader; named as JLine names its built-in widgets. */
    private static final class BuiltinWidget implements Widget {
        private final TermletLineReader reader;
        private final int index;

        BuiltinWidget(TermletLineReader reader, int index) {
            this.reader = reader;
            this.index = index;
        }

        @Override
        public boolean apply() {
            return Builtins.ACTIONS[index].test(reader);
        }

        @Override
        public String toString() {
            return "." + Builtins.NAMES[index];
        }
    }

    /** The built-in widgets by name, read-only, as JLine's {@code getBuiltinWidgets()} shows them. */
    private final class BuiltinView extends java.util.AbstractMap<String, Widget> {
        private Map<String, Widget> all;

        @Override
        public Widget get(Object key) {
            Integer i = Builtins.INDEX.get(key);
            return i == null ? null : bound(i);
        }

        @Override
        public boolean containsKey(Object key) {
            return Builtins.INDEX.containsKey(key);
        }

        @Override
        public int size() {
            return Builtins.NAMES.length;
        }

        @Override
        public java.util.Set<Map.Entry<String, Widget>> entrySet() {
            if (all == null) {
                Map<String, Widget> m = new java.util.HashMap<>();
                for (int i = 0; i < Builtins.NAMES.length; i++) {
                    m.put(Builtins.NAMES[i], bound(i));
                }
                all = java.util.Collections.unmodifiableMap(m);
            }
            return all.entrySet();
        }
    }

    /**
     * The reader's widgets, as JLine's {@code getWidgets()} shows them: the built-in ones until a user changes or
     * lists the table; from then on an ordinary hash map holding the same entries, as JLine's own.
     */
    private final class WidgetTable extends java.util.AbstractMap<String, Widget> {
        private Map<String, Widget> real;

        private Map<String, Widget> real() {
            if (real == null) {
                Map<String, Widget> m = new java.util.HashMap<>();
                for (int i = 0; i < Builtins.NAMES.length; i++) {
                    m.put(Builtins.NAMES[i], bound(i));
                }
                real = m;
            }
            return real;
        }

        @Override
        public Widget get(Object key) {
            if (real != null) {
                return real.get(key);
            }
            Integer i = Builtins.INDEX.get(key);
            return i == null ? null : bound(i);
        }

        @Override
        public boolean containsKey(Object key) {
            return real != null ? real.containsKey(key) : Builtins.INDEX.containsKey(key);
        }

        @Override
        public int size() {
            return real != null ? real.size() : Builtins.NAMES.length;
        }

        @Override
        public boolean isEmpty() {
            return size() == 0;
        }

        @Override
        public Widget put(String key, Widget value) {
            return real().put(key, value);
        }

        @Override
        public Widget remove(Object key) {
            return real().remove(key);
        }

        @Override
        public void putAll(Map<? extends String, ? extends Widget> m) {
            real().putAll(m);
        }

        @Override
        public void clear() {
            real().clear();
        }

        @Override
        public java.util.Set<Map.Entry<String, Widget>> entrySet() {
            return real().entrySet();
        }

        @Override
        public java.util.Set<String> keySet() {
            return real().keySet();
        }

        @Override
        public java.util.Collection<Widget> values() {
            return real().values();
        }
    }

    /**
     * What each of JLine's built-in widgets does, once for all readers: the same names and methods as
     * {@code LineReaderImpl.builtinWidgets()} of JLine 3.30 (a test checks that the names still match).
     */
    private static final class Builtins {
        static final String[] NAMES;
        static final java.util.function.Predicate<TermletLineReader>[] ACTIONS;
        static final Map<String, Integer> INDEX;

        private static final Map<String, java.util.function.Predicate<TermletLineReader>> TABLE =
                new java.util.LinkedHashMap<>();

        private static void add(String name, java.util.function.Predicate<TermletLineReader> action) {
            TABLE.put(name, action);
        }

        static {
            add(ACCEPT_AND_INFER_NEXT_HISTORY, r -> r.acceptAndInferNextHistory());
            add(ACCEPT_AND_HOLD, r -> r.acceptAndHold());
            add(ACCEPT_LINE, r -> r.acceptLine());
            add(ACCEPT_LINE_AND_DOWN_HISTORY, r -> r.acceptLineAndDownHistory());
            add(ARGUMENT_BASE, r -> r.argumentBase());
            add(BACKWARD_CHAR, r -> r.backwardChar());
            add(BACKWARD_DELETE_CHAR, r -> r.backwardDeleteChar());
            add(BACKWARD_DELETE_WORD, r -> r.backwardDeleteWord());
            add(BACKWARD_KILL_LINE, r -> r.backwardKillLine());
            add(BACKWARD_KILL_WORD, r -> r.backwardKillWord());
            add(BACKWARD_WORD, r -> r.backwardWord());
            add(BEEP, r -> r.beep());
            add(BEGINNING_OF_BUFFER_OR_HISTORY, r -> r.beginningOfBufferOrHistory());
            add(BEGINNING_OF_HISTORY, r -> r.beginningOfHistory());
            add(BEGINNING_OF_LINE, r -> r.beginningOfLine());
            add(BEGINNING_OF_LINE_HIST, r -> r.beginningOfLineHist());
            add(CAPITALIZE_WORD, r -> r.capitalizeWord());
            add(CLEAR, r -> r.clear());
            add(CLEAR_SCREEN, r -> r.clearScreen());
            add(COMPLETE_PREFIX, r -> r.completePrefix());
            add(COMPLETE_WORD, r -> r.completeWord());
            add(COPY_PREV_WORD, r -> r.copyPrevWord());
            add(COPY_REGION_AS_KILL, r -> r.copyRegionAsKill());
            add(DELETE_CHAR, r -> r.deleteChar());
            add(DELETE_CHAR_OR_LIST, r -> r.deleteCharOrList());
            add(DELETE_WORD, r -> r.deleteWord());
            add(DIGIT_ARGUMENT, r -> r.digitArgument());
            add(DO_LOWERCASE_VERSION, r -> r.doLowercaseVersion());
            add(DOWN_CASE_WORD, r -> r.downCaseWord());
            add(DOWN_LINE, r -> r.downLine());
            add(DOWN_LINE_OR_HISTORY, r -> r.downLineOrHistory());
            add(DOWN_LINE_OR_SEARCH, r -> r.downLineOrSearch());
            add(DOWN_HISTORY, r -> r.downHistory());
            add(EDIT_AND_EXECUTE_COMMAND, r -> r.editAndExecute());
            add(EMACS_EDITING_MODE, r -> r.emacsEditingMode());
            add(EMACS_BACKWARD_WORD, r -> r.emacsBackwardWord());
            add(EMACS_FORWARD_WORD, r -> r.emacsForwardWord());
            add(END_OF_BUFFER_OR_HISTORY, r -> r.endOfBufferOrHistory());
            add(END_OF_HISTORY, r -> r.endOfHistory());
            add(END_OF_LINE, r -> r.endOfLine());
            add(END_OF_LINE_HIST, r -> r.endOfLineHist());
            add(EXCHANGE_POINT_AND_MARK, r -> r.exchangePointAndMark());
            add(EXPAND_HISTORY, r -> r.expandHistory());
            add(EXPAND_OR_COMPLETE, r -> r.expandOrComplete());
            add(EXPAND_OR_COMPLETE_PREFIX, r -> r.expandOrCompletePrefix());
            add(EXPAND_WORD, r -> r.expandWord());
            add(FRESH_LINE, r -> r.freshLine());
            add(FORWARD_CHAR, r -> r.forwardChar());
            add(FORWARD_WORD, r -> r.forwardWord());
            add(HISTORY_INCREMENTAL_SEARCH_BACKWARD, r -> r.historyIncrementalSearchBackward());
            add(HISTORY_INCREMENTAL_SEARCH_FORWARD, r -> r.historyIncrementalSearchForward());
            add(HISTORY_SEARCH_BACKWARD, r -> r.historySearchBackward());
            add(HISTORY_SEARCH_FORWARD, r -> r.historySearchForward());
            add(INSERT_CLOSE_CURLY, r -> r.insertCloseCurly());
            add(INSERT_CLOSE_PAREN, r -> r.insertCloseParen());
            add(INSERT_CLOSE_SQUARE, r -> r.insertCloseSquare());
            add(INSERT_COMMENT, r -> r.insertComment());
            add(KILL_BUFFER, r -> r.killBuffer());
            add(KILL_LINE, r -> r.killLine());
            add(KILL_REGION, r -> r.killRegion());
            add(KILL_WHOLE_LINE, r -> r.killWholeLine());
            add(KILL_WORD, r -> r.killWord());
            add(LIST_CHOICES, r -> r.listChoices());
            add(MENU_COMPLETE, r -> r.menuComplete());
            add(MENU_EXPAND_OR_COMPLETE, r -> r.menuExpandOrComplete());
            add(NEG_ARGUMENT, r -> r.negArgument());
            add(OVERWRITE_MODE, r -> r.overwriteMode());
            add(QUOTED_INSERT, r -> r.quotedInsert());
            add(REDISPLAY, r -> r.redisplay());
            add(REDRAW_LINE, r -> r.redrawLine());
            add(REDO, r -> r.redo());
            add(SELF_INSERT, r -> r.selfInsert());
            add(SELF_INSERT_UNMETA, r -> r.selfInsertUnmeta());
            add(SEND_BREAK, r -> r.sendBreak());
            add(SET_MARK_COMMAND, r -> r.setMarkCommand());
            add(TRANSPOSE_CHARS, r -> r.transposeChars());
            add(TRANSPOSE_WORDS, r -> r.transposeWords());
            add(UNDEFINED_KEY, r -> r.undefinedKey());
            add(UNIVERSAL_ARGUMENT, r -> r.universalArgument());
            add(UNDO, r -> r.undo());
            add(UP_CASE_WORD, r -> r.upCaseWord());
            add(UP_HISTORY, r -> r.upHistory());
            add(UP_LINE, r -> r.upLine());
            add(UP_LINE_OR_HISTORY, r -> r.upLineOrHistory());
            add(UP_LINE_OR_SEARCH, r -> r.upLineOrSearch());
            add(VI_ADD_EOL, r -> r.viAddEol());
            add(VI_ADD_NEXT, r -> r.viAddNext());
            add(VI_BACKWARD_CHAR, r -> r.viBackwardChar());
            add(VI_BACKWARD_DELETE_CHAR, r -> r.viBackwardDeleteChar());
            add(VI_BACKWARD_BLANK_WORD, r -> r.viBackwardBlankWord());
            add(VI_BACKWARD_BLANK_WORD_END, r -> r.viBackwardBlankWordEnd());
            add(VI_BACKWARD_KILL_WORD, r -> r.viBackwardKillWord());
            add(VI_BACKWARD_WORD, r -> r.viBackwardWord());
            add(VI_BACKWARD_WORD_END, r -> r.viBackwardWordEnd());
            add(VI_BEGINNING_OF_LINE, r -> r.viBeginningOfLine());
            add(VI_CMD_MODE, r -> r.viCmdMode());
            add(VI_DIGIT_OR_BEGINNING_OF_LINE, r -> r.viDigitOrBeginningOfLine());
            add(VI_DOWN_LINE_OR_HISTORY, r -> r.viDownLineOrHistory());
            add(VI_CHANGE, r -> r.viChange());
            add(VI_CHANGE_EOL, r -> r.viChangeEol());
            add(VI_CHANGE_WHOLE_LINE, r -> r.viChangeWholeLine());
            add(VI_DELETE_CHAR, r -> r.viDeleteChar());
            add(VI_DELETE, r -> r.viDelete());
            add(VI_END_OF_LINE, r -> r.viEndOfLine());
            add(VI_KILL_EOL, r -> r.viKillEol());
            add(VI_FIRST_NON_BLANK, r -> r.viFirstNonBlank());
            add(VI_FIND_NEXT_CHAR, r -> r.viFindNextChar());
            add(VI_FIND_NEXT_CHAR_SKIP, r -> r.viFindNextCharSkip());
            add(VI_FIND_PREV_CHAR, r -> r.viFindPrevChar());
            add(VI_FIND_PREV_CHAR_SKIP, r -> r.viFindPrevCharSkip());
            add(VI_FORWARD_BLANK_WORD, r -> r.viForwardBlankWord());
            add(VI_FORWARD_BLANK_WORD_END, r -> r.viForwardBlankWordEnd());
            add(VI_FORWARD_CHAR, r -> r.viForwardChar());
            add(VI_FORWARD_WORD, r -> r.viForwardWord());
            add(VI_FORWARD_WORD, r -> r.viForwardWord());
            add(VI_FORWARD_WORD_END, r -> r.viForwardWordEnd());
            add(VI_HISTORY_SEARCH_BACKWARD, r -> r.viHistorySearchBackward());
            add(VI_HISTORY_SEARCH_FORWARD, r -> r.viHistorySearchForward());
            add(VI_INSERT, r -> r.viInsert());
            add(VI_INSERT_BOL, r -> r.viInsertBol());
            add(VI_INSERT_COMMENT, r -> r.viInsertComment());
            add(VI_JOIN, r -> r.viJoin());
            add(VI_KILL_LINE, r -> r.viKillWholeLine());
            add(VI_MATCH_BRACKET, r -> r.viMatchBracket());
            add(VI_OPEN_LINE_ABOVE, r -> r.viOpenLineAbove());
            add(VI_OPEN_LINE_BELOW, r -> r.viOpenLineBelow());
            add(VI_PUT_AFTER, r -> r.viPutAfter());
            add(VI_PUT_BEFORE, r -> r.viPutBefore());
            add(VI_REPEAT_FIND, r -> r.viRepeatFind());
            add(VI_REPEAT_SEARCH, r -> r.viRepeatSearch());
            add(VI_REPLACE_CHARS, r -> r.viReplaceChars());
            add(VI_REV_REPEAT_FIND, r -> r.viRevRepeatFind());
            add(VI_REV_REPEAT_SEARCH, r -> r.viRevRepeatSearch());
            add(VI_SWAP_CASE, r -> r.viSwapCase());
            add(VI_UP_LINE_OR_HISTORY, r -> r.viUpLineOrHistory());
            add(VI_YANK, r -> r.viYankTo());
            add(VI_YANK_WHOLE_LINE, r -> r.viYankWholeLine());
            add(VISUAL_LINE_MODE, r -> r.visualLineMode());
            add(VISUAL_MODE, r -> r.visualMode());
            add(WHAT_CURSOR_POSITION, r -> r.whatCursorPosition());
            add(YANK, r -> r.yank());
            add(YANK_POP, r -> r.yankPop());
            add(MOUSE, r -> r.mouse());
            add(BEGIN_PASTE, r -> r.beginPaste());
            add(FOCUS_IN, r -> r.focusIn());
            add(FOCUS_OUT, r -> r.focusOut());
            NAMES = TABLE.keySet().toArray(new String[0]);
            @SuppressWarnings("unchecked")
            java.util.function.Predicate<TermletLineReader>[] actions =
                    TABLE.values().toArray(new java.util.function.Predicate[0]);
            ACTIONS = actions;
            Map<String, Integer> index = new java.util.HashMap<>();
            for (int i = 0; i < NAMES.length; i++) {
                index.put(NAMES[i], i);
            }
            INDEX = java.util.Collections.unmodifiableMap(index);
            TABLE.clear();
        }

        private Builtins() {
        }
    }
}
