package dev.termlet.fileops;

import dev.termlet.auth.FilePermission;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.digest.Digest;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.sftp.common.extensions.SpaceAvailableExtensionInfo;
import org.apache.sshd.sftp.server.SftpSubsystem;
import org.apache.sshd.sftp.server.SftpSubsystemConfigurator;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * The SFTP requests that ask about files rather than change them: {@code stat}/{@code lstat} fire {@code exists},
 * the {@code check-file} and {@code md5-hash} extensions need the download permission and fire {@code hash},
 * {@code space-available} fires {@code space}.
 */
final class SftpQueries extends SftpSubsystem {
    private final FileGate gate;
    private final SshFileSessions sessions;

    private SftpQueries(ChannelSession channel, SftpSubsystemConfigurator configurator, FileGate gate,
            SshFileSessions sessions) {
        super(channel, configurator);
        this.gate = gate;
        this.sessions = sessions;
    }

    /** A factory of SFTP subsystems that fire the query events. */
    static SftpSubsystemFactory factory(FileGate gate, SshFileSessions sessions) {
        return new SftpSubsystemFactory() {
            @Override
            public Command createSubsystem(ChannelSession channel) throws IOException {
                SftpQueries subsystem = new SftpQueries(channel, this, gate, sessions);
                getRegisteredListeners().forEach(subsystem::addSftpEventListener);
                return subsystem;
            }
        };
    }

    @Override
    protected void doInit(Buffer buffer, int id) throws IOException {
        super.doInit(buffer, id);
        if (gate.context().listens(dev.termlet.event.Events.CONNECT_SFTP)) {
            FileSession s = s();
            gate.fire(dev.termlet.event.Events.CONNECT_SFTP, s, new FileClient(s, getServerChannelSession()));
        }
    }

    private FileSession s() {
        return sessions.of(getServerSession(), Protocol.SFTP);
    }

    private Map<String, Object> exists(String path, boolean follow, int id, int flags) throws IOException {
        long start = System.nanoTime();
        FileSession s = s();
        Path real = SftpEvents.real(resolveFile(path).toAbsolutePath().normalize());
        try {
            Map<String, Object> attrs = follow ? super.doStat(id, path, flags) : super.doLStat(id, path, flags);
            gate.post(FileEvents.EXISTS, s, gate.event(s, real, null, null), null, start);
            return attrs;
        } catch (IOException | RuntimeException e) {
            gate.post(FileEvents.EXISTS, s, gate.event(s, real, null, null), e, start);
            throw e;
        }
    }

    @Override
    protected Map<String, Object> doStat(int id, String path, int flags) throws IOException {
        return gate.context().listens(FileEvents.EXISTS) ? exists(path, true, id, flags) : super.doStat(id, path, flags);
    }

    @Override
    protected Map<String, Object> doLStat(int id, String path, int flags) throws IOException {
        return gate.context().listens(FileEvents.EXISTS) ? exists(path, false, id, flags)
                : super.doLStat(id, path, flags);
    }

    private FileEvent hashing(Path file) throws IOException {
        FileSession s = s();
        FileEvent e = gate.event(s, SftpEvents.real(file.toAbsolutePath().normalize()), null, "READ");
        gate.permit(s, FilePermission.DOWNLOAD, e.path());
        return e;
    }

    @Override
    protected void doCheckFileHash(int id, Path file, NamedFactory<? extends Digest> factory, long startOffset,
            long length, int blockSize, Buffer buffer) throws Exception {
        FileEvent e = hashing(file);
        long start = System.nanoTime();
        try {
            super.doCheckFileHash(id, file, factory, startOffset, length, blockSize, buffer);
            gate.post(FileEvents.HASH, s(), e, null, start);
        } catch (Exception ex) {
            gate.post(FileEvents.HASH, s(), e, ex, start);
            throw ex;
        }
    }

    @Override
    protected byte[] doMD5Hash(int id, Path path, long startOffset, long length, byte[] quickCheckHash)
            throws Exception {
        FileEvent e = hashing(path);
        long start = System.nanoTime();
        try {
            byte[] hash = super.doMD5Hash(id, path, startOffset, length, quickCheckHash);
            gate.post(FileEvents.HASH, s(), e, null, start);
            return hash;
        } catch (Exception ex) {
            gate.post(FileEvents.HASH, s(), e, ex, start);
            throw ex;
        }
    }

    @Override
    protected SpaceAvailableExtensionInfo doSpaceAvailable(int id, String path) throws IOException {
        long start = System.nanoTime();
        SpaceAvailableExtensionInfo info = super.doSpaceAvailable(id, path);
        FileSession s = s();
        gate.post(FileEvents.SPACE, s, gate.event(s, SftpEvents.real(resolveNormalizedLocation(path)), null, null)
                .withSize(info.unusedBytesOnDevice), null, start);
        return info;
    }
}
