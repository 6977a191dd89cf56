package dev.termlet.config.internal;

import dev.termlet.TermletServer;
import dev.termlet.cluster.Cluster;
import dev.termlet.cluster.Database;
import dev.termlet.cluster.PostgresAccountStore;
import dev.termlet.cluster.PostgresUsage;
import dev.termlet.config.ServerConfig;
import dev.termlet.fileops.FileOps;
import dev.termlet.spi.ExtensionContext;
import dev.termlet.spi.ServerExtension;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database and cluster sections applied: the only class of this module that names termlet-cluster's classes
 * (an optional dependency), loaded only when one of them is on.
 */
public final class ClusterApply {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterApply.class);

    private ClusterApply() {
    }

    /**
     * Opens the database and sets up what the configuration asks of it: the account store, the cluster extension and
     * the shared quota usage.
     *
     * @param c the configuration
     * @param builder the server's builder
     * @param files the file operations, if any
     * @return an extension to register last: it closes the store and the database when the server stops
     * @throws IllegalStateException if the database cannot be reached or migrated
     */
    public static ServerExtension apply(ServerConfig c, TermletServer.Builder builder, Optional<FileOps> files) {
        Database db = open(c.database());
        PostgresAccountStore store = null;
        try {
            if ("postgresql".equals(c.accounts().store())) {
                store = PostgresAccountStore.open(db);
                builder.accounts(store);
            }
            if (c.cluster().enabled()) {
                String node = c.cluster().node() != null ? c.cluster().node() : hostName();
                builder.extension(Cluster.on(db).node(node).sessionTimeout(c.cluster().sessionTimeout()));
                files.ifPresent(f -> f.usage(PostgresUsage.of(db)));
            }
        } catch (RuntimeException e) {
            if (store != null) {
                store.close();
            }
            db.close();
            throw e;
        }
        return new Closer(db, store);
    }

    /**
     * Opens the database of a configuration.
     *
     * @param d the database section
     * @return the open database
     */
    public static Database open(ServerConfig.Database d) {
        Database.Builder b = Database.connect(d.url().strip()).user(d.user()).poolSize(d.poolSize())
                .connectTimeout(d.connectTimeout()).schema(d.schema());
        if (d.password() != null) {
            char[] p = d.password().reveal();
            b.password(p);
            Arrays.fill(p, '\0');
        }
        return b.open();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            String env = System.getenv("HOSTNAME");
            return env != null && !env.isBlank() ? env : "node";
        }
    }

    /** Closes the account store and the database when the server stops (registered after every other extension). */
    private static final class Closer implements ServerExtension {
        private final Database db;
        private final PostgresAccountStore store;

        Closer(Database db, PostgresAccountStore store) {
            this.db = db;
            this.store = store;
        }

        @Override
        public void configure(ExtensionContext context) {
        }

        @Override
        public void stop() {
            if (store != null) {
                store.close();
            }
            db.close();
            LOG.info("database closed");
        }
    }
}
