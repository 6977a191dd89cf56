package dev.termlet.config.internal;

import dev.termlet.SshAlgorithms;
import dev.termlet.Termlet;
import dev.termlet.auth.FilePermission;
import dev.termlet.config.FileOpsConfig;
import dev.termlet.config.HooksConfig;
import dev.termlet.config.ServerConfig;
import dev.termlet.fileops.Hooks;
import dev.termlet.protector.ProtectorSettings;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the types alone cannot check: values that must agree with each other, names the framework knows (algorithms,
 * events, built-ins, permissions), files that must exist. Each check reports a problem at the key it concerns.
 */
public final class Checks {
    private static final Pattern PACKAGE = Pattern.compile("[A-Za-z_$][\\w$]*(\\.[A-Za-z_$][\\w$]*)*");
    private static final Pattern PORTS = Pattern.compile("\\d+(-\\d+)?(\\s*,\\s*\\d+(-\\d+)?)*");
    private static final Set<String> LEVELS = Set.of("trace", "debug", "info", "warn", "error", "off");

    private final List<Problem> problems;
    private final Map<String, Origin> origins;

    /**
     * @param problems where problems go
     * @param origins where each key was set
     */
    public Checks(List<Problem> problems, Map<String, Origin> origins) {
        this.problems = problems;
        this.origins = origins;
    }

    private Origin at(String key) {
        String k = key;
        while (true) {
            Origin o = origins.get(k);
            if (o != null) {
                return o;
            }
            int cut = Math.max(k.lastIndexOf('.'), k.lastIndexOf('['));
            if (cut <= 0) {
                return Origin.DEFAULT;
            }
            k = k.substring(0, cut);
        }
    }

    /** Reports a problem, unless the key's value was already found wrong (and so replaced by its default). */
    private void problem(String key, String message, String fix) {
        if (problems.stream().noneMatch(p -> p.key().equals(key) || p.key().startsWith(key + ".")
                || p.key().startsWith(key + "["))) {
            problems.add(new Problem(key, at(key), message, fix));
        }
    }

    /** Runs a builder call and reports its refusal as a problem at a key. */
    private void refused(String key, Runnable call, String fix) {
        try {
            call.run();
        } catch (IllegalArgumentException | IllegalStateException e) {
            problem(key, e.getMessage(), fix);
        }
    }

    /** @param c the bound configuration */
    public void check(ServerConfig c) {
        if (c.listeners().isEmpty()) {
            problem("listeners", "there is no listener", "add one: listeners: [{address: 127.0.0.1, port: 2222}]");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < c.listeners().size(); i++) {
            ServerConfig.Listener l = c.listeners().get(i);
            if (l.address() == null || l.address().isBlank()) {
                problem("listeners[" + i + "].address", "the address is empty", "write an IP address or host name");
            } else if (l.port() != 0 && !seen.add(l.address() + ":" + l.port())) {
                problem("listeners[" + i + "]", l.address() + ":" + l.port() + " is listed twice", "remove one");
            }
        }
        for (int i = 0; i < c.hostKeys().size(); i++) {
            Path f = c.hostKeys().get(i);
            if (!Files.isRegularFile(f) || !Files.isReadable(f)) {
                problem("host-keys[" + i + "]", f + " does not exist or cannot be read", "make one with ssh-keygen -t"
                        + " ed25519 -N '' -f " + f + ", or remove the entry to use keys generated in DATA/hostkeys");
            }
        }
        algorithms("algorithms.kex", SshAlgorithms.Kind.KEX, c.algorithms().kex());
        algorithms("algorithms.ciphers", SshAlgorithms.Kind.CIPHER, c.algorithms().ciphers());
        algorithms("algorithms.macs", SshAlgorithms.Kind.MAC, c.algorithms().macs());
        algorithms("algorithms.host-key", SshAlgorithms.Kind.HOST_KEY, c.algorithms().hostKey());
        if (c.hostKeys().isEmpty() && !c.algorithms().hostKey().isEmpty() && c.algorithms().hostKey().stream()
                .noneMatch(a -> a.equals("ssh-ed25519") || a.startsWith("rsa-sha2-"))) {
            problem("algorithms.host-key", "the generated host keys (Ed25519, RSA) cannot sign with any of "
                    + c.algorithms().hostKey(), "add ssh-ed25519 or rsa-sha2-512, or give host-keys of those types");
        }
        for (int i = 0; i < c.scan().size(); i++) {
            if (!PACKAGE.matcher(c.scan().get(i)).matches()) {
                problem("scan[" + i + "]", "'" + c.scan().get(i) + "' is not a package name",
                        "write a Java package, e.g. com.example.app");
            }
        }
        for (int i = 0; i < c.builtins().disabled().size(); i++) {
            String name = c.builtins().disabled().get(i);
            refused("builtins.disabled[" + i + "]", () -> Termlet.server().disableBuiltins(name),
                    "write one of the built-in commands' names");
        }
        limits(c.limits());
        positive("timeouts.auth", c.timeouts().auth());
        if (c.timeouts().idle().isNegative()) {
            problem("timeouts.idle", "a negative time", "write 0s for no limit, or a duration");
        }
        protector(c.protector());
        proxyProtocol(c.proxyProtocol());
        database(c);
        if (c.reload().interval().compareTo(Duration.ofMillis(100)) < 0) {
            problem("reload.interval", "checking more often than every 100ms costs for nothing", "write 100ms or more");
        }
        fileops(c.fileops());
        web(c.web(), c.fileops());
        hooks(c.hooks());
        c.logging().levels().forEach((logger, level) -> {
            if (!LEVELS.contains(level.toLowerCase(java.util.Locale.ROOT))) {
                problem("logging.levels." + logger, "'" + level + "' is not a log level",
                        "write one of trace, debug, info, warn, error, off");
            }
        });
    }

    private void algorithms(String key, SshAlgorithms.Kind kind, List<String> names) {
        if (!names.isEmpty()) {
            refused(key, () -> Termlet.server().algorithms(kind, names.toArray(new String[0])),
                    "use names from that list, or remove the key to keep Termlet's defaults");
        }
    }

    private void positive(String key, Duration d) {
        if (d.isZero() || d.isNegative()) {
            problem(key, "the time must be more than 0", "write a duration such as 30s");
        }
    }

    private void limits(ServerConfig.Limits l) {
        String[] parts = l.maxStartups().split(":");
        if (parts.length != 3) {
            problem("limits.max-startups", "'" + l.maxStartups() + "' is not start:rate:full",
                    "write three numbers, e.g. 10:30:100");
            return;
        }
        try {
            int start = Integer.parseInt(parts[0].strip());
            int rate = Integer.parseInt(parts[1].strip());
            int full = Integer.parseInt(parts[2].strip());
            refused("limits.max-startups", () -> Termlet.server().maxStartups(start, rate, full),
                    "write start:rate:full with start <= full and rate from 0 to 100, e.g. 10:30:100");
        } catch (NumberFormatException e) {
            problem("limits.max-startups", "'" + l.maxStartups() + "' is not start:rate:full",
                    "write three whole numbers, e.g. 10:30:100");
        }
    }

    private void protector(ServerConfig.Protector p) {
        positive("protector.observation", p.observation());
        positive("protector.ban-time", p.banTime());
        positive("protector.max-ban-time", p.maxBanTime());
        if (p.failureDelay().isNegative()) {
            problem("protector.failure-delay", "a negative time", "write 0s for none, or a duration");
        }
        for (int i = 0; i < p.blockList().size(); i++) {
            String r = p.blockList().get(i);
            refused("protector.block-list[" + i + "]", () -> new ProtectorSettings().block(r),
                    "write an IP address or a CIDR range such as 203.0.113.0/24");
        }
        for (int i = 0; i < p.safeList().size(); i++) {
            String r = p.safeList().get(i);
            refused("protector.safe-list[" + i + "]", () -> new ProtectorSettings().safe(r),
                    "write an IP address or a CIDR range such as 10.0.0.0/8");
        }
    }

    private void proxyProtocol(ServerConfig.ProxyProtocol p) {
        positive("proxy-protocol.header-timeout", p.headerTimeout());
        for (int i = 0; i < p.trusted().size(); i++) {
            String r = p.trusted().get(i);
            refused("proxy-protocol.trusted[" + i + "]", () -> dev.termlet.ProxyProtocol.trusting(r),
                    "write the load balancer's IP address or a CIDR range such as 10.0.0.0/24");
        }
    }

    /** The database section, when the account store or the cluster needs it. */
    private void database(ServerConfig c) {
        boolean postgresAccounts = "postgresql".equals(c.accounts().store());
        if (!postgresAccounts && !c.cluster().enabled()) {
            return;
        }
        String why = postgresAccounts ? "accounts.store is postgresql" : "cluster.enabled is true";
        if (!Apply.clusterPresent()) {
            problem(postgresAccounts ? "accounts.store" : "cluster.enabled", why + " but termlet-cluster is not on the class path",
                    "add the dependency dev.termlet:termlet-cluster (the packaged server has it)");
            return;
        }
        ServerConfig.Database d = c.database();
        if (d.url() == null || d.url().isBlank()) {
            problem("database.url", why + " but no database is given",
                    "write the JDBC URL, such as jdbc:postgresql://db.example.com:5432/termlet");
        } else if (!d.url().strip().startsWith("jdbc:postgresql://")) {
            problem("database.url", "'" + d.url() + "' is not a PostgreSQL JDBC URL",
                    "write jdbc:postgresql://HOST:PORT/DATABASE");
        }
        if (d.schema() != null && !d.schema().matches("[a-z_][a-z0-9_]{0,27}")) {
            problem("database.schema", "'" + d.schema() + "' is not a plain lower-case name of at most 28 characters",
                    "write letters, digits and _, such as termlet (it also names the notification channels)");
        }
        if (d.connectTimeout().toMillis() < 250) {
            problem("database.connect-timeout", "under 250ms", "write 250ms or more, such as 5s");
        }
        if (c.cluster().enabled()) {
            if (c.cluster().node() != null && !c.cluster().node().matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
                problem("cluster.node", "'" + c.cluster().node() + "' is not a node name",
                        "write 1 to 63 letters, digits, '.', '_' or '-', such as node-1");
            }
            if (c.cluster().sessionTimeout().toMillis() < 3000) {
                problem("cluster.session-timeout", "under 3s: nodes beat every third of it", "write 3s or more, such as 15s");
            }
        }
    }

    private void web(dev.termlet.config.WebConfig w, FileOpsConfig f) {
        if (!w.enabled()) {
            return;
        }
        if (!f.enabled()) {
            problem("web.enabled", "the web side is on but file operations are off", "set fileops.enabled: true as well");
        }
        if (!Apply.webPresent()) {
            problem("web.enabled", "termlet-web is not on the class path",
                    "add the dependency dev.termlet:termlet-web, or set web.enabled: false");
            return;
        }
        if (!w.https() && w.httpPort() < 0) {
            problem("web.https", "neither HTTPS nor plain HTTP is served", "set web.http-port, or web.https: true");
        }
        keyStore("web", w.keyStore(), w.keyStorePassword());
        if (w.publicUrl() != null && !w.publicUrl().isBlank()) {
            refused("web.public-url", () -> dev.termlet.web.Web.https(0).publicUrl(w.publicUrl().strip()),
                    "write http(s)://host[:port] without a path, such as https://files.example.com");
        }
        for (int i = 0; i < w.adminKeys().size(); i++) {
            dev.termlet.config.WebConfig.AdminKey k = w.adminKeys().get(i);
            String key = "web.admin-keys[" + i + "]";
            if (k.name() == null || k.key() == null) {
                problem(key, "an admin key needs a name and a key", "give both: {name: ci, key: ${file:/etc/termlet/ci.key}}");
                continue;
            }
            refused(key, () -> {
                char[] v = k.key().reveal();
                try {
                    dev.termlet.web.Web.https(0).adminKey(k.name(), new String(v));
                } finally {
                    java.util.Arrays.fill(v, '\0');
                }
            }, "make a key with Web.newAdminKey() (tka_ and 43 more characters); a name is 1 to 64 printable characters");
        }
        if (w.idleTimeout().toSeconds() < 1) {
            problem("web.idle-timeout", "the idle timeout is under a second", "give at least 1s, such as 15m");
        }
    }

    /** The key store and its password of a TLS section (FTPS, HTTPS): both or neither, the file readable. */
    private void keyStore(String section, java.nio.file.Path store, dev.termlet.config.Secret password) {
        if (store != null) {
            if (!Files.isRegularFile(store) || !Files.isReadable(store)) {
                problem(section + ".key-store", store + " does not exist or cannot be read",
                        "give a readable PKCS#12 file, or remove the key for a self-signed certificate");
            }
            if (password == null) {
                problem(section + ".key-store-password", "a key store needs its password",
                        "add key-store-password: ${env:NAME} or ${file:/run/secrets/NAME}");
            }
        } else if (password != null) {
            problem(section + ".key-store-password", "a password without a key store", "add key-store, or remove"
                    + " the password");
        }
    }

    private void fileops(FileOpsConfig f) {
        if (!f.enabled() && f.ftp().enabled()) {
            problem("fileops.ftp.enabled", "FTP is on but file operations are off",
                    "set fileops.enabled: true as well");
        }
        if (!f.defaultPermissions().isEmpty() && !f.defaultPermissions().containsKey("/")) {
            problem("fileops.default-permissions", "the default permissions do not set '/'",
                    "add a line for '/': \"/\": [list, download]");
        }
        f.defaultPermissions().forEach((dir, perms) -> {
            String key = "fileops.default-permissions." + dir;
            if (!dir.startsWith("/")) {
                problem(key, "'" + dir + "' is not an absolute directory", "write it as users see it: /" + dir);
            }
            for (String p : perms) {
                refused(key, () -> FilePermission.parse(p), "use SFTPGo's names: *, list, download, upload,"
                        + " overwrite, delete, rename, create_dirs, create_symlinks, chmod, chown, chtimes");
            }
        });
        FileOpsConfig.Ftp ftp = f.ftp();
        keyStore("fileops.ftp", ftp.keyStore(), ftp.keyStorePassword());
        String ports = ftp.passivePorts().strip();
        boolean ok = PORTS.matcher(ports).matches();
        if (ok) {
            for (String part : ports.split("[,-]")) {
                int n = Integer.parseInt(part.strip());
                ok &= n >= 0 && n <= 65535;
            }
        }
        if (!ok) {
            problem("fileops.ftp.passive-ports", "'" + ftp.passivePorts() + "' is not a port list",
                    "write 0 (any free port), a range 50000-50100, or ports and ranges separated by commas");
        }
        storage(f.storage());
    }

    private void storage(FileOpsConfig.Storage s) {
        String type = s.type() == null ? "" : s.type().strip();
        if (type.equals("local")) {
            return;
        }
        if (!type.equals("s3")) {
            problem("fileops.storage.type", "'" + s.type() + "' is not a storage type", "write local or s3");
            return;
        }
        if (!S3Apply.present()) {
            problem("fileops.storage.type", "s3 needs termlet-s3 on the class path",
                    "add the dependency dev.termlet:termlet-s3");
        }
        if (s.bucket() == null || s.bucket().isBlank()) {
            problem("fileops.storage.bucket", "the bucket is missing", "add bucket: files");
        }
        if (s.endpoint() != null && !s.endpoint().isBlank()) {
            url("fileops.storage.endpoint", s.endpoint());
        }
        if ((s.accessKey() == null) != (s.secretKey() == null)) {
            problem(s.accessKey() == null ? "fileops.storage.access-key" : "fileops.storage.secret-key",
                    "an access key needs its secret key and the other way round",
                    "set both (as ${env:NAME} or ${file:/path}), or neither for the AWS SDK's default credentials");
        }
    }

    private void hooks(HooksConfig h) {
        for (int i = 0; i < h.programs().size(); i++) {
            HooksConfig.Program p = h.programs().get(i);
            String key = "hooks.programs[" + i + "]";
            if (p.path() == null) {
                problem(key + ".path", "the program is missing", "add path: /opt/hooks/notify.sh");
                continue;
            }
            List<String> events = p.events() == null ? List.of() : p.events();
            refused(key, () -> Hooks.builder().program(p.path(), events.toArray(new String[0])),
                    "give an absolute path and event names such as upload, pre-delete, ssh_cmd");
        }
        for (int i = 0; i < h.http().size(); i++) {
            HooksConfig.Http p = h.http().get(i);
            String key = "hooks.http[" + i + "]";
            URI url = url(key + ".url", p.url());
            if (url != null) {
                List<String> events = p.events() == null ? List.of() : p.events();
                refused(key, () -> Hooks.builder().http(url, events.toArray(new String[0])),
                        "give event names such as upload, download");
            }
        }
        target("hooks.post-connect", h.postConnect().program(), h.postConnect().url());
        target("hooks.post-disconnect", h.postDisconnect().program(), h.postDisconnect().url());
        target("hooks.post-login", h.postLogin().program(), h.postLogin().url());
        target("hooks.user-actions", h.userActions().program(), h.userActions().url());
        target("hooks.provider-actions", h.providerActions().program(), h.providerActions().url());
        target("hooks.external-auth", h.externalAuth().program(), h.externalAuth().url());
        timeout("hooks.external-auth.timeout", h.externalAuth().timeout());
        target("hooks.pre-login", h.preLogin().program(), h.preLogin().url());
        timeout("hooks.pre-login.timeout", h.preLogin().timeout());
        target("hooks.check-password", h.checkPassword().program(), h.checkPassword().url());
        timeout("hooks.check-password.timeout", h.checkPassword().timeout());
        target("hooks.keyboard-interactive", h.keyboardInteractive().program(), h.keyboardInteractive().url());
        timeout("hooks.keyboard-interactive.timeout", h.keyboardInteractive().timeout());
        positive("hooks.timeout", h.timeout());
        positive("hooks.backoff", h.backoff());
        positive("hooks.retry-interval", h.retryInterval());
        positive("hooks.keep-for", h.keepFor());
        refused("hooks.sync", () -> Hooks.builder().sync(h.sync().toArray(new String[0])),
                "give post-event names such as upload");
    }

    private URI url(String key, String text) {
        if (text == null) {
            problem(key, "the URL is missing", "add url: https://example.com/hook");
            return null;
        }
        try {
            URI u = new URI(text.strip());
            if (!"http".equalsIgnoreCase(u.getScheme()) && !"https".equalsIgnoreCase(u.getScheme())) {
                problem(key, "not an http or https URL", "write http://... or https://...");
                return null;
            }
            return u;
        } catch (java.net.URISyntaxException e) {
            problem(key, "not a URL: " + e.getReason(), "write http://... or https://...");
            return null;
        }
    }

    private void timeout(String key, Duration d) {
        if (d != null) {
            positive(key, d);
        }
    }

    /** A hook target, when set: a program (absolute) or a URL, not both. */
    private void target(String key, Path program, String url) {
        if (program != null && url != null) {
            problem(key, "both a program and a url", "keep one of them");
            return;
        }
        if (program != null && !program.isAbsolute()) {
            problem(key + ".program", "'" + program + "' is not an absolute path", "write the program's full path,"
                    + " e.g. /opt/hooks/" + program.getFileName());
        }
        if (url != null) {
            url(key + ".url", url);
        }
    }
}
