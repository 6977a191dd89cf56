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
 * <p>Served: the browser file client at {@code /} (see {@link #client}); share links at {@code /s/TOKEN} (made at
 * {@code /api/shares} and with the SSH command {@code share}); WebDAV (class 1 and 2) under {@code /dav/}; the REST
 * admin API under {@code /api/admin/v1} when {@link #adminApi(boolean) asked}. Without {@link #keyStore} a
 * self-signed certificate is made
 * in {@code DATA/web/tls.p12}.
 */
public final class Web implements ServerExtension {
    private int httpsPort = -1;
    private int httpPort = -1;
    private Path keyStore;
    private char[] keyStorePassword;
    private boolean webdav = true;
    private boolean client = true;
    private boolean shareLinks = true;
    private Duration idle = Duration.ofMinutes(15);
    private Duration davIdle = Duration.ofMinutes(5);
    private int maxThreads = 200;
    private boolean adminApi;
    private final List<String[]> adminKeys = new ArrayList<>();
    private volatile WebServer server;
    private volatile Logins logins;
    private volatile dev.termlet.web.internal.admin.AdminRoute admin;
    private String publicUrl;
    private volatile dev.termlet.web.internal.share.Shares shares;

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
     * Turns the browser file client on or off: its page at {@code /} (log in, browse, upload, download, zip a folder,
     * make folders, rename, delete) and its JSON file API under {@code /api/files}.
     *
     * @param on true to serve it (the default)
     * @return this
     */
    public Web client(boolean on) {
        this.client = on;
        return this;
    }

    /**
     * Turns share links on or off: {@code /api/shares}, the visitors' pages at {@code /s/TOKEN} and the SSH command
     * {@code share}. Shares already made are kept (and served again when it is turned back on).
     *
     * @param on true to serve share links (the default)
     * @return this
     */
    public Web shares(boolean on) {
        this.shareLinks = on;
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

    /**
     * Turns the REST admin API under {@code /api/admin/v1} on or off (off by default). Its OpenAPI document is
     * {@code /api/admin/v1/openapi.json}. Callers are API keys ({@code Authorization: Bearer KEY}: see
     * {@link #adminKey}, or made by an admin through the API, saved hashed in {@code DATA/web/api-keys.json}) and
     * accounts with the permission {@code admin} (Basic credentials, or their browser login with its CSRF token).
     *
     * @param on true to serve it
     * @return this
     */
    public Web adminApi(boolean on) {
        this.adminApi = on;
        return this;
    }

    /**
     * Accepts an API key for the admin API while this server runs (it is not saved; only its hash is kept). Use it
     * for a key the application keeps in its own secret store or environment; make one with {@link #newAdminKey()}.
     * Turns the admin API on.
     *
     * @param name what the key is for, 1 to 64 printable characters (shown in listings and the log)
     * @param key the key, as made by {@link #newAdminKey()} ({@code tka_} and at least 32 more characters)
     * @return this
     * @throws IllegalArgumentException for a bad name or a key that is too short
     */
    public Web adminKey(String name, String key) {
        if (!dev.termlet.web.internal.admin.ApiKeys.validName(name)) {
            throw new IllegalArgumentException("an API key's name is 1 to 64 printable characters");
        }
        if (key == null || !key.startsWith(dev.termlet.web.internal.admin.ApiKeys.PREFIX) || key.length() < 36
                || key.length() > 200) {
            throw new IllegalArgumentException("an admin API key starts with "
                    + dev.termlet.web.internal.admin.ApiKeys.PREFIX + " and has 32 to 196 more characters: make one"
                    + " with Web.newAdminKey()");
        }
        adminKeys.add(new String[] {name, key});
        this.adminApi = true;
        return this;
    }

    /**
     * Makes a new random admin API key (256 bits), for {@link #adminKey} or to keep in a secret store.
     *
     * @return the key
     */
    public static String newAdminKey() {
        return dev.termlet.web.internal.admin.ApiKeys.newKey();
    }

    /**
     * Sets the address share links start with, for a server behind a proxy or with a DNS name
     * ({@code https://files.example.com}); by default the local address the client's connection came in on (never
     * the request's {@code Host} header, which the client chooses) and this server's port.
     *
     * @param url an {@code https://} or {@code http://} address without a path
     * @return this
     */
    public Web publicUrl(String url) {
        java.net.URI u = java.net.URI.create(url);
        if (!("https".equals(u.getScheme()) || "http".equals(u.getScheme())) || u.getHost() == null
                || (u.getRawPath() != null && !u.getRawPath().isEmpty() && !u.getRawPath().equals("/"))) {
            throw new IllegalArgumentException("publicUrl must be http(s)://host[:port] without a path: " + url);
        }
        this.publicUrl = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        return this;
    }

    /** The start of share links for a host the client reached the server at. */
    private String linkBase(String host) {
        if (publicUrl != null) {
            return publicUrl;
        }
        boolean tls = httpsPort >= 0;
        return (tls ? "https://" : "http://") + host + ":" + (tls ? port() : httpPort());
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
        if (adminApi) {
            dev.termlet.web.internal.admin.ApiKeys k = new dev.termlet.web.internal.admin.ApiKeys(
                    context.dataDir().resolve("web").resolve("api-keys.json"));
            adminKeys.forEach(e -> k.addTransient(e[0], e[1]));
            this.admin = new dev.termlet.web.internal.admin.AdminRoute(context, l, k, Duration.ofSeconds(15));
            routes.add(admin);
        }
        if (shareLinks) {
            dev.termlet.web.internal.share.Shares sh = new dev.termlet.web.internal.share.Shares(files.gate(),
                    files.homes(), ops, new dev.termlet.web.internal.share.ShareStore(context.dataDir().resolve("web")
                    .resolve("shares.json")), new dev.termlet.auth.PasswordHasher(), java.time.Clock.systemUTC());
            // without publicUrl, links name the address the connection came in on, never the request's Host
            // header (which the client chooses)
            routes.add(new dev.termlet.web.internal.share.ShareApiRoute(l, sh, r -> linkBase(
                    dev.termlet.web.internal.share.ShareCommand.urlHost(
                            r.getConnectionMetaData().getLocalSocketAddress()))));
            routes.add(new dev.termlet.web.internal.share.ShareRoute(sh, context.protector()));
            context.sshServer().setCommandFactory(dev.termlet.web.internal.share.ShareCommand.factory(sh,
                    local -> linkBase(dev.termlet.web.internal.share.ShareCommand.urlHost(local)),
                    context.sshServer().getCommandFactory()));
            this.shares = sh;
            if (admin != null) {
                admin.shares(sh);
            }
        }
        if (client) {
            routes.add(new dev.termlet.web.internal.client.FilesRoute(l, ops));
            routes.add(new dev.termlet.web.internal.client.ClientRoute());
        }
        if (webdav) {
            routes.add(new dev.termlet.web.internal.dav.DavRoute(l, ops, "/dav"));
        }
        String host = context.sshServer().getHost();
        this.logins = l;
        this.server = new WebServer(host == null || host.isEmpty() ? null : host, httpsPort, httpPort, keys, routes,
                maxThreads, context.protector(), context.proxyProtocol().orElse(null));
    }

    /** @return the admin API's route once configured, or null (for the tests of this module) */
    dev.termlet.web.internal.admin.AdminRoute adminRoute() {
        return admin;
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
        dev.termlet.web.internal.share.Shares sh = shares;
        if (sh != null && removed) {
            sh.ownerRemoved(account.name());
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
