package dev.termlet.web;

import java.net.SocketAddress;
import java.time.Instant;

/**
 * One thing that happened to a share link, as the share event handlers ({@link ShareEvents}) see it:
 * {@code @OnUser("share-download") void f(ShareEvent e)}. The file operations behind it fire their own file events
 * too (protocol {@code HTTP}, the owner as the user, the visitor's address).
 *
 * @param shareId the share's id (not its secret link token)
 * @param owner the user who made the share; files are read and written with this account's permissions
 * @param path the shared file or folder, a virtual path in the owner's root ({@code /docs})
 * @param directory whether a folder is shared
 * @param mode what visitors may do
 * @param expires when the share ends, or null for never
 * @param maxUses the most uses (downloads, zip downloads and uploads), 0 for no limit
 * @param uses the uses so far (counting the one this event is about, once it succeeded)
 * @param passwordProtected whether visitors need a password
 * @param remoteAddress the visitor's address, or the owner's when the share is created
 * @param file the file uploaded or downloaded, or the folder zipped, as a virtual path in the owner's root; null
 *     for other events
 * @param size the bytes uploaded or downloaded (or of the zip), -1 when unknown or before the transfer
 * @param status 1 ok, 2 error (SFTPGo's codes, as in file events); before-events carry 1
 * @param error what went wrong, or null
 */
public record ShareEvent(String shareId, String owner, String path, boolean directory, ShareMode mode,
        Instant expires, int maxUses, int uses, boolean passwordProtected, SocketAddress remoteAddress, String file,
        long size, int status, String error) {

    /** Status: it succeeded. */
    public static final int OK = 1;
    /** Status: it failed. */
    public static final int ERROR = 2;

    /**
     * The same event about a file.
     *
     * @param virtual the file's virtual path in the owner's root
     * @param bytes its size, or -1
     * @return the event
     */
    public ShareEvent withFile(String virtual, long bytes) {
        return new ShareEvent(shareId, owner, path, directory, mode, expires, maxUses, uses, passwordProtected,
                remoteAddress, virtual, bytes, status, error);
    }

    /**
     * The same event with an outcome.
     *
     * @param bytes the bytes moved, or -1
     * @param usesNow the uses of the share now
     * @param failure what went wrong, or null when it succeeded
     * @return the event
     */
    public ShareEvent withOutcome(long bytes, int usesNow, String failure) {
        return new ShareEvent(shareId, owner, path, directory, mode, expires, maxUses, usesNow, passwordProtected,
                remoteAddress, file, bytes, failure == null ? OK : ERROR, failure);
    }
}
