package dev.termlet.web.internal;

import dev.termlet.fileops.Protocol;
import dev.termlet.fileops.internal.core.FileClient;
import dev.termlet.fileops.internal.core.FileGate;
import dev.termlet.fileops.internal.core.FileSession;
import dev.termlet.fileops.internal.core.VirtualRoot;
import dev.termlet.spi.ForeignConnection;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One logged-in web user: a browser's cookie session, or the cached Basic login of a WebDAV client. It holds the
 * server's connection for it (limits, {@code connection-closed}), the user's root, and what is needed to end it:
 * {@code disconnected} fires once, then the connection closes. Thread-safe.
 */
public final class Login {
    private final ForeignConnection connection;
    private final VirtualRoot root;
    private final Protocol protocol;
    private final FileGate gate;
    private final String csrf;
    private final Runnable counted;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile long lastUsed = System.nanoTime();

    Login(ForeignConnection connection, VirtualRoot root, Protocol protocol, FileGate gate, String csrf,
            Runnable counted) {
        this.connection = connection;
        this.root = root;
        this.protocol = protocol;
        this.gate = gate;
        this.csrf = csrf;
        this.counted = counted;
    }

    /**
     * A login that another part of the web side makes on a user's behalf (a share link's visit runs on its owner's
     * account): no CSRF token, nothing counted, never ended through {@link Logins}.
     *
     * @param connection the connection it acts on (its user is the account whose permissions apply)
     * @param root the user's root
     * @param protocol the protocol of its file events
     * @param gate the file gate
     * @return the login
     */
    public static Login of(ForeignConnection connection, VirtualRoot root, Protocol protocol, FileGate gate) {
        return new Login(connection, root, protocol, gate, null, () -> { });
    }

    /** @return the user name */
    public String user() {
        return connection.user();
    }

    /** @return the server's connection of this login */
    public ForeignConnection connection() {
        return connection;
    }

    /** @return the user's root */
    public VirtualRoot root() {
        return root;
    }

    /** @return HTTP for a browser, WEBDAV for a WebDAV client */
    public Protocol protocol() {
        return protocol;
    }

    /** @return the token a browser sends back in {@code X-CSRF-Token} with every change, or null (WebDAV) */
    public String csrf() {
        return csrf;
    }

    /** @return the MDC fields of this login */
    public Map<String, String> mdc() {
        return connection.mdc();
    }

    /**
     * The file session of one operation, with the account as the store holds it now (a removed or disabled account
     * makes it revoked: every operation is refused).
     *
     * @return the session
     */
    public FileSession session() {
        FileGate.Live l = gate.live(user(), connection.accountExpected());
        return new FileSession(user(), l.account(), l.revoked(), protocol, connection.remote(), connection.id(),
                root.root(), null, connection.events());
    }

    void touch() {
        lastUsed = System.nanoTime();
    }

    long idleNanos() {
        return System.nanoTime() - lastUsed;
    }

    /** @return whether the login has ended */
    public boolean ended() {
        return ended.get();
    }

    /** Ends the login once: {@code disconnected}, then the connection's {@code connection-closed}. */
    void end() {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        try {
            counted.run();
            FileSession s = session();
            gate.disconnected(s, new FileClient(s, connection.id() + "/" + protocol.name().toLowerCase(
                    java.util.Locale.ROOT), () -> { }, () -> false));
        } finally {
            connection.close();
        }
    }
}
