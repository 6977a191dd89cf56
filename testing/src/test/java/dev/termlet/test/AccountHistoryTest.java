package dev.termlet.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.auth.Account;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Shell history is private, and belongs to one account: a re-created account of the same name starts without it.
 * (Moved from the framework's tests to termlet-test's API; a fresh server for each test.)
 */
class AccountHistoryTest {
    @RegisterExtension
    final TermletExtension termlet = TermletExtension.builder()   // no handlers: the built-in commands
            .account("alice", "secret")
            .screenSize(100, 30)
            .build();

    private Path history() {
        return termlet.dataDir().resolve("history/alice.history");
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private static void prompt(TestClient shell) {
        shell.awaitScreen(s -> s.cursorLine().equals(">"));
    }

    @Test
    void aReCreatedAccountDoesNotInheritTheHistory() throws Exception {
        try (TestClient shell = termlet.login("alice")) {
            prompt(shell);
            shell.typeLine("echo first-secret");
            shell.awaitText("first-secret");
            prompt(shell);
        }
        assertThat(Files.readString(history())).contains("echo first-secret");
        try (TestClient shell = termlet.login("alice")) {
            prompt(shell);
            shell.typeLine("echo second-secret");
            shell.awaitScreen(s -> s.hasLine("second-secret"));
            prompt(shell);
            // removed while this session is open: the session ends and its history is not written back
            assertThat(termlet.server().accounts().remove("alice")).isTrue();
            assertThat(shell.awaitClosed(Duration.ofSeconds(10))).isTrue();
        }
        assertThat(history()).doesNotExist();
        termlet.server().accounts().save(Account.builder("alice").password("secret".toCharArray()).build());
        try (TestClient shell = termlet.login("alice")) {
            prompt(shell);
            shell.typeLine("history");
            VirtualScreen shown = shell.awaitText("1  history");
            prompt(shell);
            assertThat(shown).doesNotContain("secret").doesNotContain("2  ");
        }
        assertThat(Files.readString(history())).doesNotContain("secret");
    }

    @Test
    void historyIsPrivate(TestClient shell) throws Exception {
        prompt(shell);
        shell.typeLine("whoami");
        shell.awaitScreen(s -> s.hasLine("alice"));
        prompt(shell);
        assertThat(mode(history().getParent())).isEqualTo("rwx------");
        assertThat(mode(history())).isEqualTo("rw-------");
        // 'history clear' deletes the file; the next line writes it anew, private again
        shell.typeLine("history clear");
        shell.awaitText("History cleared.");
        shell.typeLine("whoami");
        shell.awaitScreen(s -> s.text().endsWith("History cleared.\n> whoami\nalice\n>"));
        shell.close();
        assertThat(Files.readString(history())).contains("whoami");
        assertThat(mode(history())).isEqualTo("rw-------");
    }
}
