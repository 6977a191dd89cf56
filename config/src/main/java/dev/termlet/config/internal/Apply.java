package dev.termlet.config.internal;

import dev.termlet.Authenticator;
import dev.termlet.SshAlgorithms;
import dev.termlet.TermletServer;
import dev.termlet.auth.FilePermission;
import dev.termlet.config.FileOpsConfig;
import dev.termlet.config.HooksConfig;
import dev.termlet.config.ServerConfig;
import dev.termlet.config.WebConfig;
import dev.termlet.fileops.FileOps;
import dev.termlet.fileops.Hooks;
import dev.termlet.protector.ProtectorSettings;
import dev.termlet.protector.Strike;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Turns a checked {@link ServerConfig} into builder calls, a {@code FileOps}, a {@code Hooks} and authenticators. */
public final class Apply {
    private Apply() {}

    /**
     * Sets everything but the extensions on a builder.
     *
     * @param c the configuration
     * @param b the builder
     */
    public static void builder(ServerConfig c, TermletServer.Builder b) {
        ServerConfig.Listener first = c.listeners().get(0);
        b.bind(first.address()).port(first.port());
        for (ServerConfig.Listener l : c.listeners().subList(1, c.listeners().size())) {
            b.alsoListen(l.address(), l.port());
        }
        b.dataDir(c.dataDir());
        if (!c.hostKeys().isEmpty()) {
            b.hostKeys(c.hostKeys().toArray(new java.nio.file.Path[0]));
        }
        algorithms(b, SshAlgorithms.Kind.KEX, c.algorithms().kex());
        algorithms(b, SshAlgorithms.Kind.CIPHER, c.algorithms().ciphers());
        algorithms(b, SshAlgorithms.Kind.MAC, c.algorithms().macs());
        algorithms(b, SshAlgorithms.Kind.HOST_KEY, c.algorithms().hostKey());
        b.cipherUpgradeAfter(c.algorithms().cipherUpgradeAfter());
        if (!c.scan().isEmpty()) {
            b.scan(c.scan().toArray(new String[0]));
        }
        b.prompt(c.prompt()).banner(c.banner()).preAuthBanner(c.preAuthBanner())
                .showRefusalReasons(c.showRefusalReasons()).builtins(c.builtins().enabled());
        if (!c.builtins().disabled().isEmpty()) {
            b.disableBuiltins(c.builtins().disabled().toArray(new String[0]));
        }
        if (c.completionRoot() != null) {
            b.completionRoot(c.completionRoot());
        }
        ServerConfig.Limits l = c.limits();
        String[] startups = l.maxStartups().split(":");
        b.maxSessions(l.maxSessions()).maxSessionsPerAddress(l.maxSessionsPerAddress())
                .maxSessionsPerUser(l.maxSessionsPerUser())
                .maxStartups(Integer.parseInt(startups[0].strip()), Integer.parseInt(startups[1].strip()),
                        Integer.parseInt(startups[2].strip()))
                .maxUnauthenticatedPerAddress(l.maxUnauthenticatedPerAddress())
                .maxChannelsPerConnection(l.maxChannelsPerConnection()).maxAuthAttempts(l.maxAuthAttempts())
                .maxLineLength(l.maxLineLength()).historySize(l.historySize());
        b.authTimeout(c.timeouts().auth()).idleTimeout(c.timeouts().idle()).passwordCache(c.timeouts().passwordCache());
        b.protector(protector(c.protector()));
        b.proxyProtocol(c.proxyProtocol().trusted().isEmpty() ? null
                : dev.termlet.ProxyProtocol.trusting(c.proxyProtocol().trusted())
                        .headerTimeout(c.proxyProtocol().headerTimeout()));
        b.umask(c.fileops().umask());
    }

    private static void algorithms(TermletServer.Builder b, SshAlgorithms.Kind kind, List<String> names) {
        if (!names.isEmpty()) {
            b.algorithms(kind, names.toArray(new String[0]));
        }
    }

    /**
     * @param p the protector's section
     * @return its settings
     */
    public static ProtectorSettings protector(ServerConfig.Protector p) {
        ProtectorSettings s = new ProtectorSettings().enabled(p.enabled()).threshold(p.threshold())
                .observation(p.observation()).banTime(p.banTime()).banGrowthPercent(p.banGrowthPercent())
                .maxBanTime(p.maxBanTime()).failureDelay(p.failureDelay()).maxHosts(p.maxHosts())
                .ipv6Prefix(p.ipv6Prefix());
        ServerConfig.Scores sc = p.scores();
        s.score(Strike.Kind.FAILED_LOGIN, sc.failedLogin()).score(Strike.Kind.UNKNOWN_USER, sc.unknownUser())
                .score(Strike.Kind.NO_AUTH, sc.noAuth()).score(Strike.Kind.PROTOCOL, sc.protocol())
                .score(Strike.Kind.UNKNOWN_COMMAND, sc.unknownCommand());
        s.block(p.blockList().toArray(new String[0]));
        s.safe(p.safeList().toArray(new String[0]));
        return s;
    }

    /**
     * @param f the file operations' section
     * @return a new {@code FileOps}, or empty when file operations are off
     */
    public static Optional<FileOps> fileOps(FileOpsConfig f) {
        if (!f.enabled()) {
            return Optional.empty();
        }
        FileOps ops = FileOps.create().sftp(f.sftp()).scp(f.scp()).maxOpenHandles(f.maxOpenHandles())
                .syncUploads(f.syncUploads());
        if (f.homes() != null) {
            ops.homes(f.homes());
        }
        if ("s3".equals(f.storage().type().strip())) {
            // a class of its own: termlet-s3 is optional, and only this call loads it
            ops.storage(S3Apply.storage(f.storage()));
        }
        f.defaultPermissions().forEach((dir, names) -> {
            List<FilePermission> granted = new ArrayList<>();
            names.forEach(n -> granted.add(FilePermission.parse(n)));
            ops.defaultPermissions(dir, granted);
        });
        ops.defaultQuota(f.defaultQuota().size(), f.defaultQuota().files());
        FileOpsConfig.Ftp ftp = f.ftp();
        if (ftp.enabled()) {
            ops.ftp(ftp.port()).ftpAllowPlain(ftp.allowPlain()).ftpPassivePorts(ftp.passivePorts().strip());
            if (ftp.keyStore() != null) {
                char[] password = ftp.keyStorePassword().reveal();
                ops.ftpKeyStore(ftp.keyStore(), password);
                Arrays.fill(password, '\0');
            }
        }
        return Optional.of(ops);
    }

    /** Whether termlet-cluster is on the class path (it is an optional dependency). */
    public static boolean clusterPresent() {
        try {
            Class.forName("dev.termlet.cluster.Database", false, Apply.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * @param c the configuration
     * @return whether it needs the database (termlet-cluster): accounts in PostgreSQL, or a cluster
     */
    public static boolean clusterNeeded(ServerConfig c) {
        return "postgresql".equals(c.accounts().store()) || c.cluster().enabled();
    }

    /** Whether termlet-web is on the class path (it is an optional dependency). */
    public static boolean webPresent() {
        try {
            Class.forName("dev.termlet.web.Web", false, Apply.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * @param w the web section
     * @return a new {@code Web}, or empty when the web side is off
     * @throws IllegalStateException when it is on but termlet-web is not on the class path
     */
    public static Optional<dev.termlet.web.Web> web(WebConfig w) {
        if (!w.enabled()) {
            return Optional.empty();
        }
        if (!webPresent()) {
            throw new IllegalStateException("web.enabled needs termlet-web (dev.termlet:termlet-web) on the class path");
        }
        dev.termlet.web.Web web = w.https() ? dev.termlet.web.Web.https(w.port()) : dev.termlet.web.Web.plainHttp(w.httpPort());
        if (w.https() && w.httpPort() >= 0) {
            web.alsoPlainHttp(w.httpPort());
        }
        if (w.keyStore() != null) {
            char[] password = w.keyStorePassword().reveal();
            web.keyStore(w.keyStore(), password);
            Arrays.fill(password, '\0');
        }
        web.webdav(w.webdav()).idleTimeout(w.idleTimeout()).client(w.client()).shares(w.shares())
                .adminApi(w.adminApi());
        if (w.publicUrl() != null && !w.publicUrl().isBlank()) {
            web.publicUrl(w.publicUrl().strip());
        }
        for (WebConfig.AdminKey k : w.adminKeys()) {
            char[] key = k.key().reveal();
            web.adminKey(k.name(), new String(key));
            Arrays.fill(key, '\0');
        }
        return Optional.of(web);
    }

    /**
     * @param h the hooks' section
     * @return a new {@code Hooks}, or empty when no event hook is configured
     */
    public static Optional<Hooks> hooks(HooksConfig h) {
        boolean any = !h.programs().isEmpty() || !h.http().isEmpty() || set(h.postConnect())
                || set(h.postDisconnect()) || h.postLogin().program() != null || h.postLogin().url() != null
                || set(h.userActions()) || set(h.providerActions());
        if (!any) {
            return Optional.empty();
        }
        Hooks.Builder b = Hooks.builder().timeout(h.timeout()).retries(h.retries()).backoff(h.backoff())
                .retryInterval(h.retryInterval()).keepFor(h.keepFor()).workers(h.workers(), h.queued());
        h.programs().forEach(p -> b.program(p.path(), p.events().toArray(new String[0])));
        h.http().forEach(p -> b.http(URI.create(p.url().strip()), p.events().toArray(new String[0])));
        if (set(h.postConnect())) {
            if (h.postConnect().program() != null) {
                b.postConnect(h.postConnect().program());
            } else {
                b.postConnect(uri(h.postConnect()));
            }
        }
        if (set(h.postDisconnect())) {
            if (h.postDisconnect().program() != null) {
                b.postDisconnect(h.postDisconnect().program());
            } else {
                b.postDisconnect(uri(h.postDisconnect()));
            }
        }
        HooksConfig.PostLogin login = h.postLogin();
        if (login.program() != null) {
            b.postLogin(login.program(), login.scope());
        } else if (login.url() != null) {
            b.postLogin(URI.create(login.url().strip()), login.scope());
        }
        if (set(h.userActions())) {
            if (h.userActions().program() != null) {
                b.userActions(h.userActions().program());
            } else {
                b.userActions(uri(h.userActions()));
            }
        }
        if (set(h.providerActions())) {
            if (h.providerActions().program() != null) {
                b.providerActions(h.providerActions().program());
            } else {
                b.providerActions(uri(h.providerActions()));
            }
        }
        if (!h.sync().isEmpty()) {
            b.sync(h.sync().toArray(new String[0]));
        }
        return Optional.of(b.build());
    }

    /**
     * The authentication hooks, chained in SFTPGo's order: pre-login, external auth, check-password,
     * keyboard-interactive.
     *
     * @param h the hooks' section
     * @return the authenticator, or empty when none is configured
     */
    public static Optional<Authenticator> authenticator(HooksConfig h) {
        List<Authenticator> chain = new ArrayList<>();
        HooksConfig.AuthHook t = h.preLogin();
        if (t.program() != null || t.url() != null) {
            Duration d = timeout(t.timeout(), 30);
            chain.add(t.program() != null ? Hooks.preLogin(t.program(), d) : Hooks.preLogin(uri(t.url()), d));
        }
        HooksConfig.ExternalAuth e = h.externalAuth();
        if (e.program() != null || e.url() != null) {
            Duration d = timeout(e.timeout(), 30);
            chain.add(e.program() != null ? Hooks.externalAuth(e.program(), d, e.scope())
                    : Hooks.externalAuth(uri(e.url()), d, e.scope()));
        }
        t = h.checkPassword();
        if (t.program() != null || t.url() != null) {
            Duration d = timeout(t.timeout(), 30);
            chain.add(t.program() != null ? Hooks.checkPassword(t.program(), d)
                    : Hooks.checkPassword(uri(t.url()), d));
        }
        t = h.keyboardInteractive();
        if (t.program() != null || t.url() != null) {
            Duration d = timeout(t.timeout(), 60);
            chain.add(t.program() != null ? Hooks.keyboardInteractive(t.program(), d)
                    : Hooks.keyboardInteractive(uri(t.url()), d));
        }
        if (chain.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(chain.size() == 1 ? chain.get(0) : Hooks.chain(chain.toArray(new Authenticator[0])));
    }

    private static boolean set(HooksConfig.Target t) {
        return t.program() != null || t.url() != null;
    }

    private static URI uri(HooksConfig.Target t) {
        return uri(t.url());
    }

    private static URI uri(String url) {
        return URI.create(url.strip());
    }

    private static Duration timeout(Duration set, int seconds) {
        return set != null ? set : Duration.ofSeconds(seconds);
    }
}
