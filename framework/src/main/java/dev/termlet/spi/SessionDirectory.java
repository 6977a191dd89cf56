package dev.termlet.spi;

import dev.termlet.Client;
import java.util.List;

/**
 * Where a node of a cluster tells the others of its sessions and learns of theirs (termlet-cluster keeps them in
 * PostgreSQL). Install it with {@link ExtensionContext#sessionDirectory(SessionDirectory)}; without one, a server knows
 * only its own sessions.
 *
 * <p>{@code TermletServer.sessions()}, {@link ExtensionContext#sessions()}, the {@code who} and {@code uptime} built-in
 * commands then list this node's sessions followed by {@link #others()}. A session of another node is a
 * {@link Client} whose {@link Client#node()} names its node; what it supports is the implementation's to say (see
 * termlet-cluster's {@code Cluster}).
 */
public interface SessionDirectory {

    /**
     * A shell or exec session started on this node. Called on the session's thread before its first event: return
     * quickly (record it in the background).
     *
     * @param session the session
     */
    void started(Client session);

    /**
     * A session of this node ended. Called on the session's thread: return quickly.
     *
     * @param session the session
     */
    void ended(Client session);

    /**
     * The sessions of the other nodes, as far as this node knows now; from memory, never waiting on the network.
     *
     * @return a snapshot
     */
    List<Client> others();
}
