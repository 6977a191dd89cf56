package dev.termlet.internal.ssh;

import dev.termlet.ProxyProtocol;
import dev.termlet.internal.proxy.Deadlines;
import dev.termlet.internal.proxy.HeaderReader;
import dev.termlet.internal.proxy.ProxyHeader;
import dev.termlet.protector.Addresses;
import dev.termlet.protector.Protector;
import dev.termlet.protector.Strike;
import java.net.SocketAddress;
import java.util.concurrent.ScheduledFuture;
import org.apache.sshd.common.io.IoSession;
import org.apache.sshd.common.session.helpers.AbstractSession;
import org.apache.sshd.common.util.Readable;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.apache.sshd.server.ServerFactoryManager;
import org.apache.sshd.server.session.SessionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MINA's session factory with the PROXY protocol in front: for a connection from a trusted load balancer no SSH
 * session exists until the header is read (so admission, the protector and the limits see the client's real
 * address, and the server sends its identification only then); the header's bytes never reach the SSH layer. A
 * malformed, oversized or late header closes the connection. A connection from any other address gets its session
 * at once, as without the PROXY protocol, and is closed if its first bytes start a header.
 *
 * <p>{@link #remote(IoSession)} is the address to use for a connection: the header's source, or the socket's peer.
 */
abstract class HeaderFirst extends SessionFactory {
    private static final Logger LOG = LoggerFactory.getLogger(HeaderFirst.class);
    /** The real client address of a proxied connection, set on its I/O session. */
    private static final Object REAL = new Object();
    /** The header being read of a trusted connection that has no SSH session yet. */
    private static final Object PENDING = new Object();
    /** Set on an untrusted connection until its first bytes have been seen. */
    private static final Object FIRST = new Object();

    private final ProxyProtocol proxy;
    private final Protector protector;

    HeaderFirst(ServerFactoryManager server, ProxyProtocol proxy, Protector protector) {
        super(server);
        this.proxy = proxy;
        this.protector = protector;
    }

    private static final class Pending {
        final HeaderReader reader = new HeaderReader();
        volatile ScheduledFuture<?> deadline;
    }

    /**
     * The address a connection is admitted, counted and logged with.
     *
     * @param io the I/O session
     * @return the client's address given by the PROXY header, else the socket's peer address
     */
    static SocketAddress remote(IoSession io) {
        Object real = io.getAttribute(REAL);
        return real instanceof SocketAddress ? (SocketAddress) real : io.getRemoteAddress();
    }

    @Override
    public void sessionCreated(IoSession io) throws Exception {
        if (proxy == null) {
            super.sessionCreated(io);
            return;
        }
        if (!proxy.trusts(io.getRemoteAddress())) {
            io.setAttribute(FIRST, Boolean.TRUE);
            super.sessionCreated(io);
            return;
        }
        Pending p = new Pending();
        io.setAttribute(PENDING, p);
        p.deadline = Deadlines.after(proxy.headerTimeout(), () -> {
            if (io.removeAttribute(PENDING) != null) {
                LOG.info("load balancer {} sent no complete PROXY header within {}; closing the connection",
                        io.getRemoteAddress(), proxy.headerTimeout());
                io.close(true);
            }
        });
    }

    @Override
    public void messageReceived(IoSession io, Readable message) throws Exception {
        Object pending = io.getAttribute(PENDING);
        if (pending instanceof Pending) {
            header(io, (Pending) pending, message);
            return;
        }
        if (io.getAttribute(FIRST) != null) {
            io.removeAttribute(FIRST);
            byte[] first = new byte[message.available()];
            message.getRawBytes(first, 0, first.length);
            message = new ByteArrayBuffer(first);
            if (ProxyHeader.looksLikeHeader(first, first.length)) {
                String host = Addresses.host(io.getRemoteAddress());
                LOG.info("{} sent a PROXY protocol header but is not a trusted load balancer; closing the connection",
                        host);
                protector.strike(host, Strike.Kind.PROTOCOL, null);
                io.close(true);
                return;
            }
        }
        super.messageReceived(io, message);
    }

    private void header(IoSession io, Pending p, Readable message) throws Exception {
        int n = message.available();
        byte[] chunk = new byte[n];
        message.getRawBytes(chunk, 0, n);
        ProxyHeader h;
        try {
            h = p.reader.offer(chunk, 0, n);
        } catch (ProxyHeader.MalformedException e) {
            if (io.removeAttribute(PENDING) != null) {
                p.deadline.cancel(false);
                LOG.info("bad PROXY header from load balancer {}: {}; closing the connection", io.getRemoteAddress(),
                        e.getMessage());
                io.close(true);
            }
            return;
        }
        if (h == null) {
            return;
        }
        if (io.removeAttribute(PENDING) == null) {
            return; // the deadline closed it
        }
        p.deadline.cancel(false);
        if (h.source() != null) {
            io.setAttribute(REAL, h.source());
        }
        LOG.debug("PROXY v{} {} from load balancer {}: client {}", h.version(), h.command(), io.getRemoteAddress(),
                h.source() == null ? "(the balancer itself)" : h.source());
        try {
            super.sessionCreated(io);
        } catch (Exception | Error e) {
            // refused (banned, limits, a handler) or failed: close it as the acceptor does for a direct connection
            LOG.debug("connection from {} not opened: {}", remote(io), e.toString());
            io.close(true);
            return;
        }
        byte[] rest = p.reader.rest();
        if (rest.length > 0) {
            super.messageReceived(io, new ByteArrayBuffer(rest));
        }
    }

    @Override
    public void sessionClosed(IoSession io) throws Exception {
        Object pending = io.removeAttribute(PENDING);
        if (pending instanceof Pending) {
            ((Pending) pending).deadline.cancel(false);
        }
        if (AbstractSession.getSession(io, true) == null) {
            return; // no SSH session was made: nothing was admitted
        }
        super.sessionClosed(io);
    }

    @Override
    public void exceptionCaught(IoSession io, Throwable cause) throws Exception {
        if (AbstractSession.getSession(io, true) == null) {
            LOG.debug("connection from {} failed before its SSH session: {}", io.getRemoteAddress(), cause.toString());
            io.close(true);
            return;
        }
        super.exceptionCaught(io, cause);
    }
}
