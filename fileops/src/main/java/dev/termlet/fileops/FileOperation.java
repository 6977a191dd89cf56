package dev.termlet.fileops;

import static dev.termlet.fileops.Protocol.FTP;
import static dev.termlet.fileops.Protocol.HTTP;
import static dev.termlet.fileops.Protocol.SCP;
import static dev.termlet.fileops.Protocol.SFTP;
import static dev.termlet.fileops.Protocol.SSH;
import static dev.termlet.fileops.Protocol.WEBDAV;

import dev.termlet.auth.FilePermission;
import dev.termlet.event.EventType;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The file operations, one table for every protocol: what each needs of the account's permissions, the event before
 * it (synchronous and refusable), the event after it, the event when it fails, SFTPGo's action name and the
 * protocols that offer it. Every protocol adapter goes through this table (permission, then the event before, then
 * the operation, then the event after with its outcome), so an operation behaves the same whichever client asks for
 * it. The outcome of an operation maps to SFTPGo's status as {@link FileEvent#status()} gives it: 1 done, 2 failed,
 * 3 refused by a quota.
 *
 * <p>Example: which protocols can rename, and the event a hook would see:
 * <pre>{@code
 * Set<Protocol> where = FileOperation.RENAME.protocols();   // SFTP, FTP
 * String action = FileOperation.RENAME.sftpgoAction();       // "rename"
 * }</pre>
 */
public enum FileOperation {
    /** A file written whole (new or truncated): atomic, put in place when the client finishes. */
    UPLOAD(FilePermission.UPLOAD, FilePermission.OVERWRITE, FileEvents.PRE_UPLOAD, FileEvents.UPLOAD,
            FileEvents.UPLOAD_FAILED, "upload", SFTP, SCP, FTP, HTTP, WEBDAV),
    /** A write into an existing file without truncation (append, resume, random access). */
    MODIFY(FilePermission.OVERWRITE, FilePermission.OVERWRITE, FileEvents.PRE_MODIFY, FileEvents.MODIFY,
            FileEvents.MODIFY, "upload", SFTP, FTP),
    /** A file read by the client. */
    DOWNLOAD(FilePermission.DOWNLOAD, FilePermission.DOWNLOAD, FileEvents.PRE_DOWNLOAD, FileEvents.DOWNLOAD,
            FileEvents.DOWNLOAD_FAILED, "download", SFTP, SCP, FTP, HTTP, WEBDAV),
    /** A file (or link) deleted. */
    DELETE(FilePermission.DELETE_FILES, FilePermission.DELETE_FILES, FileEvents.PRE_DELETE, FileEvents.DELETE,
            FileEvents.DELETE, "delete", SFTP, FTP, HTTP, WEBDAV),
    /** An empty directory removed. */
    RMDIR(FilePermission.DELETE_DIRS, FilePermission.DELETE_DIRS, FileEvents.PRE_RMDIR, FileEvents.RMDIR,
            FileEvents.RMDIR, "rmdir", SFTP, FTP, HTTP, WEBDAV),
    /** A file or link renamed or moved (an existing target also needs overwrite). */
    RENAME(FilePermission.RENAME_FILES, FilePermission.RENAME_FILES, FileEvents.PRE_RENAME, FileEvents.RENAME,
            FileEvents.RENAME, "rename", SFTP, FTP, HTTP, WEBDAV),
    /** A directory renamed or moved. */
    RENAME_DIR(FilePermission.RENAME_DIRS, FilePermission.RENAME_DIRS, FileEvents.PRE_RENAME, FileEvents.RENAME,
            FileEvents.RENAME, "rename", SFTP, FTP, HTTP, WEBDAV),
    /** A directory created. */
    MKDIR(FilePermission.CREATE_DIRS, FilePermission.CREATE_DIRS, FileEvents.PRE_MKDIR, FileEvents.MKDIR,
            FileEvents.MKDIR, "mkdir", SFTP, SCP, FTP, HTTP, WEBDAV),
    /** A directory listed. */
    LIST(FilePermission.LIST, FilePermission.LIST, FileEvents.PRE_LIST, FileEvents.LIST, FileEvents.LIST, null,
            SFTP, FTP, HTTP, WEBDAV),
    /** A mode (or owner, or size) changed: SFTP setstat, {@code scp -p}, FTP {@code SITE CHMOD}. */
    SETATTR(FilePermission.CHMOD, FilePermission.CHMOD, FileEvents.PRE_SETATTR, FileEvents.SETATTR,
            FileEvents.SETATTR, null, SFTP, SCP, FTP),
    /** Times changed: SFTP setstat, {@code scp -p}, FTP {@code MFMT}. */
    SETTIME(FilePermission.CHTIMES, FilePermission.CHTIMES, FileEvents.PRE_SETTIME, FileEvents.SETTIME,
            FileEvents.SETTIME, null, SFTP, SCP, FTP),
    /** A symbolic or hard link made. */
    SYMLINK(FilePermission.CREATE_SYMLINKS, FilePermission.CREATE_SYMLINKS, FileEvents.PRE_SYMLINK,
            FileEvents.SYMLINK, FileEvents.SYMLINK, null, SFTP),
    /** A file copied on the server (download at the source, upload or overwrite at the target). */
    COPY(FilePermission.UPLOAD, FilePermission.OVERWRITE, FileEvents.PRE_COPY, FileEvents.COPY, FileEvents.COPY,
            "copy", SFTP, WEBDAV),
    /** Files joined into one (FTP {@code COMB}; the parts also need delete). */
    COMBINE(FilePermission.UPLOAD, FilePermission.OVERWRITE, FileEvents.PRE_COMBINE, FileEvents.COMBINE,
            FileEvents.COMBINE, null, FTP),
    /** A file's hash computed by the server. */
    HASH(FilePermission.DOWNLOAD, FilePermission.DOWNLOAD, null, FileEvents.HASH, FileEvents.HASH, null, SFTP, SSH,
            FTP),
    /** A file's size asked for (FTP {@code SIZE}). */
    SIZE(null, null, null, FileEvents.SIZE, FileEvents.SIZE, null, FTP),
    /** Whether a file exists asked for (SFTP stat, FTP {@code MDTM}/{@code MLST}). */
    EXISTS(null, null, null, FileEvents.EXISTS, FileEvents.EXISTS, null, SFTP, FTP),
    /** The space left asked for (SFTP statvfs and space-available, FTP {@code AVBL}). */
    SPACE(FilePermission.LIST, FilePermission.LIST, null, FileEvents.SPACE, FileEvents.SPACE, null, SFTP, FTP),
    /** A file command run over SSH exec ({@code md5sum}, {@code sha256sum}, ...). */
    SSH_COMMAND(null, null, null, FileEvents.SSH_CMD, FileEvents.SSH_CMD, "ssh_cmd", SSH);

    private final FilePermission permission;
    private final FilePermission replacing;
    private final EventType before;
    private final EventType after;
    private final EventType failed;
    private final String sftpgoAction;
    private final Set<Protocol> protocols;

    FileOperation(FilePermission permission, FilePermission replacing, EventType before, EventType after,
            EventType failed, String sftpgoAction, Protocol... protocols) {
        this.permission = permission;
        this.replacing = replacing;
        this.before = before;
        this.after = after;
        this.failed = failed;
        this.sftpgoAction = sftpgoAction;
        EnumSet<Protocol> set = EnumSet.noneOf(Protocol.class);
        Collections.addAll(set, protocols);
        this.protocols = Collections.unmodifiableSet(set);
    }

    /** @return the permission the operation needs (in the parent directory; in the directory itself to list), or null */
    public FilePermission permission() {
        return permission;
    }

    /**
     * The permission the operation needs when its target already exists: overwrite for an upload over a file.
     *
     * @return the permission, or null
     */
    public FilePermission permissionOverExisting() {
        return replacing;
    }

    /** @return the synchronous, refusable event before the operation, or null if it has none */
    public EventType before() {
        return before;
    }

    /** @return the event after the operation, with its outcome */
    public EventType after() {
        return after;
    }

    /** @return the event when the operation fails (the {@link #after} event with an error status where they are one) */
    public EventType failed() {
        return failed;
    }

    /** @return SFTPGo's action name for the operation's events, or null where SFTPGo has no action */
    public String sftpgoAction() {
        return sftpgoAction;
    }

    /** @return the protocols that offer the operation */
    public Set<Protocol> protocols() {
        return protocols;
    }

    /**
     * The operation an event belongs to.
     *
     * @param type an event
     * @return the operation whose before, after or failed event it is (the first in table order)
     */
    public static Optional<FileOperation> of(EventType type) {
        for (FileOperation op : values()) {
            if (type.equals(op.before) || type.equals(op.after) || type.equals(op.failed)) {
                return Optional.of(op);
            }
        }
        return Optional.empty();
    }
}
