package dev.termlet.event;

import java.net.InetSocketAddress;

/**
 * What {@code new-connection} reports about a connection that arrived, before any protocol exchange.
 *
 * @param address the client's address (null if it is not an IP socket)
 * @param protocol {@code SSH} or {@code FTP}
 */
public record ConnectionOpened(InetSocketAddress address, String protocol) {}
