package dev.termlet;

/** What an {@code auth} handler or an external {@link Authenticator} decides about a login attempt. */
public enum AuthResult {
    /** Let the user in. */
    ALLOW,
    /** Refuse the attempt; the client sees an ordinary SSH authentication failure. */
    DENY,
    /** No opinion: the next handler, then the account store, decides. */
    DEFER
}
