package dev.termlet.fileops.internal.sftp;

import dev.termlet.fileops.internal.core.VirtualRoot;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;
import org.apache.sshd.sftp.server.SftpErrorStatusDataHandler;
import org.apache.sshd.sftp.server.SftpSubsystemEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cap on open SFTP handles (files and directories) per SSH connection, counted over all its SFTP channels,
 * so that one client cannot use up the server's file descriptors. Past the cap an open gets
 * {@code SSH_FX_FAILURE} with a message saying why, and the session goes on.
 *
 * <p>MINA's own {@code max-open-handles-per-session} is per SFTP channel and answers
 * {@code SSH_FX_NO_SPACE_ON_FILESYSTEM} ("No space on filesystem", undefined in SFTP v3), so Termlet sets it to
 * the same value (it is what {@code limits@openssh.com} reports) and checks the connection's total first.
 */
public final class SftpHandleLimit {
    /**
     * The default cap. OpenSSH's sftp-server has no fixed cap: it runs one process per session and reports
     * {@code RLIMIT_NOFILE - 5} (1019 with the usual soft limit of 1024). Clients hold a few handles (one per
     * transfer, one per directory being listed); sshfs holds one per file its users have open. Half of
     * OpenSSH's usual figure leaves room for all of them while 20 sessions of one user (the default per-user
     * limit) hold at most 10,240.
     */
    public static final int DEFAULT = 512;

    private static final Logger LOG = LoggerFactory.getLogger(SftpHandleLimit.class);
    private static final AttributeKey<Set<SftpQueries>> CHANNELS = new AttributeKey<>();
    private static final AttributeKey<Boolean> WARNED = new AttributeKey<>();

    /**
     * Tells SFTP clients why an open was refused (MINA's default sends only the status's generic text): too many
     * handles, or not a regular file (a FIFO, socket or device).
     */
    public static final SftpErrorStatusDataHandler STATUS = new SftpErrorStatusDataHandler() {
        @Override
        public String resolveErrorMessage(SftpSubsystemEnvironment sftpSubsystem, int id, Throwable e, int subStatus,
                int cmd, Object... args) {
            return e instanceof Exceeded || e instanceof VirtualRoot.NotRegularFileException ? e.getMessage()
                    : SftpErrorStatusDataHandler.super.resolveErrorMessage(sftpSubsystem, id, e, subStatus, cmd, args);
        }
    };

    /** An open refused because the connection holds as many handles as it may. */
    static final class Exceeded extends SftpException {
        private static final long serialVersionUID = 1L;

        Exceeded(int limit) {
            super(SftpConstants.SSH_FX_FAILURE, "too many open handles: this connection may hold " + limit
                    + "; close some first");
        }
    }

    private SftpHandleLimit() {}

    /** Counts an SFTP channel's handles in its connection's total. */
    static void opened(ServerSession session, SftpQueries channel) {
        session.computeAttributeIfAbsent(CHANNELS, k -> ConcurrentHashMap.newKeySet()).add(channel);
    }

    /** Stops counting a closed SFTP channel. */
    static void closed(ServerSession session, SftpQueries channel) {
        Set<SftpQueries> channels = session.getAttribute(CHANNELS);
        if (channels != null) {
            channels.remove(channel);
        }
    }

    /**
     * Refuses a new handle when the connection holds {@code limit} already (logged once per connection).
     *
     * @param session the connection
     * @param limit the cap
     * @throws Exceeded if the connection is at the cap
     */
    static void check(ServerSession session, int limit) throws Exceeded {
        Set<SftpQueries> channels = session.getAttribute(CHANNELS);
        int open = 0;
        if (channels != null) {
            for (SftpQueries c : channels) {
                open += c.openHandles();
            }
        }
        if (open < limit) {
            return;
        }
        if (session.setAttribute(WARNED, Boolean.TRUE) == null) {
            LOG.warn("SFTP connection of {} from {} reached its limit of {} open handles; further opens are refused",
                    session.getUsername(), session.getClientAddress(), limit);
        }
        throw new Exceeded(limit);
    }
}
