package dev.termlet.cluster.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Statement;
import java.util.List;
import java.util.zip.CRC32;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schema's versions, applied by Flyway. Each is an SQL file in this module ({@code sql/V<n>__<what>.sql} beside
 * this class), handed to Flyway as a migration of its own, so that nothing depends on scanning the class path (which a
 * named module hides). A version once released is never edited: a change is a new version.
 */
public final class Migrations {
    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

    /** Every version, oldest first: a new one goes at the end. */
    static final List<SqlFile> ALL = List.of(
            new SqlFile("1", "nodes"),
            new SqlFile("2", "accounts"),
            new SqlFile("3", "usage"),
            new SqlFile("10", "protector"),
            new SqlFile("11", "sessions"));

    private Migrations() {
    }

    /**
     * Brings the schema up to date.
     *
     * @param dataSource the database
     * @param schema the schema to keep the tables in, or null for the user's default
     * @throws RuntimeException if a migration fails (Flyway's exception)
     */
    public static void migrate(DataSource dataSource, String schema) {
        var config = Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(dataSource)
                .table("termlet_schema_history")
                .locations(new String[0])
                .javaMigrations(ALL.toArray(JavaMigration[]::new))
                .baselineOnMigrate(false)
                .cleanDisabled(true)
                .loggers("slf4j");
        if (schema != null) {
            config = config.schemas(schema).createSchemas(true);
        }
        MigrateResult result = config.load().migrate();
        if (result.migrationsExecuted > 0) {
            LOG.info("database schema migrated to version {} ({} migration(s))", result.targetSchemaVersion,
                    result.migrationsExecuted);
        }
    }

    /** One version: an SQL file run in one transaction. */
    static final class SqlFile implements JavaMigration {
        private final String version;
        private final String description;
        private final String resource;

        SqlFile(String version, String description) {
            this.version = version;
            this.description = description;
            this.resource = "sql/V" + version + "__" + description.replace(' ', '_') + ".sql";
        }

        String sql() {
            try (InputStream in = Migrations.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("missing migration " + resource);
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public MigrationVersion getVersion() {
            return MigrationVersion.fromVersion(version);
        }

        @Override
        public String getDescription() {
            return description;
        }

        @Override
        public Integer getChecksum() {
            CRC32 crc = new CRC32();
            crc.update(sql().getBytes(StandardCharsets.UTF_8));
            return (int) crc.getValue();
        }

        @Override
        public boolean canExecuteInTransaction() {
            return true;
        }

        @Override
        public void migrate(Context context) throws Exception {
            try (Statement st = context.getConnection().createStatement()) {
                st.execute(sql());
            }
        }
    }
}
