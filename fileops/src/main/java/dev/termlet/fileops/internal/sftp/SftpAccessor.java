package dev.termlet.fileops.internal.sftp;

import dev.termlet.fileops.FileEvents;
import dev.termlet.fileops.Protocol;
import dev.termlet.fileops.internal.core.AtomicUpload;
import dev.termlet.fileops.internal.core.FileGate;
import dev.termlet.fileops.internal.core.FileSession;
import dev.termlet.fileops.internal.core.JailFileSystem;
import dev.termlet.fileops.internal.core.MappedDirectoryStream;
import dev.termlet.fileops.internal.core.Quotas;
import dev.termlet.fileops.internal.core.SshFileSessions;
import dev.termlet.fileops.internal.core.Throttle;
import dev.termlet.fileops.internal.core.VirtualRoot;

import java.io.IOException;
import java.nio.channels.Channel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.security.Principal;
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
public final class SftpAccessor implements SftpFileSystemAccessor {
    private static final Logger LOG = LoggerFactory.getLogger(SftpAccessor.class);

    /**
     * One open file being written: its {@link AtomicUpload}, and its path and temporary file in the user's file
     * system (the paths MINA's handle requests name).
     */
    private record Write(AtomicUpload upload, Path file, Path tmp) {}

    private final FileGate gate;
    private final SshFileSessions sessions;
    private final Map<Handle, Write> writes = new ConcurrentHashMap<>();
    private final Map<Handle, IOException> failures = new ConcurrentHashMap<>();
    private final Map<Target, Path> byTarget = new ConcurrentHashMap<>();

    /**
     * A target in one user's file system: MINA's paths are equal when their text is, whichever file system (user) they
     * belong to, so the file system is part of the key, by identity.
     */
    private record Target(java.nio.file.FileSystem fs, String path) {
        static Target of(Path file) {
            return new Target(file.getFileSystem(), file.toAbsolutePath().normalize().toString());
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Target t && t.fs == fs && t.path.equals(path);
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(fs) * 31 + path.hashCode();
        }
    }

    /**
     * @param gate the gate every operation passes
     * @param sessions the file sessions of SSH connections
     */
    public SftpAccessor(FileGate gate, SshFileSessions sessions) {
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
        if (w != null) {
            w.upload().fail(why);
        }
    }

    /** Marks a handle whose client left: its temporary file is dropped on close. */
    void abort(Handle handle) {
        Write w = writes.get(handle);
        if (w != null) {
            w.upload().abandon();
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
        return w == null ? null : w.tmp();
    }

    /**
     * Whether a file is the target of an upload in progress through this accessor that replaces it whole: attribute
     * calls on it go to the upload's temporary file. (A write in place is the existing file itself: changing its
     * attributes needs the permissions as on any file.)
     */
    boolean writing(Path file) {
        return byTarget.containsKey(Target.of(file));
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
        VirtualRoot root = JailFileSystem.rootOf(file);
        if (root == null) {
            throw new java.nio.file.AccessDeniedException(file.toString(), null, "not a path of the user's files");
        }
        Path real = SftpEvents.real(file);
        Write w;
        if (wholeFileWrite(options, file)) {
            if (options.contains(StandardOpenOption.CREATE_NEW) && Files.exists(file)) {
                throw new java.nio.file.FileAlreadyExistsException(file.toString());
            }
            AtomicUpload u = AtomicUpload.replacing(gate, s, root, real, options.contains(StandardOpenOption.READ),
                    attrs);
            // an object store writes the target itself, pending until the close: no temporary file
            Path tmp = u.temporary() == null ? null : file.resolveSibling(u.temporary().getFileName().toString());
            w = new Write(u, file, tmp);
            if (tmp != null) {
                byTarget.put(Target.of(file), tmp);
            }
        } else {
            w = new Write(AtomicUpload.inPlace(gate, s, root, real, options, attrs), file, null);
        }
        writes.put(fileHandle, w);
        int version = subsystem.getVersion();
        return Throttle.channel(w.upload().channel(msg -> quotaError(version, msg)), gate.throttle(s.user(), false),
                gate.throttle(s.user(), true));
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
        return byTarget.getOrDefault(Target.of(file), file);
    }

    @Override
    public Map<String, ?> readFileAttributes(SftpSubsystemProxy subsystem, Path file, String view,
            LinkOption... options) throws IOException {
        if ("unix:*".equals(view)) {
            try {
                // what MINA asks of every file it describes: the names come from a table by uid and gid
                return OwnerNames.unix(current(file), options);
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // a file system without some unix attribute: as asked
            }
        }
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
        if (w.tmp() != null) {
            byTarget.remove(Target.of(file), w.tmp());
        }
        boolean spoiled = w.upload().failure() != null;
        AtomicUpload.Outcome end = w.upload().end();
        if (channel != null) {
            channel.close(); // the throttle's wrapper, over the upload's own channels (closed by now)
        }
        if (spoiled) {
            failures.put(fileHandle, w.upload().failure());
        } else if (!end.committed() && !w.upload().abandoned()) {
            // all the data came but it could not be put in place: the client hears of it
            throw end.failure();
        }
    }
}
