package dev.termlet.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.termlet.TermletServer;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** In an instance field the extension gives each test a fresh server and data directory, and deletes it after. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExtensionLifecycleTest {
    static Path previousDataDir;
    static int previousPort;

    @RegisterExtension
    final TermletExtension termlet = TermletExtension.builder().account("alice", "secret").build();

    @Test
    @Order(1)
    void first(TermletServer server, TestClient client) {
        previousDataDir = server.dataDir();
        previousPort = server.port();
        assertThat(Files.isDirectory(previousDataDir.resolve("hostkeys"))).isTrue();
        assertThat(client.user()).isEqualTo("alice");
        assertThat(client.exec("whoami").out()).isEqualTo("alice\n");
    }

    @Test
    @Order(2)
    void secondGetsAFreshServer(TermletServer server) {
        assertThat(previousDataDir).doesNotExist();
        assertThat(server.dataDir()).isNotEqualTo(previousDataDir);
        assertThat(server.sessionCount()).isZero();
    }

    @Test
    @Order(3)
    void wrongPasswordsAndUnknownAccountsAreRefused() {
        assertThatThrownBy(() -> termlet.login("alice", "wrong")).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("cannot log in as alice");
        assertThatThrownBy(() -> termlet.login("nobody")).isInstanceOf(IllegalArgumentException.class);
        assertThat(termlet.login("alice").exec("whoami").succeeded()).isTrue();
    }
}
