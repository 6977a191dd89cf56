package dev.termlet.internal.session;

import dev.termlet.Client;
import dev.termlet.Pty;
import dev.termlet.WindowSize;
import dev.termlet.auth.Account;
import dev.termlet.event.EventType;
import dev.termlet.event.Events;
import dev.termlet.internal.command.CommandCompleter;
import dev.termlet.internal.command.CommandDispatcher;
import dev.termlet.internal.command.SessionControls;
import dev.termlet.internal.dispatch.Dispatcher;
import dev.termlet.internal.dispatch.EventValues;
import dev.termlet.event.Outcome;
import dev.termlet.internal.ssh.Limits;
import dev.termlet.terminal.Key;
import dev.termlet.terminal.internal.PtyModes;
import dev.termlet.terminal.internal.SessionInput;
import dev.termlet.terminal.internal.SessionTerminal;
import dev.termlet.terminal.internal.TermletLineReader;
import java.io.IOError;
import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One session (one SSH channel running a shell or a command): the {@link Client} handlers see, and the
 * loop that runs on the session's own thread and raises its events in order.
 */
public final class ClientSession implements Client, SessionControls, CommandDispatcher.Context {
    private static final Logger LOG = LoggerFactory.getLogger(ClientSession.class);

    private final SessionHost host;
    private final String id;
    private final String connectionId;
    private final String user;
    private final Account account;
    private final SocketAddress remote;
    private final String commandLine;
    private final SessionInput input;
    private final OutputStream out;
    private final OutputStream err;
    private final Pty pty;
    private final SessionTerminal terminal;
    private final TermletLineReader reader;
    private final PlainLineReader plain;
    private final PrivateHistory history;
    private final Map<String, Object> attributes = new ConcurrentHashMap<>();
    private final AtomicReference<WindowSize> pendingResize = new AtomicReference<>();
    private final AtomicBoolean disconnectedFired = new AtomicBoolean();
    private final Object plainOutputLock = new Object();
    private final java.time.Instant startedAt = java.time.Instant.now();
    private volatile WindowSize size;
    private volatile String prompt;
    private volatile boolean open = true;
    private volatile int exitStatus;
    private volatile Thread thread;
    /** Whether the session started (connect fired, or an exec command passed open-exec): disconnected is due. */
    private volatile boolean started;
    /** Counted down when the session has ended and fired its last event. */
    private final java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);
    /** A thread other than the session thread that fires {@code disconnected} (see {@link #endAtShutdown}). */
    private volatile Thread finishing;
    private int editorFaults;

    /**
     * Creates a session; {@link #run()} then runs it on the session thread.
     *
     * @param host the server side of the session
     * @param spec what the channel asked for
     * @throws IOException if the terminal cannot be set up
     */
    private final Map<String, String> environment;

    @Override
    public Map<String, String> environment() {
        return environment;
    }

    public ClientSession(SessionHost host, SessionSpec spec) throws IOException {
        this.host = host;
        this.id = spec.id();
        this.environment = spec.environment() == null ? Map.of() : spec.environment();
        this.connectionId = spec.connectionId();
        this.user = spec.user();
        this.account = spec.account();
        this.remote = spec.remote();
        this.commandLine = spec.commandLine();
        this.input = spec.input();
        this.out = spec.out();
        this.err = spec.err();
        this.pty = spec.pty();
        this.size = pty != null ? pty.size() : WindowSize.DEFAULT;
        String accountPrompt = account != null ? account.prompt() : null;
        this.prompt = accountPrompt != null ? accountPrompt : host.settings().prompt();
        int maxLine = host.settings().maxLineLength();
        if (pty != null) {
            this.terminal = new SessionTerminal(id, pty.term(), input, out,
                    new Size(size.columns(), size.rows()), PtyModes.toAttributes(pty.modes()));
            Map<String, Object> vars = new HashMap<>();
            Path historyFile = host.historyFile(user);
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
            reader.maxLineLength(maxLine);
            reader.keyListener(this::onKey);
            reader.setCompleter(new org.jline.reader.impl.completer.AggregateCompleter(
                    new CommandCompleter(host.commands(), this::permissions, host.settings().completionRoot()),
                    this::completeByEvent));
            this.plain = null;
        } else {
            this.terminal = null;
            this.reader = null;
            this.history = null;
            this.plain = new PlainLineReader(input, maxLine);
        }
        long idle = account != null && account.idleTimeout() != null
                ? account.idleTimeout().toMillis() : host.settings().idleTimeout().toMillis();
        input.idleTimeout(idle);
    }

    // ---- the session thread ----

    /** Runs the session to its end on the calling thread (the session thread). */
    public void run() {
        thread = Thread.currentThread();
        MDC.put("session", id);
        MDC.put("connection", connectionId);
        MDC.put("user", user);
        MDC.put("remote", String.valueOf(remote));
        try {
            if (pty != null) {
                fireSession(Events.CONNECT_PTY, this::ptyMap, this, pty, size);
            }
            if (commandLine != null) {
                runExec();
            } else {
                runShell();
            }
        } catch (Throwable t) {
            LOG.warn("session ended by an unexpected error", t);
            exitStatus = exitStatus == 0 ? 1 : exitStatus;
        } finally {
            finish();
            MDC.clear();
        }
    }

    private void runShell() {
        Outcome pre = fire(Events.PRE_SHELL, null, this);
        if (pre.refused()) {
            eprintln(refusal("Shell refused", pre.reason()));
            exitStatus = 1;
            return;
        }
        String banner = account != null && account.banner() != null ? account.banner() : host.settings().banner();
        if (banner != null && !banner.isEmpty()) {
            print(banner.endsWith("\n") ? banner : banner + "\n");
        }
        started = true;
        fireSession(Events.CONNECT, null, this);
        boolean echo = account == null || account.echo();
        while (open) {
            input.runTasks();
            String line;
            try {
                if (reader != null) {
                    line = reader.readLine(literal(prompt), null, echo ? null : (Character) '\0', null);
                    Thread.interrupted();
                    if (reader.lastLineTooLong()) {
                        println("Line too long (over " + reader.maxLineLength() + " characters); ignored.");
                        continue;
                    }
                } else {
                    line = plain.readLine();
                    if (line == PlainLineReader.TOO_LONG) {
                        println("Line too long (over " + host.settings().maxLineLength() + " characters); ignored.");
                        continue;
                    }
                }
            } catch (UserInterruptException e) {
                Thread.interrupted();
                if (input.idleExpired()) {
                    onTimeout();
                    return;
                }
                continue;
            } catch (EndOfFileException e) {
                return;
            } catch (IOException | IOError e) {
                if (input.idleExpired()) {
                    onTimeout();
                } else if (open) {
                    LOG.debug("input ended: {}", e.toString());
                }
                return;
            } catch (RuntimeException e) {
                // a fault in the line editor must not end the session: log it and give a fresh prompt
                if (input.isClosed() || ++editorFaults > 20) {
                    LOG.warn("line editor failed; ending the session", e);
                    return;
                }
                LOG.warn("line editor failed; continuing with a fresh prompt", e);
                Thread.interrupted();
                continue;
            }
            editorFaults = 0;
            if (line == null || !open) {
                return;
            }
            if (line.isBlank()) {
                continue;
            }
            runLine(line);
        }
    }

    private void onTimeout() {
        LOG.info("idle timeout");
        fireSession(Events.TIMEOUT, null, this);
        println("Idle timeout: session closed.");
    }

    private void runExec() {
        Outcome pre = fire(Events.OPEN_EXEC, null, this, commandLine);
        if (pre.refused()) {
            eprintln(refusal("Command refused", pre.reason()));
            exitStatus = 126;
            return;
        }
        started = true;
        if (host.dispatcher().has(Events.EXEC)) {
            Outcome o = fireSession(Events.EXEC, null, this, commandLine);
            if (o.result() instanceof Integer) {
                exitStatus = (Integer) o.result();
            } else if (!o.failures().isEmpty()) {
                exitStatus = 1;
            }
            return;
        }
        exitStatus = runLine(commandLine);
    }

    /**
     * Runs one line: built-in and {@code @Command} commands first, then the {@code command} handlers.
     *
     * @return the exit status: the command's, 0 or 1 for handlers, 127 when nothing took the line
     */
    private int runLine(String line) {
        Integer status = host.commands().dispatch(this, line);
        if (status != null) {
            return status;
        }
        if (host.dispatcher().has(Events.COMMAND)) {
            Outcome o = fireSession(Events.COMMAND, null, this, line);
            return o.failures().isEmpty() ? 0 : 1;
        }
        if (remote instanceof java.net.InetSocketAddress) { // not on the local console: no address to strike
            host.protector().strike(dev.termlet.protector.Addresses.host(remote), dev.termlet.protector.Strike.Kind.UNKNOWN_COMMAND, user);
        }
        String word = line.strip().split("[ \t]+", 2)[0];
        eprintln(word + ": unknown command." + (host.commands().names().contains("help") ? " Type 'help' for a list." : ""));
        return 127;
    }

    /** Offers the candidates that {@code complete} handlers return. */
    private void completeByEvent(LineReader r, org.jline.reader.ParsedLine line,
            java.util.List<org.jline.reader.Candidate> candidates) {
        if (!host.dispatcher().has(Events.COMPLETE)) {
            return;
        }
        String upToCursor = line.line().substring(0, Math.min(line.cursor(), line.line().length()));
        Outcome o = fireSession(Events.COMPLETE, null, this, upToCursor);
        if (o.result() instanceof java.util.List) {
            for (Object c : (java.util.List<?>) o.result()) {
                if (c != null) {
                    candidates.add(new org.jline.reader.Candidate(c.toString()));
                }
            }
        }
    }

    // ---- CommandDispatcher.Context and SessionControls ----

    @Override
    public Client client() {
        return this;
    }

    /**
     * The permissions of the account as the store holds it now, so that a revoked permission applies to the next
     * command; none when the account is gone, disabled or cannot be read.
     */
    @Override
    public java.util.Set<String> permissions() {
        return liveAccount().filter(Account::enabled).map(Account::permissions).orElse(java.util.Set.of());
    }

    /** The account as the store holds it now; empty when it is gone or cannot be read. */
    private Optional<Account> liveAccount() {
        try {
            return host.settings().accounts().find(user);
        } catch (RuntimeException e) {
            LOG.warn("cannot read the account of {}; refusing what needs it: {}", user, e.toString());
            return Optional.empty();
        }
    }

    /**
     * Ends the session because its account was removed or disabled (any thread): tells the user, stops the
     * history from being saved if the account was removed, and closes the session ({@code disconnected} fires).
     *
     * @param message what the user is told
     * @param removed true if the account was removed (its history is then dropped)
     */
    public void endForAccount(String message, boolean removed) {
        if (removed && history != null) {
            history.discard();
        }
        if (open) {
            println("");
            println(message);
        }
        close(exitStatus == 0 ? 1 : exitStatus);
    }

    @Override
    public void denied(String line) {
        fire(Events.COMMAND_DENIED, null, this, line);
    }

    @Override
    public void failed(Throwable error) {
        reportError(error);
    }

    @Override
    public java.util.List<String> historyLines() {
        java.util.List<String> lines = new java.util.ArrayList<>();
        if (reader != null) {
            reader.getHistory().forEach(e -> lines.add(e.line()));
        }
        return lines;
    }

    @Override
    public void clearHistory() {
        if (reader != null) {
            try {
                reader.getHistory().purge();
            } catch (IOException e) {
                LOG.warn("could not clear history: {}", e.toString());
            }
        }
    }

    @Override
    public void clearScreen() {
        if (terminal != null) {
            terminal.puts(org.jline.utils.InfoCmp.Capability.clear_screen);
            terminal.flush();
        }
    }

    @Override
    public java.time.Instant startedAt() {
        return startedAt;
    }

    private String refusal(String what, String reason) {
        return host.settings().showRefusalReasons() && reason != null ? what + ": " + reason : what + ".";
    }

    private void finish() {
        open = false;
        try {
            fireDisconnected();
        } finally {
            flushAndEnd();
        }
    }

    /** Fires {@code disconnected} once, if the session started. */
    private void fireDisconnected() {
        if (started && disconnectedFired.compareAndSet(false, true)) {
            fire(Events.DISCONNECTED, null, this);
        }
    }

    /**
     * Ends the session from another thread while the JVM shuts down: closes it, waits for the session thread to
     * end it (which fires {@code disconnected}), and fires {@code disconnected} on the calling thread if the session
     * thread has not within the wait, for example because it is the very thread that called {@code System.exit}.
     *
     * @param waitMillis how long to wait for the session thread
     */
    public void endAtShutdown(long waitMillis) {
        close();
        try {
            if (ended.await(Math.max(0, waitMillis), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        finishing = Thread.currentThread();
        try {
            fireDisconnected();
            if (terminal != null) {
                terminal.writer().flush();
            }
            out.flush();
        } catch (IOException | RuntimeException e) {
            LOG.debug("flush at shutdown failed: {}", e.toString());
        } finally {
            finishing = null;
        }
    }

    private void flushAndEnd() {
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
        try {
            host.sessionEnded(this, exitStatus);
        } finally {
            ended.countDown();
        }
    }

    // ---- events ----

    private Outcome fire(EventType type, java.util.function.Supplier<Map<String, Object>> map, Object... values) {
        Dispatcher d = host.dispatcher();
        if (!d.has(type)) {
            return d.fire(EventValues.of(type, values), null);
        }
        EventValues v = map != null ? EventValues.withMap(type, map, values) : EventValues.of(type, values);
        return d.fire(v, host.asyncExecutor(connectionId));
    }

    /** Fires a session event and raises {@code error} for each handler that threw. */
    private Outcome fireSession(EventType type, java.util.function.Supplier<Map<String, Object>> map, Object... values) {
        Outcome o = fire(type, map, values);
        for (Outcome.Failure f : o.failures()) {
            reportError(f.error());
        }
        return o;
    }

    private void reportError(Throwable error) {
        if (input.isClosed() && causedBy(error, IOException.class)) {
            LOG.debug("handler ended because the client left: {}", error.toString());
            return;
        }
        if (host.dispatcher().has(Events.ERROR)) {
            fire(Events.ERROR, null, this, error);
        } else if (open) {
            eprintln("Error: " + error.getClass().getSimpleName()
                    + (error.getMessage() != null ? ": " + error.getMessage() : ""));
        }
    }

    private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private void onKey(Key key) {
        Dispatcher d = host.dispatcher();
        if (d.has(Events.RAWTYPE)) {
            fireSession(Events.RAWTYPE, null, this, key, key.bytes(), key.sequence());
        }
        if (key.isCharacter() && d.has(Events.TYPE)) {
            fireSession(Events.TYPE, null, this, key, key.text());
        }
    }

    private Map<String, Object> ptyMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("term", pty.term());
        m.put("width", pty.size().columns());
        m.put("height", pty.size().rows());
        m.put("pixelwidth", pty.size().pixelWidth());
        m.put("pixelheight", pty.size().pixelHeight());
        m.put("modes", new LinkedHashMap<>(pty.modes()));
        return m;
    }

    /**
     * Takes a window change from the transport (any thread). Bursts coalesce: the session thread applies
     * the latest size and fires {@code resized} once.
     *
     * @param newSize the clamped size
     */
    public void resized(WindowSize newSize) {
        if (pendingResize.getAndSet(newSize) == null) {
            input.submit(this::applyResize);
        }
    }

    private void applyResize() {
        WindowSize s = pendingResize.getAndSet(null);
        if (s == null || s.equals(size)) {
            return;
        }
        size = s;
        if (terminal != null) {
            terminal.setSize(new Size(s.columns(), s.rows()));
            terminal.raise(Terminal.Signal.WINCH);
        }
        fireSession(Events.RESIZED, () -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("width", s.columns());
            m.put("height", s.rows());
            m.put("pixelwidth", s.pixelWidth());
            m.put("pixelheight", s.pixelHeight());
            return m;
        }, this, s);
    }

    // ---- Client ----

    @Override
    public String user() {
        return user;
    }

    /** @return the account as the store holds it now (permissions and state are live), if it has one */
    @Override
    public Optional<Account> account() {
        return liveAccount();
    }

    @Override
    public String sessionId() {
        return id;
    }

    @Override
    public String connectionId() {
        return connectionId;
    }

    @Override
    public SocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public boolean hasPty() {
        return pty != null;
    }

    @Override
    public Optional<Pty> pty() {
        return Optional.ofNullable(pty);
    }

    @Override
    public String terminalType() {
        return terminal != null ? terminal.getType() : "dumb";
    }

    @Override
    public WindowSize size() {
        return size;
    }

    @Override
    public void print(Object text) {
        write(String.valueOf(text), false);
    }

    @Override
    public void println(Object text) {
        write(text + "\n", false);
    }

    @Override
    public void println() {
        write("\n", false);
    }

    @Override
    public void eprintln(Object text) {
        write(text + "\n", pty == null);
    }

    private void write(String s, boolean toErr) {
        if (!open && Thread.currentThread() != thread && Thread.currentThread() != finishing) {
            return;
        }
        try {
            if (terminal != null) {
                if (reader.isReading() && Thread.currentThread() != thread) {
                    reader.printAbove(s);
                } else {
                    terminal.writer().print(s);
                    terminal.writer().flush();
                }
            } else {
                byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
                synchronized (plainOutputLock) {
                    OutputStream target = toErr ? err : out;
                    target.write(bytes);
                    target.flush();
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("output failed, closing: {}", e.toString());
            close();
        }
    }

    @Override
    public String readLine(String linePrompt) {
        return read(linePrompt, false);
    }

    @Override
    public String readPassword(String linePrompt) {
        return read(linePrompt, true);
    }

    private String read(String linePrompt, boolean secret) {
        checkSessionThread();
        try {
            if (reader != null) {
                String line = secret ? reader.readLine(literal(linePrompt), '\0') : reader.readLine(literal(linePrompt));
                Thread.interrupted();
                return reader.lastLineTooLong() ? null : line;
            }
            print(linePrompt);
            String line = plain.readLine();
            return line == PlainLineReader.TOO_LONG ? null : line;
        } catch (UserInterruptException e) {
            Thread.interrupted();
            if (input.idleExpired()) {
                close();
            }
            return null;
        } catch (EndOfFileException e) {
            return null;
        } catch (IOException | IOError e) {
            if (input.idleExpired()) {
                close();
            }
            return null;
        }
    }

    /** JLine expands {@code %} escapes in prompts; Termlet prompts are literal text. */
    private static String literal(String prompt) {
        return prompt == null ? "" : prompt.replace("%", "%%");
    }

    private void checkSessionThread() {
        if (Thread.currentThread() != thread) {
            throw new IllegalStateException("input can be read only from this session's own handlers");
        }
    }

    @Override
    public String ask(String question, String defaultAnswer) {
        String answer = readLine(question);
        return answer == null || answer.isEmpty() ? defaultAnswer : answer;
    }

    @Override
    public void prompt(String newPrompt) {
        this.prompt = newPrompt == null ? "" : newPrompt;
    }

    @Override
    public String prompt() {
        return prompt;
    }

    @Override
    public Object attribute(String name) {
        return attributes.get(name);
    }

    @Override
    public void attribute(String name, Object value) {
        if (value == null) {
            attributes.remove(name);
        } else {
            attributes.put(name, value);
        }
    }

    @Override
    public Map<String, Object> attributes() {
        return attributes;
    }

    @Override
    public Optional<Terminal> terminal() {
        return Optional.ofNullable(terminal);
    }

    @Override
    public void close() {
        close(exitStatus);
    }

    @Override
    public void close(int status) {
        exitStatus = status;
        open = false;
        input.close();
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    /** @return the exit status the session will end with */
    public int exitStatus() {
        return exitStatus;
    }

    /**
     * Takes bytes from the transport (I/O thread): signal characters act at once, the rest waits for the
     * session thread.
     *
     * @param data the bytes
     * @param off first byte
     * @param len number of bytes
     * @return false if the input refused them (the peer ignored flow control)
     */
    public boolean feed(byte[] data, int off, int len) {
        return terminal != null ? terminal.processInput(data, off, len) : input.feed(data, off, len);
    }

    @Override
    public String toString() {
        return "Client[" + id + ", " + user + "@" + remote + "]";
    }
}
