package dev.termlet.fileops.internal.ftp;

import dev.termlet.ProxyProtocol;
import dev.termlet.internal.proxy.Deadlines;
import dev.termlet.internal.proxy.HeaderReader;
import dev.termlet.internal.proxy.ProxyHeader;
import dev.termlet.protector.Addresses;
import dev.termlet.protector.Protector;
import dev.termlet.protector.Strike;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import org.apache.ftpserver.ftplet.FtpSession;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.filterchain.IoFilterAdapter;
import org.apache.mina.core.session.IdleStatus;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.logging.MdcInjectionFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PROXY protocol on an FTP control connection: a MINA filter put right after FtpServer's session filter, before
 * its thread pool and codec. For a connection from a trusted load balancer it holds back the session's
 * {@code created} and {@code opened} events (so FtpServer sends no greeting and Termlet admits nothing) until the
 * header is read; the client's address is then kept on the session ({@link #client(FtpSession)}) and the events go
 * on, followed by whatever came after the header. A malformed, oversized or late header closes the connection. A
 * connection from another address passes untouched, unless its first bytes start a header: then it is closed.
 */
public final class FtpProxyHeader extends IoFilterAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(FtpProxyHeader.class);
    /** The name of the filter in the session's chain. */
    public static final String NAME = "termlet-proxy-protocol";
    /** The client's address named by the header, on the MINA session. */
    private static final String REAL = FtpProxyHeader.class.getName() + ".client";

    private final ProxyProtocol proxy;
    private final Protector protector;
    private final boolean trusted;
    private HeaderReader reader;
    private ScheduledFuture<?> deadline;
    private final List<Runnable> held = new ArrayList<>();
    /** Set once the header is read (trusted) or the first bytes were seen (untrusted); guarded by this. */
    private boolean through;
    private boolean closed;

    /**
     * Makes the filter of one control connection.
     *
     * @param proxy the trusted load balancers
     * @param protector the protector, which gets a strike for a header from an untrusted address
     * @param session the MINA session
     */
    public FtpProxyHeader(ProxyProtocol proxy, Protector protector, IoSession session) {
        this.proxy = proxy;
        this.protector = protector;
        this.trusted = proxy.trusts(session.getRemoteAddress());
        if (trusted) {
            reader = new HeaderReader();
            deadline = Deadlines.after(proxy.headerTimeout(), () -> expired(session));
        }
    }

    /**
     * The address of an FTP session's client: the one its PROXY header named, else the socket's peer.
     *
     * @param session the FTP session
     * @param io its MINA session, or null
     * @return the address
     */
    public static InetSocketAddress client(FtpSession session, Object io) {
        if (io instanceof IoSession) {
            Object real = ((IoSession) io).getAttribute(REAL);
            if (real instanceof InetSocketAddress) {
                return (InetSocketAddress) real;
            }
        }
        return session.getClientAddress();
    }

    private synchronized void expired(IoSession session) {
        if (!through && !closed) {
            closed = true;
            LOG.info("load balancer {} sent no complete PROXY header within {}; closing the FTP connection",
                    session.getRemoteAddress(), proxy.headerTimeout());
            session.closeNow();
        }
    }

    private synchronized boolean holding(Runnable event) {
        if (trusted && !through) {
            held.add(event);
            return true;
        }
        return false;
    }

    @Override
    public void sessionCreated(NextFilter next, IoSession session) throws Exception {
        if (!holding(() -> next.sessionCreated(session))) {
            next.sessionCreated(session);
        }
    }

    @Override
    public void sessionOpened(NextFilter next, IoSession session) throws Exception {
        if (!holding(() -> next.sessionOpened(session))) {
            next.sessionOpened(session);
        }
    }

    @Override
    public void sessionIdle(NextFilter next, IoSession session, IdleStatus status) throws Exception {
        if (passed()) {
            next.sessionIdle(session, status);
        }
    }

    @Override
    public void exceptionCaught(NextFilter next, IoSession session, Throwable cause) throws Exception {
        if (passed()) {
            next.exceptionCaught(session, cause);
        } else {
            LOG.debug("FTP connection from {} failed before its PROXY header: {}", session.getRemoteAddress(),
                    cause.toString());
            session.closeNow();
        }
    }

    @Override
    public void sessionClosed(NextFilter next, IoSession session) throws Exception {
        boolean forward;
        synchronized (this) {
            closed = true;
            if (deadline != null) {
                deadline.cancel(false);
            }
            forward = !trusted || through;
        }
        // a session whose header never came was never created for FtpServer (nothing was admitted or counted): its
        // close goes no further either
        if (forward) {
            next.sessionClosed(session);
        } else {
            synchronized (this) {
                held.clear();
            }
        }
    }

    private synchronized boolean passed() {
        return !trusted || through;
    }

    @Override
    public void messageReceived(NextFilter next, IoSession session, Object message) throws Exception {
        if (!(message instanceof IoBuffer)) {
            next.messageReceived(session, message);
            return;
        }
        IoBuffer in = (IoBuffer) message;
        if (!trusted) {
            boolean first;
            synchronized (this) {
                first = !through;
                through = true;
            }
            if (first && in.hasRemaining()) {
                byte[] peek = new byte[Math.min(in.remaining(), 16)];
                in.mark();
                in.get(peek);
                in.reset();
                if (ProxyHeader.looksLikeHeader(peek, peek.length)) {
                    String host = Addresses.host(session.getRemoteAddress());
                    LOG.info("{} sent a PROXY protocol header but is not a trusted load balancer; closing the FTP"
                            + " connection", host);
                    protector.strike(host, Strike.Kind.PROTOCOL, null);
                    session.closeNow();
                    return;
                }
            }
            next.messageReceived(session, message);
            return;
        }
        List<Runnable> release;
        byte[] rest;
        synchronized (this) {
            if (through) {
                release = null;
                rest = null;
            } else {
                if (closed) {
                    return;
                }
                byte[] chunk = new byte[in.remaining()];
                in.get(chunk);
                ProxyHeader h;
                try {
                    h = reader.offer(chunk, 0, chunk.length);
                } catch (ProxyHeader.MalformedException e) {
                    closed = true;
                    deadline.cancel(false);
                    LOG.info("bad PROXY header from load balancer {}: {}; closing the FTP connection",
                            session.getRemoteAddress(), e.getMessage());
                    session.closeNow();
                    return;
                }
                if (h == null) {
                    return;
                }
                deadline.cancel(false);
                through = true;
                if (h.source() != null) {
                    session.setAttribute(REAL, h.source());
                    MdcInjectionFilter.setProperty(session, "remoteAddress", h.source().toString());
                    MdcInjectionFilter.setProperty(session, "remoteIp", Addresses.canonical(h.source().getAddress()));
                    MdcInjectionFilter.setProperty(session, "remotePort", Integer.toString(h.source().getPort()));
                }
                LOG.debug("PROXY v{} {} from load balancer {}: FTP client {}", h.version(), h.command(),
                        session.getRemoteAddress(), h.source() == null ? "(the balancer itself)" : h.source());
                release = new ArrayList<>(held);
                held.clear();
                rest = reader.rest();
                reader = null;
            }
        }
        if (release == null) {
            next.messageReceived(session, message);
            return;
        }
        for (Runnable r : release) {
            r.run();
        }
        if (rest.length > 0) {
            next.messageReceived(session, IoBuffer.wrap(rest));
        }
    }

    /**
     * The address a session was admitted with, for logs.
     *
     * @param session the MINA session
     * @return the header's client address, else the peer
     */
    static SocketAddress remote(IoSession session) {
        Object real = session.getAttribute(REAL);
        return real instanceof SocketAddress ? (SocketAddress) real : session.getRemoteAddress();
    }
}
