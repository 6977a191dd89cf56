package dev.termlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.auth.Account;
import dev.termlet.testing.HostKeyCache;
import dev.termlet.testing.Ssh;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Shell history is private, and belongs to one account: a re-created account of the same name starts without it. */
class AccountHistoryTest {
    @TempDir
    Path data;

    TermletServer server;

    @BeforeEach
    void start() {
        server = Termlet.server().port(0).dataDir(HostKeyCache.seed(data)).build();
        server.accounts().save(alice());
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static Account alice() {
        return Account.builder("alice").password("secret".toCharArray()).build();
    }

    private Path history() {
        return data.resolve("history/alice.history");
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void aReCreatedAccountDoesNotInheritTheHistory() throws Exception {
        try (Ssh ssh = Ssh.password(server.port(), "alice", "secret"); Ssh.Shell shell = ssh.shell(100, 30)) {
            shell.out().await("> ");
            shell.send("echo first-secret\r");
            shell.out().await("first-secret\r\n");
            shell.out().await("> ");
        }
        assertThat(Files.readString(history())).contains("echo first-secret");
        try (Ssh ssh = Ssh.password(server.port(), "alice", "secret"); Ssh.Shell shell = ssh.shell(100, 30)) {
            shell.out().await("> ");
            shell.send("echo second-secret\r");
            shell.out().await("second-secret\r\n");
            shell.out().await("> ");
            // removed while this session is open: the session ends and its history is not written back
            assertThat(server.accounts().remove("alice")).isTrue();
            assertThat(shell.awaitClosed(Duration.ofSeconds(10))).isTrue();
        }
        assertThat(history()).doesNotExist();
        server.accounts().save(alice());
        try (Ssh ssh = Ssh.password(server.port(), "alice", "secret"); Ssh.Shell shell = ssh.shell(100, 30)) {
            shell.out().await("> ");
            shell.send("history\r");
            String shown = shell.out().await("1  history\r\n");
            shell.out().await("> ");
            assertThat(shown).doesNotContain("secret");
            assertThat(shell.out().text()).doesNotContain("2  ");
        }
        assertThat(Files.readString(history())).doesNotContain("secret");
    }

    @Test
    void historyIsPrivate() throws Exception {
        try (Ssh ssh = Ssh.password(server.port(), "alice", "secret"); Ssh.Shell shell = ssh.shell(100, 30)) {
            shell.out().await("> ");
            shell.send("whoami\r");
            shell.out().await("alice\r\n");
            shell.out().await("> ");
            assertThat(mode(history().getParent())).isEqualTo("rwx------");
            assertThat(mode(history())).isEqualTo("rw-------");
            // 'history clear' deletes the file; the next line writes it anew, private again
            shell.send("history clear\r");
            shell.out().await("History cleared.");
            shell.send("whoami\r");
            shell.out().await("alice\r\n");
            shell.out().await("> ");
        }
        assertThat(Files.readString(history())).contains("whoami");
        assertThat(mode(history())).isEqualTo("rw-------");
    }
}
