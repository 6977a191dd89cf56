package dev.termlet.cluster.internal;

import dev.termlet.cluster.Database;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code LISTEN} on one connection of its own, outside the pool, served by one daemon thread: it polls for
 * notifications, hands each to the listeners of its channel in order, and when the connection is lost, reconnects
 * (backing off up to 5 s), listens again and tells every listener to resync.
 */
public final class Notifications {
    private static final Logger LOG = LoggerFactory.getLogger(Notifications.class);

    private final String url;
    private final Properties properties;
    private final Map<String, List<Database.Listener>> listeners = new ConcurrentHashMap<>();
    /** Channels listened on the current connection. */
    private final Set<String> active = ConcurrentHashMap.newKeySet();
    private final Map<String, CountDownLatch> pending = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean closed;
    private volatile boolean connected;
    private volatile Connection connection;

    /**
     * Starts the listening thread.
     *
     * @param url the JDBC URL
     * @param properties user, password and driver settings
     */
    public Notifications(String url, Properties properties) {
        this.url = url;
        this.properties = properties;
        this.thread = new Thread(this::run, "termlet-db-listen");
        thread.setDaemon(true);
        thread.start();
    }

    /** @return whether the listening connection is up */
    public boolean connected() {
        return connected;
    }

    /**
     * Adds a listener; returns once the channel is listened on (or after 10 s if the database is down: the listener's
     * resync then runs when it comes back).
     *
     * @param channel a checked channel name
     * @param listener the listener
     * @return closing it removes the listener
     */
    public AutoCloseable listen(String channel, Database.Listener listener) {
        CountDownLatch ready = pending.computeIfAbsent(channel, c -> new CountDownLatch(1));
        listeners.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>()).add(listener);
        if (!active.contains(channel)) {
            try {
                if (!ready.await(10, TimeUnit.SECONDS)) {
                    LOG.warn("not yet listening on {}: the database cannot be reached; will resync when it can",
                            channel);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return () -> listeners.getOrDefault(channel, List.of()).remove(listener);
    }

    private void run() {
        long backoff = 100;
        boolean lost = false;
        while (!closed) {
            try (Connection c = DriverManager.getConnection(url, properties)) {
                connection = c;
                PGConnection pg = c.unwrap(PGConnection.class);
                active.clear();
                listenAll(c);
                connected = true;
                backoff = 100;
                if (lost) {
                    LOG.info("listening again on {}", url);
                    listeners.values().forEach(list -> list.forEach(this::resync));
                }
                while (!closed) {
                    listenAll(c);
                    PGNotification[] got = pg.getNotifications(500);
                    if (got != null) {
                        for (PGNotification n : got) {
                            deliver(n.getName(), n.getParameter());
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    break;
                }
                if (connected || !lost) {
                    LOG.warn("lost the database's notifications ({}); reconnecting", e.getMessage());
                }
                lost = true;
            } finally {
                connected = false;
                connection = null;
            }
            sleep(backoff);
            backoff = Math.min(5000, backoff * 2);
        }
    }

    private void listenAll(Connection c) throws SQLException {
        for (String channel : listeners.keySet()) {
            if (!active.contains(channel)) {
                try (Statement st = c.createStatement()) {
                    // a checked name (lower-case letters, digits, _ and the schema's .), quoted for the .
                    st.execute("LISTEN \"" + channel + "\"");
                }
                active.add(channel);
                CountDownLatch latch = pending.get(channel);
                if (latch != null) {
                    latch.countDown();
                }
            }
        }
    }

    private void deliver(String channel, String payload) {
        for (Database.Listener l : listeners.getOrDefault(channel, List.of())) {
            try {
                l.notified(payload);
            } catch (RuntimeException e) {
                LOG.warn("a listener of {} failed", channel, e);
            }
        }
    }

    private void resync(Database.Listener l) {
        try {
            l.resync();
        } catch (RuntimeException e) {
            LOG.warn("a listener failed to resync", e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops listening and closes the connection. */
    public void close() {
        closed = true;
        Connection c = connection;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.debug("closing the listening connection: {}", e.getMessage());
            }
        }
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
