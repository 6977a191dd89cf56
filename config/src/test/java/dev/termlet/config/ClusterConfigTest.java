package dev.termlet.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import dev.termlet.auth.Account;
import dev.termlet.cluster.Database;
import dev.termlet.cluster.PostgresAccountStore;
import dev.termlet.test.Postgres;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code accounts.store: postgresql}, {@code database} and {@code cluster}: checked whole, applied on a real PostgreSQL. */
class ClusterConfigTest {
    private static final String SECRET = "db-secret-Vn3qXz81";
    static Postgres pg;

    @TempDir
    Path data;

    @BeforeAll
    static void start() throws Exception {
        pg = Postgres.start();
    }

    @AfterAll
    static void stop() {
        if (pg != null) {
            pg.close();
        }
    }

    private static List<ConfigProblem> problems(String yaml) {
        try {
            TermletConfig.loader().yaml(yaml, "termlet.yaml").environment(Map.of("P", SECRET))
                    .systemProperties(Map.of()).load();
        } catch (ConfigException e) {
            assertThat(e.getMessage()).doesNotContain(SECRET);
            return e.problems();
        }
        throw new AssertionError("no problem found in " + yaml);
    }

    @Test
    void theDatabaseIsCheckedWhenTheAccountsOrTheClusterNeedIt() {
        assertThat(problems("accounts:\n  store: postgresql\n")).extracting(ConfigProblem::key)
                .containsExactly("database.url");
        assertThat(problems("cluster:\n  enabled: true\n  node: 'no spaces'\n  session-timeout: 1s\n"
                + "database:\n  url: jdbc:mysql://db/termlet\n  password: ${env:P}\n  schema: Bad-Name\n"
                + "  connect-timeout: 10ms\n")).extracting(ConfigProblem::key)
                .containsExactlyInAnyOrder("database.url", "database.schema", "database.connect-timeout",
                        "cluster.node", "cluster.session-timeout");
        assertThat(problems("accounts:\n  store: ldap\n")).extracting(ConfigProblem::key)
                .containsExactly("accounts.store");
    }

    private TermletConfig config(String extra) {
        return TermletConfig.loader().yaml("data-dir: " + data + "\nlisteners:\n  - address: 127.0.0.1\n    port: 0\n"
                + "accounts:\n  store: postgresql\ndatabase:\n  url: " + pg.jdbcUrl() + "\n  user: " + pg.user()
                + "\n  password: ${env:P}\n  pool-size: 3\n" + extra, "termlet.yaml")
                .environment(Map.of("P", pg.password())).systemProperties(Map.of()).load();
    }

    @Test
    void accountsGoToTheDatabaseAndTheClusterNodeIsNamed() throws Exception {
        TermletServer server = config("cluster:\n  enabled: true\n  node: cfg-1\nfileops:\n  enabled: true\n")
                .apply(Termlet.server()).builder().build();
        server.start();
        try {
            server.accounts().save(Account.builder("carol").password("pw".toCharArray()).build());
            try (Database db = Database.connect(pg.jdbcUrl()).user(pg.user()).password(pg.password().toCharArray())
                    .open(); PostgresAccountStore other = PostgresAccountStore.open(db)) {
                assertThat(other.find("carol")).isPresent();
            }
            assertThat(pg.psql("SELECT name FROM termlet_nodes")).contains("cfg-1");
        } finally {
            server.close();
        }
    }

    @Test
    void anUnreachableDatabaseStopsTheSetUpWithoutThePassword() {
        assertThatThrownBy(() -> TermletConfig.loader().yaml("accounts:\n  store: postgresql\ndatabase:\n"
                + "  url: jdbc:postgresql://127.0.0.1:1/termlet\n  user: t\n  password: ${env:P}\n"
                + "  connect-timeout: 1s\n", "termlet.yaml").environment(Map.of("P", SECRET))
                .systemProperties(Map.of()).load().apply(Termlet.server()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot connect")
                .satisfies(e -> assertThat(String.valueOf(e)).doesNotContain(SECRET));
    }
}
