package dev.termlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.auth.Account;
import dev.termlet.testing.HostKeyCache;
import dev.termlet.testing.Ssh;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Key exchanges after the first: the server drops both KEXINIT payloads once a key exchange is done, so each new
 * one must set them again before the exchange hash is computed.
 */
class RekeyTest {
    @TempDir
    Path data;

    TermletServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theClientCanExchangeKeysAgainAndAgain() throws Exception {
        server = Termlet.server().port(0).dataDir(HostKeyCache.seed(data)).build();
        server.accounts().save(Account.builder("alice").password("secret".toCharArray()).build());
        server.start();
        try (Ssh ssh = Ssh.password(server.port(), "alice", "secret")) {
            assertThat(ssh.exec("whoami", null).out()).isEqualTo("alice\n");
            for (int i = 0; i < 3; i++) {
                ssh.session().reExchangeKeys().verify(Duration.ofSeconds(10));
                assertThat(ssh.exec("whoami", null).out()).isEqualTo("alice\n");
            }
        }
    }
}
