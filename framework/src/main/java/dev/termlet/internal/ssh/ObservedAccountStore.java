package dev.termlet.internal.ssh;

import dev.termlet.auth.Account;
import dev.termlet.auth.AccountStore;
import dev.termlet.auth.AuthMethod;
import dev.termlet.auth.JsonAccountStore;
import dev.termlet.auth.PasswordHasher;
import java.security.PublicKey;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * An account store that reports its changes ({@code added}, {@code updated}, {@code removed}) after they are made,
 * so that the server can fire the account events whoever changed the store through the server.
 */
public final class ObservedAccountStore implements AccountStore {
    /** What changed. */
    public enum Change {
        /** A new account. */
        ADDED,
        /** An existing account was replaced. */
        UPDATED,
        /** An account was removed. */
        REMOVED
    }

    private final AccountStore delegate;
    private volatile BiConsumer<Change, Account> listener = (c, a) -> { };

    /**
     * Wraps a store.
     *
     * @param delegate the store holding the accounts
     */
    public ObservedAccountStore(AccountStore delegate) {
        this.delegate = delegate;
    }

    /** @return the store holding the accounts */
    public AccountStore delegate() {
        return delegate;
    }

    /**
     * Sets who hears of changes.
     *
     * @param listener called after each change, on the changing thread
     */
    public void listener(BiConsumer<Change, Account> listener) {
        this.listener = listener;
    }

    @Override
    public Optional<Account> find(String name) {
        return delegate.find(name);
    }

    @Override
    public List<Account> list() {
        return delegate.list();
    }

    @Override
    public void save(Account account) {
        boolean existed = delegate.find(account.name()).isPresent();
        try {
            delegate.save(account);
        } finally {
            reportChangesFromDisk();
        }
        listener.accept(existed ? Change.UPDATED : Change.ADDED, account);
    }

    @Override
    public boolean remove(String name) {
        Optional<Account> old = delegate.find(name);
        boolean removed;
        try {
            removed = delegate.remove(name);
        } finally {
            reportChangesFromDisk();
        }
        if (removed && old.isPresent()) {
            listener.accept(Change.REMOVED, old.get());
        }
        return removed;
    }

    /** Reloads the store, then reports each change as if it had been made through this store. */
    @Override
    public Changes reload() {
        Changes changes = delegate.reload();
        report(changes);
        return changes;
    }

    /**
     * Reports the changes the wrapped store learns of by itself (see {@link AccountStore#watch}) as if made through
     * this store.
     *
     * @return closing it stops reporting them
     */
    public AutoCloseable watchOutside() {
        return delegate.watch(this::report);
    }

    /** Subscribes to the wrapped store's own changes (see {@link AccountStore#watch}). */
    @Override
    public AutoCloseable watch(java.util.function.Consumer<Changes> listener) {
        return delegate.watch(listener);
    }

    @Override
    public Optional<Boolean> changedOutside() {
        return delegate.changedOutside();
    }

    /**
     * Reports the changes of {@code users.json} made by another process that a save or remove of the
     * {@link JsonAccountStore} found and kept before its own change, as a reload would.
     */
    private void reportChangesFromDisk() {
        if (delegate instanceof JsonAccountStore json) {
            report(json.takeChangesFromDisk());
        }
    }

    private void report(Changes changes) {
        changes.added().forEach(a -> listener.accept(Change.ADDED, a));
        changes.updated().forEach(a -> listener.accept(Change.UPDATED, a));
        changes.removed().forEach(a -> listener.accept(Change.REMOVED, a));
    }

    @Override
    public boolean isEmpty() {
        return delegate.isEmpty();
    }

    @Override
    public PasswordHasher hasher() {
        return delegate.hasher();
    }

    @Override
    public boolean checkPassword(String user, char[] password) {
        return delegate.checkPassword(user, password);
    }

    @Override
    public boolean checkPassword(String user, char[] password, AuthMethod method) {
        return delegate.checkPassword(user, password, method);
    }

    @Override
    public boolean checkPublicKey(String user, PublicKey key) {
        return delegate.checkPublicKey(user, key);
    }
}
