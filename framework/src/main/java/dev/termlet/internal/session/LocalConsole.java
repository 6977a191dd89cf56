package dev.termlet.internal.session;

import dev.termlet.Pty;
import dev.termlet.WindowSize;
import dev.termlet.auth.Account;
import dev.termlet.terminal.internal.SessionInput;
import dev.termlet.terminal.internal.SessionTerminal;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.jline.terminal.Attributes;
import org.jline.terminal.Attributes.ControlChar;
import org.jline.terminal.Attributes.ControlFlag;
import org.jline.terminal.Attributes.InputFlag;
import org.jline.terminal.Attributes.LocalFlag;
import org.jline.terminal.Attributes.OutputFlag;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.terminal.impl.DumbTerminal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local console: one more transport for {@link ClientSession}, the developer's own terminal instead of an SSH
 * channel. It plays the part of an SSH client and its channel: it puts the system terminal (JLine's) in raw mode,
 * sends its type, size and modes as a {@code pty-req} would, feeds the keys it reads to the session, turns
 * {@code SIGWINCH} into window changes, and gives the terminal back as it was at the end. The session itself (the
 * line editor, the events, the {@code Client}) is the very one an SSH shell runs.
 *
 * <p>When standard input or output is not a terminal (a pipe, a file), the session runs without a PTY, like
 * {@code ssh -T}: lines from standard input, output to standard output, the end of input ends the session.
 */
public final class LocalConsole {
    private static final Logger LOG = LoggerFactory.getLogger(LocalConsole.class);
    private static final AtomicInteger SESSIONS = new AtomicInteger();
    /** Whether a local console session runs: the JVM has one terminal. */
    private static final java.util.concurrent.atomic.AtomicBoolean RUNNING =
            new java.util.concurrent.atomic.AtomicBoolean();
    /** How long the JVM's shutdown waits for the session to fire {@code disconnected} and end. */
    private static final long SHUTDOWN_WAIT_MILLIS = 5_000;
    /** The most bytes of input held for the session; the input pump waits while it is behind. */
    private static final int MAX_BUFFERED = 1 << 20;
    /** The terminal modes of RFC 4254 that JLine knows, as an SSH client sends them in its {@code pty-req}. */
    private static final Set<String> RFC4254_MODES = Set.of("VINTR", "VQUIT", "VERASE", "VKILL", "VEOF", "VEOL",
            "VEOL2", "VSTART", "VSTOP", "VSUSP", "VDSUSP", "VREPRINT", "VWERASE", "VLNEXT", "VDISCARD", "VSTATUS",
            "IGNPAR", "PARMRK", "INPCK", "ISTRIP", "INLCR", "IGNCR", "ICRNL", "IXON", "IXANY", "IXOFF", "IMAXBEL",
            "IUTF8", "ISIG", "ICANON", "ECHO", "ECHOE", "ECHOK", "ECHONL", "NOFLSH", "TOSTOP", "IEXTEN", "ECHOCTL",
            "ECHOKE", "PENDIN", "OPOST", "ONLCR", "OCRNL", "ONOCR", "ONLRET", "CS7", "CS8", "PARENB", "PARODD");

    /** The remote address of a local console session: there is none; it reads {@code local console}. */
    public static final SocketAddress ADDRESS = new SocketAddress() {
        private static final long serialVersionUID = 1L;

        @Override
        public String toString() {
            return "local console";
        }
    };

    private final SessionHost host;
    private final String user;

    /**
     * Prepares a local console.
     *
     * @param host the server whose handlers and settings the session uses
     * @param user the user name the session runs as
     */
    public LocalConsole(SessionHost host, String user) {
        this.host = host;
        this.user = user;
    }

    /**
     * Runs one session on the calling thread, to its end: {@code exit}, Ctrl-D, the end of input,
     * {@link dev.termlet.Client#close()}, the idle limit, or the JVM shutting down (which waits for
     * {@code disconnected}).
     *
     * @return the session's exit status
     * @throws IllegalStateException if a local console session is already running in this JVM
     */
    public int run() {
        if (!RUNNING.compareAndSet(false, true)) {
            throw new IllegalStateException("a local console session is already running in this JVM");
        }
        try {
            return runOnce();
        } finally {
            RUNNING.set(false);
        }
    }

    private int runOnce() {
        Terminal system;
        try {
            // no native signal handlers from JLine: it would put the OS default on SIGINT, which ends the JVM without its
            // shutdown hooks (no disconnected, the terminal left raw); only SIGWINCH is taken, below
            system = TerminalBuilder.builder().name("termlet-local").system(true).dumb(true)
                    .nativeSignals(false).build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the system terminal", e);
        }
        if (system instanceof DumbTerminal) {
            closeQuietly(system);
            return runPlain();
        }
        try {
            return runTty(system);
        } finally {
            closeQuietly(system);
        }
    }

    private Account account() {
        try {
            return host.settings().accounts().find(user).orElse(null);
        } catch (RuntimeException e) {
            LOG.warn("cannot read the account of {}; running without it: {}", user, e.toString());
            return null;
        }
    }

    private String nextId() {
        return "local-" + SESSIONS.incrementAndGet();
    }

    /** Standard input is a terminal: a PTY session on it, in raw mode. */
    private int runTty(Terminal system) {
        Attributes original = system.getAttributes();
        WindowSize size = sizeOf(system);
        SessionInput input = new SessionInput(n -> { }, MAX_BUFFERED);
        OutputStream out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 8192);
        OutputStream err = new FileOutputStream(FileDescriptor.err);
        Pty pty = new Pty(SessionTerminal.sanitiseType(system.getType()), size, modes(original));
        String id = nextId();
        ClientSession session;
        try {
            session = new ClientSession(host, new SessionSpec(id, id, user, account(), ADDRESS, null, pty, input,
                    out, err, environment(System.getenv())));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set up the local session", e);
        }
        system.setAttributes(raw(original));
        Pump pump = new Pump(new FileInputStream(FileDescriptor.in), session, input, true);
        Object previous = org.jline.utils.Signals.register("WINCH", () -> session.resized(sizeOf(system)));
        Thread hook = shutdownHook(session, Thread.currentThread());
        try {
            host.sessionStarted(session);
            pump.start();
            session.run();
            return session.exitStatus();
        } finally {
            pump.stop();
            if (previous != null) {
                org.jline.utils.Signals.unregister("WINCH", previous);
            }
            removeHook(hook);
            system.setAttributes(original);
        }
    }

    /**
     * The variables a local session's {@link dev.termlet.Client#environment()} holds: {@code LANG} and {@code LC_*}
     * of this process, what OpenSSH's default {@code SendEnv} passes over SSH, so that a handler reading them acts
     * the same on the console.
     *
     * @param process the process environment
     * @return the variables, unmodifiable
     */
    static Map<String, String> environment(Map<String, String> process) {
        Map<String, String> env = new java.util.TreeMap<>();
        process.forEach((name, value) -> {
            if (name.equals("LANG") || name.startsWith("LC_")) {
                env.put(name, value);
            }
        });
        return java.util.Collections.unmodifiableMap(env);
    }

    /** Standard input or output is no terminal: a session without a PTY, as {@code ssh -T} gets. */
    private int runPlain() {
        SessionInput input = new SessionInput(n -> { }, MAX_BUFFERED);
        String id = nextId();
        ClientSession session;
        try {
            session = new ClientSession(host, new SessionSpec(id, id, user, account(), ADDRESS, null, null, input,
                    new FileOutputStream(FileDescriptor.out), new FileOutputStream(FileDescriptor.err),
                    environment(System.getenv())));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set up the local session", e);
        }
        Pump pump = new Pump(new FileInputStream(FileDescriptor.in), session, input, false);
        Thread hook = shutdownHook(session, Thread.currentThread());
        try {
            host.sessionStarted(session);
            pump.start();
            session.run();
            return session.exitStatus();
        } finally {
            pump.stop();
            removeHook(hook);
        }
    }

    /**
     * At JVM shutdown (SIGTERM, SIGHUP, {@code System.exit}) the session ends and fires {@code disconnected}: on its
     * own thread, or on the hook's when that thread is the one waiting in {@code System.exit}.
     */
    private static Thread shutdownHook(ClientSession session, Thread sessionThread) {
        Thread hook = new Thread(() -> session.endAtShutdown(exiting(sessionThread) ? 0 : SHUTDOWN_WAIT_MILLIS),
                "termlet-local-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    /** Whether a thread is inside {@code System.exit} (and so will never return to its session). */
    private static boolean exiting(Thread thread) {
        for (StackTraceElement frame : thread.getStackTrace()) {
            if (frame.getClassName().equals("java.lang.Shutdown")
                    || frame.getClassName().equals("java.lang.Runtime") && frame.getMethodName().equals("exit")) {
                return true;
            }
        }
        return false;
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs or ran
        }
    }

    private static WindowSize sizeOf(Terminal terminal) {
        Size s = terminal.getSize();
        return WindowSize.clamped(s.getColumns(), s.getRows(), 0, 0);
    }

    /**
     * The terminal's modes by RFC 4254 name, as an SSH client would send them: the session's line discipline follows
     * the developer's settings (an erase key of Ctrl-H, say).
     */
    static Map<String, Integer> modes(Attributes attr) {
        Map<String, Integer> modes = new LinkedHashMap<>();
        for (ControlChar c : ControlChar.values()) {
            if (RFC4254_MODES.contains(c.name())) {
                int v = attr.getControlChar(c);
                modes.put(c.name(), v <= 0 ? 255 : v);
            }
        }
        flags(modes, attr.getInputFlags(), InputFlag.values());
        flags(modes, attr.getLocalFlags(), LocalFlag.values());
        flags(modes, attr.getOutputFlags(), OutputFlag.values());
        flags(modes, attr.getControlFlags(), ControlFlag.values());
        return modes;
    }

    private static <E extends Enum<E>> void flags(Map<String, Integer> modes, EnumSet<E> on, E[] all) {
        for (E f : all) {
            if (RFC4254_MODES.contains(f.name())) {
                modes.put(f.name(), on.contains(f) ? 1 : 0);
            }
        }
    }

    /**
     * Raw mode, as an SSH client sets its terminal ({@code cfmakeraw}): every byte reaches the session, whose own
     * line discipline acts on Ctrl-C, echo and newlines; reads return within a tenth of a second, so that the pump
     * can stop without taking a byte that is no longer the session's.
     */
    static Attributes raw(Attributes original) {
        Attributes attr = new Attributes(original);
        attr.setInputFlags(EnumSet.of(InputFlag.IGNBRK, InputFlag.BRKINT, InputFlag.PARMRK, InputFlag.ISTRIP,
                InputFlag.INLCR, InputFlag.IGNCR, InputFlag.ICRNL, InputFlag.IXON), false);
        attr.setOutputFlag(OutputFlag.OPOST, false);
        attr.setLocalFlags(EnumSet.of(LocalFlag.ECHO, LocalFlag.ECHONL, LocalFlag.ICANON, LocalFlag.ISIG,
                LocalFlag.IEXTEN), false);
        attr.setControlFlag(ControlFlag.PARENB, false);
        attr.setControlFlag(ControlFlag.CS8, true);
        attr.setControlChar(ControlChar.VMIN, 0);
        attr.setControlChar(ControlChar.VTIME, 1);
        return attr;
    }

    /** Reads standard input and feeds the session, as an SSH channel's data would. */
    private static final class Pump implements Runnable {
        private final InputStream in;
        private final ClientSession session;
        private final SessionInput input;
        private final boolean tty;
        private final Thread thread;
        private volatile boolean stopped;

        Pump(InputStream in, ClientSession session, SessionInput input, boolean tty) {
            this.in = in;
            this.session = session;
            this.input = input;
            this.tty = tty;
            this.thread = new Thread(this, "termlet-local-input");
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        /**
         * Stops reading. On a terminal the pump notices within a read's tenth of a second, before the terminal's
         * modes are restored; on a pipe it may stay blocked in a read that ends with the process.
         */
        void stop() {
            stopped = true;
            if (tty) {
                try {
                    thread.join(1_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public void run() {
            byte[] buf = new byte[4096];
            int quickEnds = 0;
            try {
                while (!stopped) {
                    long before = System.nanoTime();
                    int n = in.read(buf);
                    if (stopped) {
                        return;
                    }
                    if (n > 0) {
                        quickEnds = 0;
                        // a terminal has no flow-control window: hold back while the session is behind
                        while (input.available() > MAX_BUFFERED - n && !input.isClosed() && !stopped) {
                            Thread.sleep(5);
                        }
                        if (!session.feed(buf, 0, n)) {
                            return;
                        }
                        continue;
                    }
                    // On a terminal in raw mode a read that times out (VTIME) also returns nothing; only a read
                    // that returns nothing at once, again and again, is the end (the terminal hung up).
                    if (!tty || System.nanoTime() - before < 50_000_000L && ++quickEnds >= 3) {
                        return;
                    }
                }
            } catch (IOException e) {
                LOG.debug("local input ended: {}", e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                if (!stopped) {
                    input.close();
                }
            }
        }
    }

    private static void closeQuietly(Terminal terminal) {
        try {
            terminal.close();
        } catch (IOException | RuntimeException e) {
            LOG.debug("closing the system terminal failed: {}", e.toString());
        }
    }
}
