package dev.termlet.terminal.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jline.terminal.Attributes;
import org.jline.terminal.Attributes.ControlChar;
import org.jline.terminal.Attributes.InputFlag;
import org.jline.terminal.Attributes.LocalFlag;
import org.jline.terminal.Size;
import org.jline.terminal.impl.AbstractTerminal;
import org.jline.utils.ColorPalette;
import org.jline.terminal.spi.SystemStream;
import org.jline.terminal.spi.TerminalProvider;
import org.jline.utils.InfoCmp;
import org.jline.utils.InfoCmp.Capability;
import org.jline.utils.NonBlockingInputStream;
import org.jline.utils.NonBlockingReader;

/**
 * A JLine terminal for one remote session: input comes from a {@link SessionInput} fed by the
 * transport, output goes to the channel.
 *
 * <p>The line discipline is split between the two sides of the session. Signal characters (Ctrl-C, Ctrl-\,
 * Ctrl-Z when {@code ISIG} is on) are acted on as they arrive in {@link #processInput}, like a kernel tty;
 * input translation ({@code ICRNL}, {@code INLCR}, {@code IGNCR}) and echo are applied as the session thread
 * reads. Output turns each {@code \n} into {@code \r\n} exactly once ({@code OPOST} and {@code ONLCR}).
 *
 * <p>Terminal capabilities come only from JLine's bundled terminfo entries, chosen from the client's
 * {@code TERM}: no external {@code infocmp} process is ever started for a name a client sends.
 */
public final class SessionTerminal extends AbstractTerminal {

    private static final Pattern SAFE_TYPE = Pattern.compile("[A-Za-z0-9._+-]{1,64}");

    private final SessionInput rawInput;
    private final DisciplineInput input;
    private final NonBlockingReader reader;
    private final OutputStream output;
    private final PrintWriter writer;
    private final Attributes attributes;
    private final Size size;
    private final ColorPalette colours;

    /** Held while a signal is raised or its handler replaced. */
    private final Object signals = new Object();

    /**
     * Creates a terminal.
     *
     * @param name a name for logs, for example the session id
     * @param type the client's terminal type ({@code TERM}); unsafe or unknown names fall back to a
     *     close bundled entry for capabilities, and {@link #getType()} reports a sanitised name
     * @param input the session input
     * @param channelOutput where output goes (the SSH channel)
     * @param size the initial size
     * @param attributes the initial attributes, for example from {@link PtyModes#toAttributes}
     * @throws IOException never in practice; declared by JLine
     */
    public SessionTerminal(
            String name,
            String type,
            SessionInput input,
            OutputStream channelOutput,
            Size size,
            Attributes attributes)
            throws IOException {
        super(name, sanitiseType(type), StandardCharsets.UTF_8, SignalHandler.SIG_DFL);
        this.rawInput = Objects.requireNonNull(input, "input");
        this.attributes = new Attributes(attributes);
        this.size = new Size(size.getColumns(), size.getRows());
        this.output = new NewlineOutputStream(channelOutput, this.attributes);
        this.input = new DisciplineInput();
        this.reader = new Utf8Reader(this.input);
        this.writer = new PrintWriter(new Utf8Writer(output));
        parseInfoCmp();
        // JLine sizes the palette before the capabilities are known; size it for this terminal, so that
        // colours fall back to what it can show (256, 16 or 8).
        this.colours = new ColorPalette(this);
    }

    @Override
    public ColorPalette getPalette() {
        return colours != null ? colours : super.getPalette();
    }

    /**
     * Reduces a client-supplied terminal type to a safe name.
     *
     * @param type the name the client sent, or null
     * @return the name if it is safe, else {@code "xterm-256color"}; {@code "dumb"} for null
     */
    public static String sanitiseType(String type) {
        if (type == null || type.isEmpty()) {
            return "dumb";
        }
        return SAFE_TYPE.matcher(type).matches() ? type : "xterm-256color";
    }

    /**
     * The bundled terminfo entry used for a terminal type.
     *
     * @param type a sanitised terminal type
     * @return the name of one of JLine's bundled entries
     */
    static String bundledEntry(String type) {
        String known = ENTRIES.get(type);
        if (known != null) {
            return known;
        }
        String entry = findBundledEntry(type);
        if (ENTRIES.size() < MAX_ENTRIES) { // clients choose the names: keep the map small
            ENTRIES.put(type, entry);
        }
        return entry;
    }

    /**
     * Terminal type to bundled entry, for the types seen so far: JLine reads an entry's text from its jar on
     * every lookup, which was an eighth of the server's CPU in the handshake benchmark.
     */
    private static final Map<String, String> ENTRIES = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MAX_ENTRIES = 256;

    private static String findBundledEntry(String type) {
        String t = type.toLowerCase(Locale.ROOT);
        if (InfoCmp.getDefaultInfoCmp(t) != null) {
            return t;
        }
        if (t.startsWith("dumb")) {
            return "dumb";
        }
        boolean colors = t.contains("256") || t.contains("direct") || t.contains("truecolor");
        if (t.startsWith("screen") || t.startsWith("tmux")) {
            return colors ? "screen-256color" : "screen";
        }
        if (t.startsWith("rxvt")) {
            return colors ? "rxvt-unicode-256color" : "rxvt-unicode";
        }
        if (t.startsWith("vt") || t.equals("linux") || t.startsWith("ansi") || t.startsWith("cygwin")) {
            return "ansi";
        }
        return colors || !t.startsWith("xterm") ? "xterm-256color" : "xterm";
    }

    /** Parsed capabilities of a bundled terminfo entry, shared by every session using it. */
    private record Caps(java.util.Set<Capability> bools, Map<Capability, Integer> ints,
            Map<Capability, String> strings) {}

    /** By bundled entry name: a handful of entries, parsed once (about 90 KiB of strings each). */
    private static final Map<String, Caps> PARSED = new java.util.concurrent.ConcurrentHashMap<>();

    /** This terminal's capabilities: the shared, read-only parse (JLine's per-terminal maps stay empty). */
    private Caps caps;

    @Override
    protected void parseInfoCmp() {
        caps = PARSED.computeIfAbsent(bundledEntry(getType()), SessionTerminal::parse);
    }

    @Override
    public boolean getBooleanCapability(Capability capability) {
        return caps != null ? caps.bools().contains(capability) : super.getBooleanCapability(capability);
    }

    @Override
    public Integer getNumericCapability(Capability capability) {
        return caps != null ? caps.ints().get(capability) : super.getNumericCapability(capability);
    }

    @Override
    public String getStringCapability(Capability capability) {
        return caps != null ? caps.strings().get(capability) : super.getStringCapability(capability);
    }

    private static Caps parse(String entry) {
        String text = InfoCmp.getDefaultInfoCmp(entry);
        if (text == null) {
            text = InfoCmp.getDefaultInfoCmp("ansi");
        }
        java.util.Set<Capability> b = java.util.EnumSet.noneOf(Capability.class);
        Map<Capability, Integer> i = new java.util.EnumMap<>(Capability.class);
        Map<Capability, String> str = new java.util.EnumMap<>(Capability.class);
        InfoCmp.parseInfoCmp(text, b, i, str);
        // Output is always UTF-8: box-drawing characters are sent as themselves, never through the VT100
        // alternate character set (which garbles output on terminals with a UTF-8 locale, such as PuTTY).
        str.remove(Capability.enter_alt_charset_mode);
        str.remove(Capability.exit_alt_charset_mode);
        str.remove(Capability.acs_chars);
        return new Caps(java.util.Collections.unmodifiableSet(b), java.util.Collections.unmodifiableMap(i),
                java.util.Collections.unmodifiableMap(str));
    }

    /**
     * Takes bytes from the transport. Signal characters are acted on at once (the handlers registered
     * with {@link #handle} run on the calling thread and must be quick); the rest is queued for the
     * session thread. Never blocks.
     *
     * @param data the bytes
     * @param off first byte
     * @param len number of bytes
     * @return false if the input refused the bytes (closed or over its limit)
     */
    public boolean processInput(byte[] data, int off, int len) {
        Attributes attr = attributes;
        if (!attr.getLocalFlag(LocalFlag.ISIG)) {
            return rawInput.feed(data, off, len);
        }
        int intr = attr.getControlChar(ControlChar.VINTR);
        int quit = attr.getControlChar(ControlChar.VQUIT);
        int susp = attr.getControlChar(ControlChar.VSUSP);
        int start = off;
        int end = off + len;
        for (int i = off; i < end; i++) {
            int c = data[i] & 0xff;
            Signal signal = c == intr ? Signal.INT : c == quit ? Signal.QUIT : c == susp ? Signal.TSTP : null;
            if (signal != null && c != 0 && c != 0xff) {
                if (i > start && !rawInput.feed(data, start, i - start)) {
                    return false;
                }
                start = i + 1;
                raise(signal);
            }
        }
        return start >= end || rawInput.feed(data, start, end - start);
    }

    /**
     * Raises a signal: its handler runs on the calling thread (the transport's), while no handler is being replaced.
     *
     * @param signal the signal
     */
    @Override
    public void raise(Signal signal) {
        synchronized (signals) {
            super.raise(signal);
        }
    }

    /**
     * Replaces a signal's handler once no signal is being handled, so that a handler put aside has returned when
     * this does. JLine's {@code readLine} interrupts its own thread on {@code INT} and puts the previous handler back
     * when it returns; the session thread may then go on to run another session (Java 17 caches session threads),
     * which a late interrupt from this session's Ctrl-C must not reach.
     *
     * @param signal the signal
     * @param handler its new handler
     * @return the handler it had
     */
    @Override
    public SignalHandler handle(Signal signal, SignalHandler handler) {
        synchronized (signals) {
            return super.handle(signal, handler);
        }
    }

    @Override
    public NonBlockingReader reader() {
        return reader;
    }

    @Override
    public PrintWriter writer() {
        return writer;
    }

    @Override
    public InputStream input() {
        return input;
    }

    @Override
    public OutputStream output() {
        return output;
    }

    @Override
    public Attributes getAttributes() {
        synchronized (attributes) {
            return new Attributes(attributes);
        }
    }

    @Override
    public void setAttributes(Attributes attr) {
        synchronized (attributes) {
            attributes.copy(attr);
        }
    }

    @Override
    public Size getSize() {
        synchronized (size) {
            return new Size(size.getColumns(), size.getRows());
        }
    }

    @Override
    public void setSize(Size sz) {
        synchronized (size) {
            size.copy(sz);
        }
    }

    @Override
    public boolean canPauseResume() {
        return false;
    }

    @Override
    public TerminalProvider getProvider() {
        return null;
    }

    @Override
    public SystemStream getSystemStream() {
        return null;
    }

    @Override
    protected void doClose() throws IOException {
        try {
            super.doClose();
        } finally {
            rawInput.close();
            writer.flush();
        }
    }

    /**
     * While true, a timed read that is not a peek waits for input however long it takes. JLine's line editor
     * reads each key by polling with a 100 ms timeout and loops until a key comes; an idle prompt therefore
     * woke its thread ten times a second, which on Java 17 (a platform thread per session) cost the whole
     * machine's CPU at about 6,000 idle sessions. Only the line editor sets this, for the length of one
     * {@code readLine}; its timed peeks (for ambiguous key sequences) keep their timeouts.
     */
    private volatile boolean pollingBlocks;

    /**
     * Makes timed reads that are not peeks block until input comes, for a reader that polls in a loop.
     *
     * @param block true while such a reader runs
     * @return the previous setting, to restore afterwards
     */
    boolean pollingBlocks(boolean block) {
        boolean was = pollingBlocks;
        pollingBlocks = block;
        return was;
    }

    /** Applies input translation and echo as the session thread reads. */
    private final class DisciplineInput extends NonBlockingInputStream {

        @Override
        public int read(long timeout, boolean isPeek) throws IOException {
            if (!isPeek && pollingBlocks) {
                timeout = 0L;
            }
            while (true) {
                int c = rawInput.read(timeout, isPeek);
                if (c < 0) {
                    return c;
                }
                Attributes attr = attributes;
                if (c == '\r') {
                    if (attr.getInputFlag(InputFlag.IGNCR)) {
                        if (isPeek) {
                            rawInput.read(timeout, false);
                        }
                        continue;
                    }
                    if (attr.getInputFlag(InputFlag.ICRNL)) {
                        c = '\n';
                    }
                } else if (c == '\n' && attr.getInputFlag(InputFlag.INLCR)) {
                    c = '\r';
                }
                if (!isPeek && attr.getLocalFlag(LocalFlag.ECHO)) {
                    output.write(c);
                    output.flush();
                }
                return c;
            }
        }

        @Override
        public int available() {
            return rawInput.available();
        }

        @Override
        public void close() {
            rawInput.close();
        }
    }
}
