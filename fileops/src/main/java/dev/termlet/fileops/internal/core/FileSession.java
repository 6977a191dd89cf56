package dev.termlet.fileops.internal.core;

import dev.termlet.fileops.Protocol;

import dev.termlet.auth.Account;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.util.concurrent.Executor;
import org.apache.sshd.common.session.Session;

/**
 * Who performs file operations: one SFTP, SCP or FTP session of one user, with its root directory.
 *
 * @param user the user name
 * @param account the account as the store holds it now, or null for a user the store does not know (external auth):
 *     no limits then, unless {@code revoked}
 * @param revoked true when the user logged in with an account that is now gone or disabled, or when the account
 *     cannot be read: every operation is refused
 * @param protocol the protocol
 * @param remote the client's address
 * @param sessionId the session id
 * @param root the real root directory of the user's files
 * @param ssh the SSH session, or null (FTP)
 * @param events the ordered executor for asynchronous handlers, or null to use the SSH session's
 */
public record FileSession(String user, Account account, boolean revoked, Protocol protocol, SocketAddress remote,
        String sessionId, Path root, Session ssh, Executor events) {

    /** @return the virtual path of a real path below the root, such as {@code /docs/a.txt} */
    public String virtual(Path real) {
        Path rel = root.relativize(real.toAbsolutePath().normalize());
        String s = rel.toString().replace(real.getFileSystem().getSeparator(), "/");
        return s.isEmpty() ? "/" : "/" + s;
    }
}
