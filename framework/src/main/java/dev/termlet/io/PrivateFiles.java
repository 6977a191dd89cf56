package dev.termlet.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Directories (mode 0700) and files (mode 0600) that only the server's user may read, for the data an application
 * or extension keeps: created, with the mode given
 * at creation (never a chmod afterwards, so there is no moment when they are open to others). On file systems
 * without POSIX modes they are created as the file system does.
 */
public final class PrivateFiles {
    private PrivateFiles() {}

    private static final FileAttribute<?> DIR = PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rwx------"));
    private static final FileAttribute<?> FILE = PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rw-------"));

    private static boolean posix(FileSystem fs) {
        return fs.supportedFileAttributeViews().contains("posix");
    }

    /**
     * Creates a directory and any missing parents, each new one with mode 0700; existing ones are left as they are.
     *
     * @param dir the directory
     * @return the directory
     * @throws IOException if it cannot be created
     */
    public static Path createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return dir;
        }
        return posix(dir.getFileSystem()) ? Files.createDirectories(dir, DIR) : Files.createDirectories(dir);
    }

    /**
     * Creates an empty file with mode 0600 if none exists (its directory must exist).
     *
     * @param file the file
     * @return the file
     * @throws IOException if it cannot be created
     */
    public static Path createFileIfMissing(Path file) throws IOException {
        if (Files.exists(file)) {
            return file;
        }
        try {
            return posix(file.getFileSystem()) ? Files.createFile(file, FILE) : Files.createFile(file);
        } catch (FileAlreadyExistsException e) {
            return file;
        }
    }

    /**
     * Writes a private file atomically, so that a crash leaves either the old or the new content (mode 0600 where the file system has POSIX modes): a temporary file
     * in the same directory, forced to disk, renamed over the target.
     *
     * @param file the target
     * @param content the new content
     * @throws IOException if writing fails; the target is then unchanged and no temporary file is left
     */
    public static void write(Path file, byte[] content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        createDirectories(dir);
        boolean posix = posix(file.getFileSystem());
        // created with mode 0600 where the file system has POSIX modes, so it is never open to others
        Path tmp = posix ? Files.createTempFile(dir, "." + file.getFileName(), ".tmp", FILE)
                : Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            syncDirectory(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Forces a directory's entries (the rename) to disk, where the platform allows opening a directory. */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // some platforms (Windows) cannot open or force a directory: the rename is then as durable as they make it
        }
    }
}
