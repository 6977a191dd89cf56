package dev.termlet.cluster.internal;

import dev.termlet.Client;
import dev.termlet.Pty;
import dev.termlet.WindowSize;
import dev.termlet.auth.Account;
import java.net.SocketAddress;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.jline.terminal.Terminal;

/**
 * A session of another node, as this node lists it: who, from where, since when; output and {@link #close()} are sent
 * to its node, which delivers them. Reading input, the prompt, attributes and the terminal are that node's alone.
 */
public final class RemoteClient implements Client {
    private final SessionTable table;
    private final String node;
    private final String id;
    private final String connectionId;
    private final String user;
    private final SocketAddress remote;
    private final Instant started;
    private final boolean pty;
    private final String terminal;

    RemoteClient(SessionTable table, String node, String id, String connectionId, String user, SocketAddress remote,
            Instant started, boolean pty, String terminal) {
        this.table = table;
        this.node = node;
        this.id = id;
        this.connectionId = connectionId;
        this.user = user;
        this.remote = remote;
        this.started = started;
        this.pty = pty;
        this.terminal = terminal;
    }

    /** @return the session's id on its own node */
    String localId() {
        return id;
    }

    @Override
    public Optional<String> node() {
        return Optional.of(node);
    }

    @Override
    public String user() {
        return user;
    }

    @Override
    public Optional<Account> account() {
        return table.account(user);
    }

    /** @return the node's name, {@code /}, and the session's id on that node */
    @Override
    public String sessionId() {
        return node + "/" + id;
    }

    /** @return the node's name, {@code /}, and the connection's id on that node */
    @Override
    public String connectionId() {
        return node + "/" + connectionId;
    }

    @Override
    public SocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public boolean hasPty() {
        return pty;
    }

    /** @return empty: the pty request stays on the session's node */
    @Override
    public Optional<Pty> pty() {
        return Optional.empty();
    }

    @Override
    public String terminalType() {
        return terminal;
    }

    /** @return {@link WindowSize#DEFAULT}: the size stays on the session's node */
    @Override
    public WindowSize size() {
        return WindowSize.DEFAULT;
    }

    @Override
    public void print(Object text) {
        table.send(this, "print", String.valueOf(text));
    }

    @Override
    public void println(Object text) {
        table.send(this, "println", String.valueOf(text));
    }

    @Override
    public void println() {
        table.send(this, "println", "");
    }

    @Override
    public void eprintln(Object text) {
        table.send(this, "eprintln", String.valueOf(text));
    }

    /** @throws UnsupportedOperationException always: only the session's own node reads its input */
    @Override
    public String readLine(String prompt) {
        throw remoteOnly("readLine");
    }

    /** @throws UnsupportedOperationException always: only the session's own node reads its input */
    @Override
    public String readPassword(String prompt) {
        throw remoteOnly("readPassword");
    }

    /** @throws UnsupportedOperationException always: only the session's own node reads its input */
    @Override
    public String ask(String question, String defaultAnswer) {
        throw remoteOnly("ask");
    }

    /** @throws UnsupportedOperationException always: the prompt is the session's node's */
    @Override
    public void prompt(String prompt) {
        throw remoteOnly("prompt");
    }

    /** @throws UnsupportedOperationException always: the prompt is the session's node's */
    @Override
    public String prompt() {
        throw remoteOnly("prompt");
    }

    /**
     * Only {@code termlet.startedAt} (an {@link Instant}) is known here.
     *
     * @param name the attribute name
     * @return when the session started for {@code termlet.startedAt}, else null
     */
    @Override
    public Object attribute(String name) {
        return "termlet.startedAt".equals(name) ? started : null;
    }

    /** @throws UnsupportedOperationException always: attributes are the session's node's */
    @Override
    public void attribute(String name, Object value) {
        throw remoteOnly("attribute");
    }

    /** @return {@code termlet.startedAt} alone, unmodifiable */
    @Override
    public Map<String, Object> attributes() {
        return Map.of("termlet.startedAt", started);
    }

    /** @return empty: the terminal is the session's node's */
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
        table.close(this, exitStatus);
    }

    /** @return whether this node still knows the session as running */
    @Override
    public boolean isOpen() {
        return table.known(this);
    }

    private UnsupportedOperationException remoteOnly(String what) {
        return new UnsupportedOperationException(what + " is not available for session " + sessionId()
                + " of another node");
    }

    @Override
    public String toString() {
        return "session " + sessionId() + " of " + user;
    }
}
