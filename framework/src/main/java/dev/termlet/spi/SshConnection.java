package dev.termlet.spi;

import java.util.concurrent.Executor;

/**
 * An SSH connection as an extension sees it: found with {@link ExtensionContext#connection}. Thread-safe.
 */
public interface SshConnection {

    /** @return the connection id, unique in this process (as in the logs' MDC) */
    String id();

    /**
     * Whether the user logged in with an account of the store; see {@link ForeignConnection#accountExpected()}.
     *
     * @return true if an account is expected
     */
    boolean accountExpected();

    /** @return the ordered executor of this connection's asynchronous handlers */
    Executor events();

    /**
     * Holds the connection's {@code connection-closed} event back until the returned release runs, so that it
     * comes after the {@code disconnected} of a session the extension runs on the connection (SFTP, SCP).
     *
     * @return the release; running it more than once releases once
     */
    Runnable hold();
}
