package dev.termlet.cluster;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.termlet.cluster.internal.Migrations;
import dev.termlet.cluster.internal.Notifications;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One PostgreSQL database shared by the nodes of a cluster: a connection pool (HikariCP), the schema brought up to date
 * by Flyway when opened (one node migrates, the others wait on its lock), and {@code LISTEN/NOTIFY} on one dedicated
 * connection that reconnects by itself.
 *
 * <pre>{@code
 * Database db = Database.connect("jdbc:postgresql://db.example.com/termlet")
 *         .user("termlet").password(System.getenv("TERMLET_DB_PASSWORD").toCharArray())
 *         .open();
 * }</pre>
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    private static final Pattern CHANNEL = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    /** PostgreSQL refuses a notification payload of 8000 bytes or more. */
    public static final int MAX_PAYLOAD_BYTES = 7999;

    private final HikariDataSource pool;
    private final Notifications notifications;
    /** The schema of Termlet's tables, or null: it also scopes the channels, which are the whole database's. */
    private final String schema;

    private Database(HikariDataSource pool, Notifications notifications, String schema) {
        this.pool = pool;
        this.notifications = notifications;
        this.schema = schema;
    }

    /**
     * Starts describing a connection.
     *
     * @param jdbcUrl a PostgreSQL JDBC URL ({@code jdbc:postgresql://host:port/database})
     * @return a builder
     */
    public static Builder connect(String jdbcUrl) {
        return new Builder(jdbcUrl);
    }

    /** @return the pooled connections: give each back by closing it */
    public DataSource dataSource() {
        return pool;
    }

    /**
     * Listens on a channel. Notifications are delivered one at a time, in the order the database sent them, on the
     * listening thread: keep the work short. After the listening connection was lost and comes back, each listener's
     * {@link Listener#resync()} runs first, since notifications sent meanwhile are lost.
     *
     * @param channel the channel: lower-case letters, digits and {@code _}
     * @param listener what hears it
     * @return closing it stops this listener
     * @throws IllegalArgumentException if the channel name is not allowed
     */
    public AutoCloseable listen(String channel, Listener listener) {
        return notifications.listen(wire(channel), Objects.requireNonNull(listener));
    }

    /**
     * Sends a notification, delivered to every listener of every node (this one too) when the sending transaction
     * commits; here it commits at once.
     *
     * @param channel the channel
     * @param payload the text, shorter than 8000 bytes in UTF-8
     * @throws SQLException if the database refuses it or cannot be reached
     * @throws IllegalArgumentException if the channel is not allowed or the payload is too long
     */
    public void notify(String channel, String payload) throws SQLException {
        wire(channel);
        if (payload.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("notification payload over " + MAX_PAYLOAD_BYTES + " bytes");
        }
        transaction(c -> {
            notify(c, channel, payload);
            return null;
        });
    }

    /**
     * Sends a notification within a transaction: it is delivered only if the transaction commits.
     *
     * @param connection the transaction's connection
     * @param channel the channel
     * @param payload the text, shorter than 8000 bytes in UTF-8
     * @throws SQLException if the database refuses it
     */
    public void notify(Connection connection, String channel, String payload) throws SQLException {
        String name = wire(channel);
        try (PreparedStatement st = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
            st.setString(1, name);
            st.setString(2, payload);
            st.execute();
        }
    }

    /** @return whether the listening connection is up now */
    public boolean listening() {
        return notifications.connected();
    }

    /**
     * The channel's name in the database. Channels are the whole database's, not a schema's: with a schema of its
     * own, a deployment's channels are {@code SCHEMA.CHANNEL}, so two deployments in two schemas of one database never
     * hear each other (bans, sessions, accounts).
     */
    private String wire(String channel) {
        if (channel == null || !CHANNEL.matcher(channel).matches()) {
            throw new IllegalArgumentException("bad channel name: " + channel);
        }
        String name = schema == null ? channel : schema + "." + channel;
        if (name.length() > 63) {
            throw new IllegalArgumentException("channel name " + name + " is over PostgreSQL's 63 characters: use a"
                    + " shorter schema name");
        }
        return name;
    }

    /** Stops listening and closes the pool. */
    @Override
    public void close() {
        notifications.close();
        pool.close();
    }

    /** Hears the notifications of one channel. */
    public interface Listener {
        /**
         * A notification arrived.
         *
         * @param payload its text
         */
        void notified(String payload);

        /**
         * The listening connection came back after a loss: notifications may have been missed, so read again what
         * they would have told. Does nothing by default.
         */
        default void resync() {
        }
    }

    /** How to reach the database. */
    public static final class Builder {
        private final String url;
        private String user;
        private char[] password;
        private int poolSize = 10;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private String schema;

        private Builder(String url) {
            if (url == null || !url.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("a PostgreSQL JDBC URL starts with jdbc:postgresql:");
            }
            this.url = url;
        }

        /**
         * Sets the database user.
         *
         * @param user the user
         * @return this builder
         */
        public Builder user(String user) {
            this.user = user;
            return this;
        }

        /**
         * Sets the password; the builder keeps a copy until {@link #open()}, which wipes it.
         *
         * @param password the password
         * @return this builder
         */
        public Builder password(char[] password) {
            this.password = password == null ? null : password.clone();
            return this;
        }

        /**
         * Sets the most pooled connections (default 10).
         *
         * @param size 1 or more
         * @return this builder
         */
        public Builder poolSize(int size) {
            if (size < 1) {
                throw new IllegalArgumentException("pool size must be at least 1");
            }
            this.poolSize = size;
            return this;
        }

        /**
         * Sets how long to wait for a connection before an operation fails (default 5 s): a login then fails, it is
         * never let through.
         *
         * @param timeout at least 250 ms
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            if (timeout.toMillis() < 250) {
                throw new IllegalArgumentException("connect timeout must be at least 250 ms");
            }
            this.connectTimeout = timeout;
            return this;
        }

        /**
         * Keeps Termlet's tables in a schema of their own (created if missing) instead of the user's default. The
         * notification channels are then the schema's too ({@code SCHEMA.CHANNEL}), so deployments in two schemas of
         * one database never hear each other's bans, sessions or account changes.
         *
         * @param schema the schema name: lower-case letters, digits and {@code _}, at most 28 (a channel's name
         *     with it stays within PostgreSQL's 63 characters)
         * @return this builder
         */
        public Builder schema(String schema) {
            if (schema != null && (!CHANNEL.matcher(schema).matches() || schema.length() > 28)) {
                throw new IllegalArgumentException("bad schema name: " + schema);
            }
            this.schema = schema;
            return this;
        }

        /**
         * Connects, brings the schema up to date and starts listening.
         *
         * @return the database
         * @throws IllegalStateException if it cannot be reached or migrated (the message says why; no secret in it)
         */
        public Database open() {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(url);
            config.setUsername(user);
            String secret = password == null ? null : new String(password);
            config.setPassword(secret);
            config.setMaximumPoolSize(poolSize);
            config.setMinimumIdle(Math.min(2, poolSize));
            config.setConnectionTimeout(connectTimeout.toMillis());
            config.setPoolName("termlet-db");
            // a query caught in a network partition fails after 30 s instead of holding its thread for good
            config.addDataSourceProperty("socketTimeout", 30);
            config.addDataSourceProperty("tcpKeepAlive", true);
            if (schema != null) {
                config.setSchema(schema);
            }
            Properties raw = new Properties();
            if (user != null) {
                raw.setProperty("user", user);
            }
            if (secret != null) {
                raw.setProperty("password", secret);
            }
            raw.setProperty("ApplicationName", "termlet-listen");
            raw.setProperty("connectTimeout", String.valueOf(Math.max(1, connectTimeout.toSeconds())));
            raw.setProperty("tcpKeepAlive", "true");
            if (password != null) {
                Arrays.fill(password, '\0');
            }
            HikariDataSource pool;
            try {
                pool = new HikariDataSource(config);
            } catch (RuntimeException e) {
                throw new IllegalStateException("cannot connect to " + url + ": " + rootMessage(e), e);
            }
            try {
                Migrations.migrate(pool, schema);
            } catch (RuntimeException e) {
                pool.close();
                throw new IllegalStateException("cannot bring the database schema at " + url + " up to date: "
                        + rootMessage(e), e);
            }
            LOG.info("database {} ready (pool of {})", url, poolSize);
            return new Database(pool, new Notifications(url, raw), schema);
        }

        private static String rootMessage(Throwable e) {
            Throwable t = e;
            while (t.getCause() != null && t.getCause() != t) {
                t = t.getCause();
            }
            return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        }
    }

    /**
     * A database operation that may fail.
     *
     * @param <T> what it returns
     */
    @FunctionalInterface
    public interface Work<T> {
        /**
         * Does the work.
         *
         * @param connection a connection in a transaction
         * @return the result
         * @throws SQLException if the database refuses
         */
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs work in one transaction on a pooled connection: committed if it returns, rolled back if it throws. Work that
     * failed before its commit on a serialization failure, a deadlock or a connection the database ended is run again
     * (up to 5 times in all), so it must only touch the database.
     *
     * @param work the work
     * @param <T> what it returns
     * @return what the work returned
     * @throws SQLException if the database refuses or cannot be reached
     */
    public <T> T transaction(Work<T> work) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            boolean committing = false;
            try (Connection c = pool.getConnection()) {
                c.setAutoCommit(false);
                try {
                    T result = work.run(c);
                    committing = true;
                    c.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    if (!committing) {
                        rollbackQuietly(c);
                    }
                    throw e;
                } finally {
                    if (!c.isClosed()) {
                        try {
                            c.setAutoCommit(true);
                        } catch (SQLException e) {
                            LOG.debug("resetting a connection: {}", e.getMessage());
                        }
                    }
                }
            } catch (SQLException e) {
                if (attempt < 5 && !committing && retryable(e)) {
                    continue;
                }
                throw e;
            }
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            LOG.debug("rollback failed: {}", e.getMessage());
        }
    }

    /**
     * Whether work that failed before its commit may run again: a serialization failure or deadlock, or a connection
     * that the database ended (it restarted or failed over) and the pool did not yet know was dead.
     */
    private static boolean retryable(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.equals("40001") || state.equals("40P01") || state.startsWith("08")
                || state.equals("57P01") || state.equals("57P02") || state.equals("57P03"));
    }
}
