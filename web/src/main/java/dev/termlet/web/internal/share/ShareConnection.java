package dev.termlet.web.internal.share;

import dev.termlet.spi.ForeignConnection;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * What a share link's visit acts through: the owner's account (whose permissions apply) with the visitor's address,
 * for one request. It is not a login: no password is checked, nothing is counted against the connection limits,
 * and closing it does nothing.
 */
final class ShareConnection implements ForeignConnection {
    private final String id;
    private final String owner;
    private final SocketAddress remote;
    private final Executor events;
    private final long started = System.nanoTime();

    /**
     * @param id the id of its file events' session
     * @param owner the share's owner
     * @param remote the visitor's address
     * @param events the ordered queue of its asynchronous handlers
     */
    ShareConnection(String id, String owner, SocketAddress remote, Executor events) {
        this.id = id;
        this.owner = owner;
        this.remote = remote;
        this.events = events;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public SocketAddress remote() {
        return remote;
    }

    @Override
    public Executor events() {
        return events;
    }

    @Override
    public String user() {
        return owner;
    }

    @Override
    public boolean accountExpected() {
        // a share needs its owner's account: a removed or disabled owner refuses everything
        return true;
    }

    @Override
    public boolean authenticate(String user, String password) {
        return false;
    }

    @Override
    public Duration age() {
        return Duration.ofNanos(System.nanoTime() - started);
    }

    @Override
    public Map<String, String> mdc() {
        return Map.of("connection", id, "remote", String.valueOf(remote), "user", owner);
    }

    @Override
    public void close() {
        // nothing was admitted
    }
}
