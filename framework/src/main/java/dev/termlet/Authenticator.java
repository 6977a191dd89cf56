package dev.termlet;

/**
 * A pluggable external authenticator (LDAP, an HTTP service, a database): consulted for every
 * password, public-key and keyboard-interactive attempt, after the {@code auth} handlers and before the
 * account store. It runs on Termlet's auth executor, never on an I/O thread.
 */
@FunctionalInterface
public interface Authenticator {

    /**
     * Decides one attempt.
     *
     * @param request the attempt
     * @return {@link AuthResult#ALLOW}, {@link AuthResult#DENY} or {@link AuthResult#DEFER} to let the
     *     account store decide
     * @throws Exception any failure, which counts as a denial and is logged
     */
    AuthResult authenticate(AuthRequest request) throws Exception;
}
