package dev.termlet.web;

import dev.termlet.auth.Account;
import dev.termlet.fileops.internal.core.FileServices;
import dev.termlet.fileops.internal.core.TlsKeys;
import dev.termlet.spi.ExtensionContext;
import dev.termlet.spi.ServerExtension;
import dev.termlet.web.internal.Logins;
import dev.termlet.web.internal.Route;
import dev.termlet.web.internal.WebFiles;
import dev.termlet.web.internal.WebServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Serves the users' files over HTTPS, beside SFTP, SCP and FTP: the same accounts and logins (through the server's
 * auth pipeline and protector), the same jail, permissions, quotas and atomic uploads, and the file events with the
 * protocols {@code HTTP} and {@code WEBDAV}. Register it after {@link dev.termlet.fileops.FileOps}:
 *
 * <pre>{@code
 * Termlet.server()
 *         .extension(FileOps.create())
 *         .extension(Web.https(8443))
 *         .start();
 * }</pre>
 *
 * <p>Served: WebDAV (class 1 and 2) under {@code /dav/}. Without {@link #keyStore} a self-signed certificate is made
 * in {@code DATA/web/tls.p12}.
 */
public final class Web implements ServerExtension {
    private int httpsPort = -1;
    private int httpPort = -1;
    private Path keyStore;
    private char[] keyStorePassword;
    private boolean webdav = true;
    private Duration idle = Duration.ofMinutes(15);
    private Duration davIdle = Duration.ofMinutes(5);
    private int maxThreads = 200;
    private volatile WebServer server;
    private volatile Logins logins;

    private Web() {}

    /**
     * The web side on an HTTPS port (HTTP/2 and HTTP/1.1, TLS 1.3 and 1.2).
     *
     * @param port the port; 0 picks a free one (see {@link #port()})
     * @return the extension
     */
    public static Web https(int port) {
        Web w = new Web();
        w.httpsPort = checkPort(port);
        return w;
    }

    /**
     * The web side on a plain HTTP port only, for a server behind a proxy that ends TLS (passwords and session
     * cookies cross the network in clear text between the proxy and here).
     *
     * @param port the port; 0 picks a free one (see {@link #httpPort()})
     * @return the extension
     */
    public static Web plainHttp(int port) {
        Web w = new Web();
        w.httpPort = checkPort(port);
        return w;
    }

    /**
     * Also listens on a plain HTTP port, beside HTTPS.
     *
     * @param port the port; 0 picks a free one
     * @return this
     */
    public Web alsoPlainHttp(int port) {
        this.httpPort = checkPort(port);
        return this;
    }

    private static int checkPort(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535: " + port);
        }
        return port;
    }

    /**
     * Uses a PKCS#12 key store for HTTPS instead of a self-signed certificate.
     *
     * @param file the key store
     * @param password its password (also the key's)
     * @return this
     */
    public Web keyStore(Path file, char[] password) {
        this.keyStore = file;
        this.keyStorePassword = password.clone();
        return this;
    }

    /**
     * Turns WebDAV on or off.
     *
     * @param on true to serve WebDAV under {@code /dav/} (the default)
     * @return this
     */
    public Web webdav(boolean on) {
        this.webdav = on;
        return this;
    }

    /**
     * Sets how long a browser login lasts without a request.
     *
     * @param limit the limit, at least a second (the default: 15 minutes)
     * @return this
     */
    public Web idleTimeout(Duration limit) {
        if (limit.toSeconds() < 1) {
            throw new IllegalArgumentException("the idle timeout must be at least a second: " + limit);
        }
        this.idle = limit;
        return this;
    }

    /**
     * Sets the most requests served at once (Jetty's threads).
     *
     * @param threads at least 8 (the default: 200)
     * @return this
     */
    public Web maxThreads(int threads) {
        if (threads < 8) {
            throw new IllegalArgumentException("maxThreads must be at least 8: " + threads);
        }
        this.maxThreads = threads;
        return this;
    }

    /** @return the HTTPS port once started, else -1 */
    public int port() {
        WebServer s = server;
        return s == null ? -1 : s.httpsPort();
    }

    /** @return the plain HTTP port once started, else -1 */
    public int httpPort() {
        WebServer s = server;
        return s == null ? -1 : s.httpPort();
    }

    @Override
    public void configure(ExtensionContext context) throws IOException {
        FileServices files = FileServices.of(context).orElseThrow(() -> new IllegalStateException(
                "the web side serves the file server's files: register FileOps before Web"));
        TlsKeys keys = httpsPort < 0 ? null : keyStore != null ? TlsKeys.load(keyStore, keyStorePassword)
                : TlsKeys.selfSigned(context.dataDir().resolve("web"), "HTTPS");
        Logins l = new Logins(files.gate(), files.homes(), idle, davIdle);
        WebFiles ops = new WebFiles(files.gate());
        List<Route> routes = new ArrayList<>();
        // the routes of the parts: WebDAV, the browser client, shares, the admin API
        routes.add(new dev.termlet.web.internal.SessionRoute(l));
        if (webdav) routes.add(new dev.termlet.web.internal.dav.DavRoute(l, ops, "/dav"));
        String host = context.sshServer().getHost();
        this.logins = l;
        this.server = new WebServer(host == null || host.isEmpty() ? null : host, httpsPort, httpPort, keys, routes,
                maxThreads);
    }

    @Override
    public void start() throws IOException {
        server.start();
    }

    @Override
    public void accountChanged(Account account, boolean removed) {
        Logins l = logins;
        if (l != null) {
            l.accountChanged(account, removed);
        }
    }

    @Override
    public void stop() {
        WebServer s = server;
        if (s != null) {
            s.stop();
        }
        Logins l = logins;
        if (l != null) {
            l.close();
        }
    }
}
