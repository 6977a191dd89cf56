package dev.termlet.fileops.internal.sftp;

import dev.termlet.fileops.FileEvent;
import dev.termlet.fileops.FileOperation;
import dev.termlet.fileops.Protocol;
import dev.termlet.fileops.internal.core.FileGate;
import dev.termlet.fileops.internal.core.FileSession;
import dev.termlet.fileops.internal.core.JailFileSystem;
import dev.termlet.fileops.internal.core.Quotas;
import dev.termlet.fileops.internal.core.SshFileSessions;
import dev.termlet.fileops.internal.core.VirtualRoot;

import dev.termlet.auth.FilePermission;
import dev.termlet.event.EventType;
import java.io.IOException;
import java.nio.file.CopyOption;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sshd.common.file.root.RootedFileSystem;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.server.DirectoryHandle;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.Handle;
import org.apache.sshd.sftp.server.SftpEventListener;

/**
 * SFTP's side of the file events: permissions and {@code pre-*} events before an operation (a refusal becomes
 * SFTP's permission-denied status), the matching event after it with its outcome, and {@code upload-failed} or
 * {@code download-failed} when the client goes away with a file open.
 */
public final class SftpEvents implements SftpEventListener {
    private final FileGate gate;
    private final SshFileSessions sessions;
    private final SftpAccessor uploads;
    private final Map<Handle, Opened> started = new ConcurrentHashMap<>();

    /** When a handle was opened, and a download's event, fired again at its end (reading does not change a file). */
    private static final class Opened {
        final long at;
        final FileEvent download;

        Opened(long at, FileEvent download) {
            this.at = at;
            this.download = download;
        }

        /** The event of the operation's end: the download's own, else one made now (an upload's size is new). */
        static FileEvent end(Opened o, FileOperation op, java.util.function.Supplier<FileEvent> made) {
            return op == FileOperation.DOWNLOAD && o != null && o.download != null ? o.download : made.get();
        }

        static long at(Opened o) {
            return o == null ? 0 : o.at;
        }
    }
    private final Map<Path, Long> deleting = new ConcurrentHashMap<>();
    private final Set<Path> making = ConcurrentHashMap.newKeySet();
    /** Handles that write into an existing file without truncating it: {@code modify}, not {@code upload}. */
    private final Set<Handle> modifying = ConcurrentHashMap.newKeySet();

    /**
     * @param gate the gate every operation passes
     * @param sessions the file sessions of SSH connections
     * @param uploads the accessor that holds the writes in progress
     */
    public SftpEvents(FileGate gate, SshFileSessions sessions, SftpAccessor uploads) {
        this.gate = gate;
        this.sessions = sessions;
        this.uploads = uploads;
    }

    /**
     * The real path of a path in a user's rooted file system, resolved on disk as the operation on it will be
     * (links inside the root followed on the way, not in the last position); the textual place when the path is
     * refused (the operation then fails too).
     */
    public static Path real(Path p) {
        Path resolved = JailFileSystem.realOrNull(p);
        if (resolved != null) {
            return resolved;
        }
        if (p.getFileSystem() instanceof RootedFileSystem) {
            Path root = ((RootedFileSystem) p.getFileSystem()).getRoot();
            String rel = p.toAbsolutePath().normalize().toString();
            return rel.equals("/") ? root : root.resolve(rel.substring(1));
        }
        return p;
    }

    private FileSession s(ServerSession session) {
        return sessions.of(session, Protocol.SFTP);
    }

    private FileEvent event(FileSession s, Path path, Path target, String flags) {
        return gate.event(s, real(path), target == null ? null : real(target), flags);
    }

    static boolean writes(Set<StandardOpenOption> options) {
        return options.contains(StandardOpenOption.WRITE) || options.contains(StandardOpenOption.APPEND);
    }

    /**
     * Whether an open writes into an existing file without replacing it (no truncation, or an append): a
     * {@code modify}. Decided before the file is opened.
     */
    static boolean modifies(Set<StandardOpenOption> options, Path file) {
        return writes(options) && Files.exists(file) && !SftpAccessor.wholeFileWrite(options, file);
    }

    /** The open options in the order of their names, as events list them. */
    private static final StandardOpenOption[] BY_NAME = java.util.Arrays.stream(StandardOpenOption.values())
            .sorted(java.util.Comparator.comparing(Enum::name)).toArray(StandardOpenOption[]::new);

    /** The names of the open options, sorted and comma-separated (twice per file: no stream, no sort). */
    static String flags(Collection<StandardOpenOption> options) {
        StringBuilder b = new StringBuilder(64);
        for (StandardOpenOption o : BY_NAME) {
            if (options.contains(o)) {
                b.append(b.length() == 0 ? "" : ",").append(o.name());
            }
        }
        return b.toString();
    }

    @Override
    public void opening(ServerSession session, String remoteHandle, Handle localHandle) throws IOException {
        FileSession s = s(session);
        long at = System.nanoTime();
        started.put(localHandle, new Opened(at, null));
        try {
            if (localHandle instanceof FileHandle) {
                FileHandle fh = (FileHandle) localHandle;
                FileEvent e = event(s, fh.getFile(), null, flags(fh.getOpenOptions()));
                if (writes(fh.getOpenOptions())) {
                    boolean exists = Files.exists(fh.getFile(), LinkOption.NOFOLLOW_LINKS);
                    boolean modify = exists && modifies(fh.getOpenOptions(), fh.getFile());
                    gate.begin(modify ? FileOperation.MODIFY : FileOperation.UPLOAD, s, e, exists, () -> {
                        if (!exists) {
                            try {
                                gate.quotas().checkNewFile(s);
                            } catch (Quotas.QuotaExceededException q) {
                                gate.quotaExceeded(s, e.realPath(), q);
                                throw SftpAccessor.quotaError(SftpConstants.SFTP_V3, q.getMessage());
                            }
                        }
                    });
                    if (modify) {
                        modifying.add(localHandle);
                    }
                } else {
                    gate.begin(FileOperation.DOWNLOAD, s, e, false);
                    started.put(localHandle, new Opened(at, e));
                }
            } else if (localHandle instanceof DirectoryHandle) {
                gate.begin(FileOperation.LIST, s, event(s, localHandle.getFile(), null, null), false);
            }
        } catch (IOException e) {
            started.remove(localHandle);
            modifying.remove(localHandle);
            throw e;
        }
    }

    @Override
    public void openFailed(ServerSession session, String remotePath, Path localPath, boolean isDirectory,
            Throwable thrown) {
        // the operation never started; its permission check or pre-event already answered
    }

    @Override
    public void closed(ServerSession session, String remoteHandle, Handle localHandle, Throwable thrown) {
        Opened opened = started.remove(localHandle);
        long start = Opened.at(opened);
        FileSession s = s(session);
        if (localHandle instanceof FileHandle) {
            FileHandle fh = (FileHandle) localHandle;
            boolean write = writes(fh.getOpenOptions());
            Throwable failure = thrown != null ? thrown : uploads.failure(fh);
            // a write into an existing file is a modify, whatever its outcome (a failure has status 2)
            FileOperation op = modifying.remove(localHandle) ? FileOperation.MODIFY
                    : write ? FileOperation.UPLOAD : FileOperation.DOWNLOAD;
            FileEvent e = Opened.end(opened, op, () -> event(s, fh.getFile(), null, flags(fh.getOpenOptions())));
            if (gate.end(op, s, e, failure, start) && op == FileOperation.UPLOAD
                    && failure == null) {
                // a synchronous upload handler refused the file after it arrived: remove it (as SFTPGo does)
                gate.removeRefused(s, JailFileSystem.rootOf(fh.getFile()), e.realPath());
            }
        } else if (localHandle instanceof DirectoryHandle) {
            gate.end(FileOperation.LIST, s, event(s, localHandle.getFile(), null, null), thrown, start);
        }
    }

    @Override
    public void exiting(ServerSession session, Handle handle) {
        // the client went away with the handle open: the transfer did not complete
        uploads.abort(handle);
        Opened opened = started.remove(handle);
        if (handle instanceof FileHandle) {
            FileHandle fh = (FileHandle) handle;
            FileSession s = s(session);
            FileOperation op = modifying.remove(handle) ? FileOperation.MODIFY
                    : writes(fh.getOpenOptions()) ? FileOperation.UPLOAD : FileOperation.DOWNLOAD;
            gate.end(op, s, Opened.end(opened, op, () -> event(s, fh.getFile(), null, flags(fh.getOpenOptions()))),
                    new IOException("the client left before closing the file"), Opened.at(opened));
        }
    }

    @Override
    public void removing(ServerSession session, Path path, boolean isDirectory) throws IOException {
        FileSession s = s(session);
        FileEvent e = event(s, path, null, null);
        gate.begin(isDirectory ? FileOperation.RMDIR : FileOperation.DELETE, s, e, false);
        deleting.put(real(path), e.size());
    }

    @Override
    public void removed(ServerSession session, Path path, boolean isDirectory, Throwable thrown) {
        FileSession s = s(session);
        Long size = deleting.remove(real(path));
        if (thrown == null && !isDirectory && size != null) {
            gate.quotas().removed(s, size);
        }
        gate.end(isDirectory ? FileOperation.RMDIR : FileOperation.DELETE, s,
                event(s, path, null, null).withSize(size == null ? -1 : size), thrown, 0);
    }

    @Override
    public void moving(ServerSession session, Path srcPath, Path dstPath, Collection<CopyOption> opts)
            throws IOException {
        FileSession s = s(session);
        FileEvent e = event(s, srcPath, dstPath, null);
        FileOperation op = Files.isDirectory(srcPath, LinkOption.NOFOLLOW_LINKS) ? FileOperation.RENAME_DIR
                : FileOperation.RENAME;
        // the new name needs the permission too, and overwrite if it is taken; then the source, as the table says
        gate.permit(s, op.permission(), e.target());
        if (Files.exists(dstPath, LinkOption.NOFOLLOW_LINKS)) {
            gate.permit(s, FilePermission.OVERWRITE, e.target());
        }
        gate.begin(op, s, e, false);
        deleting.put(real(dstPath), FileGate.sizeOf(real(dstPath)));
    }

    @Override
    public void moved(ServerSession session, Path srcPath, Path dstPath, Collection<CopyOption> opts,
            Throwable thrown) {
        FileSession s = s(session);
        Long replaced = deleting.remove(real(dstPath));
        if (thrown == null && replaced != null && replaced >= 0) {
            gate.quotas().removed(s, replaced);
        }
        // the source is gone once moved: whether it was a directory is what the target is now
        Path was = thrown == null ? real(dstPath) : real(srcPath);
        FileEvent e = event(s, srcPath, dstPath, null).withSize(FileGate.sizeOf(real(dstPath)))
                .withDirectory(Files.isDirectory(was, LinkOption.NOFOLLOW_LINKS));
        gate.end(e.directory() ? FileOperation.RENAME_DIR : FileOperation.RENAME, s, e, thrown, 0);
    }

    @Override
    public void creating(ServerSession session, Path path, Map<String, ?> attrs) throws IOException {
        FileSession s = s(session);
        FileEvent e = event(s, path, null, null);
        gate.begin(FileOperation.MKDIR, s, e, false);
        making.add(path);
    }

    @Override
    public void created(ServerSession session, Path path, Map<String, ?> attrs, Throwable thrown) {
        making.remove(path);
        FileSession s = s(session);
        gate.end(FileOperation.MKDIR, s, event(s, path, null, null), thrown, 0);
    }

    /** A symbolic link's relative target is relative to the link's directory (a hard link's to the root). */
    private static Path linkTarget(Path link, Path target, boolean symLink) {
        if (!symLink || target.isAbsolute()) {
            return target;
        }
        Path dir = link.toAbsolutePath().normalize().getParent();
        return dir == null ? target : dir.resolve(target.toString());
    }

    @Override
    public void linking(ServerSession session, Path source, Path target, boolean symLink) throws IOException {
        VirtualRoot.checkClientPath(target.toString());
        FileSession s = s(session);
        FileEvent e = event(s, source, linkTarget(source, target, symLink), null);
        gate.begin(FileOperation.SYMLINK, s, e, false, () -> {
            if (!symLink) {
                // every name of a file counts against the quota, as the walk that counts usage sees it
                try {
                    gate.quotas().checkNewFile(s);
                    gate.quotas().checkGrowth(s, Math.max(0, FileGate.sizeOf(real(target))));
                } catch (Quotas.QuotaExceededException q) {
                    gate.quotaExceeded(s, e.realPath(), q);
                    throw SftpAccessor.quotaError(SftpConstants.SFTP_V3, q.getMessage());
                }
            }
        });
    }

    @Override
    public void linked(ServerSession session, Path source, Path target, boolean symLink, Throwable thrown) {
        FileSession s = s(session);
        if (!symLink && thrown == null) {
            gate.quotas().written(s, -1, Math.max(0, FileGate.sizeOf(real(source))));
        }
        gate.end(FileOperation.SYMLINK, s, event(s, source, linkTarget(source, target, symLink), null), thrown, 0);
    }

    private static boolean times(Map<String, ?> attrs) {
        return attrs.keySet().stream().anyMatch(k -> k.endsWith("Time"));
    }

    /** Whether a request changes more than times: modes, owners, size (a request may do both). */
    private static boolean others(Map<String, ?> attrs) {
        return attrs.isEmpty() || attrs.keySet().stream().anyMatch(k -> !k.endsWith("Time"));
    }

    /**
     * The permissions a request needs, as SFTPGo splits a setstat: chtimes for times, chown for owners, overwrite for
     * a size (a truncation), chmod for the rest.
     */
    private static Set<FilePermission> permissionsFor(Map<String, ?> attrs) {
        Set<FilePermission> out = new java.util.LinkedHashSet<>();
        for (String k : attrs.keySet()) {
            if (k.endsWith("Time")) {
                out.add(FilePermission.CHTIMES);
            } else if (k.equals("owner") || k.equals("group") || k.equals("uid") || k.equals("gid")) {
                out.add(FilePermission.CHOWN);
            } else if (k.equals("size")) {
                out.add(FilePermission.OVERWRITE);
            } else {
                out.add(FilePermission.CHMOD);
            }
        }
        if (out.isEmpty()) {
            out.add(FilePermission.CHMOD);
        }
        return out;
    }

    @Override
    public void modifyingAttributes(ServerSession session, Path path, Map<String, ?> attrs) throws IOException {
        FileSession s = s(session);
        FileEvent e = event(s, path, null, null);
        if (!uploads.writing(path) && !making.contains(path)) {
            // attributes given with mkdir, or set on an upload in progress, belong to that operation
            for (FilePermission p : permissionsFor(attrs)) {
                gate.permit(s, p, e.path());
            }
        }
        // a request with a mode and times (scp -p, rclone) is a chmod and a chtimes: both events fire; the
        // permissions were checked above, per attribute, as SFTPGo splits a setstat
        if (others(attrs)) {
            gate.pre(FileOperation.SETATTR.before(), s, e);
        }
        if (times(attrs)) {
            gate.pre(FileOperation.SETTIME.before(), s, e);
        }
    }

    @Override
    public void modifiedAttributes(ServerSession session, Path path, Map<String, ?> attrs, Throwable thrown) {
        FileSession s = s(session);
        if (others(attrs)) {
            gate.end(FileOperation.SETATTR, s, event(s, path, null, null), thrown, 0);
        }
        if (times(attrs)) {
            gate.end(FileOperation.SETTIME, s, event(s, path, null, null), thrown, 0);
        }
    }
}
