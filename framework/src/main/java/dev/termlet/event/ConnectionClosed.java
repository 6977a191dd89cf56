package dev.termlet.event;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * What {@code connection-closed} reports about a connection that ended.
 *
 * @param address the client's address
 * @param user the authenticated user, or null if none authenticated
 * @param protocol {@code SSH} or {@code FTP}
 * @param duration how long the connection lasted
 */
public record ConnectionClosed(InetSocketAddress address, String user, String protocol, Duration duration) {}
