package dev.termlet.auth;

import java.security.PublicKey;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Where accounts live. The embedded default is {@link JsonAccountStore}; implement this for a database or
 * a directory. Implementations must be thread-safe.
 */
public interface AccountStore {

    /** The hasher used when an account sets a password. */
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

    /** @return whether the store holds no account */
    default boolean isEmpty() {
        return list().isEmpty();
    }

    /** @return the hasher that checks passwords */
    default PasswordHasher hasher() {
        return DEFAULT_HASHER;
    }

    /**
     * Checks a password in constant time. Unknown users, disabled accounts, accounts without a password or
     * without the password method spend the same time and fail.
     *
     * @param user the user name
     * @param password the password
     * @return true if it matches
     */
    default boolean checkPassword(String user, char[] password) {
        Optional<Account> a = find(user);
        if (a.isEmpty() || !a.get().enabled() || !a.get().allows(AuthMethod.PASSWORD)
                || a.get().passwordHash() == null) {
            hasher().verifyDummy(password);
            return false;
        }
        try {
            return hasher().verify(password, a.get().passwordHash());
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /**
     * Checks a public key against the account's authorized keys.
     *
     * @param user the user name
     * @param key the offered key
     * @return true if the account is enabled, allows public keys and lists the key
     */
    default boolean checkPublicKey(String user, PublicKey key) {
        Optional<Account> a = find(user);
        return a.isPresent() && a.get().enabled() && a.get().allows(AuthMethod.PUBLICKEY)
                && AuthorizedKeys.matches(a.get().authorizedKeys(), key);
    }
}
