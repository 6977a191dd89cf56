package dev.termlet.server;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The offline tool refuses a data directory that another user owns, instead of leaving files the server cannot read. */
class AccountsCommandOwnerTest {
    @TempDir
    Path dir;

    @Test
    void refusesWhenTheDataDirectoryBelongsToAnotherUser() throws Exception {
        String me = Files.getOwner(dir).getName();
        assertThatCode(() -> AccountsCommand.requireOwner(dir, me)).doesNotThrowAnyException();
        assertThatThrownBy(() -> AccountsCommand.requireOwner(dir, "someone-else"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("owned by " + me)
                .hasMessageContaining("sudo -u " + me + " termlet accounts");
        // a data directory not made yet is made by this user: nothing to refuse
        assertThatCode(() -> AccountsCommand.requireOwner(dir.resolve("new"), "someone-else"))
                .doesNotThrowAnyException();
    }
}
