package dev.termlet.web.internal;

import dev.termlet.fileops.internal.core.TlsKeys;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Embedded Jetty for the web side: HTTPS with HTTP/2 and HTTP/1.1 (ALPN), TLS 1.3 and 1.2 only, and plain HTTP only
 * when asked; every response gets the security headers, and each request goes to the {@link Route} with the
 * longest matching prefix.
 */
public final class WebServer {
    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);

    /** The content security policy of every page: everything from this origin only, no inline script. */
    public static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private final Server server;
    private final ServerConnector https;
    private final ServerConnector http;
    private final List<Route> routes;
    private final dev.termlet.protector.Protector protector;

    /**
     * @param host the address to listen on, or null for all
     * @param httpsPort the HTTPS port (0 for any free one), or -1 for none
     * @param httpPort the plain HTTP port (0 for any free one), or -1 for none
     * @param keys the TLS key (needed with HTTPS)
     * @param routes the routes
     * @param maxThreads the most request threads
     * @param protector the server's protector: a request from a banned or blocked address is refused (403), so a
     *     ban ends the web logins of its address at their next request
     * @param proxy the load balancers trusted to send PROXY protocol headers, or null for none
     */
    public WebServer(String host, int httpsPort, int httpPort, TlsKeys keys, List<Route> routes, int maxThreads,
            dev.termlet.protector.Protector protector, dev.termlet.ProxyProtocol proxy) {
        this.protector = protector;
        QueuedThreadPool threads = new QueuedThreadPool(maxThreads, Math.min(8, maxThreads));
        threads.setName("termlet-web");
        threads.setDaemon(true);
        this.server = new Server(threads);
        this.routes = new ArrayList<>(routes);
        this.routes.sort(Comparator.comparingInt((Route r) -> r.prefix().length()).reversed());
        HttpConfiguration config = new HttpConfiguration();
        config.setSendServerVersion(false);
        config.setSendXPoweredBy(false);
        config.setRequestHeaderSize(16 * 1024);
        // a file may be named with a '%' (sent as %25); the routes decode each segment themselves
        config.setUriCompliance(org.eclipse.jetty.http.UriCompliance.DEFAULT.with("termlet",
                org.eclipse.jetty.http.UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING));
        config.setIdleTimeout(120_000);
        if (httpsPort >= 0) {
            HttpConfiguration secure = new HttpConfiguration(config);
            SecureRequestCustomizer src = new SecureRequestCustomizer();
            // the certificate is often self-signed for localhost; clients decide whether they trust it
            src.setSniHostCheck(false);
            src.setStsMaxAge(365L * 24 * 3600);
            secure.addCustomizer(src);
            SslContextFactory.Server tls = new SslContextFactory.Server();
            tls.setKeyStore(keys.store());
            tls.setKeyStorePassword(new String(keys.password()));
            tls.setKeyManagerPassword(new String(keys.password()));
            tls.setIncludeProtocols("TLSv1.3", "TLSv1.2");
            tls.setSniRequired(false);
            HttpConnectionFactory h1 = new HttpConnectionFactory(secure);
            HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(secure);
            ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory();
            alpn.setDefaultProtocol(h1.getProtocol());
            SslConnectionFactory ssl = new SslConnectionFactory(tls, alpn.getProtocol());
            this.https = proxy == null ? new ServerConnector(server, ssl, alpn, h2, h1)
                    : new ServerConnector(server, new TrustedProxyHeaders(proxy, ssl.getProtocol()), ssl, alpn, h2, h1);
            https.setHost(host);
            https.setPort(httpsPort);
            server.addConnector(https);
        } else {
            this.https = null;
        }
        if (httpPort >= 0) {
            HttpConnectionFactory plain = new HttpConnectionFactory(config);
            this.http = proxy == null ? new ServerConnector(server, plain)
                    : new ServerConnector(server, new TrustedProxyHeaders(proxy, plain.getProtocol()), plain);
            http.setHost(host);
            http.setPort(httpPort);
            server.addConnector(http);
        } else {
            this.http = null;
        }
        server.setHandler(new Root());
        server.setErrorHandler(new Problems());
        server.setStopTimeout(2000);
    }

    /** Starts listening. */
    public void start() throws IOException {
        try {
            server.start();
        } catch (Exception e) {
            try {
                server.stop();
            } catch (Exception ignored) {
                // already failing
            }
            throw new IOException("cannot start the web server: " + e.getMessage(), e);
        }
        if (https != null) {
            LOG.info("HTTPS listening on {}:{}", https.getHost() == null ? "*" : https.getHost(), https.getLocalPort());
        }
        if (http != null) {
            LOG.info("HTTP (no TLS) listening on {}:{}", http.getHost() == null ? "*" : http.getHost(),
                    http.getLocalPort());
        }
    }

    /** @return the HTTPS port while running, else -1 */
    public int httpsPort() {
        return https == null || !server.isRunning() ? -1 : https.getLocalPort();
    }

    /** @return the plain HTTP port while running, else -1 */
    public int httpPort() {
        return http == null || !server.isRunning() ? -1 : http.getLocalPort();
    }

    /** Stops the routes, then the server. */
    public void stop() {
        for (Route r : routes) {
            try {
                r.stop();
            } catch (RuntimeException e) {
                LOG.warn("could not stop the web route {}: {}", r.prefix(), e.toString());
            }
        }
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("could not stop the web server: {}", e.toString());
        }
    }

    /** The security headers of every answer. */
    private static void secure(Response response) {
        var h = response.getHeaders();
        h.put("X-Content-Type-Options", "nosniff");
        h.put("X-Frame-Options", "DENY");
        h.put("Referrer-Policy", "no-referrer");
        h.put("Content-Security-Policy", CSP);
        h.put("Cross-Origin-Opener-Policy", "same-origin");
        h.put(HttpHeader.CACHE_CONTROL, "no-store");
    }

    /**
     * What Jetty answers itself (a malformed or ambiguous URI, a header too large, a failure no route caught): an
     * RFC 9457 problem document with the security headers, never Jetty's HTML page or a stack trace.
     */
    private static final class Problems extends org.eclipse.jetty.server.handler.ErrorHandler {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            Object s = request.getAttribute(ERROR_STATUS);
            int status = s instanceof Integer ? (Integer) s : 500;
            secure(response);
            Http.problem(response, callback, status, Http.title(status), status == 400
                    ? "the request is malformed (an encoded '/', '..' or control character in the path?)" : null);
            return true;
        }
    }

    private final class Root extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            secure(response);
            String path = Request.getPathInContext(request);
            if (protector != null && protector.check(dev.termlet.protector.Addresses.host(Http.remote(request)))
                    .isPresent()) {
                Http.problem(response, callback, 403, "Forbidden", "this address is banned");
                return true;
            }
            try {
                for (Route r : routes) {
                    String p = r.prefix();
                    if (p.equals("/") || path.equals(p) || path.startsWith(p + "/")) {
                        return r.handle(request, response, callback);
                    }
                }
                return false;
            } finally {
                MDC.clear();
            }
        }
    }
}
