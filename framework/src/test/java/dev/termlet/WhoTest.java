package dev.termlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.auth.Account;
import dev.termlet.protector.ProtectorSettings;
import dev.termlet.testing.HostKeyCache;
import dev.termlet.testing.Ssh;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code who} shows an admin every session and anyone else their own, over real SSH connections. */
class WhoTest {
    @TempDir
    Path data;

    TermletServer server;

    @BeforeEach
    void start() {
        server = Termlet.server().port(0).dataDir(HostKeyCache.seed(data))
                .protector(new ProtectorSettings().safe("127.0.0.0/8").failureDelay(Duration.ZERO)).build();
        server.accounts().save(Account.builder("root").password("pw-root".toCharArray()).addPermission("admin").build());
        server.accounts().save(Account.builder("bob").password("pw-bob".toCharArray()).build());
        server.accounts().save(Account.builder("carol").password("pw-carol".toCharArray()).build());
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** The user names of the lines {@code who} printed. */
    private static List<String> users(String who) {
        return who.lines().filter(l -> !l.isBlank()).map(l -> l.split("\\s+")[0]).sorted()
                .collect(Collectors.toList());
    }

    @Test
    void onlyAnAdminSeesOtherUsersSessions() throws Exception {
        try (Ssh bob = Ssh.password(server.port(), "bob", "pw-bob");
                Ssh carol = Ssh.password(server.port(), "carol", "pw-carol");
                Ssh.Shell bobShell = bob.shell(100, 30);
                Ssh.Shell carolShell = carol.shell(100, 30)) {
            bobShell.out().await("> ", Duration.ofSeconds(10));
            carolShell.out().await("> ", Duration.ofSeconds(10));
            String carolSession = server.sessions().stream().filter(s -> s.user().equals("carol")).findFirst()
                    .orElseThrow().sessionId();

            // bob, in his shell: his shell only
            bobShell.send("who\r");
            bobShell.out().await("127.0.0.1:", Duration.ofSeconds(10));
            bobShell.out().await("> ", Duration.ofSeconds(10));
            String shown = bobShell.out().text();
            assertThat(shown.substring(shown.indexOf("who\r\n"))).containsOnlyOnce("127.0.0.1:").contains("bob ")
                    .doesNotContain("carol").doesNotContain(carolSession);

            // carol, over exec: her shell and this exec; not bob's
            Ssh.Exec carolWho = carol.exec("who", null);
            assertThat(carolWho.status()).isZero();
            assertThat(users(carolWho.out())).containsExactly("carol", "carol");
            assertThat(carolWho.out()).contains(carolSession).contains("127.0.0.1:");

            // an admin: every session, with its address
            try (Ssh root = Ssh.password(server.port(), "root", "pw-root")) {
                Ssh.Exec rootWho = root.exec("who", null);
                assertThat(rootWho.status()).isZero();
                assertThat(users(rootWho.out())).containsExactly("bob", "carol", "root");
                assertThat(rootWho.out()).contains(carolSession);
            }
        }
    }

    @Test
    void revokingAdminHidesTheOthersAtOnce() throws Exception {
        try (Ssh carol = Ssh.password(server.port(), "carol", "pw-carol");
                Ssh.Shell carolShell = carol.shell(100, 30);
                Ssh root = Ssh.password(server.port(), "root", "pw-root")) {
            carolShell.out().await("> ", Duration.ofSeconds(10));
            assertThat(users(root.exec("who", null).out())).containsExactly("carol", "root");
            server.accounts().save(server.accounts().find("root").orElseThrow().toBuilder()
                    .permissions(java.util.Set.of()).build());
            assertThat(users(root.exec("who", null).out())).containsExactly("root");
        }
    }
}
