package dev.termlet.spi;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * A connection of another protocol (FTP) that the server admitted: it counts against the connection limits,
 * authenticates through the same pipeline as SSH passwords (auth events, external authenticator, account store,
 * protector strikes) and fires {@code connection-closed} when closed. Thread-safe.
 */
public interface ForeignConnection extends AutoCloseable {

    /** @return the connection id, unique in this process */
    String id();

    /** @return the client's address */
    SocketAddress remote();

    /** @return the ordered executor for this connection's asynchronous handlers */
    Executor events();

    /** @return the authenticated user, or null */
    String user();

    /**
     * Whether the user logged in with an account of the store (it existed at login, or the store approved the
     * password). If such an account is gone or disabled later, refuse the user: only users that external auth
     * admitted without an account may go without one.
     *
     * @return true if an account is expected
     */
    boolean accountExpected();

    /**
     * Decides a password login, on the calling thread; a failure returns after the protector's failure delay.
     *
     * @param user the user name
     * @param password the password; never logged
     * @return true if the user is now logged in on this connection
     */
    boolean authenticate(String user, String password);

    /** @return how long the connection has been open */
    Duration age();

    /** @return the SLF4J MDC fields of this connection ({@code connection}, {@code remote}, {@code user}) */
    Map<String, String> mdc();

    /**
     * Ends the connection's accounting: releases its limits, gives a connection that never authenticated the
     * protector's {@code NO_AUTH} strike, and fires {@code connection-closed}; idempotent.
     */
    @Override
    void close();
}
