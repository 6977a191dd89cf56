package dev.termlet.internal.session;

import dev.termlet.Client;
import dev.termlet.Pty;
import dev.termlet.WindowSize;
import dev.termlet.auth.Account;
import dev.termlet.event.Events;
import dev.termlet.internal.command.CommandDispatcher;
import dev.termlet.internal.command.SessionControls;
import java.io.IOError;
import java.io.IOException;
import java.net.SocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jline.reader.EndOfFileException;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One session (one SSH channel running a shell or a command, or the local console): the {@link Client} that
 * handlers see, and its life from {@link #run()} to {@code disconnected}. The terminal side is {@link SessionIo},
 * the events {@link SessionEvents}, what runs on the session thread {@link SessionLoop}.
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
    private final Pty pty;
    private final Map<String, String> environment;
    private final SessionIo io;
    private final SessionEvents events;
    private final SessionLoop loop;
    private final Map<String, Object> attributes = new ConcurrentHashMap<>();
    private final AtomicReference<WindowSize> pendingResize = new AtomicReference<>();
    private final AtomicBoolean disconnectedFired = new AtomicBoolean();
    private final java.time.Instant startedAt = java.time.Instant.now();
    /** Counted down when the session has ended and fired its last event. */
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile WindowSize size;
    private volatile String prompt;
    private volatile boolean open = true;
    private volatile int exitStatus;
    private volatile Thread thread;
    /** Whether the session started (connect fired, or an exec command passed open-exec): disconnected is due. */
    private volatile boolean started;
    /** A thread other than the session thread that fires {@code disconnected} (see {@link #endAtShutdown}). */
    private volatile Thread finishing;

    /**
     * Creates a session; {@link #run()} then runs it on the session thread.
     *
     * @param host the server side of the session
     * @param spec what the channel asked for
     * @throws IOException if the terminal cannot be set up
     */
    public ClientSession(SessionHost host, SessionSpec spec) throws IOException {
        this.host = host;
        this.id = spec.id();
        this.environment = spec.environment() == null ? Map.of() : spec.environment();
        this.connectionId = spec.connectionId();
        this.user = spec.user();
        this.account = spec.account();
        this.remote = spec.remote();
        this.commandLine = spec.commandLine();
        this.pty = spec.pty();
        this.size = pty != null ? pty.size() : WindowSize.DEFAULT;
        String accountPrompt = account != null ? account.prompt() : null;
        this.prompt = accountPrompt != null ? accountPrompt : host.settings().prompt();
        this.events = new SessionEvents(host, this);
        this.io = new SessionIo(host, spec, size, events::key, events::complete, this::permissions);
        this.loop = new SessionLoop(host, this, io, events);
        long idle = account != null && account.idleTimeout() != null
                ? account.idleTimeout().toMillis() : host.settings().idleTimeout().toMillis();
        io.input().idleTimeout(idle);
    }

    // ---- the session's life ----

    /** Runs the session to its end on the calling thread (the session thread). */
    public void run() {
        thread = Thread.currentThread();
        MDC.put("session", id);
        MDC.put("connection", connectionId);
        MDC.put("user", user);
        MDC.put("remote", String.valueOf(remote));
        try {
            if (pty != null) {
                events.fireReporting(Events.CONNECT_PTY, () -> SessionEvents.ptyMap(pty), this, pty, size);
            }
            if (commandLine != null) {
                loop.exec(commandLine);
            } else {
                loop.shell();
            }
        } catch (Throwable t) {
            LOG.warn("session ended by an unexpected error", t);
            exitStatus = exitStatus == 0 ? 1 : exitStatus;
        } finally {
            open = false;
            try {
                fireDisconnected();
            } finally {
                io.end();
                try {
                    host.sessionEnded(this, exitStatus);
                } finally {
                    ended.countDown();
                    MDC.clear();
                    // on Java 17 the thread goes on to run other sessions: it is no longer this one's
                    thread = null;
                }
            }
        }
    }

    /** The session started (a shell's {@code connect} or an exec command's handlers run): disconnected is due. */
    void markStarted() {
        started = true;
    }

    /** @param status the exit status the session will end with */
    void exitStatus(int status) {
        exitStatus = status;
    }

    /** @return the account as it was at login, or null */
    Account loginAccount() {
        return account;
    }

    /** @return whether the session's input has ended */
    boolean inputClosed() {
        return io.input().isClosed();
    }

    /** Fires {@code disconnected} once, if the session started. */
    private void fireDisconnected() {
        if (started && disconnectedFired.compareAndSet(false, true)) {
            events.fire(Events.DISCONNECTED, null, this);
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
            if (ended.await(Math.max(0, waitMillis), TimeUnit.MILLISECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        finishing = Thread.currentThread();
        try {
            fireDisconnected();
            io.flush();
        } catch (IOException | RuntimeException e) {
            LOG.debug("flush at shutdown failed: {}", e.toString());
        } finally {
            finishing = null;
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
        if (removed) {
            io.discardHistory();
        }
        if (open) {
            println("");
            println(message);
        }
        close(exitStatus == 0 ? 1 : exitStatus);
    }

    /**
     * Takes a window change from the transport (any thread). Bursts coalesce: the session thread applies
     * the latest size and fires {@code resized} once.
     *
     * @param newSize the clamped size
     */
    public void resized(WindowSize newSize) {
        if (pendingResize.getAndSet(newSize) == null) {
            io.input().submit(this::applyResize);
        }
    }

    private void applyResize() {
        WindowSize s = pendingResize.getAndSet(null);
        if (s == null || s.equals(size)) {
            return;
        }
        size = s;
        io.resize(s);
        events.fireReporting(Events.RESIZED, () -> SessionEvents.sizeMap(s), this, s);
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
        return io.feed(data, off, len);
    }

    /** @return {@code exec} for a command, {@code shell} otherwise */
    public String kind() {
        return commandLine != null ? "exec" : "shell";
    }

    /** @return the exit status the session will end with */
    public int exitStatus() {
        return exitStatus;
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
    public Set<String> permissions() {
        return liveAccount().filter(Account::enabled).map(Account::permissions).orElse(Set.of());
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

    @Override
    public void denied(String line) {
        events.fire(Events.COMMAND_DENIED, null, this, line);
    }

    @Override
    public void failed(Throwable error) {
        events.reportError(error);
    }

    @Override
    public List<String> historyLines() {
        return io.historyLines();
    }

    @Override
    public void clearHistory() {
        io.clearHistory();
    }

    @Override
    public void clearScreen() {
        io.clearScreen();
    }

    @Override
    public java.time.Instant startedAt() {
        return startedAt;
    }

    // ---- Client ----

    @Override
    public Map<String, String> environment() {
        return environment;
    }

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
        return io.terminalType();
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
        Thread current = Thread.currentThread();
        if (!open && current != thread && current != finishing) {
            return;
        }
        try {
            io.write(s, toErr, current == thread);
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
        if (Thread.currentThread() != thread) {
            throw new IllegalStateException("input can be read only from this session's own handlers");
        }
        try {
            if (!hasPty()) {
                print(linePrompt);
            }
            String line = io.readLine(linePrompt, secret ? (Character) '\0' : null);
            return line == SessionIo.TOO_LONG ? null : line;
        } catch (UserInterruptException e) {
            Thread.interrupted();
            if (io.input().idleExpired()) {
                close();
            }
            return null;
        } catch (EndOfFileException e) {
            return null;
        } catch (IOException | IOError e) {
            if (io.input().idleExpired()) {
                close();
            }
            return null;
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
        return Optional.ofNullable(io.terminal());
    }

    @Override
    public void close() {
        close(exitStatus);
    }

    @Override
    public void close(int status) {
        exitStatus = status;
        open = false;
        io.input().close();
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public String toString() {
        return "Client[" + id + ", " + user + "@" + remote + "]";
    }
}
