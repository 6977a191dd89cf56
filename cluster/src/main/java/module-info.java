/**
 * Termlet on several nodes: one PostgreSQL database shares accounts, quota usage, bans and sessions among them, and its
 * {@code LISTEN/NOTIFY} pushes each change to every node at once. Exports {@code dev.termlet.cluster};
 * {@code dev.termlet.cluster.internal} is not exported.
 */
module dev.termlet.cluster {
    requires transitive dev.termlet.fileops;
    requires transitive java.sql;
    requires com.zaxxer.hikari;
    requires org.postgresql.jdbc;
    requires flyway.core;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;
    requires com.fasterxml.jackson.core;

    exports dev.termlet.cluster;
}
