package dev.termlet.spi;

import java.io.IOException;

/**
 * A module that adds to the SSH server while it is built, for example termlet-fileops adding SFTP and SCP.
 * Register it with {@code Termlet.server().extension(...)}.
 */
@FunctionalInterface
public interface ServerExtension {

    /**
     * Adds to the server; called once, before the port opens.
     *
     * @param context the server being built
     * @throws IOException if the extension cannot prepare what it needs
     */
    void configure(ExtensionContext context) throws IOException;

    /**
     * Opens what the extension serves on its own (an FTP port); called after the SSH port opened.
     *
     * @throws IOException if it cannot; the server then stops again
     */
    default void start() throws IOException {}

    /** Closes what {@link #start()} opened; called when the server stops, before the SSH port closes. */
    default void stop() {}

    /**
     * Hears of a change in the account store, on the thread that made it, right after the change and before the
     * account event fires. An extension ends what it serves to an account that was removed or disabled (the server
     * has already closed the account's SSH sessions), and forgets what it keeps about a removed one.
     *
     * @param account the account as it is now, or as it was when removed
     * @param removed true if the account was removed
     */
    default void accountChanged(dev.termlet.auth.Account account, boolean removed) {}
}
