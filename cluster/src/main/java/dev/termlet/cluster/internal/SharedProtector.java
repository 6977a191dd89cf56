package dev.termlet.cluster.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.termlet.cluster.Database;
import dev.termlet.protector.Ban;
import dev.termlet.protector.SharedState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protector's state in PostgreSQL: strikes scored in one transaction per strike (the key's row locked, so strikes
 * arriving on several nodes at once add up and ban once), bans and block-list entries announced on the channel
 * {@code termlet_protector} to every node's {@link SharedState.Replica}, and read again in full after the listening
 * connection came back.
 */
public final class SharedProtector implements SharedState {
    private static final Logger LOG = LoggerFactory.getLogger(SharedProtector.class);
    /** The channel of ban, lift, block and unblock announcements. */
    public static final String CHANNEL = "termlet_protector";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** After a failed call, how long the protector scores alone before trying the database again. */
    private static final long PAUSE_NANOS = Duration.ofSeconds(5).toNanos();
    /** A call under way for longer is taken for hung: the protector scores alone meanwhile. */
    private static final long HUNG_NANOS = Duration.ofSeconds(2).toNanos();

    private final Database db;
    private volatile Replica replica;
    private volatile AutoCloseable listening;
    /** The calls under way, by thread: when each started. */
    private final java.util.Map<Thread, Long> inFlight = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile long failedAt;
    private volatile boolean failed;

    /**
     * Shares through a database.
     *
     * @param db the database
     */
    public SharedProtector(Database db) {
        this.db = db;
    }

    @Override
    public void attach(Replica r) {
        this.replica = r;
        listening = db.listen(CHANNEL, new Database.Listener() {
            @Override
            public void notified(String payload) {
                apply(payload);
            }

            @Override
            public void resync() {
                SharedProtector.this.resync();
            }
        });
        resync();
    }

    /** Stops hearing of changes: the server stopped (the database may serve on). */
    public void close() {
        replica = null;
        AutoCloseable l = listening;
        if (l != null) {
            try {
                l.close();
            } catch (Exception e) {
                LOG.debug("stop listening: {}", e.toString());
            }
        }
    }

    /** @return false while the database is known to be away, a call failed in the last 5 s, or one hangs over 2 s */
    @Override
    public boolean available() {
        long now = System.nanoTime();
        for (long started : inFlight.values()) {
            if (now - started > HUNG_NANOS) {
                return false;
            }
        }
        return db.listening() && (!failed || now - failedAt > PAUSE_NANOS);
    }

    /** Runs work, noting a failure so that the protector pauses before it calls again. */
    private <T> T run(Database.Work<T> work) throws SQLException {
        Thread me = Thread.currentThread();
        inFlight.put(me, System.nanoTime());
        try {
            T result = db.transaction(work);
            if (failed) {
                failed = false;
                // bans this node made alone meanwhile are recorded now, even if the listening connection never broke
                Thread t = new Thread(this::resync, "termlet-cluster-protector-resync");
                t.setDaemon(true);
                t.start();
            }
            return result;
        } catch (SQLException | RuntimeException e) {
            failedAt = System.nanoTime();
            failed = true;
            throw e;
        } finally {
            inFlight.remove(me);
        }
    }

    /** Records the bans made here while the database was away, then reads every ban and block into the replica. */
    public void resync() {
        Replica r = replica;
        if (r == null) {
            return;
        }
        try {
            List<Ban> unshared = r.unshared();
            List<Ban> bans = new ArrayList<>();
            List<String> blocks = new ArrayList<>();
            run(c -> {
                bans.clear();
                blocks.clear();
                for (Ban b : unshared) {
                    try (PreparedStatement st = c.prepareStatement("INSERT INTO termlet_protector_hosts AS h"
                            + " (client_key, offences, banned_until, reason, touched) VALUES (?, ?, ?, ?, now())"
                            + " ON CONFLICT (client_key) DO UPDATE SET offences = greatest(h.offences, excluded.offences),"
                            + " banned_until = greatest(h.banned_until, excluded.banned_until),"
                            + " reason = CASE WHEN h.banned_until IS NULL OR h.banned_until < excluded.banned_until"
                            + " THEN excluded.reason ELSE h.reason END, touched = now()")) {
                        st.setString(1, b.address());
                        st.setInt(2, b.offences());
                        st.setObject(3, time(b.until()));
                        st.setString(4, b.reason());
                        st.executeUpdate();
                    }
                }
                try (PreparedStatement st = c.prepareStatement("SELECT client_key, banned_until, offences, reason"
                        + " FROM termlet_protector_hosts WHERE banned_until > ?")) {
                    st.setObject(1, time(Instant.now()));
                    try (ResultSet rs = st.executeQuery()) {
                        while (rs.next()) {
                            bans.add(new Ban(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant(),
                                    rs.getInt(3), rs.getString(4)));
                        }
                    }
                }
                try (PreparedStatement st = c.prepareStatement("SELECT entry FROM termlet_protector_blocks");
                        ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        blocks.add(rs.getString(1));
                    }
                }
                for (Ban b : unshared) {
                    db.notify(c, CHANNEL, banPayload(b));
                }
                return null;
            });
            r.replace(bans, blocks);
            if (!unshared.isEmpty()) {
                LOG.info("recorded {} ban(s) made on this node while the database was away", unshared.size());
            }
            LOG.debug("protector state read: {} ban(s), {} block-list entries", bans.size(), blocks.size());
        } catch (SQLException | RuntimeException e) {
            LOG.warn("cannot read the shared protector state ({}); the bans known here still hold", e.toString());
        }
    }

    private void apply(String payload) {
        Replica r = replica;
        if (r == null) {
            return;
        }
        try {
            var n = JSON.readTree(payload);
            switch (n.path("op").asText()) {
                case "ban":
                    r.banned(new Ban(n.get("key").asText(), Instant.ofEpochMilli(n.get("until").asLong()),
                            n.get("offences").asInt(), n.path("reason").asText(null)));
                    break;
                case "lift":
                    r.lifted(n.get("key").asText());
                    break;
                case "block":
                    r.blocked(n.get("entry").asText());
                    break;
                case "unblock":
                    r.unblocked(n.get("entry").asText());
                    break;
                default:
                    LOG.debug("ignored protector notification {}", payload);
            }
        } catch (java.io.IOException | RuntimeException e) {
            LOG.warn("ignored a malformed protector notification: {}", e.toString());
        }
    }

    private static String banPayload(Ban b) {
        ObjectNode n = JSON.createObjectNode();
        n.put("op", "ban").put("key", b.address()).put("until", b.until().toEpochMilli()).put("offences", b.offences())
                .put("reason", b.reason());
        return n.toString();
    }

    private static String payload(String op, String field, String value) {
        ObjectNode n = JSON.createObjectNode();
        n.put("op", op).put(field, value);
        return n.toString();
    }

    private static OffsetDateTime time(Instant i) {
        return i.atOffset(ZoneOffset.UTC);
    }

    /** Makes sure the key has a row and locks it until the transaction ends; returns its offences. */
    private static int lockHost(Connection c, String key) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO termlet_protector_hosts (client_key) VALUES (?)"
                + " ON CONFLICT (client_key) DO NOTHING")) {
            st.setString(1, key);
            st.executeUpdate();
        }
        try (PreparedStatement st = c.prepareStatement("SELECT offences FROM termlet_protector_hosts"
                + " WHERE client_key = ? FOR UPDATE")) {
            st.setString(1, key);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    @Override
    public Scored strike(String key, int points, Instant at, Rule rule) throws SQLException {
        return run(c -> {
            int offences = lockHost(c, key);
            try (PreparedStatement st = c.prepareStatement("DELETE FROM termlet_protector_strikes"
                    + " WHERE client_key = ? AND at < ?")) {
                st.setString(1, key);
                st.setObject(2, time(at.minus(rule.window())));
                st.executeUpdate();
            }
            try (PreparedStatement st = c.prepareStatement("INSERT INTO termlet_protector_strikes (client_key, at,"
                    + " points) VALUES (?, ?, ?)")) {
                st.setString(1, key);
                st.setObject(2, time(at));
                st.setInt(3, points);
                st.executeUpdate();
            }
            int score;
            try (PreparedStatement st = c.prepareStatement("SELECT coalesce(sum(points), 0) FROM"
                    + " termlet_protector_strikes WHERE client_key = ?")) {
                st.setString(1, key);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    score = rs.getInt(1);
                }
            }
            if (score < rule.threshold()) {
                try (PreparedStatement st = c.prepareStatement("UPDATE termlet_protector_hosts SET touched = now()"
                        + " WHERE client_key = ?")) {
                    st.setString(1, key);
                    st.executeUpdate();
                }
                return new Scored(score, null);
            }
            Ban ban = new Ban(key, at.plus(rule.banTime().apply(offences)), offences + 1,
                    rule.cause() + " (score " + score + ")");
            save(c, ban);
            try (PreparedStatement st = c.prepareStatement("DELETE FROM termlet_protector_strikes"
                    + " WHERE client_key = ?")) {
                st.setString(1, key);
                st.executeUpdate();
            }
            db.notify(c, CHANNEL, banPayload(ban));
            return new Scored(score, ban);
        });
    }

    private static void save(Connection c, Ban ban) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("UPDATE termlet_protector_hosts SET offences = ?,"
                + " banned_until = ?, reason = ?, touched = now() WHERE client_key = ?")) {
            st.setInt(1, ban.offences());
            st.setObject(2, time(ban.until()));
            st.setString(3, ban.reason());
            st.setString(4, ban.address());
            st.executeUpdate();
        }
    }

    @Override
    public Ban ban(String key, Instant until, String reason) throws SQLException {
        return run(c -> {
            int offences = lockHost(c, key);
            Ban ban = new Ban(key, until, offences + 1, reason);
            save(c, ban);
            db.notify(c, CHANNEL, banPayload(ban));
            return ban;
        });
    }

    @Override
    public boolean lift(String key, Instant at) throws SQLException {
        return run(c -> {
            boolean banned;
            try (PreparedStatement st = c.prepareStatement("DELETE FROM termlet_protector_hosts WHERE client_key = ?"
                    + " RETURNING banned_until > ?")) {
                st.setString(1, key);
                st.setObject(2, time(at));
                try (ResultSet rs = st.executeQuery()) {
                    banned = rs.next() && rs.getBoolean(1);
                }
            }
            db.notify(c, CHANNEL, payload("lift", "key", key));
            return banned;
        });
    }

    @Override
    public boolean block(String entry) throws SQLException {
        return run(c -> {
            int added;
            try (PreparedStatement st = c.prepareStatement("INSERT INTO termlet_protector_blocks (entry) VALUES (?)"
                    + " ON CONFLICT (entry) DO NOTHING")) {
                st.setString(1, entry);
                added = st.executeUpdate();
            }
            db.notify(c, CHANNEL, payload("block", "entry", entry));
            return added > 0;
        });
    }

    @Override
    public boolean unblock(String entry) throws SQLException {
        return run(c -> {
            int removed;
            try (PreparedStatement st = c.prepareStatement("DELETE FROM termlet_protector_blocks WHERE entry = ?")) {
                st.setString(1, entry);
                removed = st.executeUpdate();
            }
            db.notify(c, CHANNEL, payload("unblock", "entry", entry));
            return removed > 0;
        });
    }

    /**
     * Deletes what no longer counts: strikes older than a week, and keys with neither a ban in force nor a strike that
     * were last touched over a month ago (their offences are forgotten, as a node forgets them).
     *
     * @throws SQLException if the database refuses
     */
    public void prune() throws SQLException {
        db.transaction(c -> {
            try (PreparedStatement st = c.prepareStatement("DELETE FROM termlet_protector_strikes"
                    + " WHERE at < now() - interval '7 days'")) {
                st.executeUpdate();
            }
            try (PreparedStatement st = c.prepareStatement("DELETE FROM termlet_protector_hosts h"
                    + " WHERE touched < now() - interval '30 days' AND (banned_until IS NULL OR banned_until < now())"
                    + " AND NOT EXISTS (SELECT 1 FROM termlet_protector_strikes s WHERE s.client_key = h.client_key)")) {
                st.executeUpdate();
            }
            return null;
        });
    }
}
