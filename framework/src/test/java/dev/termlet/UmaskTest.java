package dev.termlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.termlet.auth.Account;
import dev.termlet.auth.AccountStore;
import dev.termlet.auth.JsonAccountStore;
import dev.termlet.spi.ExtensionContext;
import dev.termlet.testing.HostKeyCache;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The umask an extension applies to a user: the live account's own, else the server's; never looser on a failure. */
class UmaskTest {
    @TempDir
    Path data;

    /** Keeps the context it is given. */
    static final class Capture implements dev.termlet.spi.ServerExtension {
        ExtensionContext context;

        @Override
        public void configure(ExtensionContext c) {
            this.context = c;
        }
    }

    /** A store that cannot read one account. */
    static final class Failing implements AccountStore {
        private final AccountStore in;

        Failing(AccountStore in) {
            this.in = in;
        }

        @Override
        public Optional<Account> find(String name) {
            if ("broken".equals(name)) {
                throw new IllegalStateException("database down");
            }
            return in.find(name);
        }

        @Override
        public List<Account> list() {
            return in.list();
        }

        @Override
        public void save(Account account) {
            in.save(account);
        }

        @Override
        public boolean remove(String name) {
            return in.remove(name);
        }
    }

    @Test
    void theAccountsOwnWinsOverTheServersAndChangesApplyAtOnce() {
        Capture ext = new Capture();
        try (TermletServer server = Termlet.server().port(0).dataDir(HostKeyCache.seed(data)).extension(ext).build()) {
            server.accounts().save(Account.builder("alice").umask(027).build());
            server.accounts().save(Account.builder("bob").build());
            assertThat(ext.context.umask("alice")).isEqualTo(027);
            assertThat(ext.context.umask("bob")).as("the server's default").isEqualTo(022);
            assertThat(ext.context.umask("external-user")).isEqualTo(022);
            server.accounts().save(server.accounts().find("alice").orElseThrow().toBuilder().umask(077).build());
            assertThat(ext.context.umask("alice")).isEqualTo(077);
            server.accounts().save(server.accounts().find("alice").orElseThrow().toBuilder().umask(null).build());
            assertThat(ext.context.umask("alice")).isEqualTo(022);
        }
    }

    @Test
    void theServersUmaskIsSetAndValidated() {
        Capture ext = new Capture();
        try (TermletServer server = Termlet.server().port(0).dataDir(HostKeyCache.seed(data)).umask(0)
                .accounts(new Failing(JsonAccountStore.open(data))).extension(ext).build()) {
            server.accounts().save(Account.builder("carol").umask(07).build());
            assertThat(ext.context.umask("bob")).isEqualTo(0);
            assertThat(ext.context.umask("carol")).isEqualTo(07);
            assertThat(ext.context.umask("broken")).as("an unreadable account gets no group or other bits")
                    .isEqualTo(077);
        }
        assertThatThrownBy(() -> Termlet.server().umask(01000)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("umask must be 0 to 0777 (octal), not 01000");
        assertThatThrownBy(() -> Termlet.server().umask(-2)).isInstanceOf(IllegalArgumentException.class);
    }
}
