package dev.termlet.internal.ssh;

import dev.termlet.AuthRequest;
import dev.termlet.auth.AuthMethod;
import dev.termlet.event.ConnectionClosed;
import dev.termlet.event.ConnectionOpened;
import dev.termlet.event.Events;
import dev.termlet.event.Outcome;
import dev.termlet.internal.Settings;
import dev.termlet.internal.metrics.ServerMetrics;
import dev.termlet.protector.Addresses;
import dev.termlet.protector.Ban;
import dev.termlet.protector.Protector;
import dev.termlet.protector.Strike;
import dev.termlet.spi.ForeignConnection;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.common.io.IoSession;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's connections, SSH and other protocols alike, from admission (block-list and bans, limits, the
 * authentication deadline, {@code new-connection} handlers) through authentication to release
 * ({@code connection-closed}, a strike for one that never authenticated).
 */
final class Connections {
    private static final Logger LOG = LoggerFactory.getLogger(Connections.class);

    private final Settings settings;
    private final Limits limits;
    private final Protector protector;
    private final EventHub hub;
    private final ScheduledExecutorService delays;
    private final ServerMetrics metrics;
    private final ConcurrentHashMap<String, Connection> open = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    /**
     * @param settings the configuration
     * @param limits the connection counts
     * @param protector bans and strikes
     * @param hub where connection events are fired
     * @param delays runs the authentication deadlines
     * @param metrics the meters
     */
    Connections(Settings settings, Limits limits, Protector protector, EventHub hub,
            ScheduledExecutorService delays, ServerMetrics metrics) {
        this.metrics = metrics;
        this.settings = settings;
        this.limits = limits;
        this.protector = protector;
        this.hub = hub;
        this.delays = delays;
    }

    /** @return the open connections (a live view) */
    Collection<Connection> all() {
        return open.values();
    }

    /**
     * @param id a connection id
     * @return the open connection with that id, if any
     */
    Optional<Connection> find(String id) {
        return Optional.ofNullable(open.get(id));
    }

    /** New connections are refused from now on, and leaving ones are not struck. */
    void stopping() {
        stopping = true;
    }

    /** @return whether the server is stopping */
    boolean isStopping() {
        return stopping;
    }

    /**
     * Admits a new connection of any protocol: the block-list and bans, the limits (which count it at once), its
     * authentication deadline, then the {@code new-connection} handlers.
     *
     * @param remote the client's address
     * @param protocol the protocol, for the log
     * @param disconnect closes the connection when it has not authenticated in time
     * @return the admitted connection, counted
     * @throws IOException if it is refused (the message says why)
     */
    Connection admit(SocketAddress remote, String protocol, Runnable disconnect) throws IOException {
        if (stopping) {
            metrics.connectionRefused(protocol, "stopping");
            throw new IOException("server is stopping");
        }
        Optional<Ban> ban = protector.check(Addresses.host(remote));
        if (ban.isPresent()) {
            LOG.info("connection from {} refused: {}", remote, ban.get().permanent() ? "block-list"
                    : "banned until " + ban.get().until());
            metrics.connectionRefused(protocol, "banned");
            throw new IOException("banned");
        }
        Connection c = new Connection(remote, hub.newQueue());
        c.admitted(protocol, disconnect);
        String why = limits.admit(c);
        if (why != null) {
            LOG.warn("{} connection from {} refused: {}", protocol, remote, why);
            metrics.connectionRefused(protocol, "limit");
            throw new IOException(why);
        }
        c.counted(true);
        open.put(c.id(), c);
        try {
            c.authDeadline(delays.schedule(() -> authExpired(c, protocol, disconnect),
                    settings.authTimeout().toMillis(), TimeUnit.MILLISECONDS));
        } catch (RejectedExecutionException e) {
            release(c);
            throw new IOException("server is stopping");
        }
        if (hub.listens(Events.NEW_CONNECTION)) {
            InetSocketAddress inet = remote instanceof InetSocketAddress ? (InetSocketAddress) remote : null;
            Outcome o;
            try {
                o = hub.fireBeforeSession(c, Events.NEW_CONNECTION, inet, Addresses.host(remote),
                        new ConnectionOpened(inet, protocol));
            } catch (IOException | RuntimeException e) {
                release(c);
                metrics.connectionRefused(protocol, "handler");
                throw e;
            }
            if (o.refused()) {
                release(c);
                LOG.info("connection from {} refused by new-connection handler", remote);
                metrics.connectionRefused(protocol, "handler");
                throw new IOException("refused");
            }
        }
        metrics.connectionAccepted(protocol);
        return c;
    }

    /** Closes a connection that has not authenticated within the auth timeout. */
    private void authExpired(Connection c, String protocol, Runnable disconnect) {
        if (c.user() != null || !c.counted()) {
            return;
        }
        LOG.info("{} connection {} from {} did not authenticate within {}; closing it", protocol, c.id(),
                c.remoteText(), settings.authTimeout());
        try {
            disconnect.run();
        } catch (RuntimeException e) {
            LOG.warn("closing connection {} failed: {}", c.id(), e.toString());
        }
    }

    /**
     * Releases what an admitted connection holds (limits, deadline, registry); only the first call does.
     *
     * @param c the connection
     * @return true for the call that released it
     */
    boolean release(Connection c) {
        synchronized (c) {
            if (!c.counted()) {
                return false;
            }
            c.counted(false);
        }
        c.cancelAuthDeadline();
        open.remove(c.id());
        limits.closed(c);
        return true;
    }

    /** A connection authenticated as a user: counted for the user, its deadline cancelled. */
    private void authenticated(Connection c, String user) {
        c.authenticated(user, settings.accounts().find(user).orElse(null));
        limits.authenticated(c, user);
        c.cancelAuthDeadline();
    }

    /**
     * A connection is over: released, struck if it never authenticated, and its {@code connection-closed} queued.
     *
     * @param c the connection
     * @param protocol the protocol name for the event
     * @param afterSessions runs the event's queueing (now, or once the connection's sessions have ended)
     */
    private void closed(Connection c, String protocol, java.util.function.Consumer<Runnable> afterSessions) {
        if (!release(c)) {
            return;
        }
        // bare TCP probes and connections that timed out count too: they held an unauthenticated slot
        if (c.user() == null && !stopping) {
            protector.strike(Addresses.host(c.remote()), Strike.Kind.NO_AUTH, null);
        }
        if (hub.listens(Events.CONNECTION_CLOSED) && c.remote() instanceof InetSocketAddress) {
            ConnectionClosed closed = new ConnectionClosed((InetSocketAddress) c.remote(), c.user(), protocol, c.age());
            afterSessions.accept(() -> hub.queue(c.events(), Events.CONNECTION_CLOSED, closed));
        }
    }

    /** Queues {@code auth-success} of a connection's successful request on its ordered queue. */
    private void authSuccess(Connection c, AuthRequest req) {
        if (req != null) {
            hub.queue(c.events(), Events.AUTH_SUCCESS, req);
        }
    }

    /**
     * Wraps an admitted connection of another protocol for its extension.
     *
     * @param c the admitted connection
     * @param protocol the protocol name ({@code FTP})
     * @param auth decides passwords as for SSH
     * @return the connection as the extension sees it
     */
    ForeignConnection foreign(Connection c, String protocol, AuthBridge auth) {
        return new Foreign(c, protocol, auth);
    }

    /** A connection of another protocol, accounted like an SSH one. */
    private final class Foreign implements ForeignConnection {
        private final Connection c;
        private final String protocol;
        private final AuthBridge auth;

        Foreign(Connection c, String protocol, AuthBridge auth) {
            this.c = c;
            this.protocol = protocol;
            this.auth = auth;
        }

        @Override
        public String id() {
            return c.id();
        }

        @Override
        public SocketAddress remote() {
            return c.remote();
        }

        @Override
        public Executor events() {
            return c.events();
        }

        @Override
        public String user() {
            return c.user();
        }

        @Override
        public boolean accountExpected() {
            return c.accountExpected();
        }

        @Override
        public Duration age() {
            return c.age();
        }

        @Override
        public Map<String, String> mdc() {
            return c.mdcMap();
        }

        @Override
        public boolean authenticate(String user, String password) {
            if (c.user() != null) {
                return user.equals(c.user());
            }
            AuthRequest req = new AuthRequest(user, AuthMethod.PASSWORD, password, null, null, c.remote(), c.id(),
                    protocol);
            if (!auth.decideNow(c, req)) {
                return false;
            }
            authenticated(c, user);
            authSuccess(c, req);
            c.withMdc(() -> LOG.info("user {} authenticated over {} from {} on {}", user, protocol, c.remoteText(),
                    c.id()));
            return true;
        }

        @Override
        public void close() {
            closed(c, protocol, Runnable::run);
        }
    }

    /**
     * MINA's session listener: ties each SSH session to its admitted connection, applies authentication and
     * releases the connection when the session closes.
     *
     * @param accountChanges finds an account removed or disabled while its user was logging in
     * @return the listener
     */
    SessionListener sshListener(AccountChanges accountChanges) {
        return new SshListener(accountChanges);
    }

    private final class SshListener implements SessionListener {
        private final AccountChanges accountChanges;

        SshListener(AccountChanges accountChanges) {
            this.accountChanges = accountChanges;
        }

        @Override
        public void sessionEstablished(Session session) {
            ensure(session);
        }

        @Override
        public void sessionCreated(Session session) {
            ensure(session);
        }

        private Connection ensure(Session session) {
            synchronized (session) {
                Connection c = session.getAttribute(Connection.KEY);
                if (c == null) {
                    IoSession io = session.getIoSession();
                    Object admitted = io == null ? null : io.getAttribute(Connection.KEY);
                    if (admitted instanceof Connection) {
                        c = (Connection) admitted;
                    } else {
                        // every server session is made by the runtime's session factory; fail closed if one was not
                        c = new Connection(session.getRemoteAddress(), hub.newQueue());
                        LOG.warn("connection {} from {} was not admitted; closing it", c.id(), c.remoteText());
                        session.close(true);
                    }
                    session.setAttribute(Connection.KEY, c);
                    c.transport(session);
                    LOG.debug("connection {} from {}", c.id(), c.remoteText());
                }
                return c;
            }
        }

        @Override
        public void sessionEvent(Session session, Event event) {
            if (event != Event.Authenticated) {
                return;
            }
            Connection c = ensure(session);
            String user = session.getUsername();
            authenticated(c, user);
            // The account may have been removed or disabled after the decision and before this point, and so missed
            // by accountChanged's sweep (the user was not yet set): look again now that it is.
            if (accountChanges.revoked(c)) {
                LOG.info("account of {} was removed or disabled while logging in; closing {}", user, c.id());
                session.close(true);
                return;
            }
            authSuccess(c, c.pendingSuccess());
            c.withMdc(() -> LOG.info("user {} authenticated from {} on {}", user, c.remoteText(), c.id()));
        }

        @Override
        public void sessionException(Session session, Throwable t) {
            Connection c = session.getAttribute(Connection.KEY);
            if (c != null && c.user() == null && t instanceof org.apache.sshd.common.SshException) {
                protector.strike(Addresses.host(c.remote()), Strike.Kind.PROTOCOL, null);
            }
        }

        @Override
        public void sessionClosed(Session session) {
            // after the disconnected of every session an extension runs on the connection (SFTP, SCP): MINA
            // signals sessionClosed when the close starts, before those channels are closed and ended
            Connection c = ensure(session);
            closed(c, "SSH", c::afterSessions);
        }
    }
}
