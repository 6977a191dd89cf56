package dev.termlet.spi;

import dev.termlet.auth.AccountStore;
import dev.termlet.event.EventType;
import dev.termlet.event.Outcome;
import dev.termlet.protector.Protector;
import java.nio.file.Path;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.server.SshServer;

/** What a {@link ServerExtension} can reach of the server it extends. */
public interface ExtensionContext {

    /** @return MINA SSHD's server, to add subsystems and command factories */
    SshServer sshServer();

    /** @return the data directory */
    Path dataDir();

    /** @return the account store */
    AccountStore accounts();

    /** @return the protector */
    Protector protector();

    /**
     * The umask for files and directories a user creates: the live account's own ({@link
     * dev.termlet.auth.Account#umask()}) if it sets one, else the server's ({@code TermletServer.Builder#umask},
     * default {@code 022}). When the account cannot be read, the server's with every group and other bit added
     * ({@code | 077}), so a failure never makes files more open.
     *
     * @param user the user name
     * @return the mask, 0 to 0777
     */
    int umask(String user);

    /**
     * Fires an event for a connection: synchronous handlers run now, on the calling thread; asynchronous
     * ones go to the connection's ordered executor.
     *
     * @param type the event type
     * @param session the SSH session it belongs to, or null
     * @param values the values, in the type's order
     * @return what the synchronous handlers decided
     */
    Outcome fire(EventType type, Session session, Object... values);

    /**
     * Fires an event for a connection that is not SSH (FTP): synchronous handlers run now, asynchronous ones
     * on the given queue.
     *
     * @param type the event type
     * @param queue an executor from {@link #newEventQueue()}, or null for the shared pool (no order kept)
     * @param values the values, in the type's order
     * @return what the synchronous handlers decided
     */
    Outcome fireOn(EventType type, java.util.concurrent.Executor queue, Object... values);

    /**
     * The application's Micrometer registry, where an extension adds its meters (names under {@code termlet.});
     * when the application supplied none, a registry whose meters do nothing.
     *
     * @return the registry
     */
    io.micrometer.core.instrument.MeterRegistry meters();

    /**
     * Counts a session an extension runs ({@code sftp}, {@code scp}, {@code ftp}) in {@code termlet.sessions.started}
     * and, until the returned end runs, {@code termlet.sessions.active}.
     *
     * @param kind the kind of session
     * @return the end; running it more than once ends it once
     */
    Runnable sessionStarted(String kind);

    /**
     * The Termlet connection of an SSH session.
     *
     * @param session a session of this server
     * @return its connection, or empty if the session has none (a session this server did not admit)
     */
    java.util.Optional<SshConnection> connection(Session session);

    /**
     * The ordered executor of an SSH connection's asynchronous handlers, to run work after the events already
     * queued for it (a session's {@code disconnected} after its file events).
     *
     * @param session the SSH session, or null for the shared pool (no order kept)
     * @return the executor
     */
    java.util.concurrent.Executor events(Session session);

    /**
     * Makes an ordered queue for one connection's asynchronous handlers (tasks run one at a time, in order,
     * on the server's event pool; a full queue drops with a warning).
     *
     * @return the queue
     */
    java.util.concurrent.Executor newEventQueue();

    /**
     * Admits a connection of another protocol: the block-list, bans, connection limits (shared with SSH: in all,
     * per address, and not yet authenticated) and {@code new-connection} handlers decide as for SSH. A connection
     * that has not authenticated within the server's auth timeout is closed through {@code disconnect}.
     *
     * @param remote the client's address
     * @param protocol the protocol name for {@code connection-closed} ({@code FTP})
     * @param disconnect closes the client's connection at once (it may run on any thread)
     * @return the admitted connection; close it when the client leaves
     * @throws java.io.IOException if the connection is refused (the message says why)
     */
    ForeignConnection admit(java.net.SocketAddress remote, String protocol, Runnable disconnect)
            throws java.io.IOException;

    /**
     * The running shell and exec sessions, as {@code TermletServer.sessions()}: to send a user a message or end a
     * session. With a {@link #sessionDirectory session directory}, those of the other nodes follow this node's.
     *
     * @return a snapshot of the sessions
     */
    java.util.List<dev.termlet.Client> sessions();

    /**
     * Shares this node's sessions with the other nodes of a cluster, and lists theirs among {@link #sessions()};
     * call it from {@link ServerExtension#configure}, once.
     *
     * @param directory the directory
     * @throws IllegalStateException if a directory was already set
     */
    void sessionDirectory(SessionDirectory directory);

    /**
     * The open connections of every protocol (SSH, FTP, those an extension {@link #admit admitted}), authenticated
     * or not.
     *
     * @return a snapshot of the connections
     */
    java.util.List<OpenConnection> connections();

    /**
     * Attaches a listener to an event, after the application's handlers; call it from
     * {@link ServerExtension#configure}.
     *
     * @param type the event type
     * @param async true to run it on the connection's ordered event executor (it cannot refuse then), false
     *     to run it on the firing thread
     * @param listener the listener
     */
    void on(EventType type, boolean async, EventListener listener);

    /**
     * Whether any handler listens to an event (so that work can be skipped when none does).
     *
     * @param type the event type
     * @return true if one does
     */
    boolean listens(EventType type);

    /**
     * The load balancers trusted to send PROXY protocol headers, which every listener of an extension (FTP, HTTPS)
     * must honour as the SSH listener does: a trusted peer must send a valid header, another peer must not.
     *
     * @return the settings, or empty when the server accepts no header
     */
    java.util.Optional<dev.termlet.ProxyProtocol> proxyProtocol();
}
