package dev.termlet.fileops;

import dev.termlet.event.EventKind;
import dev.termlet.event.EventType;
import dev.termlet.event.EventTypeProvider;
import java.util.ArrayList;
import java.util.List;

/**
 * The file-operation events, contributed to the event registry through {@link EventTypeProvider}. Every
 * operation has a {@code pre-X} (synchronous, refusable) and an {@code X} (after, with the outcome). SFTPGo's
 * action names and Syncplify's constants are aliases.
 */
public final class FileEvents implements EventTypeProvider {

    private static EventType pre(String name, String description, String... aliases) {
        return EventType.builder("pre-" + name).aliases(aliases).kind(EventKind.PRE).refusable()
                .values(FileEvent.class).description(description).build();
    }

    private static EventType post(String name, String description, String... aliases) {
        return EventType.builder(name).aliases(aliases).kind(EventKind.POST).values(FileEvent.class)
                .description(description).build();
    }

    /** Before an upload starts. */
    public static final EventType PRE_UPLOAD = pre("upload", "An upload is about to start; a handler can refuse it.",
            "BeforeFileUpload");
    /** After a file was uploaded completely and closed. */
    public static final EventType UPLOAD = EventType.builder("upload").aliases("AfterFileUpload")
            .kind(EventKind.POST).refusable().values(FileEvent.class)
            .description("A file was uploaded completely and closed (atomically renamed into place); a handler with"
                    + " delivery = SYNC that refuses it has the file removed.")
            .build();
    /** An upload failed or was aborted. */
    public static final EventType UPLOAD_FAILED = post("upload-failed",
            "An upload failed or the client went away; nothing half-written is left.", "OnUploadFail");
    /** Before a download starts. */
    public static final EventType PRE_DOWNLOAD = pre("download", "A download is about to start; a handler can refuse it.",
            "BeforeFileDownload");
    /** After a download completed. */
    public static final EventType DOWNLOAD = post("download", "A file was downloaded.", "AfterFileDownload");
    /** A download failed. */
    public static final EventType DOWNLOAD_FAILED = post("download-failed", "A download failed.", "OnDownloadFail");
    /** Before a file is deleted. */
    public static final EventType PRE_DELETE = pre("delete", "A file is about to be deleted; a handler can refuse it.",
            "BeforeDeleteFile");
    /** After a file was deleted. */
    public static final EventType DELETE = post("delete", "A file was deleted.", "AfterDeleteFile");
    /** Whether an occurrence's {@link FileEvent} is about a directory (a rename's source). */
    private static boolean directory(Object[] values) {
        return values.length > 0 && values[0] instanceof FileEvent && ((FileEvent) values[0]).directory();
    }

    /** Before a rename. */
    public static final EventType PRE_RENAME = EventType.builder("pre-rename").kind(EventKind.PRE).refusable()
            .values(FileEvent.class)
            .narrowingAlias("BeforeRenameFile", "not directories", v -> !directory(v))
            .narrowingAlias("BeforeRenameDir", "directories only", FileEvents::directory)
            .description("A file or directory is about to be renamed; FileEvent.directory() says whether the source"
                    + " is a directory.")
            .build();
    /** After a rename. */
    public static final EventType RENAME = EventType.builder("rename").kind(EventKind.POST).values(FileEvent.class)
            .narrowingAlias("AfterRenameFile", "not directories", v -> !directory(v))
            .narrowingAlias("AfterRenameDir", "directories only", FileEvents::directory)
            .description("A file or directory was renamed; FileEvent.directory() says whether it is a directory.")
            .build();
    /** Before a directory is created. */
    public static final EventType PRE_MKDIR = pre("mkdir", "A directory is about to be created.", "BeforeMakeDir");
    /** After a directory was created. */
    public static final EventType MKDIR = post("mkdir", "A directory was created.", "AfterMakeDir");
    /** Before a directory is removed. */
    public static final EventType PRE_RMDIR = pre("rmdir", "A directory is about to be removed.", "BeforeDeleteDir");
    /** After a directory was removed. */
    public static final EventType RMDIR = post("rmdir", "A directory was removed.", "AfterDeleteDir");
    /** Before a directory is listed. */
    public static final EventType PRE_LIST = pre("list", "A directory is about to be listed.", "BeforeListDir");
    /** After a listing was sent. */
    public static final EventType LIST = post("list", "A directory listing was sent.", "AfterListDir");
    /** Before an existing file is modified in place. */
    public static final EventType PRE_MODIFY = pre("modify", "Data is about to be written into an existing file"
            + " without truncating it (SFTP open without TRUNCATE: random-access writes, resumed uploads, appends;"
            + " FTP APPE, or STOR after REST); a handler can refuse it, and the file stays as it was. pre-upload does"
            + " not fire for these writes; SFTPGo-style hooks bound to pre-upload get it as pre-upload.",
            "BeforeModifyFile");
    /** After a file was modified in place. */
    public static final EventType MODIFY = post("modify", "An existing file was written into without truncation"
            + " (see pre-modify), with the outcome: a failed or broken-off write has status 2. upload does not fire"
            + " for these writes; SFTPGo-style hooks bound to upload get it as upload.", "AfterModifyFile");
    /** Before attributes change. */
    public static final EventType PRE_SETATTR = pre("setattr", "A file's attributes (mode, owner) are about to change.",
            "BeforeAttrChange");
    /** After attributes changed. */
    public static final EventType SETATTR = post("setattr", "A file's attributes changed.", "AfterAttrChange");
    /** Before times change. */
    public static final EventType PRE_SETTIME = pre("settime", "A file's timestamps are about to change.",
            "BeforeTimeChange");
    /** After times changed. */
    public static final EventType SETTIME = post("settime", "A file's timestamps changed.", "AfterTimeChange");
    /** Before a symlink is made. */
    public static final EventType PRE_SYMLINK = pre("symlink", "A symbolic link is about to be created.", "BeforeSymlink");
    /** After a symlink was made. */
    public static final EventType SYMLINK = post("symlink", "A symbolic link was created.", "AfterSymlink");
    /** Before a server-side copy. */
    public static final EventType PRE_COPY = pre("copy", "A file is about to be copied on the server.");
    /** After a server-side copy. */
    public static final EventType COPY = post("copy", "A file was copied on the server.");
    /** Before files are combined (FTP COMB). */
    public static final EventType PRE_COMBINE = pre("combine", "Files are about to be combined into one (FTP COMB).",
            "BeforeFileCombineRequest");
    /** After files were combined. */
    public static final EventType COMBINE = post("combine", "Files were combined into one.", "AfterFileCombineRequest");

    /** The listing about to be sent; handlers may filter it. */
    public static final EventType LIST_SEND = EventType.builder("list-send")
            .aliases("BeforeSendDirListToClient").kind(EventKind.PRE).values(FileEvent.class, List.class)
            .results(List.class)
            .description("A directory listing is about to be sent; a handler may return the List<String> of names"
                    + " the client will see.")
            .build();
    /** A client checked whether a file exists. */
    public static final EventType EXISTS = post("exists", "A client checked whether a file exists.", "OnCheckFileExist");
    /** A client asked for a file's size. */
    public static final EventType SIZE = post("size", "A client asked for a file's size (FTP SIZE).", "OnFileSizeRequest");
    /** A client asked for a file's hash. */
    public static final EventType HASH = post("hash",
            "A client asked for a file's hash (SFTP check-file/md5-hash, md5sum/sha256sum, FTP HASH).",
            "OnFileHashRequest");
    /** A client asked for free space. */
    public static final EventType SPACE = post("space", "A client asked for the space available (statvfs).",
            "OnAvailDiskRequest");
    /** An FTP SITE command. */
    public static final EventType SITE = EventType.builder("site").aliases("OnCustomSITECommand")
            .kind(EventKind.PRE).refusable().values(FileEvent.class, String.class).results(SiteReply.class)
            .description("An FTP client sent a SITE command (the String); a handler may answer it with a SiteReply"
                    + " (code and text). SITE CHMOD is the server's own (pre-setattr, setattr).").build();
    /** A file-related SSH command such as md5sum. */
    public static final EventType SSH_CMD = EventType.builder("ssh-cmd").kind(EventKind.POST)
            .values(FileEvent.class, String.class)
            .description("A file-related SSH command ran (md5sum, sha256sum, ...); the String is the command line,"
                    + " the FileEvent's protocol SSH.").build();
    /** A user's first successful upload. */
    public static final EventType FIRST_UPLOAD = post("first-upload",
            "A user's first successful upload (SFTPGo's first-upload), after its upload event; once per user, counted"
                    + " from when a handler or hook first listens for it.");
    /** A user's first successful download. */
    public static final EventType FIRST_DOWNLOAD = post("first-download",
            "A user's first successful download (SFTPGo's first-download), after its download event; once per user,"
                    + " counted from when a handler or hook first listens for it.");
    /** A quota was exceeded. */
    public static final EventType QUOTA_EXCEEDED = post("quota-exceeded",
            "A write went past the user's quota and was refused.", "OnQuotaExceeded");

    /** @return every file event, in the order of the events reference */
    public static List<EventType> all() {
        List<EventType> all = new ArrayList<>(List.of(PRE_UPLOAD, UPLOAD, UPLOAD_FAILED, PRE_DOWNLOAD, DOWNLOAD,
                DOWNLOAD_FAILED, PRE_DELETE, DELETE, PRE_RENAME, RENAME, PRE_MKDIR, MKDIR, PRE_RMDIR, RMDIR, PRE_LIST,
                LIST, LIST_SEND, PRE_MODIFY, MODIFY, PRE_SETATTR, SETATTR, PRE_SETTIME, SETTIME, PRE_SYMLINK, SYMLINK,
                PRE_COPY, COPY, PRE_COMBINE, COMBINE, EXISTS, SIZE, HASH, SPACE, SITE, SSH_CMD, FIRST_UPLOAD,
                FIRST_DOWNLOAD, QUOTA_EXCEEDED));
        return all;
    }

    /** Used by {@link java.util.ServiceLoader}. */
    public FileEvents() {}

    @Override
    public List<EventType> eventTypes() {
        return all();
    }
}
