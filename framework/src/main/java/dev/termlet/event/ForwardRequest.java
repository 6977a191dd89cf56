package dev.termlet.event;

import dev.termlet.auth.Forwarding;
import java.net.InetSocketAddress;

/**
 * What {@code open-forward-local} and {@code open-forward-remote} report about a TCP forwarding request.
 *
 * @param kind {@link Forwarding#LOCAL} for {@code ssh -L} (the server connects to {@code host:port}),
 *     {@link Forwarding#REMOTE} for {@code ssh -R} (the server listens on {@code host:port})
 * @param user the authenticated user
 * @param client the client's address
 * @param host the host to connect to (local) or the address to listen on (remote)
 * @param port the port to connect to, or to listen on (0: any free port)
 * @param connectionId the SSH connection's id
 */
public record ForwardRequest(Forwarding kind, String user, InetSocketAddress client, String host, int port,
        String connectionId) {}
