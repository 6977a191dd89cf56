package dev.termlet.fileops;

import java.net.SocketAddress;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One file operation, as file-event handlers see it. Status codes are SFTPGo's: 1 ok, 2 error, 3 quota
 * exceeded; pre-events carry status 1 and no error.
 *
 * @param user the user
 * @param protocol the protocol
 * @param remoteAddress the client's address
 * @param sessionId the session (SSH channel or FTP session) id
 * @param path the virtual path, as the client sees it ({@code /docs/a.txt})
 * @param realPath the file on disk
 * @param target the virtual target of a rename, copy or symlink, else null
 * @param realTarget the target on disk, else null
 * @param size the file size in bytes, or -1 when unknown
 * @param openFlags the open flags as text ({@code READ}, {@code WRITE,CREATE,TRUNCATE}), or null
 * @param elapsed how long the operation took, or {@link Duration#ZERO} for pre-events
 * @param status 1 ok, 2 error, 3 quota exceeded
 * @param error what went wrong, or null
 * @param directory whether the path was a directory (not a link to one) when the operation started: for a
 *     rename, whether its source is a directory (Syncplify's {@code BeforeRenameDir} and {@code AfterRenameDir}
 *     match only these)
 */
public record FileEvent(
        String user,
        Protocol protocol,
        SocketAddress remoteAddress,
        String sessionId,
        String path,
        Path realPath,
        String target,
        Path realTarget,
        long size,
        String openFlags,
        Duration elapsed,
        int status,
        String error,
        boolean directory) {

    /**
     * An event on a path that is not a directory.
     *
     * @param user the user
     * @param protocol the protocol
     * @param remoteAddress the client's address
     * @param sessionId the session id
     * @param path the virtual path
     * @param realPath the file on disk
     * @param target the virtual target, or null
     * @param realTarget the target on disk, or null
     * @param size the size, or -1
     * @param openFlags the open flags, or null
     * @param elapsed how long it took
     * @param status the status
     * @param error the error, or null
     */
    public FileEvent(String user, Protocol protocol, SocketAddress remoteAddress, String sessionId, String path,
            Path realPath, String target, Path realTarget, long size, String openFlags, Duration elapsed, int status,
            String error) {
        this(user, protocol, remoteAddress, sessionId, path, realPath, target, realTarget, size, openFlags, elapsed,
                status, error, false);
    }

    /** Status: the operation succeeded. */
    public static final int OK = 1;
    /** Status: the operation failed. */
    public static final int ERROR = 2;
    /** Status: the operation failed because a quota was exceeded. */
    public static final int QUOTA_EXCEEDED = 3;

    /**
     * The same event with an outcome.
     *
     * @param newStatus the status
     * @param newError the error, or null
     * @param took how long it took
     * @return a copy
     */
    public FileEvent withOutcome(int newStatus, String newError, Duration took) {
        return new FileEvent(user, protocol, remoteAddress, sessionId, path, realPath, target, realTarget, size,
                openFlags, took, newStatus, newError, directory);
    }

    /**
     * The same event with a size.
     *
     * @param bytes the size
     * @return a copy
     */
    public FileEvent withSize(long bytes) {
        return new FileEvent(user, protocol, remoteAddress, sessionId, path, realPath, target, realTarget, bytes,
                openFlags, elapsed, status, error, directory);
    }

    /**
     * The same event with the directory flag set.
     *
     * @param isDirectory whether the path (a rename's source) is a directory
     * @return a copy
     */
    public FileEvent withDirectory(boolean isDirectory) {
        return new FileEvent(user, protocol, remoteAddress, sessionId, path, realPath, target, realTarget, size,
                openFlags, elapsed, status, error, isDirectory);
    }
}
