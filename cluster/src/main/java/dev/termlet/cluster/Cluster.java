package dev.termlet.cluster;

import dev.termlet.cluster.internal.SessionTable;
import dev.termlet.cluster.internal.SharedProtector;
import dev.termlet.spi.ExtensionContext;
import dev.termlet.spi.ServerExtension;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a server one node of a cluster on a shared {@link Database}: the protector's strikes, bans and block-list, and
 * the list of sessions, are shared by every node.
 *
 * <pre>{@code
 * Database db = Database.connect("jdbc:postgresql://db.example.com/termlet").user("termlet")
 *         .password(secret).open();
 * TermletServer server = Termlet.server()
 *         .register(new App())
 *         .extension(Cluster.on(db).node("node-1"))
 *         .start();
 * }</pre>
 *
 * <p><b>Protector.</b> Strikes are scored in the database, so that an address striking several nodes is banned after as
 * many strikes as on one; a ban, lift, block or unblock on any node (by the protector, the {@code bans} command or the
 * web admin API) applies on all at once ({@code LISTEN/NOTIFY}). Each node keeps the bans in memory, so checking a new
 * connection never waits on the database; after the database was away, each node reads them all again. While it is
 * away, the bans known still refuse, strikes are scored on each node alone (logged), a ban by hand applies on that
 * node (recorded in the database when it is back), and lifting or (un)blocking fails with a message.
 *
 * <p><b>Sessions.</b> Each node writes its shell and exec sessions to the database and keeps the others' in memory, so
 * that {@code TermletServer.sessions()}, {@code who} and {@code uptime} list every node's. A session of another node
 * is a {@link dev.termlet.Client} whose {@link dev.termlet.Client#node()} names its node and whose
 * {@link dev.termlet.Client#sessionId()} is {@code node/id}; its {@code user}, {@code account}, {@code remoteAddress},
 * {@code hasPty}, {@code terminalType} and {@code isOpen} are known here; {@code print}, {@code println},
 * {@code eprintln} (up to {@value SessionTable#MAX_MESSAGE} characters) and {@code close} are sent to its node, which
 * delivers them in order; {@code readLine}, {@code readPassword}, {@code ask}, {@code prompt} and setting attributes
 * throw {@link UnsupportedOperationException}; {@code terminal()} and {@code pty()} are empty, {@code size()} the
 * default. Each node beats every third of the session timeout; a node not heard of for the timeout (15 s by default)
 * is taken for dead, and its sessions disappear from the lists.
 */
public final class Cluster implements ServerExtension {
    private static final Logger LOG = LoggerFactory.getLogger(Cluster.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    private final Database db;
    private String node;
    private Duration sessionTimeout = Duration.ofSeconds(15);
    private SessionTable sessions;
    private SharedProtector protector;
    private ScheduledExecutorService pruning;

    private Cluster(Database db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    /**
     * Makes a server a node of the cluster on a database.
     *
     * @param db the shared database (closed by its owner, after the server)
     * @return the extension, to name the node
     */
    public static Cluster on(Database db) {
        return new Cluster(db);
    }

    /**
     * Names this node (by default the host's name); each running node needs a name of its own.
     *
     * @param name letters, digits, {@code .}, {@code _} and {@code -}, up to 63
     * @return this extension
     * @throws IllegalArgumentException if the name is not allowed
     */
    public Cluster node(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a node name is letters, digits, '.', '_' and '-' (up to 63): " + name);
        }
        this.node = name;
        return this;
    }

    /**
     * Sets how long a node may go unheard before its sessions are dropped from every list (15 s by default); each
     * node beats every third of it.
     *
     * @param timeout at least 1 s
     * @return this extension
     */
    public Cluster sessionTimeout(Duration timeout) {
        if (timeout.toMillis() < 1000) {
            throw new IllegalArgumentException("the session timeout is at least 1 s");
        }
        this.sessionTimeout = timeout;
        return this;
    }

    /** @return this node's name */
    public String node() {
        if (node == null) {
            try {
                String host = InetAddress.getLocalHost().getHostName();
                node = NAME.matcher(host).matches() ? host : "node";
            } catch (UnknownHostException e) {
                node = "node";
            }
        }
        return node;
    }

    @Override
    public void configure(ExtensionContext context) throws IOException {
        if (sessions != null) {
            throw new IllegalStateException("a Cluster extension serves one server");
        }
        protector = new SharedProtector(db);
        context.protector().share(protector);
        sessions = new SessionTable(db, node(), sessionTimeout, context.accounts());
        context.sessionDirectory(sessions);
    }

    @Override
    public void start() throws IOException {
        try {
            sessions.start();
        } catch (SQLException e) {
            throw new IOException("cannot register node " + node + " in the database: " + e.getMessage(), e);
        }
        pruning = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "termlet-cluster-prune");
            t.setDaemon(true);
            return t;
        });
        pruning.scheduleWithFixedDelay(() -> {
            try {
                protector.prune();
            } catch (SQLException | RuntimeException e) {
                LOG.debug("pruning the protector's state failed: {}", e.toString());
            }
        }, 1, 60, TimeUnit.MINUTES);
        LOG.info("node {} of the cluster (sessions time out after {})", node, sessionTimeout);
    }

    @Override
    public void stop() {
        if (pruning != null) {
            pruning.shutdownNow();
        }
        sessions.stop();
        protector.close();
    }
}
