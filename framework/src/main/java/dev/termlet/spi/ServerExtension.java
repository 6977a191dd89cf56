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
}
