package dev.termlet.internal.ssh;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.sshd.server.ServerBuilder;
import org.apache.sshd.server.SshServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MINA's SSH server, which binds one host (or a comma-separated list) on one port, with more listeners: each further
 * address and port is bound on the same acceptor when the server starts, so every connection goes through the same
 * admission, limits and sessions whatever address it came to.
 */
public final class ListeningSshServer extends SshServer {
    private static final Logger LOG = LoggerFactory.getLogger(ListeningSshServer.class);

    private volatile List<InetSocketAddress> more = List.of();
    private volatile List<InetSocketAddress> bound = List.of();

    /** @return a server set up with MINA's defaults, as {@link SshServer#setUpDefaultServer()} makes one */
    public static ListeningSshServer create() {
        return (ListeningSshServer) ServerBuilder.builder().factory(ListeningSshServer::new).build();
    }

    /**
     * Sets the listeners bound besides the server's host and port.
     *
     * @param listeners unresolved or resolved addresses with their ports (0 for any free port)
     */
    public void alsoListen(List<InetSocketAddress> listeners) {
        this.more = List.copyOf(listeners);
    }

    /**
     * Binds the host and port, then every further listener; if one cannot be bound, the server is stopped again
     * and the error names the address.
     */
    @Override
    public void start() throws IOException {
        super.start();
        List<InetSocketAddress> out = new ArrayList<>();
        for (SocketAddress a : getBoundAddresses()) {
            out.add((InetSocketAddress) a);
        }
        for (InetSocketAddress want : more) {
            Set<SocketAddress> before = new HashSet<>(getBoundAddresses());
            InetSocketAddress resolved = want.isUnresolved()
                    ? new InetSocketAddress(want.getHostString(), want.getPort()) : want;
            try {
                if (resolved.isUnresolved()) {
                    throw new IOException("cannot resolve " + want.getHostString());
                }
                acceptor.bind(resolved);
            } catch (IOException | RuntimeException e) {
                try {
                    stop(true);
                } catch (IOException stopFailed) {
                    e.addSuppressed(stopFailed);
                }
                throw new IOException("cannot listen on " + want.getHostString() + ":" + want.getPort() + ": "
                        + e.getMessage(), e);
            }
            for (SocketAddress a : getBoundAddresses()) {
                if (!before.contains(a)) {
                    out.add((InetSocketAddress) a);
                    LOG.info("SSH also listening on {}:{}", ((InetSocketAddress) a).getHostString(),
                            ((InetSocketAddress) a).getPort());
                }
            }
        }
        bound = List.copyOf(out);
    }

    /** @return the addresses bound, the server's host and port first; empty before {@link #start()} */
    public List<InetSocketAddress> listening() {
        return bound;
    }
}
