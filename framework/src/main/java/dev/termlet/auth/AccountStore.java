package dev.termlet.auth;

import java.security.PublicKey;
import java.util.List;
import java.util.Optional;

/**
 * Where accounts live. The embedded default is {@link JsonAccountStore}; implement this for a database or
 * a directory. Implementations must be thread-safe.
 */
public interface AccountStore {

    /** The shared default hasher: used by {@link Account.Builder#password(char[])} and {@link #hasher()}. */
    PasswordHasher DEFAULT_HASHER = new PasswordHasher();

    /**
     * Finds an account.
     *
     * @param name the user name
     * @return the account, if any
     */
    Optional<Account> find(String name);

    /** @return every account, sorted by name */
    List<Account> list();

    /**
     * Creates or replaces an account.
     *
     * @param account the account
     */
    void save(Account account);

    /**
     * Removes an account.
     *
     * @param name the user name
     * @return true if it existed
     */
    boolean remove(String name);

    /**
     * Reads the accounts again from where the store keeps them, for a store that holds them in memory and a file
     * that someone changed (by hand, or another program): {@link JsonAccountStore} re-reads {@code users.json}.
     * Through a server's store ({@code server.accounts()}), each change then takes effect as if made through the
     * server: the sessions of a removed or disabled account are closed and the account events fire. The default
     * does nothing, for stores that are always read live.
     *
     * @return what changed
     * @throws IllegalStateException if the accounts cannot be read (the store then keeps what it had)
     */
    default Changes reload() {
        return Changes.NONE;
    }

    /**
     * Whether the accounts where the store keeps them differ from what it last read or wrote, as a cheap check for a
     * watcher that decides when to {@link #reload()}: {@link JsonAccountStore} compares {@code users.json}'s
     * identity, size and time with those of the file it last read or wrote successfully.
     *
     * @return true or false, or empty when the store cannot tell (the default)
     */
    default Optional<Boolean> changedOutside() {
        return Optional.empty();
    }

    /**
     * Subscribes to the changes this store learns of without being told through {@link #save} or {@link #remove}:
     * those made elsewhere (another node of a cluster on one database, another program) and pushed to the store. A
     * server subscribes when it starts and applies each change as if made through it: the sessions of a removed or
     * disabled account are closed on this node, remembered password checks and key decisions are dropped, extensions
     * are told and the account events fire. A store that learns nothing by itself (the default, and
     * {@link JsonAccountStore}, whose file is watched through {@link #changedOutside()} and {@link #reload()}) never
     * calls the listener.
     *
     * @param listener called with each batch of changes, on a thread of the store; keep the work short
     * @return closing it ends the subscription
     */
    default AutoCloseable watch(java.util.function.Consumer<Changes> listener) {
        return () -> { };
    }

    /**
     * What a {@link #reload()} changed.
     *
     * @param added accounts that are new
     * @param updated accounts that changed, as they are now
     * @param removed accounts that are gone, as they were
     */
    record Changes(List<Account> added, List<Account> updated, List<Account> removed) {
        /** No change. */
        public static final Changes NONE = new Changes(List.of(), List.of(), List.of());

        /**
         * Copies the lists.
         *
         * @param added accounts that are new
         * @param updated accounts that changed
         * @param removed accounts that are gone
         */
        public Changes {
            added = List.copyOf(added);
            updated = List.copyOf(updated);
            removed = List.copyOf(removed);
        }

        /** @return whether nothing changed */
        public boolean isEmpty() {
            return added.isEmpty() && updated.isEmpty() && removed.isEmpty();
        }
    }

    /** @return whether the store holds no account */
    default boolean isEmpty() {
        return list().isEmpty();
    }

    /** @return the hasher that checks passwords; by default the shared {@link #DEFAULT_HASHER} */
    default PasswordHasher hasher() {
        return DEFAULT_HASHER;
    }

    /**
     * Checks a password with {@link #hasher()}. Unknown users, disabled accounts, accounts without a password
     * and accounts that do not allow {@link AuthMethod#PASSWORD} fail after the same Argon2id work as a real
     * check, so timing does not tell whether a user exists.
     *
     * @param user the user name
     * @param password the password offered; the caller owns the array and should wipe it
     * @return true if the account may log in with this password
     */
    default boolean checkPassword(String user, char[] password) {
        return checkPassword(user, password, AuthMethod.PASSWORD);
    }

    /**
     * Checks a password given through a method: {@link AuthMethod#PASSWORD}, or the first answer of a
     * {@link AuthMethod#KEYBOARD_INTERACTIVE} login. The account must allow that method. Unknown users,
     * disabled accounts and accounts without a password spend the same time and fail.
     *
     * @param user the user name
     * @param password the password; the caller owns the array
     * @param method the method it came through
     * @return true if it matches
     */
    default boolean checkPassword(String user, char[] password, AuthMethod method) {
        Optional<Account> found = user == null ? Optional.empty() : find(user);
        if (found.isEmpty() || !found.get().enabled() || !found.get().allows(method)
                || found.get().passwordHash() == null) {
            hasher().verifyDummy(password);
            return false;
        }
        return hasher().verify(password, found.get().passwordHash());
    }

    /**
     * Checks a public key against the account's authorized keys (see {@link AuthorizedKeys#matches}), parsed once
     * per {@link Account} instance (a changed account is a new instance, so a removed key stops matching at once).
     *
     * @param user the user name
     * @param key the offered key
     * @return true if the account is enabled, allows public keys and lists the key
     */
    default boolean checkPublicKey(String user, PublicKey key) {
        Optional<Account> a = user == null ? Optional.empty() : find(user);
        return key != null && a.isPresent() && a.get().enabled() && a.get().allows(AuthMethod.PUBLICKEY)
                && AuthorizedKeys.matchesAny(a.get().parsedAuthorizedKeys(), key);
    }
}
