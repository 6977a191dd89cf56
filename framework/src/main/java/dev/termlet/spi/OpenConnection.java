package dev.termlet.spi;

import java.net.SocketAddress;
import java.time.Duration;

/**
 * An open connection of any protocol (SSH with its shells, SFTP and SCP; FTP; a web login), as an admin tool sees
 * it: found with {@link ExtensionContext#connections()}. Thread-safe.
 */
public interface OpenConnection {

    /** @return the connection id, unique in this process (as in the logs' MDC) */
    String id();

    /** @return the protocol it was admitted for: {@code SSH}, {@code FTP}, {@code HTTP}, {@code WEBDAV}... */
    String protocol();

    /** @return the client's address */
    SocketAddress remote();

    /** @return the authenticated user, or null before authentication */
    String user();

    /** @return how long the connection has been open */
    Duration age();

    /**
     * Closes the client's connection at once, as the server does for a client that did not authenticate in time;
     * its sessions end and fire {@code disconnected}, then {@code connection-closed}.
     */
    void disconnect();
}
