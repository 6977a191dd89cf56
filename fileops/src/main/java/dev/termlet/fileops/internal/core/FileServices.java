package dev.termlet.fileops.internal.core;

import dev.termlet.spi.ExtensionContext;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.sshd.common.AttributeRepository;

/**
 * What the file server set up for the other protocols of the same server (the web module): the gate every file
 * operation goes through and the real directory of the users' homes. {@code FileOps} publishes it on the server while
 * it is configured; an extension registered after it finds it with {@link #of(ExtensionContext)}.
 *
 * @param gate the file gate
 * @param homes the real directory of the homes
 */
public record FileServices(FileGate gate, Path homes) {
    private static final AttributeRepository.AttributeKey<FileServices> KEY = new AttributeRepository.AttributeKey<>();

    /**
     * Publishes the services on the server of an extension context.
     *
     * @param context the extension context
     */
    public void publish(ExtensionContext context) {
        context.sshServer().setAttribute(KEY, this);
    }

    /**
     * @param context the extension context
     * @return the services of the file server configured on the same server, if one was
     */
    public static Optional<FileServices> of(ExtensionContext context) {
        return Optional.ofNullable(context.sshServer().getAttribute(KEY));
    }
}
