package dev.termlet.fileops.internal.core;

import dev.termlet.Client;
import dev.termlet.Pty;
import dev.termlet.WindowSize;
import dev.termlet.auth.Account;
import java.net.SocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sshd.server.channel.ChannelSession;
import org.jline.terminal.Terminal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Client} of a file session (SFTP, SCP, FTP), for {@code connectsftp} and {@code disconnected}: who is
 * connected, and attributes. A file session has no terminal: output is dropped (logged at debug) and input
 * methods throw {@link UnsupportedOperationException}.
 */
public final class FileClient implements Client {
    private static final Logger LOG = LoggerFactory.getLogger(FileClient.class);

    private final FileSession session;
    private final String id;
    private final Runnable closer;
    private final java.util.function.BooleanSupplier open;
    private final Map<String, Object> attributes = new ConcurrentHashMap<>();

    /**
     * @param session the file session
     * @param channel the SSH channel it runs on
     */
    public FileClient(FileSession session, ChannelSession channel) {
        this(session, session.sessionId() + "/" + session.protocol().name().toLowerCase(java.util.Locale.ROOT)
                + channel.getChannelId(), () -> channel.close(false), channel::isOpen);
    }

    /**
     * A client of a file session without an SSH channel (FTP).
     *
     * @param session the file session
     * @param id the session id
     * @param closer ends the session
     * @param open whether it is still open
     */
    public FileClient(FileSession session, String id, Runnable closer, java.util.function.BooleanSupplier open) {
        this.session = session;
        this.id = id;
        this.closer = closer;
        this.open = open;
    }

    @Override
    public String user() {
        return session.user();
    }

    @Override
    public Optional<Account> account() {
        return Optional.ofNullable(session.account());
    }

    @Override
    public String sessionId() {
        return id;
    }

    @Override
    public String connectionId() {
        return session.sessionId();
    }

    @Override
    public SocketAddress remoteAddress() {
        return session.remote();
    }

    @Override
    public boolean hasPty() {
        return false;
    }

    @Override
    public Optional<Pty> pty() {
        return Optional.empty();
    }

    @Override
    public String terminalType() {
        return "dumb";
    }

    @Override
    public WindowSize size() {
        return WindowSize.DEFAULT;
    }

    @Override
    public void print(Object text) {
        LOG.debug("output to an SFTP session dropped: {}", text);
    }

    @Override
    public void println(Object text) {
        print(text);
    }

    @Override
    public void println() {
        // no terminal
    }

    @Override
    public void eprintln(Object text) {
        print(text);
    }

    private static UnsupportedOperationException noTerminal() {
        return new UnsupportedOperationException("a file session has no terminal to read from");
    }

    @Override
    public String readLine(String prompt) {
        throw noTerminal();
    }

    @Override
    public String readPassword(String prompt) {
        throw noTerminal();
    }

    @Override
    public String ask(String question, String defaultAnswer) {
        throw noTerminal();
    }

    @Override
    public void prompt(String prompt) {
        // no prompt without a terminal
    }

    @Override
    public String prompt() {
        return "";
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
        return Optional.empty();
    }

    @Override
    public void close() {
        close(0);
    }

    @Override
    public void close(int exitStatus) {
        try {
            closer.run();
        } catch (RuntimeException e) {
            LOG.debug("closing the {} session failed: {}", session.protocol(), e.toString());
        }
    }

    @Override
    public boolean isOpen() {
        return open.getAsBoolean();
    }
}
