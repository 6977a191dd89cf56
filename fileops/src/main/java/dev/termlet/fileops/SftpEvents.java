package dev.termlet.fileops;

import dev.termlet.event.EventType;
import dev.termlet.internal.ssh.Connection;
import dev.termlet.spi.ExtensionContext;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.CopyOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.sshd.common.file.root.RootedFileSystem;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.DirectoryHandle;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.Handle;
import org.apache.sshd.sftp.server.SftpEventListener;
import org.slf4j.LoggerFactory;

/**
 * Fires the file-operation events for SFTP: {@code pre-*} before an operation (a refusal becomes SFTP's
 * permission-denied status), the matching event after it with its outcome, and {@code upload-failed} or
 * {@code download-failed} when the client goes away with a file open.
 */
final class SftpEvents implements SftpEventListener {
    private final ExtensionContext context;
    private final AtomicUploads uploads;
    private final Map<Handle, Long> started = new ConcurrentHashMap<>();
    private final Map<Path, Long> removedSizes = new ConcurrentHashMap<>();

    SftpEvents(ExtensionContext context, AtomicUploads uploads) {
        this.context = context;
        this.uploads = uploads;
    }

    private static String virtual(Path p) {
        return p.toString().isEmpty() ? "/" : p.toString();
    }

    private static Path real(Path p) {
        if (p.getFileSystem() instanceof RootedFileSystem) {
            Path root = ((RootedFileSystem) p.getFileSystem()).getRoot();
            String rel = p.toAbsolutePath().normalize().toString();
            return rel.equals("/") ? root : root.resolve(rel.substring(1));
        }
        return p;
    }

    private FileEvent event(ServerSession session, Path path, Path target, String flags) {
        long size = -1;
        try {
            if (Files.isRegularFile(path)) {
                size = Files.size(path);
            }
        } catch (IOException | RuntimeException e) {
            size = -1;
        }
        String id = session.getAttribute(Connection.KEY) != null ? Connection.of(session).id() : "?";
        return new FileEvent(session.getUsername(), Protocol.SFTP, session.getRemoteAddress(), id, virtual(path),
                real(path), target == null ? null : virtual(target), target == null ? null : real(target), size,
                flags, Duration.ZERO, FileEvent.OK, null);
    }

    private void pre(EventType type, ServerSession session, FileEvent e) throws AccessDeniedException {
        ExtensionContext.EventResult r = context.fire(type, session, e);
        if (r.refused()) {
            throw new AccessDeniedException(e.path(), null, r.reason() != null ? r.reason() : "refused by " + type.name());
        }
    }

    /** Fires a post-event; returns whether a synchronous handler refused it. */
    private boolean post(EventType type, ServerSession session, FileEvent e, Throwable thrown, long startNanos) {
        Duration took = startNanos == 0 ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - startNanos);
        return context.fire(type, session, e.withOutcome(thrown == null ? FileEvent.OK : FileEvent.ERROR,
                thrown == null ? null : thrown.toString(), took)).refused();
    }

    private static boolean writes(Set<StandardOpenOption> options) {
        return options.contains(StandardOpenOption.WRITE) || options.contains(StandardOpenOption.APPEND);
    }

    private static String flags(Collection<StandardOpenOption> options) {
        return options.stream().map(Enum::name).sorted().collect(Collectors.joining(","));
    }

    @Override
    public void opening(ServerSession session, String remoteHandle, Handle localHandle) throws IOException {
        started.put(localHandle, System.nanoTime());
        if (localHandle instanceof FileHandle) {
            FileHandle fh = (FileHandle) localHandle;
            boolean write = writes(fh.getOpenOptions());
            pre(write ? FileEvents.PRE_UPLOAD : FileEvents.PRE_DOWNLOAD, session,
                    event(session, fh.getFile(), null, flags(fh.getOpenOptions())));
        } else if (localHandle instanceof DirectoryHandle) {
            pre(FileEvents.PRE_LIST, session, event(session, localHandle.getFile(), null, null));
        }
    }

    @Override
    public void openFailed(ServerSession session, String remotePath, Path localPath, boolean isDirectory,
            Throwable thrown) {
        // the operation never started; its pre-event already answered
    }

    @Override
    public void closed(ServerSession session, String remoteHandle, Handle localHandle, Throwable thrown) {
        Long start = started.remove(localHandle);
        if (localHandle instanceof FileHandle) {
            FileHandle fh = (FileHandle) localHandle;
            boolean write = writes(fh.getOpenOptions());
            EventType type = thrown == null ? (write ? FileEvents.UPLOAD : FileEvents.DOWNLOAD)
                    : (write ? FileEvents.UPLOAD_FAILED : FileEvents.DOWNLOAD_FAILED);
            FileEvent e = event(session, fh.getFile(), null, flags(fh.getOpenOptions()));
            if (post(type, session, e, thrown, start == null ? 0 : start) && type == FileEvents.UPLOAD) {
                // a synchronous upload handler refused the file after it arrived: remove it (as SFTPGo does)
                try {
                    Files.deleteIfExists(fh.getFile());
                } catch (IOException ex) {
                    LoggerFactory.getLogger(SftpEvents.class).warn("could not remove refused upload {}: {}",
                            e.path(), ex.toString());
                }
            }
        } else if (localHandle instanceof DirectoryHandle) {
            post(FileEvents.LIST, session, event(session, localHandle.getFile(), null, null), thrown,
                    start == null ? 0 : start);
        }
    }

    @Override
    public void exiting(ServerSession session, Handle handle) {
        // the client went away with the handle open: the transfer did not complete
        uploads.abort(handle);
        Long start = started.remove(handle);
        if (handle instanceof FileHandle) {
            FileHandle fh = (FileHandle) handle;
            boolean write = writes(fh.getOpenOptions());
            post(write ? FileEvents.UPLOAD_FAILED : FileEvents.DOWNLOAD_FAILED, session,
                    event(session, fh.getFile(), null, flags(fh.getOpenOptions())),
                    new IOException("the client left before closing the file"), start == null ? 0 : start);
        }
    }

    @Override
    public void removing(ServerSession session, Path path, boolean isDirectory) throws IOException {
        FileEvent e = event(session, path, null, null);
        if (e.size() >= 0) {
            // the delete event reports the size the file had (as SFTPGo does); it is gone by then
            removedSizes.put(path, e.size());
        }
        try {
            pre(isDirectory ? FileEvents.PRE_RMDIR : FileEvents.PRE_DELETE, session, e);
        } catch (IOException | RuntimeException ex) {
            removedSizes.remove(path);
            throw ex;
        }
    }

    @Override
    public void removed(ServerSession session, Path path, boolean isDirectory, Throwable thrown) {
        Long size = removedSizes.remove(path);
        FileEvent e = event(session, path, null, null);
        post(isDirectory ? FileEvents.RMDIR : FileEvents.DELETE, session, size == null ? e : e.withSize(size), thrown,
                0);
    }

    @Override
    public void moving(ServerSession session, Path srcPath, Path dstPath, Collection<CopyOption> opts)
            throws IOException {
        pre(FileEvents.PRE_RENAME, session, event(session, srcPath, dstPath, null));
    }

    @Override
    public void moved(ServerSession session, Path srcPath, Path dstPath, Collection<CopyOption> opts,
            Throwable thrown) {
        long size = -1;
        try {
            size = Files.isRegularFile(dstPath) ? Files.size(dstPath) : -1;
        } catch (IOException | RuntimeException e) {
            size = -1;
        }
        post(FileEvents.RENAME, session, event(session, srcPath, dstPath, null).withSize(size), thrown, 0);
    }

    @Override
    public void creating(ServerSession session, Path path, Map<String, ?> attrs) throws IOException {
        pre(FileEvents.PRE_MKDIR, session, event(session, path, null, null));
    }

    @Override
    public void created(ServerSession session, Path path, Map<String, ?> attrs, Throwable thrown) {
        post(FileEvents.MKDIR, session, event(session, path, null, null), thrown, 0);
    }

    @Override
    public void linking(ServerSession session, Path source, Path target, boolean symLink) throws IOException {
        pre(FileEvents.PRE_SYMLINK, session, event(session, source, target, null));
    }

    @Override
    public void linked(ServerSession session, Path source, Path target, boolean symLink, Throwable thrown) {
        post(FileEvents.SYMLINK, session, event(session, source, target, null), thrown, 0);
    }

    private static boolean timesOnly(Map<String, ?> attrs) {
        return !attrs.isEmpty() && attrs.keySet().stream().allMatch(k -> k.endsWith("Time"));
    }

    @Override
    public void modifyingAttributes(ServerSession session, Path path, Map<String, ?> attrs) throws IOException {
        pre(timesOnly(attrs) ? FileEvents.PRE_SETTIME : FileEvents.PRE_SETATTR, session, event(session, path, null, null));
    }

    @Override
    public void modifiedAttributes(ServerSession session, Path path, Map<String, ?> attrs, Throwable thrown) {
        post(timesOnly(attrs) ? FileEvents.SETTIME : FileEvents.SETATTR, session, event(session, path, null, null),
                thrown, 0);
    }
}
