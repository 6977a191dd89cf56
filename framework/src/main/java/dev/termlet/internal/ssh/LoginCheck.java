package dev.termlet.internal.ssh;

import dev.termlet.auth.Account;
import dev.termlet.auth.AccountStore;
import dev.termlet.auth.JsonAccountStore;
import dev.termlet.event.Events;
import dev.termlet.internal.Settings;
import dev.termlet.internal.dispatch.Dispatcher;
import dev.termlet.internal.ssh.ObservedAccountStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says so at start when nobody can log in: no enabled account with a password or a key, no external authenticator
 * and no {@code auth} handler. A first app started as the README shows has no account yet; without this line, its
 * author only sees every login fail.
 */
final class LoginCheck {
    private static final Logger LOG = LoggerFactory.getLogger(LoginCheck.class);

    private LoginCheck() {}

    /**
     * Whether an account can log in by itself: enabled, with a password or at least one key.
     *
     * @param a the account
     * @return true if it can
     */
    static boolean canLogIn(Account a) {
        return a.enabled() && (a.passwordHash() != null || !a.authorizedKeys().isEmpty());
    }

    /**
     * Logs a warning, with what to do, when no one can log in.
     *
     * @param settings the server's settings
     * @param dispatcher its handlers
     * @return true if it warned
     */
    static boolean warnIfNoOneCanLogIn(Settings settings, Dispatcher dispatcher) {
        if (settings.authenticator() != null || dispatcher.has(Events.AUTH)) {
            return false;
        }
        AccountStore store = settings.accounts();
        try {
            if (store.list().stream().anyMatch(LoginCheck::canLogIn)) {
                return false;
            }
        } catch (RuntimeException e) {
            LOG.debug("cannot list the accounts to check that someone can log in: {}", e.toString());
            return false;
        }
        AccountStore inner = store instanceof ObservedAccountStore ? ((ObservedAccountStore) store).delegate() : store;
        String where = inner instanceof JsonAccountStore ? " (" + ((JsonAccountStore) inner).file() + ")" : "";
        LOG.warn("No one can log in: the account store{} has no enabled account with a password or key, and there is"
                + " no authenticator and no @OnUser(\"auth\") handler. Add an account, for example"
                + " server.accounts().save(Account.builder(\"alice\").password(chars).build()), or give the builder"
                + " an authenticator(...); see docs/auth.md.", where);
        return true;
    }
}
