package dev.termlet.internal.ssh;

import dev.termlet.auth.Account;
import dev.termlet.auth.AccountStore;
import dev.termlet.internal.session.ClientSession;
import dev.termlet.internal.ssh.ObservedAccountStore;
import dev.termlet.spi.ServerExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.sshd.common.session.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a change of the account store does to a running server, on the thread that made it: cached public-key
 * decisions of the user are dropped; an account removed or disabled has its shell and exec sessions told and
 * closed ({@code disconnected} fires) and its SSH connections (SFTP, SCP too) closed; a removed account's history
 * file is deleted (its home directory of files is kept: that is data, not a cache); then the extensions end what
 * they serve ({@link ServerExtension#accountChanged}).
 */
final class AccountChanges {
    private static final Logger LOG = LoggerFactory.getLogger(AccountChanges.class);

    private final AccountStore store;
    private final Collection<ClientSession> sessions;
    private final Collection<Connection> connections;
    private final List<ServerExtension> extensions;
    private final Function<String, Path> historyPath;

    /**
     * Creates the handling of account changes for one server.
     *
     * @param store the account store
     * @param sessions the live shell and exec sessions
     * @param connections the live connections
     * @param extensions the server's extensions
     * @param historyPath where a user's history file is, without creating it
     */
    AccountChanges(AccountStore store, Collection<ClientSession> sessions, Collection<Connection> connections,
            List<ServerExtension> extensions, Function<String, Path> historyPath) {
        this.store = store;
        this.sessions = sessions;
        this.connections = connections;
        this.extensions = extensions;
        this.historyPath = historyPath;
    }

    /**
     * Applies a change.
     *
     * @param change what changed
     * @param account the account as it is now, or as it was when removed
     */
    void apply(ObservedAccountStore.Change change, Account account) {
        String name = account.name();
        boolean removed = change == ObservedAccountStore.Change.REMOVED;
        for (Connection c : connections) {
            c.forgetKeyDecisions(name);
        }
        if (removed || !account.enabled()) {
            endSessions(name, removed);
        }
        if (removed) {
            try {
                Files.deleteIfExists(historyPath.apply(name));
            } catch (IOException e) {
                LOG.warn("cannot delete the history of removed account {}: {}", name, e.toString());
            }
        }
        for (ServerExtension extension : extensions) {
            try {
                extension.accountChanged(account, removed);
            } catch (RuntimeException e) {
                LOG.warn("{} failed to apply the change of account {}", extension.getClass().getName(), name, e);
            }
        }
    }

    private void endSessions(String name, boolean removed) {
        String why = removed ? "removed" : "disabled";
        int shells = 0;
        for (ClientSession s : sessions) {
            if (name.equals(s.user())) {
                s.endForAccount("Session closed: your account was " + why + ".", removed);
                shells++;
            }
        }
        int closed = 0;
        for (Connection c : connections) {
            Session t = c.transport();
            if (t != null && name.equals(c.user())) {
                t.close(false);
                closed++;
            }
        }
        if (shells + closed > 0) {
            LOG.info("account {} was {}: {} shell/exec session(s) and {} SSH connection(s) closed", name, why, shells,
                    closed);
        }
    }

    /**
     * Whether a connection's user logged in with an account that is now gone, disabled or unreadable.
     *
     * @param c an authenticated connection
     * @return true if the connection must not go on
     */
    boolean revoked(Connection c) {
        if (!c.accountExpected()) {
            return false;
        }
        try {
            Optional<Account> a = store.find(c.user());
            return a.isEmpty() || !a.get().enabled();
        } catch (RuntimeException e) {
            LOG.warn("cannot read the account of {}: {}", c.user(), e.toString());
            return true;
        }
    }
}
