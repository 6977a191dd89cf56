package dev.termlet.fileops;

import java.io.IOException;
import java.nio.channels.Channel;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.security.Principal;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.Handle;
import org.apache.sshd.sftp.server.SftpFileSystemAccessor;
import org.apache.sshd.sftp.server.SftpSubsystemProxy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How SFTP opens and closes files: a file opened to be written whole (new, or truncated) is written to a hidden
 * temporary file in the same directory and renamed over the target only when the client closes it; a client
 * that goes away mid-upload leaves the old file as it was and no temporary file behind. Writes are held to the
 * user's byte quota, and completed writes update the user's usage.
 */
final class SftpAccessor implements SftpFileSystemAccessor {
    private static final Logger LOG = LoggerFactory.getLogger(SftpAccessor.class);

    /** One open file being written. */
    private static final class Write {
        final FileSession session;
        final Path tmp;
        final long oldSize;
        final FileChannel channel;
        final Path target;
        volatile IOException failure;
        volatile boolean aborted;

        Write(FileSession session, Path target, Path tmp, long oldSize, FileChannel channel) {
            this.session = session;
            this.target = target;
            this.tmp = tmp;
            this.oldSize = oldSize;
            this.channel = channel;
        }
    }

    private final FileGate gate;
    private final SshFileSessions sessions;
    private final Map<Handle, Write> writes = new ConcurrentHashMap<>();
    private final Map<Handle, IOException> failures = new ConcurrentHashMap<>();
    private final Map<Path, Path> byTarget = new ConcurrentHashMap<>();

    SftpAccessor(FileGate gate, SshFileSessions sessions) {
        this.gate = gate;
        this.sessions = sessions;
    }

    /** Every path a client sends: control characters are refused before any event names the path. */
    @Override
    public Path resolveLocalFilePath(SftpSubsystemProxy subsystem, Path rootDir, String remotePath)
            throws IOException {
        VirtualRoot.checkClientPath(remotePath);
        if (sessions.of(subsystem.getServerSession(), Protocol.SFTP).revoked()) {
            // the account is gone or disabled: not even a stat or a realpath
            throw new java.nio.file.AccessDeniedException(remotePath, null, "the account is no longer valid");
        }
        return SftpFileSystemAccessor.super.resolveLocalFilePath(subsystem, rootDir, remotePath);
    }

    /**
     * Marks an open write as failed (a server-side copy into it was refused or failed): on close, its temporary
     * file is dropped and {@code upload-failed} fires.
     */
    void fail(Handle handle, IOException why) {
        Write w = writes.get(handle);
        if (w != null && w.failure == null) {
            w.failure = why;
        }
    }

    /** Marks a handle whose client left: its temporary file is dropped on close. */
    void abort(Handle handle) {
        Write w = writes.get(handle);
        if (w != null) {
            w.aborted = true;
        }
    }

    /**
     * The temporary file an open upload handle writes to, for requests on the handle (fstat, fsetstat, ftruncate).
     *
     * @param handle a handle
     * @return the temporary file, or null when the handle writes in place or does not write
     */
    Path temporaryOf(Handle handle) {
        Write w = handle == null ? null : writes.get(handle);
        return w == null ? null : w.tmp;
    }

    /** Whether a file is open for writing through this accessor. */
    boolean writing(Path file) {
        return byTarget.containsKey(file) || writes.values().stream().anyMatch(w -> w.tmp == null && file.equals(w.target));
    }

    /** The failure that spoiled a write (a quota), once, for the closing event. */
    IOException failure(Handle handle) {
        return failures.remove(handle);
    }

    /** The error SFTP clients get for a quota: QUOTA_EXCEEDED from version 5, a failure with the message before. */
    static IOException quotaError(int version, String message) {
        return new SftpException(version >= SftpConstants.SFTP_V5 ? SftpConstants.SSH_FX_QUOTA_EXCEEDED
                : SftpConstants.SSH_FX_FAILURE, message);
    }

    static boolean wholeFileWrite(Set<? extends OpenOption> options, Path file) {
        boolean write = options.contains(StandardOpenOption.WRITE);
        boolean append = options.contains(StandardOpenOption.APPEND);
        boolean replace = options.contains(StandardOpenOption.TRUNCATE_EXISTING)
                || options.contains(StandardOpenOption.CREATE_NEW) || !Files.exists(file);
        return write && !append && replace;
    }

    @Override
    public SeekableByteChannel openFile(SftpSubsystemProxy subsystem, FileHandle fileHandle, Path file, String handle,
            Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
        boolean writing = options.contains(StandardOpenOption.WRITE) || options.contains(StandardOpenOption.APPEND);
        if (!writing || fileHandle == null) {
            SeekableByteChannel ch = SftpFileSystemAccessor.super.openFile(subsystem, fileHandle, file, handle, options,
                    attrs);
            String user = subsystem.getServerSession().getUsername();
            // MINA's own reads (check-file, md5-hash) have no handle: not a transfer
            return fileHandle == null ? ch : Throttle.channel(ch, gate.throttle(user, false), null);
        }
        FileSession s = sessions.of(subsystem.getServerSession(), Protocol.SFTP);
        long oldSize = Files.exists(file, LinkOption.NOFOLLOW_LINKS) ? FileGate.sizeOf(SftpEvents.real(file)) : -1;
        Path tmp = null;
        FileChannel channel;
        if (wholeFileWrite(options, file)) {
            if (options.contains(StandardOpenOption.CREATE_NEW) && Files.exists(file)) {
                throw new java.nio.file.FileAlreadyExistsException(file.toString());
            }
            tmp = file.resolveSibling(Quotas.temporaryName(file.getFileName().toString(), "part"));
            Set<OpenOption> tmpOptions = new HashSet<>();
            tmpOptions.add(StandardOpenOption.WRITE);
            tmpOptions.add(StandardOpenOption.CREATE_NEW);
            if (options.contains(StandardOpenOption.READ)) {
                tmpOptions.add(StandardOpenOption.READ);
            }
            channel = FileChannel.open(tmp, tmpOptions, attrs);
            byTarget.put(file, tmp);
        } else {
            channel = FileChannel.open(file, options, attrs);
        }
        Write w = new Write(s, file, tmp, oldSize, channel);
        writes.put(fileHandle, w);
        int version = subsystem.getVersion();
        Path real = SftpEvents.real(file);
        return Throttle.channel(gate.quotas().limit(channel, s, oldSize, q -> {
            w.failure = q;
            gate.quotaExceeded(s, real, q);
        }, msg -> quotaError(version, msg)), gate.throttle(s.user(), false), gate.throttle(s.user(), true));
    }

    @Override
    public java.nio.file.DirectoryStream<Path> openDirectory(SftpSubsystemProxy subsystem,
            org.apache.sshd.sftp.server.DirectoryHandle dirHandle, Path dir, String handle, LinkOption... linkOptions)
            throws IOException {
        java.nio.file.DirectoryStream<Path> stream = SftpFileSystemAccessor.super.openDirectory(subsystem, dirHandle,
                dir, handle, linkOptions);
        if (!gate.context().listens(FileEvents.LIST_SEND)) {
            return hidingTemporaries(stream);
        }
        FileSession s = sessions.of(subsystem.getServerSession(), Protocol.SFTP);
        java.util.List<Path> entries = new java.util.ArrayList<>();
        try (stream) {
            for (Path p : stream) {
                if (!Quotas.TEMP.matcher(p.getFileName().toString()).matches()) {
                    entries.add(p);
                }
            }
        }
        java.util.List<String> kept = gate.listSend(s, SftpEvents.real(dir),
                entries.stream().map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toList()));
        java.util.Set<String> keep = new java.util.HashSet<>(kept);
        entries.removeIf(p -> !keep.contains(p.getFileName().toString()));
        return new java.nio.file.DirectoryStream<>() {
            @Override
            public java.util.Iterator<Path> iterator() {
                return entries.iterator();
            }

            @Override
            public void close() {
                // nothing held open
            }
        };
    }

    /** Upload temporaries are the server's business: clients never see them in listings. */
    private static java.nio.file.DirectoryStream<Path> hidingTemporaries(java.nio.file.DirectoryStream<Path> in) {
        return new MappedDirectoryStream(in, p -> Quotas.TEMP.matcher(p.getFileName().toString()).matches() ? null : p);
    }

    /** While an upload is open, attribute calls on its target (fstat, fsetstat) go to the temporary file. */
    private Path current(Path file) {
        return byTarget.getOrDefault(file, file);
    }

    @Override
    public Map<String, ?> readFileAttributes(SftpSubsystemProxy subsystem, Path file, String view,
            LinkOption... options) throws IOException {
        return SftpFileSystemAccessor.super.readFileAttributes(subsystem, current(file), view, options);
    }

    @Override
    public void setFileAttribute(SftpSubsystemProxy subsystem, Path file, String view, String attribute, Object value,
            LinkOption... options) throws IOException {
        SftpFileSystemAccessor.super.setFileAttribute(subsystem, current(file), view, attribute, value, options);
    }

    @Override
    public void setFilePermissions(SftpSubsystemProxy subsystem, Path file, Set<PosixFilePermission> perms,
            LinkOption... options) throws IOException {
        SftpFileSystemAccessor.super.setFilePermissions(subsystem, current(file), perms, options);
    }

    @Override
    public void setFileOwner(SftpSubsystemProxy subsystem, Path file, Principal value, LinkOption... options)
            throws IOException {
        SftpFileSystemAccessor.super.setFileOwner(subsystem, current(file), value, options);
    }

    @Override
    public void setGroupOwner(SftpSubsystemProxy subsystem, Path file, Principal value, LinkOption... options)
            throws IOException {
        SftpFileSystemAccessor.super.setGroupOwner(subsystem, current(file), value, options);
    }

    @Override
    public void closeFile(SftpSubsystemProxy subsystem, FileHandle fileHandle, Path file, String handle,
            Channel channel, Set<? extends OpenOption> options) throws IOException {
        // MINA opens files without a handle for its own reads (check-file, md5-hash)
        Write w = fileHandle == null ? null : writes.remove(fileHandle);
        if (w == null) {
            SftpFileSystemAccessor.super.closeFile(subsystem, fileHandle, file, handle, channel, options);
            return;
        }
        if (w.tmp != null) {
            byTarget.remove(file, w.tmp);
        }
        boolean dropped = w.aborted || (w.failure != null && w.tmp != null);
        if (w.failure != null) {
            failures.put(fileHandle, w.failure);
        }
        try {
            if (!dropped && w.channel.isOpen()) {
                w.channel.force(true);
            }
        } finally {
            w.channel.close();
            if (channel != null && channel != w.channel) {
                // the quota wrapper: closing it releases the bytes it held for this upload
                channel.close();
            }
        }
        if (w.tmp == null) {
            gate.quotas().written(w.session, w.oldSize, FileGate.sizeOf(SftpEvents.real(file)));
            return;
        }
        if (dropped) {
            Files.deleteIfExists(w.tmp);
            LOG.info("upload of {} did not complete; the partial data was discarded", file.getFileName());
            return;
        }
        long size = Files.size(w.tmp);
        try {
            try {
                Files.move(w.tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(w.tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            Files.deleteIfExists(w.tmp);
            throw e;
        }
        gate.quotas().written(w.session, w.oldSize, size);
    }
}
