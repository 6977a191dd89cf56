package dev.termlet.s3.internal;

import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;

/**
 * What an object store tells of a file or directory: kind, size and time (an object's last change; a directory's
 * marker's, or the epoch without one). Modes are fixed (0644 files, 0755 directories) and the owner is the server's
 * user: the store keeps neither.
 */
public final class S3Attributes implements PosixFileAttributes {
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-r--r--");
    private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwxr-xr-x");
    static final Principal OWNER = new Principal("user");

    private final boolean dir;
    private final long size;
    private final FileTime modified;
    private final String key;

    S3Attributes(boolean dir, long size, java.time.Instant modified, String key) {
        this.dir = dir;
        this.size = dir ? 0 : size;
        this.modified = FileTime.from(modified == null ? java.time.Instant.EPOCH : modified);
        this.key = key;
    }

    static S3Attributes directory(java.time.Instant modified, String key) {
        return new S3Attributes(true, 0, modified, key);
    }

    @Override
    public FileTime lastModifiedTime() {
        return modified;
    }

    @Override
    public FileTime lastAccessTime() {
        return modified;
    }

    @Override
    public FileTime creationTime() {
        return modified;
    }

    @Override
    public boolean isRegularFile() {
        return !dir;
    }

    @Override
    public boolean isDirectory() {
        return dir;
    }

    @Override
    public boolean isSymbolicLink() {
        return false;
    }

    @Override
    public boolean isOther() {
        return false;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public Object fileKey() {
        return key;
    }

    @Override
    public UserPrincipal owner() {
        return OWNER;
    }

    @Override
    public GroupPrincipal group() {
        return OWNER;
    }

    @Override
    public Set<PosixFilePermission> permissions() {
        return dir ? DIR : FILE;
    }

    /** The owner and group every file shows. */
    record Principal(String getName) implements GroupPrincipal {
        @Override
        public String toString() {
            return getName;
        }
    }
}
