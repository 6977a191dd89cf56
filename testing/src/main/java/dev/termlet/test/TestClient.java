package dev.termlet.test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.keyboard.UserInteraction;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ChannelShell;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;

/**
 * A person at an SSH terminal, for tests: one SSH connection (Apache MINA SSHD's client), logged in, with a
 * shell on a pseudo-terminal of a chosen size whose output is interpreted into a {@link VirtualScreen}, plus exec
 * commands and SFTP on the same connection.
 *
 * <pre>{@code
 * client.typeLine("hello");
 * client.awaitScreen(s -> s.contains("world!"));
 * assertThat(client.screen()).containsLine("world!");
 * }</pre>
 *
 * <p>The shell opens at the first call that needs it ({@link #type}, {@link #press}, {@link #screen},
 * {@link #awaitScreen}...), at the size given to {@link #resize} before, or 80 by 24. Calls that wait give up
 * after the default timeout (15 seconds unless {@link #defaultTimeout(Duration)} changes it) with an
 * {@link AssertionError} that shows the screen. Close the client to close the connection; clients injected by
 * {@link TermletExtension} are closed after each test.
 */
public final class TestClient implements AutoCloseable {
    private static final Duration CONNECT = Duration.ofSeconds(10);

    private final SshClient ssh;
    private final ClientSession session;
    private final String user;
    private final Object lock = new Object();
    private final ByteArrayOutputStream transcript = new ByteArrayOutputStream();
    private Emulator emulator;
    private ChannelShell shell;
    private OutputStream input;
    private int columns = 80;
    private int rows = 24;
    private String terminalType = "xterm-256color";
    private Duration timeout = Duration.ofSeconds(15);
    private SftpClient sftp;
    private int outputMark;
    private ExecutorService replier;
    private boolean closed;

    private TestClient(SshClient ssh, ClientSession session, String user) {
        this.ssh = ssh;
        this.session = session;
        this.user = user;
    }

    /**
     * Connects and logs in with a password.
     *
     * @param host the server's address
     * @param port the server's port
     * @param user the user
     * @param password the password
     * @return the logged-in client, without a shell yet
     * @throws UncheckedIOException if connecting or logging in fails
     */
    public static TestClient password(String host, int port, String user, String password) {
        Objects.requireNonNull(password, "password");
        return connect(host, port, user, s -> s.addPasswordIdentity(password), "password");
    }

    /**
     * Connects and logs in with a key.
     *
     * @param host the server's address
     * @param port the server's port
     * @param user the user
     * @param key the user's key pair
     * @return the logged-in client, without a shell yet
     * @throws UncheckedIOException if connecting or logging in fails
     */
    public static TestClient publicKey(String host, int port, String user, KeyPair key) {
        Objects.requireNonNull(key, "key");
        return connect(host, port, user, s -> s.addPublicKeyIdentity(key), "publickey");
    }

    /**
     * Connects and logs in with keyboard-interactive authentication (an {@code InteractiveAuthenticator}: a
     * password and a one-time code, say), answering the server's prompts in order with the given answers.
     *
     * @param host the server's address
     * @param port the server's port
     * @param user the user
     * @param answers the answers, one for each prompt, across as many rounds as the server asks (an empty answer
     *     when they run out)
     * @return the logged-in client, without a shell yet
     * @throws UncheckedIOException if connecting or logging in fails
     */
    public static TestClient keyboardInteractive(String host, int port, String user, String... answers) {
        Deque<String> left = new ArrayDeque<>(List.of(answers));
        UserInteraction ui = new UserInteraction() {
            @Override
            public String[] interactive(ClientSession s, String name, String instruction, String lang,
                    String[] prompts, boolean[] echo) {
                String[] reply = new String[prompts.length];
                for (int i = 0; i < reply.length; i++) {
                    reply[i] = left.isEmpty() ? "" : left.poll();
                }
                return reply;
            }

            @Override
            public String getUpdatedPassword(ClientSession s, String prompt, String lang) {
                return null;
            }
        };
        return connect(host, port, user, s -> s.setUserInteraction(ui), "keyboard-interactive");
    }

    private interface Identity {
        void add(ClientSession s);
    }

    private static TestClient connect(String host, int port, String user, Identity identity, String method) {
        SshClient c = SshClient.setUpDefaultClient();
        // a test server has a fresh host key each run: there is nothing to verify it against (and no warning to log)
        c.setServerKeyVerifier((clientSession, address, key) -> true);
        CoreModuleProperties.PREFERRED_AUTHS.set(c, method);
        c.start();
        try {
            ClientSession s = c.connect(user, host, port).verify(CONNECT).getSession();
            identity.add(s);
            s.auth().verify(CONNECT.multipliedBy(2));
            return new TestClient(c, s, user);
        } catch (IOException e) {
            c.stop();
            throw new UncheckedIOException("cannot log in as " + user + " at " + host + ":" + port, e);
        } catch (RuntimeException e) {
            c.stop();
            throw e;
        }
    }

    /** @return the user this client logged in as */
    public String user() {
        return user;
    }

    /** @return the MINA SSHD session, for what this class does not offer (port forwarding, say) */
    public ClientSession session() {
        return session;
    }

    /**
     * Sets how long the waiting calls wait when not told.
     *
     * @param limit the time
     * @return this client
     */
    public TestClient defaultTimeout(Duration limit) {
        this.timeout = Objects.requireNonNull(limit, "limit");
        return this;
    }

    /**
     * Sets the terminal type the shell asks for (default {@code xterm-256color}); only before the shell opens.
     *
     * @param type the TERM value
     * @return this client
     * @throws IllegalStateException if the shell is open
     */
    public TestClient terminalType(String type) {
        synchronized (lock) {
            if (shell != null) {
                throw new IllegalStateException("the shell is already open");
            }
            this.terminalType = Objects.requireNonNull(type, "type");
        }
        return this;
    }

    /**
     * Opens the shell now, if it is not open (the other calls open it when they need it).
     *
     * @return this client
     * @throws UncheckedIOException if the server refuses the shell
     */
    public TestClient open() {
        synchronized (lock) {
            if (shell != null) {
                return this;
            }
            try {
                emulator = new Emulator(columns, rows);
                ChannelShell ch = session.createShellChannel();
                ch.setPtyType(terminalType);
                ch.setPtyColumns(columns);
                ch.setPtyLines(rows);
                // MINA's client (2.17.1) writes the pixel height before the width, against RFC 4254 section 6.2:
                // swap them so the server receives width = columns * 8 and height = rows * 16
                ch.setPtyWidth(rows * 16);
                ch.setPtyHeight(columns * 8);
                OutputStream screenFeed = new OutputStream() {
                    @Override
                    public void write(int b) throws IOException {
                        write(new byte[] {(byte) b}, 0, 1);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        received(b, off, len);
                    }
                };
                ch.setOut(screenFeed);
                ch.setErr(screenFeed);
                ch.open().verify(CONNECT);
                shell = ch;
                input = ch.getInvertedIn();
            } catch (IOException e) {
                throw new UncheckedIOException("the server did not open a shell", e);
            }
        }
        return this;
    }

    private void received(byte[] b, int off, int len) throws IOException {
        byte[] replies;
        synchronized (lock) {
            transcript.write(b, off, len);
            emulator.write(b, off, len);
            replies = emulator.takeReplies();
            lock.notifyAll();
        }
        if (replies.length > 0 && input != null) {
            // not on MINA's I/O thread, which must not wait for window space
            replier().execute(() -> send(replies));
        }
    }

    private synchronized ExecutorService replier() {
        if (replier == null) {
            replier = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "termlet-test-replies-" + user);
                t.setDaemon(true);
                return t;
            });
        }
        return replier;
    }

    private void send(byte[] bytes) {
        try {
            synchronized (this) {
                input.write(bytes);
                input.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot send to the server", e);
        }
    }

    /**
     * Types text, as if on the keyboard (no Enter at the end).
     *
     * @param text the text; may hold control characters
     * @return this client
     */
    public TestClient type(String text) {
        open();
        send(text.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /**
     * Types a line and presses Enter.
     *
     * @param line the text
     * @return this client
     */
    public TestClient typeLine(String line) {
        return type(line + "\r");
    }

    /**
     * Presses keys, one after the other.
     *
     * @param keys the keys
     * @return this client
     */
    public TestClient press(Keystroke... keys) {
        open();
        for (Keystroke k : keys) {
            boolean application;
            synchronized (lock) {
                application = emulator.applicationCursorKeys();
            }
            send(k.sequence(application).getBytes(StandardCharsets.US_ASCII));
        }
        return this;
    }

    /**
     * Changes the terminal size: before the shell opens, the size it opens with; after, a window-change request
     * (the server's {@code resized} event) and the screen takes the new size.
     *
     * @param newColumns the width in cells
     * @param newRows the height in rows
     * @return this client
     */
    public TestClient resize(int newColumns, int newRows) {
        if (newColumns < 1 || newRows < 1) {
            throw new IllegalArgumentException("size " + newColumns + "x" + newRows);
        }
        synchronized (lock) {
            columns = newColumns;
            rows = newRows;
            if (shell == null) {
                return this;
            }
            emulator.resize(newColumns, newRows);
        }
        try {
            // sendWindowChange(columns, lines, height, width): MINA's client names the pixels height first
            shell.sendWindowChange(newColumns, newRows, newRows * 16, newColumns * 8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot send the window change", e);
        }
        return this;
    }

    /** @return the screen as it is now */
    public VirtualScreen screen() {
        open();
        synchronized (lock) {
            return emulator.snapshot();
        }
    }

    /**
     * Waits until the screen satisfies a condition.
     *
     * @param condition the condition, tried on each change of the screen
     * @param limit how long to wait
     * @return the first screen that satisfied it
     * @throws AssertionError if none did in time (the message shows the last screen)
     */
    public VirtualScreen awaitScreen(Predicate<VirtualScreen> condition, Duration limit) {
        open();
        long deadline = System.nanoTime() + limit.toNanos();
        synchronized (lock) {
            while (true) {
                VirtualScreen s = emulator.snapshot();
                if (condition.test(s)) {
                    return s;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("the screen did not become as expected within " + limit + "; it shows:\n"
                            + s + (shell.isClosed() ? "(the shell is closed)\n" : ""));
                }
                try {
                    lock.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted while waiting for the screen", e);
                }
            }
        }
    }

    /**
     * Waits with the default timeout until the screen satisfies a condition.
     *
     * @param condition the condition
     * @return the first screen that satisfied it
     * @throws AssertionError if none did in time
     */
    public VirtualScreen awaitScreen(Predicate<VirtualScreen> condition) {
        return awaitScreen(condition, timeout);
    }

    /**
     * Waits with the default timeout until some row of the screen contains the text.
     *
     * @param text the text
     * @return the screen that showed it
     * @throws AssertionError if it did not appear in time
     */
    public VirtualScreen awaitText(String text) {
        return awaitScreen(s -> s.contains(text), timeout);
    }

    /**
     * Everything the shell received so far, as UTF-8, escape sequences included: for output that scrolled away.
     *
     * @return the raw output
     */
    public String transcript() {
        synchronized (lock) {
            return transcript.toString(StandardCharsets.UTF_8);
        }
    }

    /**
     * Waits with the default timeout until the raw output after the previous match contains the text, and moves
     * past it: for output in order, or that a redraw replaces before the screen can be looked at (a progress bar,
     * a game's last frame). Text that wraps or is drawn piecewise is better awaited on the {@linkplain #screen()
     * screen}.
     *
     * @param text the text
     * @return the output from the previous match up to and including this one, escape sequences included
     * @throws AssertionError if it did not arrive in time (the message shows the output after the previous match)
     */
    public String awaitOutput(String text) {
        open();
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (true) {
                String all = transcript.toString(StandardCharsets.UTF_8);
                int at = all.indexOf(text, outputMark);
                if (at >= 0) {
                    String seen = all.substring(outputMark, at + text.length());
                    outputMark = at + text.length();
                    return seen;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    String after = all.substring(outputMark);
                    throw new AssertionError("'" + text + "' did not arrive within " + timeout + "; output after the"
                            + " previous match: '" + after.replace("\u001b", "\\e").replace("\r", "\\r")
                            + "'\n" + emulator.snapshot());
                }
                try {
                    lock.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted while waiting for output", e);
                }
            }
        }
    }

    /**
     * Waits for the server to end the shell.
     *
     * @param limit how long to wait
     * @return true if it closed in time
     */
    public boolean awaitClosed(Duration limit) {
        open();
        return shell.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), limit).contains(ClientChannelEvent.CLOSED);
    }

    /**
     * The exit status the server sent for the shell, once it ended.
     *
     * @return the status, or null if none was sent (yet)
     */
    public Integer exitStatus() {
        return shell == null ? null : shell.getExitStatus();
    }

    /**
     * Runs a command without a pseudo-terminal (as {@code ssh host command} does) and waits for it to end.
     *
     * @param command the command line
     * @return its status and output
     * @throws UncheckedIOException if the channel fails
     * @throws AssertionError if it does not end within the default timeout
     */
    public ExecResult exec(String command) {
        return exec(command, (byte[]) null);
    }

    /**
     * Runs a command with input and waits for it to end.
     *
     * @param command the command line
     * @param stdin what to send as its input, as UTF-8 (then end of input), or null for none
     * @return its status and output
     * @throws UncheckedIOException if the channel fails
     * @throws AssertionError if it does not end within the default timeout
     */
    public ExecResult exec(String command, String stdin) {
        return exec(command, stdin == null ? null : stdin.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Runs a command with bytes as its input (binary data, or bytes that are not UTF-8) and waits for it to end.
     *
     * @param command the command line
     * @param stdin what to send as its input, byte for byte (then end of input), or null for none
     * @return its status and output
     * @throws UncheckedIOException if the channel fails
     * @throws AssertionError if it does not end within the default timeout
     */
    public ExecResult exec(String command, byte[] stdin) {
        try (ChannelExec ch = session.createExecChannel(command)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            ch.setOut(out);
            ch.setErr(err);
            ch.open().verify(CONNECT);
            OutputStream in = ch.getInvertedIn();
            if (stdin != null) {
                in.write(stdin);
                in.flush();
            }
            in.close();
            if (!ch.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), timeout).contains(ClientChannelEvent.CLOSED)) {
                throw new AssertionError("'" + command + "' did not end within " + timeout + "; output so far: "
                        + out.toString(StandardCharsets.UTF_8));
            }
            return new ExecResult(ch.getExitStatus(), out.toString(StandardCharsets.UTF_8),
                    err.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("exec '" + command + "' failed", e);
        }
    }

    /**
     * An SFTP client on this connection (MINA SSHD's), opened at the first call and closed with this client.
     *
     * @return the SFTP client
     * @throws UncheckedIOException if the server does not offer SFTP
     */
    public SftpClient sftp() {
        synchronized (lock) {
            if (sftp == null) {
                try {
                    sftp = SftpClientFactory.instance().createSftpClient(session);
                } catch (IOException e) {
                    throw new UncheckedIOException("the server did not open SFTP", e);
                }
            }
            return sftp;
        }
    }

    /** Closes the shell, SFTP and the connection; closing again does nothing. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (replier != null) {
                replier.shutdownNow();
            }
        }
        try {
            if (sftp != null) {
                sftp.close();
            }
        } catch (IOException e) {
            // closing anyway
        }
        try {
            session.close(false).await(CONNECT);
        } catch (IOException e) {
            // closing anyway
        } finally {
            ssh.stop();
        }
    }
}
