package dev.termlet.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.TermletServer;
import dev.termlet.auth.Account;
import dev.termlet.protector.ProtectorSettings;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code who} shows an admin every session and anyone else their own, over real SSH connections. (Moved from the
 * framework's tests to termlet-test's API.)
 */
class WhoTest {
    @RegisterExtension
    final TermletExtension termlet = TermletExtension.builder()   // no handlers: the built-in commands
            .account("bob", "pw-bob")
            .account("carol", "pw-carol")
            .account(Account.builder("root").password("pw-root".toCharArray()).addPermission("admin").build(),
                    "pw-root")
            .configure(b -> b.protector(new ProtectorSettings().safe("127.0.0.0/8").failureDelay(Duration.ZERO)))
            .screenSize(100, 30)
            .build();

    /** The user names of the lines {@code who} printed. */
    private static List<String> users(String who) {
        return who.lines().filter(l -> !l.isBlank()).map(l -> l.split("\\s+")[0]).sorted()
                .collect(Collectors.toList());
    }

    @Test
    void onlyAnAdminSeesOtherUsersSessions(TestClient bob, TermletServer server) {
        TestClient carol = termlet.login("carol");
        bob.awaitText(">");
        carol.awaitText(">");
        String carolSession = server.sessions().stream().filter(s -> s.user().equals("carol")).findFirst()
                .orElseThrow().sessionId();

        // bob, in his shell: his shell only
        bob.typeLine("who");
        VirtualScreen shown = bob.awaitScreen(s -> s.contains("127.0.0.1:") && s.cursorLine().equals(">"));
        assertThat(shown.text().substring(shown.text().indexOf("> who"))).containsOnlyOnce("127.0.0.1:")
                .contains("bob ").doesNotContain("carol").doesNotContain(carolSession);

        // carol, over exec: her shell and this exec; not bob's
        ExecResult carolWho = carol.exec("who");
        assertThat(carolWho.status()).isZero();
        assertThat(users(carolWho.out())).containsExactly("carol", "carol");
        assertThat(carolWho.out()).contains(carolSession).contains("127.0.0.1:");

        // an admin: every session, with its address
        ExecResult rootWho = termlet.login("root").exec("who");
        assertThat(rootWho.status()).isZero();
        assertThat(users(rootWho.out())).containsExactly("bob", "carol", "root");
        assertThat(rootWho.out()).contains(carolSession);
    }

    @Test
    void revokingAdminHidesTheOthersAtOnce(TermletServer server) {
        termlet.login("carol").awaitText(">");
        TestClient root = termlet.login("root");
        assertThat(users(root.exec("who").out())).containsExactly("carol", "root");
        server.accounts().save(server.accounts().find("root").orElseThrow().toBuilder().permissions(Set.of()).build());
        assertThat(users(root.exec("who").out())).containsExactly("root");
    }
}
