package dev.termlet.internal.session;

import dev.termlet.Pty;
import dev.termlet.WindowSize;
import dev.termlet.internal.command.CommandCompleter;
import dev.termlet.terminal.Key;
import dev.termlet.terminal.internal.PtyModes;
import dev.termlet.terminal.internal.SessionInput;
import dev.termlet.terminal.internal.SessionTerminal;
import dev.termlet.terminal.internal.TermletLineReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.impl.DefaultParser;
import org.jline.reader.impl.completer.AggregateCompleter;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The terminal side of one session: with a PTY, a JLine terminal over the channel with Termlet's line reader,
 * completion and private history; without one, plain lines on the channel's streams.
 */
final class SessionIo {
    private static final Logger LOG = LoggerFactory.getLogger(SessionIo.class);

    /** What {@link #readLine} returns for a line longer than the limit (compare by identity). */
    static final String TOO_LONG = PlainLineReader.TOO_LONG;

    private final SessionInput input;
    private final OutputStream out;
    private final OutputStream err;
    private final SessionTerminal terminal;
    private final TermletLineReader reader;
    private final PlainLineReader plain;
    private final PrivateHistory history;
    private final Object plainOutputLock = new Object();
    private final int maxLineLength;

    /**
     * Sets up the terminal side of a session.
     *
     * @param host the server side
     * @param spec what the channel asked for
     * @param size the initial window size
     * @param keys takes every key the line reader reads
     * @param byEvent completes what the {@code @Command} completer does not
     * @param permissions the account's live permissions, for completion
     * @throws IOException if the terminal cannot be set up
     */
    SessionIo(SessionHost host, SessionSpec spec, WindowSize size, Consumer<Key> keys, Completer byEvent,
            Supplier<Set<String>> permissions) throws IOException {
        this.input = spec.input();
        this.out = spec.out();
        this.err = spec.err();
        this.maxLineLength = host.settings().maxLineLength();
        Pty pty = spec.pty();
        if (pty == null) {
            this.terminal = null;
            this.reader = null;
            this.history = null;
            this.plain = new PlainLineReader(input, maxLineLength);
            return;
        }
        this.plain = null;
        this.terminal = new SessionTerminal(spec.id(), pty.term(), input, out,
                new Size(size.columns(), size.rows()), PtyModes.toAttributes(pty.modes()));
        Map<String, Object> vars = new HashMap<>();
        Path historyFile = host.historyFile(spec.user());
        if (historyFile != null) {
            vars.put(LineReader.HISTORY_FILE, historyFile);
        }
        vars.put(LineReader.HISTORY_SIZE, host.settings().historySize());
        vars.put(LineReader.HISTORY_FILE_SIZE, host.settings().historySize());
        this.reader = new TermletLineReader(terminal, "termlet", vars);
        this.history = historyFile != null ? new PrivateHistory(historyFile) : null;
        if (history != null) {
            reader.setHistory(history);
        }
        DefaultParser parser = new DefaultParser();
        parser.setEscapeChars(null);
        parser.setEofOnUnclosedQuote(false);
        parser.setEofOnEscapedNewLine(false);
        reader.setParser(parser);
        reader.option(LineReader.Option.DISABLE_EVENT_EXPANSION, true);
        reader.option(LineReader.Option.HISTORY_IGNORE_SPACE, true);
        reader.maxLineLength(maxLineLength);
        reader.keyListener(keys::accept);
        reader.setCompleter(new AggregateCompleter(
                new CommandCompleter(host.commands(), permissions, host.settings().completionRoot()), byEvent));
    }

    /** @return the input buffer the transport feeds */
    SessionInput input() {
        return input;
    }

    /** @return the JLine terminal, or null without a PTY */
    Terminal terminal() {
        return terminal;
    }

    /** @return the terminal type, {@code dumb} without a PTY */
    String terminalType() {
        return terminal != null ? terminal.getType() : "dumb";
    }

    /** @return the longest line accepted, in characters */
    int maxLineLength() {
        return maxLineLength;
    }

    /**
     * Writes text: above a line being edited when another thread writes during a read, else at the cursor.
     *
     * @param s the text
     * @param toErr true for the error stream (without a PTY only; a terminal has one stream)
     * @param sessionThread whether the caller is the session thread
     * @throws IOException if the channel failed
     */
    void write(String s, boolean toErr, boolean sessionThread) throws IOException {
        if (terminal != null) {
            if (reader.isReading() && !sessionThread) {
                reader.printAbove(s);
            } else {
                terminal.writer().print(s);
                terminal.writer().flush();
            }
            return;
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        synchronized (plainOutputLock) {
            OutputStream target = toErr ? err : out;
            target.write(bytes);
            target.flush();
        }
    }

    /**
     * Reads a line on the session thread. Without a PTY the prompt is not shown (the caller decides).
     *
     * @param prompt the prompt, literal text
     * @param mask the echo mask ({@code '\0'} for none), or null to echo
     * @return the line, {@link #TOO_LONG} for a line over the limit, or null at the end of input
     * @throws IOException if the input failed or timed out
     * @throws org.jline.reader.UserInterruptException on Ctrl-C or an interrupt
     * @throws org.jline.reader.EndOfFileException on Ctrl-D at an empty line
     */
    String readLine(String prompt, Character mask) throws IOException {
        if (reader == null) {
            return plain.readLine();
        }
        String line = reader.readLine(literal(prompt), null, mask, null);
        Thread.interrupted();
        return reader.lastLineTooLong() ? TOO_LONG : line;
    }

    /** JLine expands {@code %} escapes in prompts; Termlet prompts are literal text. */
    private static String literal(String prompt) {
        return prompt == null ? "" : prompt.replace("%", "%%");
    }

    /** @return the lines of the history, oldest first (none without a PTY) */
    List<String> historyLines() {
        List<String> lines = new ArrayList<>();
        if (reader != null) {
            reader.getHistory().forEach(e -> lines.add(e.line()));
        }
        return lines;
    }

    /** Empties the history. */
    void clearHistory() {
        if (reader != null) {
            try {
                reader.getHistory().purge();
            } catch (IOException e) {
                LOG.warn("could not clear history: {}", e.toString());
            }
        }
    }

    /** Drops the history without saving it (its account was removed). */
    void discardHistory() {
        if (history != null) {
            history.discard();
        }
    }

    /** Clears the screen (with a PTY). */
    void clearScreen() {
        if (terminal != null) {
            terminal.puts(org.jline.utils.InfoCmp.Capability.clear_screen);
            terminal.flush();
        }
    }

    /**
     * Applies a new window size to the terminal and signals it, as a kernel's SIGWINCH.
     *
     * @param size the size
     */
    void resize(WindowSize size) {
        if (terminal != null) {
            terminal.setSize(new Size(size.columns(), size.rows()));
            terminal.raise(Terminal.Signal.WINCH);
        }
    }

    /**
     * Takes bytes from the transport (I/O thread).
     *
     * @return false if the input refused them
     */
    boolean feed(byte[] data, int off, int len) {
        return terminal != null ? terminal.processInput(data, off, len) : input.feed(data, off, len);
    }

    /**
     * Flushes what is written.
     *
     * @throws IOException if the channel failed
     */
    void flush() throws IOException {
        if (terminal != null) {
            terminal.writer().flush();
        }
        out.flush();
    }

    /** Flushes and closes the terminal side at the end of the session; failures are logged, not thrown. */
    void end() {
        try {
            if (terminal != null) {
                terminal.writer().flush();
                terminal.close();
            }
            out.flush();
            err.flush();
        } catch (IOException | RuntimeException e) {
            LOG.debug("flush at session end failed: {}", e.toString());
        }
    }
}
