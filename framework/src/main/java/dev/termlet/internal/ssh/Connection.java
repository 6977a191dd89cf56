package dev.termlet.internal.ssh;

import dev.termlet.auth.Account;
import dev.termlet.internal.util.SerialExecutor;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.session.Session;
import org.slf4j.MDC;

/** Termlet's state for one SSH connection, kept as an attribute of the MINA session. */
public final class Connection implements dev.termlet.spi.SshConnection {
    /** The attribute under which a MINA session keeps its connection. */
    public static final AttributeKey<Connection> KEY = new AttributeKey<>();

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final String id;
    private final SocketAddress remote;
    private final SerialExecutor events;
    private final long openedNanos = System.nanoTime();
    // the collections of the login phase are made when first needed (most connections need one name and one key)
    // guarded by this
    private Set<String> requestedUsers;
    private volatile String user;
    // the user named by the latest authentication request, for the MDC of the attempt's log lines
    private volatile String attempting;
    private volatile Account account;
    private volatile boolean storeApproved;
    private volatile Session transport;
    private volatile String protocol;
    private volatile Runnable disconnect;
    private volatile boolean counted;
    private volatile dev.termlet.AuthRequest pendingSuccess;
    // guarded by this
    private List<KeyDecision> keyDecisions;
    // guarded by this
    private Set<String> deniedUsers;
    // guarded by this
    private java.util.ArrayDeque<Runnable> waitingAttempts;
    private boolean attemptRunning;
    private volatile String limitKey;
    // guarded by the Limits instance
    private String limitUser;
    private LimitState limitState = LimitState.NEW;
    private volatile java.util.concurrent.ScheduledFuture<?> authDeadline;
    private int heldSessions;
    private Runnable afterSessions;

    /** Where a connection stands in the {@link Limits}' counts. */
    enum LimitState {
        /** not counted yet (or refused) */
        NEW,
        /** counted, not yet authenticated */
        UNAUTHENTICATED,
        /** counted for its user */
        AUTHENTICATED,
        /** released */
        CLOSED
    }

    Connection(SocketAddress remote, SerialExecutor events) {
        // "c" and six hex digits; String.format cost 2-3 % of the server's CPU per handshake
        String hex = Integer.toHexString(COUNTER.incrementAndGet() & 0xffffff);
        this.id = "c" + "000000".substring(hex.length()) + hex;
        this.remote = remote;
        this.events = events;
    }

    /**
     * The connection of a MINA session.
     *
     * @param session the session
     * @return its connection
     */
    public static Connection of(Session session) {
        Connection c = session.getAttribute(KEY);
        if (c == null) {
            throw new IllegalStateException("no Termlet connection on " + session);
        }
        return c;
    }

    /** @return the connection id, short and unique in this process */
    public String id() {
        return id;
    }

    /** @return the client's address */
    public SocketAddress remote() {
        return remote;
    }

    /** @return the client's address as host:port text ({@code [::1]:port} for IPv6) */
    public String remoteText() {
        if (!(remote instanceof InetSocketAddress)) {
            return String.valueOf(remote);
        }
        String host = dev.termlet.protector.Addresses.host(remote);
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + ((InetSocketAddress) remote).getPort();
    }

    /** @return how long the connection has been open */
    public java.time.Duration age() {
        return java.time.Duration.ofNanos(System.nanoTime() - openedNanos);
    }

    /**
     * A session that an extension runs on this connection started (an SFTP channel, an SCP command): the
     * connection's {@code connection-closed} waits for its {@link #sessionEnded()}.
     */
    public synchronized void sessionStarted() {
        heldSessions++;
    }

    /**
     * A session counted by {@link #sessionStarted()} ended, its {@code disconnected} already queued: when it was
     * the last, the work {@link #afterSessions} was given runs now.
     */
    public void sessionEnded() {
        Runnable r;
        synchronized (this) {
            if (heldSessions > 0) {
                heldSessions--;
            }
            if (heldSessions > 0 || afterSessions == null) {
                return;
            }
            r = afterSessions;
            afterSessions = null;
        }
        r.run();
    }

    /**
     * Runs work once every session counted by {@link #sessionStarted()} has ended: now, or on the last
     * {@link #sessionEnded()}.
     *
     * @param work what to run (queueing the connection's last event)
     */
    public void afterSessions(Runnable work) {
        synchronized (this) {
            if (heldSessions > 0) {
                afterSessions = work;
                return;
            }
        }
        work.run();
    }

    @Override
    public Runnable hold() {
        sessionStarted();
        java.util.concurrent.atomic.AtomicBoolean once = new java.util.concurrent.atomic.AtomicBoolean();
        return () -> {
            if (once.compareAndSet(false, true)) {
                sessionEnded();
            }
        };
    }

    /** @return the ordered executor for this connection's asynchronous events */
    @Override
    public SerialExecutor events() {
        return events;
    }

    /** @return the authenticated user, or null before authentication */
    public String user() {
        return user;
    }

    /** @return the account of the authenticated user, or null (unknown to the store, or not yet authenticated) */
    public Account account() {
        return account;
    }

    void authenticated(String user, Account account) {
        this.user = user;
        this.account = account;
    }

    /** Records that the account store itself approved the login (not an {@code auth} handler or authenticator). */
    void storeApproved() {
        this.storeApproved = true;
    }

    /**
     * Whether the user logged in with an account of the store: it existed when they authenticated, or the store
     * approved them. If such an account is gone later, the user must be refused, never treated as a user the store
     * does not know (whom external auth admitted, and who has no limits).
     *
     * @return true if an account is expected
     */
    public boolean accountExpected() {
        return account != null || storeApproved;
    }

    /** @return the protocol it was admitted for ({@code SSH}, {@code FTP}...) */
    public String protocol() {
        return protocol;
    }

    /** Closes the client's connection at once with what {@link Connections#admit} was given. */
    public void disconnect() {
        Runnable d = disconnect;
        if (d != null) {
            d.run();
        }
    }

    void admitted(String protocol, Runnable disconnect) {
        this.protocol = protocol;
        this.disconnect = disconnect;
    }

    /** @return the MINA session of an SSH connection, or null for another protocol's */
    Session transport() {
        return transport;
    }

    void transport(Session session) {
        this.transport = session;
    }

    /**
     * Forgets the public-key decisions cached for a user (their keys or account changed).
     *
     * @param name the user name
     */
    synchronized void forgetKeyDecisions(String name) {
        if (keyDecisions != null) {
            keyDecisions.removeIf(d -> d.user.equals(name));
        }
    }

    /** A public-key decision: who, which key, and whether it was accepted. */
    private record KeyDecision(String user, PublicKey key, boolean ok) {}

    /**
     * The decision made on this connection for a user's key, if any (the client asks about a key, then signs with
     * it: one decision serves both).
     *
     * @param name the user name
     * @param key the key
     * @return the decision, or null when none was made
     */
    synchronized Boolean keyDecision(String name, PublicKey key) {
        if (keyDecisions != null) {
            for (KeyDecision d : keyDecisions) {
                if (d.user.equals(name) && KeyUtils.compareKeys(d.key, key)) {
                    return d.ok;
                }
            }
        }
        return null;
    }

    /**
     * Remembers the decision for a user's key on this connection.
     *
     * @param name the user name
     * @param key the key
     * @param ok whether it was accepted
     */
    synchronized void keyDecided(String name, PublicKey key, boolean ok) {
        if (keyDecisions == null) {
            keyDecisions = new ArrayList<>(2);
        }
        keyDecisions.removeIf(d -> d.user.equals(name) && KeyUtils.compareKeys(d.key, key));
        keyDecisions.add(new KeyDecision(name, key, ok));
    }

    /**
     * Records that a user name was presented, for {@code auth-request}.
     *
     * @param name the user name
     * @return true the first time this name is presented on this connection
     */
    synchronized boolean firstRequestFor(String name) {
        if (requestedUsers == null) {
            requestedUsers = new HashSet<>(4);
        }
        return requestedUsers.add(name);
    }

    /**
     * Records that {@code auth-request} refused a user on this connection.
     *
     * @param name the user name
     */
    synchronized void denyUser(String name) {
        if (deniedUsers == null) {
            deniedUsers = new HashSet<>(4);
        }
        deniedUsers.add(name);
    }

    /**
     * Whether {@code auth-request} refused a user on this connection.
     *
     * @param name the user name
     * @return true if it did
     */
    synchronized boolean userDenied(String name) {
        return deniedUsers != null && deniedUsers.contains(name);
    }

    /** @return the attempt that was last approved, for {@code auth-success} */
    dev.termlet.AuthRequest pendingSuccess() {
        return pendingSuccess;
    }

    void pendingSuccess(dev.termlet.AuthRequest request) {
        this.pendingSuccess = request;
    }

    /** @return the unit this connection is counted and scheduled by (its address, IPv6: its network), or null */
    String limitKey() {
        return limitKey;
    }

    /** What became of an authentication attempt offered with {@link #offerAttempt}. */
    enum Attempt {
        /** none was outstanding: the caller starts it now */
        START,
        /** it waits until the outstanding one has been answered */
        WAITING,
        /** too many wait already: refuse it */
        REFUSED
    }

    /**
     * Offers an authentication attempt: one runs at a time per connection, pipelined ones wait their turn.
     *
     * @param start starts the attempt, when it waited
     * @param maxWaiting the most attempts that may wait
     * @return whether to start it now, or it waits, or is refused
     */
    synchronized Attempt offerAttempt(Runnable start, int maxWaiting) {
        if (!attemptRunning) {
            attemptRunning = true;
            return Attempt.START;
        }
        if (waitingAttempts == null) {
            waitingAttempts = new java.util.ArrayDeque<>(2);
        }
        if (waitingAttempts.size() >= maxWaiting) {
            return Attempt.REFUSED;
        }
        waitingAttempts.addLast(start);
        return Attempt.WAITING;
    }

    /**
     * Ends the outstanding attempt, once it has been answered.
     *
     * @return the next waiting attempt to start, or null
     */
    synchronized Runnable attemptDone() {
        Runnable next = waitingAttempts == null ? null : waitingAttempts.pollFirst();
        if (next == null) {
            attemptRunning = false;
        }
        return next;
    }

    void limitKey(String key) {
        this.limitKey = key;
    }

    String limitUser() {
        return limitUser;
    }

    void limitUser(String user) {
        this.limitUser = user;
    }

    LimitState limitState() {
        return limitState;
    }

    void limitState(LimitState state) {
        this.limitState = state;
    }

    /**
     * Sets the task that closes this connection if it has not authenticated in time.
     *
     * @param deadline the scheduled task
     */
    void authDeadline(java.util.concurrent.ScheduledFuture<?> deadline) {
        this.authDeadline = deadline;
    }

    /** Cancels the authentication deadline, once authenticated or closed. */
    void cancelAuthDeadline() {
        java.util.concurrent.ScheduledFuture<?> d = authDeadline;
        if (d != null) {
            d.cancel(false);
        }
    }

    boolean counted() {
        return counted;
    }

    void counted(boolean value) {
        counted = value;
    }

    /**
     * Notes the user an authentication request names, before it is decided: the MDC of the attempt (its log lines on
     * the auth executor) then carries it as {@code user}.
     *
     * @param name the user name of the request
     */
    void attempting(String name) {
        this.attempting = name;
    }

    /** @return the authenticated user, or else the user of the latest authentication request, or null */
    private String mdcUser() {
        String u = user;
        return u != null ? u : attempting;
    }

    /**
     * Puts this connection's fields into the SLF4J MDC: {@code connection}, {@code remote} and, once known,
     * {@code user} (before authentication, the user the latest request named).
     */
    public void mdc() {
        MDC.put("connection", id);
        MDC.put("remote", remoteText());
        String u = mdcUser();
        if (u != null) {
            MDC.put("user", u);
        }
    }

    /**
     * Runs work with this connection's MDC fields set on the current thread, then puts back what the thread had
     * (for MINA's I/O threads, which serve many connections).
     *
     * @param work what to run, typically a log line
     */
    public void withMdc(Runnable work) {
        Map<String, String> before = MDC.getCopyOfContextMap();
        MDC.setContextMap(mdcMap());
        try {
            work.run();
        } finally {
            if (before == null) {
                MDC.clear();
            } else {
                MDC.setContextMap(before);
            }
        }
    }

    /**
     * The MDC fields of this connection.
     *
     * @return a new map
     */
    public Map<String, String> mdcMap() {
        String u = mdcUser();
        return u == null ? Map.of("connection", id, "remote", remoteText())
                : Map.of("connection", id, "remote", remoteText(), "user", u);
    }
}
