package dev.termlet.web.internal;

import dev.termlet.ProxyProtocol;
import java.nio.ByteBuffer;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ProxyConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jetty's PROXY protocol (versions 1 and 2) limited to trusted load balancers, first on a connector: a connection from
 * a trusted address must start with a header (Jetty's own parser reads it; without one the connection is closed, never
 * served with the balancer's address); a connection from any other address goes straight to the next protocol, so its
 * header is never read as one (TLS or HTTP then refuses the bytes as the garbage they are).
 */
public final class TrustedProxyHeaders extends ProxyConnectionFactory {
    private static final Logger LOG = LoggerFactory.getLogger(TrustedProxyHeaders.class);

    private final ProxyProtocol proxy;
    private final String next;

    /**
     * @param proxy the trusted balancers
     * @param next the protocol after the header (the connector's next factory: TLS, or HTTP/1.1)
     */
    public TrustedProxyHeaders(ProxyProtocol proxy, String next) {
        super(next);
        this.proxy = proxy;
        this.next = next;
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
        if (proxy.trusts(endPoint.getRemoteSocketAddress())) {
            return super.newConnection(connector, endPoint);
        }
        ConnectionFactory f = connector.getConnectionFactory(next);
        return f.newConnection(connector, endPoint);
    }

    @Override
    protected void nextProtocol(Connector connector, EndPoint endPoint, ByteBuffer buffer) {
        LOG.info("load balancer {} sent no PROXY protocol header; closing the HTTPS connection",
                endPoint.getRemoteSocketAddress());
        endPoint.close();
    }
}
