package dev.termlet.fileops.internal.core;

import dev.termlet.fileops.Protocol;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.session.Session;

/** The {@link FileSession}s of SSH connections: one per protocol, kept on the MINA session. */
public final class SshFileSessions {
    private static final AttributeKey<FileSession> SFTP = new AttributeKey<>();
    private static final AttributeKey<FileSession> SCP = new AttributeKey<>();
    private static final AttributeKey<FileSession> SSH = new AttributeKey<>();

    private final FileGate gate;
    private final Path homes;

    /**
     * @param gate the gate every operation passes
     * @param homes the directory of users' homes
     */
    public SshFileSessions(FileGate gate, Path homes) {
        this.gate = gate;
        this.homes = homes;
    }

    Path home(String user) {
        Path h = gate.homeOf(homes, user);
        try {
            return h.toRealPath();
        } catch (IOException e) {
            return h;
        }
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
        Path home = home(user);
        VirtualRoot.createHome(home);
        return home;
    }

    /** The file session of an SSH session for a protocol; the account is read afresh each time. */
    public FileSession of(Session session, Protocol protocol) {
        AttributeKey<FileSession> key = protocol == Protocol.SCP ? SCP : protocol == Protocol.SSH ? SSH : SFTP;
        FileSession s = session.getAttribute(key);
        String user = session.getUsername();
        dev.termlet.spi.SshConnection c = gate.context().connection(session).orElse(null);
        if (s == null) {
            s = new FileSession(user, null, false, protocol, session.getRemoteAddress(), c != null ? c.id() : "?",
                    home(user), session, null);
            session.setAttribute(key, s);
        }
        // no Termlet connection: nothing says the user was unknown to the store, so expect an account
        FileGate.Live live = gate.live(user, c == null || c.accountExpected());
        return new FileSession(s.user(), live.account(), live.revoked(), s.protocol(), s.remote(), s.sessionId(),
                s.root(), s.ssh(), null);
    }
}
