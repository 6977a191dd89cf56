package dev.termlet.fileops;

import dev.termlet.internal.ssh.Connection;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.session.Session;

/** The {@link FileSession}s of SSH connections: one per protocol, kept on the MINA session. */
final class SshFileSessions {
    private static final AttributeKey<FileSession> SFTP = new AttributeKey<>();
    private static final AttributeKey<FileSession> SCP = new AttributeKey<>();

    private final FileGate gate;
    private final Path homes;

    SshFileSessions(FileGate gate, Path homes) {
        this.gate = gate;
        this.homes = homes;
    }

    Path home(String user) {
        return homes.resolve(user);
    }

    /**
     * The home directory of a user, made if missing (private to the server's user: 0700).
     *
     * @throws IOException for a name that cannot be a directory name, or when it cannot be made
     */
    Path homeOf(String user) throws IOException {
        if (!dev.termlet.auth.Account.validName(user)) {
            throw new IOException("no home directory for a user named like this");
        }
        Path home = homes.resolve(user);
        if (!java.nio.file.Files.isDirectory(home, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try {
                java.nio.file.Files.createDirectory(home, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // made by another session of the same user
            }
        }
        return home;
    }

    /** The file session of an SSH session for a protocol; the account is read afresh each time. */
    FileSession of(Session session, Protocol protocol) {
        AttributeKey<FileSession> key = protocol == Protocol.SCP ? SCP : SFTP;
        FileSession s = session.getAttribute(key);
        String user = session.getUsername();
        if (s == null) {
            Connection c = session.getAttribute(Connection.KEY);
            s = new FileSession(user, null, protocol, session.getRemoteAddress(), c != null ? c.id() : "?",
                    home(user), session, null);
            session.setAttribute(key, s);
        }
        return new FileSession(s.user(), gate.account(user), s.protocol(), s.remote(), s.sessionId(), s.root(),
                s.ssh(), null);
    }
}
