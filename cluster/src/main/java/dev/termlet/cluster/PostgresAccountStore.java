package dev.termlet.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.termlet.auth.Account;
import dev.termlet.auth.AccountStore;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accounts in PostgreSQL, shared by every node of a cluster (table {@code termlet_accounts}: the name, whether it is
 * enabled and the password hash are columns; the other fields one {@code jsonb} object in the shape of
 * {@code users.json}).
 *
 * <p>Each node keeps a copy in memory, so that logins read no database. Every change is announced with
 * {@code NOTIFY termlet_accounts} in the transaction that makes it (the payload is the kind of change, the account's
 * name and its version: never a secret), and every node applies it to its copy and reports it to the server
 * ({@link #watch}): sessions of a removed or disabled account are closed on every node, a changed password stops
 * working everywhere. The copy is used only while it is known to be current: the node listens, and a heartbeat it
 * sends itself through the database every second came back within 3 s. Otherwise each read goes to the database, so
 * when the database cannot be reached, reads fail and logins are refused; when it comes back, the node reads every
 * account again and reports what changed meanwhile.
 *
 * <p>{@link #save} replaces the whole account only if nobody changed it since this node last saw it (a version
 * column); otherwise it throws {@link ConcurrentModificationException} rather than lose the other change.
 * {@link #update} makes a read-modify-write in one transaction, for changes that must compose.
 *
 * <pre>{@code
 * Database db = Database.connect(url).user(user).password(password).open();
 * TermletServer server = TermletServer.builder().accounts(PostgresAccountStore.open(db)) ... .build();
 * }</pre>
 */
public final class PostgresAccountStore implements AccountStore, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresAccountStore.class);
    /** The channel every change is announced on. */
    public static final String CHANNEL = "termlet_accounts";
    private static final long BEAT_MILLIS = 1000;
    private static final long FRESH_NANOS = TimeUnit.SECONDS.toNanos(3);
    private static final String COLUMNS = "name, enabled, password_hash, data::text, version";
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private final Database db;
    private final String beatChannel;
    /** This node's copy: the account and the version it has in the database. */
    private final Map<String, Entry> copy = new ConcurrentHashMap<>();
    /** Versions of this node's own saves and removals, which its server reports itself (not to be reported again). */
    private final Set<Long> own = ConcurrentHashMap.newKeySet();
    private final List<Consumer<Changes>> watchers = new CopyOnWriteArrayList<>();
    /** Serializes the changes of the copy. */
    private final Object lock = new Object();
    private final ScheduledExecutorService beats;
    private final List<AutoCloseable> listening = new ArrayList<>();
    private volatile boolean synced;
    private volatile long lastBeat;
    private volatile boolean closed;

    private record Entry(Account account, long version) {}

    private PostgresAccountStore(Database db) {
        this.db = db;
        byte[] id = new byte[6];
        new SecureRandom().nextBytes(id);
        this.beatChannel = "termlet_accounts_beat_" + HexFormat.of().formatHex(id);
        this.beats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "termlet-accounts-beat");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Opens the store on a database: listens for changes, reads every account, and starts the heartbeat.
     *
     * @param db the database (the store does not close it)
     * @return the store
     */
    public static PostgresAccountStore open(Database db) {
        PostgresAccountStore store = new PostgresAccountStore(Objects.requireNonNull(db, "db"));
        store.listening.add(db.listen(CHANNEL, new Database.Listener() {
            @Override
            public void notified(String payload) {
                store.notified(payload);
            }

            @Override
            public void resync() {
                store.resync();
            }
        }));
        store.listening.add(db.listen(store.beatChannel, p -> store.lastBeat = System.nanoTime()));
        store.resync();
        store.beats.scheduleWithFixedDelay(store::beat, BEAT_MILLIS, BEAT_MILLIS, TimeUnit.MILLISECONDS);
        return store;
    }

    /** Whether this node's copy is current: listening, read in full, and the heartbeat came back lately. */
    boolean current() {
        return synced && db.listening() && System.nanoTime() - lastBeat < FRESH_NANOS;
    }

    private void beat() {
        if (closed) {
            return;
        }
        if (!db.listening()) {
            // notifications may be lost while the listening connection is down: read everything again after
            synced = false;
            return;
        }
        if (!synced) {
            resync();
        }
        try {
            db.notify(beatChannel, "beat");
        } catch (SQLException | RuntimeException e) {
            LOG.debug("account heartbeat failed: {}", e.getMessage());
        }
    }

    @Override
    public Optional<Account> find(String name) {
        if (!Account.validName(name)) {
            return Optional.empty();
        }
        if (current()) {
            Entry e = copy.get(name);
            return Optional.ofNullable(e == null ? null : e.account());
        }
        Entry e = live(c -> read(c, name));
        return Optional.ofNullable(e == null ? null : e.account());
    }

    @Override
    public List<Account> list() {
        if (current()) {
            TreeMap<String, Account> sorted = new TreeMap<>();
            copy.forEach((n, e) -> sorted.put(n, e.account()));
            return List.copyOf(sorted.values());
        }
        List<Account> out = new ArrayList<>();
        live(PostgresAccountStore::readAll).forEach((n, e) -> out.add(e.account()));
        return List.copyOf(out);
    }

    @Override
    public boolean isEmpty() {
        if (current()) {
            return copy.isEmpty();
        }
        return live(c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT NOT EXISTS (SELECT 1 FROM termlet_accounts)");
                    ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        });
    }

    /**
     * Creates or replaces an account, and announces it to every node. It replaces the account only if its version is
     * still the one this node last saw: a change made meanwhile by another node is never overwritten unseen.
     *
     * @param account the account
     * @throws ConcurrentModificationException if another node created or changed the account since this node saw it
     *     (read it again and retry, or use {@link #update})
     * @throws IllegalStateException if the database cannot be reached or refuses
     */
    @Override
    public void save(Account account) {
        Objects.requireNonNull(account, "account");
        Entry known = copy.get(account.name());
        long version = call(c -> {
            long v;
            if (known == null) {
                v = insert(c, account);
            } else {
                v = replace(c, account, known.version());
            }
            if (v < 0) {
                throw new ConcurrentModificationException("account " + account.name() + " was "
                        + (known == null ? "created" : "changed or removed") + " by another node meanwhile; read it"
                        + " again and retry");
            }
            own.add(v);
            db.notify(c, CHANNEL, (known == null ? "added:" : "updated:") + account.name() + ":" + v);
            return v;
        });
        learn(account.name(), new Entry(account, version), version, false);
    }

    /**
     * Changes an account in one transaction holding its row: {@code change} gets the account as it is in the
     * database now, so concurrent updates from several nodes all take effect, one after the other. The change is
     * applied and reported to this node's watchers (the server) like a change made by another node.
     *
     * @param name the user name
     * @param change makes the new account from the current one (same name); it may run more than once (a retried
     *     transaction), so it must only compute
     * @return the account as saved, or empty if there is no such account
     * @throws IllegalArgumentException if the change renames the account
     * @throws IllegalStateException if the database cannot be reached or refuses
     */
    public Optional<Account> update(String name, UnaryOperator<Account> change) {
        Objects.requireNonNull(change, "change");
        if (!Account.validName(name)) {
            return Optional.empty();
        }
        Entry saved = call(c -> {
            Entry now = read(c, name, true);
            if (now == null) {
                return null;
            }
            Account next = Objects.requireNonNull(change.apply(now.account()), "changed account");
            if (!next.name().equals(name)) {
                throw new IllegalArgumentException("an update cannot rename account " + name);
            }
            long v = replace(c, next, now.version());
            db.notify(c, CHANNEL, "updated:" + name + ":" + v);
            return new Entry(next, v);
        });
        if (saved == null) {
            return Optional.empty();
        }
        learn(name, saved, saved.version(), true);
        return Optional.of(saved.account());
    }

    /**
     * Removes an account and announces it to every node, whose servers close its sessions.
     *
     * @param name the user name
     * @return true if it existed
     * @throws IllegalStateException if the database cannot be reached or refuses
     */
    @Override
    public boolean remove(String name) {
        if (!Account.validName(name)) {
            return false;
        }
        Long version = call(c -> {
            try (PreparedStatement st = c.prepareStatement(
                    "DELETE FROM termlet_accounts WHERE name = ? RETURNING nextval('termlet_account_version')")) {
                st.setString(1, name);
                try (ResultSet rs = st.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    long v = rs.getLong(1);
                    own.add(v);
                    db.notify(c, CHANNEL, "removed:" + name + ":" + v);
                    return v;
                }
            }
        });
        if (version == null) {
            return false;
        }
        learn(name, null, version, false);
        return true;
    }

    /** Reads every account again and reports what differs from this node's copy. */
    @Override
    public Changes reload() {
        return resyncOrThrow();
    }

    @Override
    public AutoCloseable watch(Consumer<Changes> listener) {
        Objects.requireNonNull(listener, "listener");
        watchers.add(listener);
        return () -> watchers.remove(listener);
    }

    /** Stops listening and the heartbeat; the database stays open. */
    @Override
    public void close() {
        closed = true;
        beats.shutdownNow();
        for (AutoCloseable l : listening) {
            try {
                l.close();
            } catch (Exception e) {
                LOG.debug("stopping a listener: {}", e.toString());
            }
        }
        watchers.clear();
        synced = false;
    }

    // ---- notifications and resync

    private void notified(String payload) {
        String[] parts = payload.split(":", -1);
        if (parts.length != 3 || !Account.validName(parts[1])) {
            LOG.warn("ignoring a malformed account notification");
            return;
        }
        long version;
        try {
            version = Long.parseLong(parts[2]);
        } catch (NumberFormatException e) {
            LOG.warn("ignoring a malformed account notification");
            return;
        }
        String name = parts[1];
        boolean report = !own.remove(version);
        Entry cur = copy.get(name);
        if (cur != null && cur.version() >= version) {
            return;
        }
        if (parts[0].equals("removed")) {
            learn(name, null, version, report);
            return;
        }
        try {
            Entry now = call(c -> read(c, name));
            learn(name, now, now == null ? version : now.version(), report);
        } catch (RuntimeException e) {
            // the copy may now miss a change: reads go to the database until a resync succeeds
            synced = false;
            LOG.warn("cannot read account {} after a change ({}); will read all accounts again", name, e.getMessage());
        }
    }

    /**
     * Applies one account's state to the copy if it is newer than what the copy holds, and reports the change.
     *
     * @param now the account and its version, or null if it is gone
     * @param version the version of that state (for a removal, the removal's)
     */
    private void learn(String name, Entry now, long version, boolean report) {
        Changes changes;
        synchronized (lock) {
            Entry cur = copy.get(name);
            if (cur != null && cur.version() >= version) {
                return;
            }
            if (now == null) {
                if (cur == null) {
                    return;
                }
                copy.remove(name);
                changes = new Changes(List.of(), List.of(), List.of(cur.account()));
            } else {
                copy.put(name, now);
                changes = cur == null ? new Changes(List.of(now.account()), List.of(), List.of())
                        : cur.account().equals(now.account()) ? Changes.NONE
                        : new Changes(List.of(), List.of(now.account()), List.of());
            }
        }
        if (report) {
            deliver(changes);
        }
    }

    private void resync() {
        try {
            resyncOrThrow();
        } catch (RuntimeException e) {
            LOG.warn("cannot read the accounts: {}; reads go to the database until it answers", e.getMessage());
        }
    }

    private Changes resyncOrThrow() {
        Changes changes;
        synchronized (lock) {
            Map<String, Entry> all = call(PostgresAccountStore::readAll);
            List<Account> added = new ArrayList<>();
            List<Account> updated = new ArrayList<>();
            List<Account> removed = new ArrayList<>();
            all.forEach((name, e) -> {
                Entry cur = copy.get(name);
                if (cur == null) {
                    added.add(e.account());
                } else if (!cur.account().equals(e.account())) {
                    updated.add(e.account());
                }
            });
            copy.forEach((name, e) -> {
                if (!all.containsKey(name)) {
                    removed.add(e.account());
                }
            });
            copy.keySet().retainAll(all.keySet());
            copy.putAll(all);
            synced = true;
            lastBeat = System.nanoTime();
            changes = new Changes(added, updated, removed);
        }
        if (!changes.isEmpty()) {
            LOG.info("accounts read again: {} added, {} changed, {} removed", changes.added().size(),
                    changes.updated().size(), changes.removed().size());
        }
        deliver(changes);
        return changes;
    }

    private void deliver(Changes changes) {
        if (changes.isEmpty()) {
            return;
        }
        for (Consumer<Changes> w : watchers) {
            try {
                w.accept(changes);
            } catch (RuntimeException e) {
                LOG.warn("a watcher of the accounts failed", e);
            }
        }
    }

    // ---- SQL

    /**
     * A read while the copy is not current: from the database if this node is listening to it, else refused at once
     * (the database is down or cut off: the read would only wait for the pool's timeout, and a login must not hang).
     */
    private <T> T live(Database.Work<T> work) {
        if (!db.listening()) {
            throw new IllegalStateException("the account database cannot be reached now");
        }
        return call(work);
    }

    private <T> T call(Database.Work<T> work) {
        try {
            return db.transaction(work);
        } catch (SQLException e) {
            throw new IllegalStateException("the account database cannot be used: " + e.getMessage(), e);
        }
    }

    private static Entry read(Connection c, String name) throws SQLException {
        return read(c, name, false);
    }

    private static Entry read(Connection c, String name, boolean forUpdate) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT " + COLUMNS + " FROM termlet_accounts WHERE name = ?"
                + (forUpdate ? " FOR UPDATE" : ""))) {
            st.setString(1, name);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? entry(rs) : null;
            }
        }
    }

    private static Map<String, Entry> readAll(Connection c) throws SQLException {
        Map<String, Entry> all = new TreeMap<>();
        try (PreparedStatement st = c.prepareStatement("SELECT " + COLUMNS + " FROM termlet_accounts ORDER BY name");
                ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                try {
                    Entry e = entry(rs);
                    all.put(e.account().name(), e);
                } catch (IllegalStateException e) {
                    // a row edited by hand into something invalid: left out (it cannot log in), others still load
                    LOG.warn("{}", e.getMessage());
                }
            }
        }
        return all;
    }

    private static Entry entry(ResultSet rs) throws SQLException {
        String name = rs.getString(1);
        try {
            JsonNode data = JSON.readTree(rs.getString(4));
            if (data == null || !data.isObject()) {
                throw new IllegalArgumentException("data must be a JSON object");
            }
            ObjectNode u = (ObjectNode) data;
            u.put("name", name);
            u.put("enabled", rs.getBoolean(2));
            u.put("passwordHash", rs.getString(3));
            return new Entry(Account.fromJson(u.toString()), rs.getLong(5));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            // the message of Account.fromJson names the field, never a hash: it only reads the hash as text
            throw new IllegalStateException("account " + name + " in the database is invalid: "
                    + (e instanceof JsonProcessingException ? "data is not JSON" : e.getMessage()));
        }
    }

    private static String data(Account a) {
        ObjectNode u;
        try {
            u = (ObjectNode) JSON.readTree(a.toJson());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write account " + a.name(), e);
        }
        u.remove("name");
        u.remove("enabled");
        u.remove("passwordHash");
        return u.toString();
    }

    /** Inserts a new account; returns its version, or -1 if the name is taken. */
    private static long insert(Connection c, Account a) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO termlet_accounts (name, enabled, password_hash,"
                + " data) VALUES (?, ?, ?, ?::jsonb) ON CONFLICT (name) DO NOTHING RETURNING version")) {
            st.setString(1, a.name());
            st.setBoolean(2, a.enabled());
            st.setString(3, a.passwordHash());
            st.setString(4, data(a));
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    /** Replaces an account at a known version; returns the new version, or -1 if the row is not at that version. */
    private static long replace(Connection c, Account a, long expected) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("UPDATE termlet_accounts SET enabled = ?, password_hash = ?,"
                + " data = ?::jsonb, version = nextval('termlet_account_version'), updated = now()"
                + " WHERE name = ? AND version = ? RETURNING version")) {
            st.setBoolean(1, a.enabled());
            st.setString(2, a.passwordHash());
            st.setString(3, data(a));
            st.setString(4, a.name());
            st.setLong(5, expected);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }
}
