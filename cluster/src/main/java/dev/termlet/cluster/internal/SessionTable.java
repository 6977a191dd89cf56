package dev.termlet.cluster.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.termlet.Client;
import dev.termlet.auth.Account;
import dev.termlet.auth.AccountStore;
import dev.termlet.cluster.Database;
import dev.termlet.spi.SessionDirectory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sessions of every node in the table {@code termlet_sessions}: this node writes its own rows in the background
 * (one writer thread, batches in one transaction), keeps the other nodes' in memory (from the channel
 * {@code termlet_session} at once, and read again on each heartbeat), and delivers the output and closes other nodes
 * send to its own sessions (in order per session, off the listening thread). A node whose heartbeat is older than the
 * timeout is taken for dead: its rows are ignored, then deleted.
 */
public final class SessionTable implements SessionDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(SessionTable.class);
    /** The channel of session starts, ends, output and closes. */
    public static final String CHANNEL = "termlet_session";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Characters of output per notification: at most 6 bytes each in JSON's UTF-8, well under 8000 in all. */
    private static final int CHUNK = 1000;
    /** The most output one message to another node's session carries. */
    public static final int MAX_MESSAGE = 1 << 20;
    private static final int QUEUE = 20_000;

    private final Database db;
    private final String node;
    private final Duration timeout;
    private final AccountStore accounts;
    private final Map<String, Client> local = new ConcurrentHashMap<>();
    /** The rows of this node's sessions, to write them again. */
    private final Map<String, Row> rows = new ConcurrentHashMap<>();
    private final Map<String, RemoteClient> remote = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Void>> chains = new ConcurrentHashMap<>();
    private final Map<String, StringBuilder> parts = new ConcurrentHashMap<>();
    private final BlockingQueue<Database.Work<Void>> outbox = new LinkedBlockingQueue<>(QUEUE);
    private final AtomicLong messages = new AtomicLong();
    private final AtomicBoolean dirty = new AtomicBoolean();
    private final AtomicBoolean writeFailing = new AtomicBoolean();
    private final AtomicLong busy = new AtomicLong();
    private final ExecutorService deliver;
    private final ScheduledExecutorService heartbeat;
    private final Thread writer;
    private volatile boolean closed;
    private AutoCloseable listening;

    /**
     * Prepares the table for a node.
     *
     * @param db the database
     * @param node this node's name
     * @param timeout how long a node may go without a heartbeat before its sessions are dropped
     * @param accounts the account store, for {@link Client#account()} of other nodes' sessions
     */
    public SessionTable(Database db, String node, Duration timeout, AccountStore accounts) {
        this.db = db;
        this.node = node;
        this.timeout = timeout;
        this.accounts = accounts;
        this.deliver = Executors.newCachedThreadPool(r -> daemon(r, "termlet-cluster-deliver"));
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "termlet-cluster-heartbeat"));
        this.writer = daemon(this::write, "termlet-cluster-writer");
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * Registers this node (its rows of an earlier run are deleted), starts listening, writing and beating.
     *
     * @throws SQLException if the database cannot be reached
     */
    public void start() throws SQLException {
        db.transaction(c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT extract(epoch FROM now() - seen) FROM termlet_nodes"
                    + " WHERE name = ?")) {
                st.setString(1, node);
                try (ResultSet rs = st.executeQuery()) {
                    if (rs.next() && rs.getDouble(1) < timeout.toSeconds()) {
                        LOG.warn("node name '{}' was in use {} s ago: if another running node has this name, their"
                                + " sessions are confused; give each node a name of its own", node,
                                (long) rs.getDouble(1));
                    }
                }
            }
            try (PreparedStatement st = c.prepareStatement("INSERT INTO termlet_nodes (name) VALUES (?)"
                    + " ON CONFLICT (name) DO UPDATE SET started = now(), seen = now()")) {
                st.setString(1, node);
                st.executeUpdate();
            }
            try (PreparedStatement st = c.prepareStatement("DELETE FROM termlet_sessions WHERE node = ?")) {
                st.setString(1, node);
                st.executeUpdate();
            }
            return null;
        });
        listening = db.listen(CHANNEL, new Database.Listener() {
            @Override
            public void notified(String payload) {
                SessionTable.this.notified(payload);
            }

            @Override
            public void resync() {
                dirty.set(true);
                heartbeat.execute(SessionTable.this::beat);
            }
        });
        writer.start();
        long period = Math.max(200, timeout.toMillis() / 3);
        heartbeat.scheduleWithFixedDelay(this::beat, 0, period, TimeUnit.MILLISECONDS);
    }

    // ---- this node's sessions

    @Override
    public void started(Client session) {
        Row row = Row.of(node, session, Instant.now());
        local.put(session.sessionId(), session);
        rows.put(session.sessionId(), row);
        enqueue(c -> {
            row.insert(c);
            db.notify(c, CHANNEL, row.payload());
            return null;
        }, true);
    }

    @Override
    public void ended(Client session) {
        String id = session.sessionId();
        rows.remove(id);
        if (local.remove(id) == null) {
            return;
        }
        chains.remove(id);
        enqueue(c -> {
            try (PreparedStatement st = c.prepareStatement("DELETE FROM termlet_sessions WHERE node = ? AND id = ?")) {
                st.setString(1, node);
                st.setString(2, id);
                st.executeUpdate();
            }
            ObjectNode n = JSON.createObjectNode();
            n.put("op", "end").put("node", node).put("id", id);
            db.notify(c, CHANNEL, n.toString());
            return null;
        }, true);
    }

    @Override
    public List<Client> others() {
        return List.copyOf(remote.values());
    }

    // ---- other nodes' sessions

    Optional<Account> account(String user) {
        return accounts.find(user);
    }

    boolean known(RemoteClient c) {
        return remote.get(key(c.node().orElseThrow(), c.localId())) == c;
    }

    /** Sends output to another node's session, cut into notifications it joins again. */
    void send(RemoteClient to, String op, String text) {
        if (text.length() > MAX_MESSAGE) {
            throw new IllegalArgumentException("output to a session of another node is limited to " + MAX_MESSAGE
                    + " characters");
        }
        String msg = node + ":" + messages.incrementAndGet();
        List<String> payloads = new ArrayList<>();
        int at = 0;
        int part = 0;
        do {
            int end = Math.min(text.length(), at + CHUNK);
            if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
                end--;
            }
            ObjectNode n = JSON.createObjectNode();
            n.put("op", op).put("node", to.node().orElseThrow()).put("id", to.localId()).put("msg", msg)
                    // the part's number: PostgreSQL sends identical notifications of one transaction only once
                    .put("part", part++).put("text", text.substring(at, end)).put("last", end == text.length());
            payloads.add(n.toString());
            at = end;
        } while (at < text.length());
        enqueue(c -> {
            for (String p : payloads) {
                db.notify(c, CHANNEL, p);
            }
            return null;
        }, false);
    }

    /** Asks another node to close one of its sessions. */
    void close(RemoteClient to, int exitStatus) {
        ObjectNode n = JSON.createObjectNode();
        n.put("op", "close").put("node", to.node().orElseThrow()).put("id", to.localId()).put("status", exitStatus);
        String payload = n.toString();
        enqueue(c -> {
            db.notify(c, CHANNEL, payload);
            return null;
        }, false);
    }

    private void notified(String payload) {
        JsonNode n;
        try {
            n = JSON.readTree(payload);
        } catch (java.io.IOException e) {
            LOG.warn("ignored a malformed session notification: {}", e.toString());
            return;
        }
        String op = n.path("op").asText();
        String at = n.path("node").asText();
        String id = n.path("id").asText();
        if (op.equals("start")) {
            if (!at.equals(node)) {
                try {
                    remote.putIfAbsent(key(at, id), Row.from(n).client(this));
                } catch (RuntimeException e) {
                    LOG.warn("ignored a malformed session notification: {}", e.toString());
                }
            }
            return;
        }
        if (op.equals("end")) {
            remote.remove(key(at, id));
            return;
        }
        if (op.equals("node-gone")) {
            remote.values().removeIf(r -> r.node().orElseThrow().equals(at));
            return;
        }
        if (!at.equals(node)) {
            return;
        }
        Client c = local.get(id);
        if (c == null) {
            return;
        }
        if (op.equals("close")) {
            int status = n.path("status").asInt(0);
            later(id, () -> c.close(status));
            return;
        }
        String msg = n.path("msg").asText();
        String text = n.path("text").asText();
        if (!n.path("last").asBoolean(true)) {
            StringBuilder sb = parts.computeIfAbsent(msg, k -> new StringBuilder());
            if (sb.length() + text.length() > MAX_MESSAGE || parts.size() > 10_000) {
                parts.remove(msg);
                LOG.warn("dropped an oversized message to session {}", id);
            } else {
                sb.append(text);
            }
            return;
        }
        StringBuilder sb = parts.remove(msg);
        String whole = sb == null ? text : sb.append(text).toString();
        switch (op) {
            case "print":
                later(id, () -> c.print(whole));
                break;
            case "println":
                later(id, () -> c.println(whole));
                break;
            case "eprintln":
                later(id, () -> c.eprintln(whole));
                break;
            default:
                LOG.debug("ignored session notification {}", op);
        }
    }

    /** Runs work for a session of this node after the work already queued for it, off the listening thread. */
    private void later(String id, Runnable work) {
        chains.compute(id, (k, prev) -> (prev == null ? CompletableFuture.<Void>completedFuture(null) : prev)
                .thenRunAsync(() -> {
                    try {
                        work.run();
                    } catch (RuntimeException e) {
                        LOG.debug("delivering to session {} failed: {}", id, e.toString());
                    }
                }, deliver));
    }

    private static String key(String node, String id) {
        return node + "/" + id;
    }

    // ---- writing

    private void enqueue(Database.Work<Void> work, boolean row) {
        if (closed) {
            return;
        }
        if (!outbox.offer(work)) {
            if (row) {
                dirty.set(true);
            }
            LOG.warn("the cluster's outbox is full (the database is slow or away): a session {} was dropped",
                    row ? "change (it is written again later)" : "message");
        }
    }

    private void write() {
        List<Database.Work<Void>> batch = new ArrayList<>();
        while (true) {
            try {
                Database.Work<Void> first = outbox.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (closed) {
                        return;
                    }
                    continue;
                }
                busy.incrementAndGet();
                batch.clear();
                batch.add(first);
                outbox.drainTo(batch, 499);
                try {
                    db.transaction(c -> {
                        for (Database.Work<Void> w : batch) {
                            w.run(c);
                        }
                        return null;
                    });
                    if (writeFailing.compareAndSet(true, false)) {
                        LOG.info("session changes reach the database again");
                    }
                } catch (SQLException | RuntimeException e) {
                    dirty.set(true);
                    if (writeFailing.compareAndSet(false, true)) {
                        LOG.warn("cannot write session changes to the database ({}); dropped {} change(s),"
                                + " this node's sessions are written again once it answers", e.toString(),
                                batch.size());
                    }
                } finally {
                    busy.decrementAndGet();
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    // ---- heartbeat

    /** Keeps this node alive, writes its sessions again if needed, forgets dead nodes and reads the others. */
    private void beat() {
        if (closed) {
            return;
        }
        try {
            Map<String, RemoteClient> now = db.transaction(c -> {
                boolean stale;
                try (PreparedStatement st = c.prepareStatement("SELECT seen < now() - make_interval(secs => ?)"
                        + " FROM termlet_nodes WHERE name = ? FOR UPDATE")) {
                    st.setDouble(1, timeout.toMillis() / 1000.0);
                    st.setString(2, node);
                    try (ResultSet rs = st.executeQuery()) {
                        stale = !rs.next() || rs.getBoolean(1);
                    }
                }
                try (PreparedStatement st = c.prepareStatement("INSERT INTO termlet_nodes (name) VALUES (?)"
                        + " ON CONFLICT (name) DO UPDATE SET seen = now()")) {
                    st.setString(1, node);
                    st.executeUpdate();
                }
                if (stale || dirty.getAndSet(false)) {
                    rewrite(c);
                }
                try (PreparedStatement st = c.prepareStatement("DELETE FROM termlet_sessions WHERE node IN (SELECT"
                        + " name FROM termlet_nodes WHERE seen < now() - make_interval(secs => ?))")) {
                    st.setDouble(1, timeout.toMillis() / 1000.0);
                    st.executeUpdate();
                }
                try (PreparedStatement st = c.prepareStatement("DELETE FROM termlet_nodes"
                        + " WHERE seen < now() - interval '1 day'")) {
                    st.executeUpdate();
                }
                return read(c);
            });
            remote.keySet().retainAll(now.keySet());
            now.forEach(remote::putIfAbsent);
        } catch (SQLException | RuntimeException e) {
            dirty.set(true);
            LOG.debug("heartbeat failed: {}", e.toString());
        }
    }

    /** Replaces this node's rows with its sessions now. */
    private void rewrite(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("DELETE FROM termlet_sessions WHERE node = ?")) {
            st.setString(1, node);
            st.executeUpdate();
        }
        for (Row r : rows.values()) {
            r.insert(c);
        }
        if (!rows.isEmpty()) {
            LOG.info("wrote this node's {} session(s) to the database again", rows.size());
        }
    }

    private Map<String, RemoteClient> read(Connection c) throws SQLException {
        Map<String, RemoteClient> out = new HashMap<>();
        try (PreparedStatement st = c.prepareStatement("SELECT s.node, s.id, s.connection_id, s.username,"
                + " s.remote_host, s.remote_port, s.started, s.pty, s.terminal FROM termlet_sessions s"
                + " JOIN termlet_nodes n ON n.name = s.node WHERE s.node <> ?"
                + " AND n.seen >= now() - make_interval(secs => ?)")) {
            st.setString(1, node);
            st.setDouble(2, timeout.toMillis() / 1000.0);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    Row r = new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), (Integer) rs.getObject(6),
                            rs.getObject(7, OffsetDateTime.class).toInstant(), rs.getBoolean(8), rs.getString(9));
                    String k = key(r.node, r.id);
                    RemoteClient known = remote.get(k);
                    out.put(k, known != null ? known : r.client(this));
                }
            }
        }
        return out;
    }

    /**
     * Stops: waits a little for the changes queued, deletes this node's rows and tells the others it is gone.
     */
    public void stop() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while ((!outbox.isEmpty() || busy.get() > 0) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        closed = true;
        heartbeat.shutdownNow();
        writer.interrupt();
        try {
            if (listening != null) {
                listening.close();
            }
        } catch (Exception e) {
            LOG.debug("stop listening: {}", e.toString());
        }
        try {
            db.transaction(c -> {
                try (PreparedStatement st = c.prepareStatement("DELETE FROM termlet_sessions WHERE node = ?")) {
                    st.setString(1, node);
                    st.executeUpdate();
                }
                try (PreparedStatement st = c.prepareStatement("DELETE FROM termlet_nodes WHERE name = ?")) {
                    st.setString(1, node);
                    st.executeUpdate();
                }
                ObjectNode n = JSON.createObjectNode();
                n.put("op", "node-gone").put("node", node);
                db.notify(c, CHANNEL, n.toString());
                return null;
            });
        } catch (SQLException | RuntimeException e) {
            LOG.warn("cannot remove this node's sessions from the database ({}); the others drop them after {}",
                    e.toString(), timeout);
        }
        deliver.shutdown();
        remote.clear();
    }

    /** One row of {@code termlet_sessions}. */
    private static final class Row {
        final String node;
        final String id;
        final String connectionId;
        final String user;
        final String host;
        final Integer port;
        final Instant started;
        final boolean pty;
        final String terminal;

        Row(String node, String id, String connectionId, String user, String host, Integer port, Instant started,
                boolean pty, String terminal) {
            this.node = node;
            this.id = id;
            this.connectionId = connectionId;
            this.user = user;
            this.host = host;
            this.port = port;
            this.started = started;
            this.pty = pty;
            this.terminal = terminal;
        }

        static Row of(String node, Client s, Instant started) {
            SocketAddress a = s.remoteAddress();
            String host;
            Integer port = null;
            if (a instanceof InetSocketAddress) {
                InetSocketAddress i = (InetSocketAddress) a;
                host = i.getAddress() != null ? i.getAddress().getHostAddress() : i.getHostString();
                port = i.getPort();
            } else {
                host = a == null ? null : a.toString();
            }
            return new Row(node, s.sessionId(), s.connectionId(), s.user(), host, port, started, s.hasPty(),
                    s.terminalType());
        }

        static Row from(JsonNode n) {
            return new Row(n.get("node").asText(), n.get("id").asText(), n.get("connection").asText(),
                    n.get("user").asText(), n.path("host").isTextual() ? n.get("host").asText() : null,
                    n.path("port").isInt() ? n.get("port").asInt() : null,
                    Instant.ofEpochMilli(n.get("started").asLong()), n.path("pty").asBoolean(),
                    n.path("terminal").asText("dumb"));
        }

        void insert(Connection c) throws SQLException {
            try (PreparedStatement st = c.prepareStatement("INSERT INTO termlet_sessions (node, id, connection_id,"
                    + " username, remote_host, remote_port, started, pty, terminal) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (node, id) DO NOTHING")) {
                st.setString(1, node);
                st.setString(2, id);
                st.setString(3, connectionId);
                st.setString(4, user);
                st.setString(5, host);
                st.setObject(6, port);
                st.setObject(7, started.atOffset(ZoneOffset.UTC));
                st.setBoolean(8, pty);
                st.setString(9, terminal);
                st.executeUpdate();
            }
        }

        String payload() {
            ObjectNode n = JSON.createObjectNode();
            n.put("op", "start").put("node", node).put("id", id).put("connection", connectionId).put("user", user)
                    .put("host", host).put("started", started.toEpochMilli()).put("pty", pty)
                    .put("terminal", terminal);
            if (port != null) {
                n.put("port", port);
            }
            return n.toString();
        }

        RemoteClient client(SessionTable table) {
            SocketAddress address;
            if (host == null) {
                address = null;
            } else if (port != null) {
                address = literal(host, port);
            } else {
                address = new Described(host);
            }
            return new RemoteClient(table, node, id, connectionId, user, address, started, pty, terminal);
        }

        private static SocketAddress literal(String host, int port) {
            // an IP literal is parsed, never looked up; anything else stays unresolved
            if (host.matches("[0-9a-fA-F:.%]+")) {
                try {
                    return new InetSocketAddress(InetAddress.getByName(host), port);
                } catch (UnknownHostException e) {
                    // fall through
                }
            }
            return InetSocketAddress.createUnresolved(host, port);
        }
    }

    /** An address that is no socket address (the local console's), shown by its text. */
    private static final class Described extends SocketAddress {
        private static final long serialVersionUID = 1L;
        private final String text;

        Described(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
