package dev.termlet.cluster;

import dev.termlet.fileops.UsageStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Quota usage in PostgreSQL (table {@code termlet_usage}), shared by the nodes that serve the same homes: set it with
 * {@code FileOps.sftp().usage(PostgresUsage.of(db))} on every node. A user's usage is counted once in the cluster (the
 * first node that needs it walks the home while holding a lock on that user, the others wait and read its count),
 * then every upload and deletion on any node is added with one atomic {@code UPDATE ... SET bytes = bytes + ?}.
 * Additions that fail while the database is down are kept in memory and added when it answers again; a quota check
 * that cannot read the usage refuses the upload.
 */
public final class PostgresUsage implements UsageStore {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresUsage.class);

    private final Database db;
    /** Additions not yet made (the database was down), by user: bytes and files. */
    private final Map<String, long[]> pending = new ConcurrentHashMap<>();

    private PostgresUsage(Database db) {
        this.db = db;
    }

    /**
     * The usage kept in a database.
     *
     * @param db the database
     * @return the store
     */
    public static PostgresUsage of(Database db) {
        return new PostgresUsage(Objects.requireNonNull(db, "db"));
    }

    @Override
    public Usage usage(String user, Supplier<Usage> count) {
        if (!db.listening()) {
            // the database is down or cut off: refuse now rather than wait for the pool's timeout
            throw new IllegalStateException("the usage database cannot be reached now");
        }
        flush();
        try {
            Usage known = db.transaction(c -> select(c, user));
            if (known != null) {
                return known;
            }
            return db.transaction(c -> {
                try (PreparedStatement st = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
                    st.setString(1, "termlet_usage:" + user);
                    st.execute();
                }
                Usage now = select(c, user);
                if (now != null) {
                    return now;
                }
                Usage counted = count.get();
                try (PreparedStatement st = c.prepareStatement(
                        "INSERT INTO termlet_usage (name, bytes, files) VALUES (?, ?, ?)")) {
                    st.setString(1, user);
                    st.setLong(2, counted.bytes());
                    st.setLong(3, counted.files());
                    st.executeUpdate();
                }
                LOG.info("quota usage of {} counted: {} bytes in {} files", user, counted.bytes(), counted.files());
                return counted;
            });
        } catch (SQLException e) {
            throw new IllegalStateException("the usage database cannot be used: " + e.getMessage(), e);
        }
    }

    private static Usage select(Connection c, String user) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT bytes, files FROM termlet_usage WHERE name = ?")) {
            st.setString(1, user);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? new Usage(rs.getLong(1), rs.getLong(2)) : null;
            }
        }
    }

    @Override
    public void add(String user, long bytes, long files) {
        pending.merge(user, new long[] {bytes, files}, (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
        flush();
    }

    /** Makes the additions kept while the database was down; keeps them if it still is. */
    private void flush() {
        if (!db.listening()) {
            return;
        }
        for (String user : pending.keySet()) {
            long[] delta = pending.remove(user);
            if (delta == null || (delta[0] == 0 && delta[1] == 0)) {
                continue;
            }
            try {
                db.transaction(c -> {
                    try (PreparedStatement st = c.prepareStatement("UPDATE termlet_usage SET bytes = GREATEST(0,"
                            + " bytes + ?), files = GREATEST(0, files + ?) WHERE name = ?")) {
                        st.setLong(1, delta[0]);
                        st.setLong(2, delta[1]);
                        st.setString(3, user);
                        return st.executeUpdate();
                    }
                });
            } catch (SQLException e) {
                pending.merge(user, delta, (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
                LOG.warn("cannot add to the quota usage of {} now ({}); kept for later", user, e.getMessage());
                return;
            }
        }
    }

    @Override
    public void forget(String user) {
        pending.remove(user);
        try {
            db.transaction(c -> {
                try (PreparedStatement st = c.prepareStatement("DELETE FROM termlet_usage WHERE name = ?")) {
                    st.setString(1, user);
                    return st.executeUpdate();
                }
            });
        } catch (SQLException e) {
            throw new IllegalStateException("the usage database cannot be used: " + e.getMessage(), e);
        }
    }
}
