package dev.termlet.fileops;

import java.io.IOException;
import java.nio.channels.Channel;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.Principal;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.Handle;
import org.apache.sshd.sftp.server.SftpFileSystemAccessor;
import org.apache.sshd.sftp.server.SftpSubsystemProxy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Atomic uploads for SFTP: a file opened to be written whole (new, or truncated) is written to a hidden
 * temporary file in the same directory and renamed over the target only when the client closes it. A
 * client that goes away mid-upload leaves the old file as it was and no temporary file behind.
 */
final class AtomicUploads implements SftpFileSystemAccessor {
    private static final Logger LOG = LoggerFactory.getLogger(AtomicUploads.class);

    private final Map<Handle, Path> pending = new ConcurrentHashMap<>();
    private final Map<Path, Path> byTarget = new ConcurrentHashMap<>();
    private final Set<Handle> aborted = ConcurrentHashMap.newKeySet();

    /** Marks a handle whose client left: its temporary file is dropped on close. */
    void abort(Handle handle) {
        if (pending.containsKey(handle)) {
            aborted.add(handle);
        }
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
        if (!wholeFileWrite(options, file)) {
            return SftpFileSystemAccessor.super.openFile(subsystem, fileHandle, file, handle, options, attrs);
        }
        if (options.contains(StandardOpenOption.CREATE_NEW) && Files.exists(file)) {
            throw new java.nio.file.FileAlreadyExistsException(file.toString());
        }
        Path tmp = file.resolveSibling("." + file.getFileName() + "." + UUID.randomUUID() + ".part");
        Set<OpenOption> tmpOptions = new HashSet<>();
        tmpOptions.add(StandardOpenOption.WRITE);
        tmpOptions.add(StandardOpenOption.CREATE_NEW);
        if (options.contains(StandardOpenOption.READ)) {
            tmpOptions.add(StandardOpenOption.READ);
        }
        FileChannel channel = FileChannel.open(tmp, tmpOptions, attrs);
        pending.put(fileHandle, tmp);
        byTarget.put(file, tmp);
        return channel;
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
        Path tmp = pending.remove(fileHandle);
        if (tmp != null) {
            byTarget.remove(file, tmp);
        }
        boolean dropped = aborted.remove(fileHandle);
        try {
            if (tmp != null && channel instanceof FileChannel && channel.isOpen() && !dropped) {
                ((FileChannel) channel).force(true);
            }
            SftpFileSystemAccessor.super.closeFile(subsystem, fileHandle, file, handle, channel, options);
        } finally {
            if (tmp != null) {
                if (dropped) {
                    Files.deleteIfExists(tmp);
                    LOG.info("upload of {} aborted; the partial data was discarded", file.getFileName());
                } else {
                    try {
                        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    } catch (AtomicMoveNotSupportedException e) {
                        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                    } catch (IOException e) {
                        Files.deleteIfExists(tmp);
                        throw e;
                    }
                }
            }
        }
    }
}
