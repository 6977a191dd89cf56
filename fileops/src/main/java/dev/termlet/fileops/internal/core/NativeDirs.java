package dev.termlet.fileops.internal.core;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Making directory entries relative to a directory that was reached without following links: {@code mkdirat},
 * {@code symlinkat} and {@code linkat} on Linux, through JNA, since Java has no such calls. Each walk opens the root,
 * then each directory below it with {@code O_PATH | O_DIRECTORY | O_NOFOLLOW}, so a directory swapped for a link
 * while the operation runs makes it fail instead of reaching outside. Elsewhere {@link #available()} is false and
 * {@link VirtualRoot} makes the entry by path.
 */
public final class NativeDirs {
    private static final Logger LOG = LoggerFactory.getLogger(NativeDirs.class);

    /** The C library calls used. */
    interface LibC extends Library {
        int open(String path, int flags, int mode) throws LastErrorException;

        int openat(int dirfd, String path, int flags, int mode) throws LastErrorException;

        /** {@code openat} with a name given as its bytes on disk, NUL-terminated. */
        int openat(int dirfd, byte[] path, int flags, int mode) throws LastErrorException;

        int mkdirat(int dirfd, String path, int mode) throws LastErrorException;

        int symlinkat(String target, int newdirfd, String linkpath) throws LastErrorException;

        int linkat(int olddirfd, String oldpath, int newdirfd, String newpath, int flags) throws LastErrorException;

        int close(int fd) throws LastErrorException;

        int statx(int dirfd, String path, int flags, int mask, byte[] buf) throws LastErrorException;

        int renameat(int olddirfd, String oldpath, int newdirfd, String newpath) throws LastErrorException;
    }

    private static final LibC C;
    private static final int DIR_FLAGS;
    /** {@code O_PATH | O_NOFOLLOW | O_CLOEXEC}: a handle on an entry itself, opening nothing. */
    private static final int ENTRY_FLAGS;
    /**
     * Whether an entry can be opened race-free by {@link #withEntry}: {@code statx} answers, and
     * {@code /proc/self/fd} is there to reopen a handle by.
     */
    private static final boolean REOPEN;
    /**
     * Whether JNA passes a path's text to the kernel as the JDK does ({@code sun.jnu.encoding}): if not, a name
     * outside ASCII would reach another file than the JDK's, and {@link #withEntry} is not used.
     */
    private static final boolean SAME_ENCODING;

    private static final int AT_EMPTY_PATH = 0x1000;
    private static final int STATX_TYPE = 0x1;
    /** {@code stx_mode}'s place in {@code struct statx} (the same on every architecture). */
    private static final int STX_MODE = 0x1c;
    private static final int S_IFMT = 0170000;
    /** {@code S_IFREG}. */
    static final int REGULAR = 0100000;
    /** {@code S_IFDIR}. */
    static final int DIRECTORY = 0040000;
    /** {@code S_IFLNK}. */
    static final int LINK = 0120000;

    static {
        LibC c = null;
        int flags = 0;
        int entry = 0;
        boolean reopen = false;
        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        if (os.contains("linux") && (arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64"))) {
            boolean arm = arch.equals("aarch64");
            int oDirectory = arm ? 040000 : 0200000;
            int oNofollow = arm ? 0100000 : 0400000;
            int oPath = 010000000;
            int oCloexec = 02000000;
            flags = oPath | oDirectory | oNofollow | oCloexec;
            entry = oPath | oNofollow | oCloexec;
            try {
                c = Native.load("c", LibC.class);
            } catch (LinkageError | RuntimeException e) {
                LOG.warn("no directory-relative file calls ({}): new directories and links are made by path", e
                        .toString());
            }
            reopen = c != null && probeReopen(c, flags);
        }
        C = c;
        DIR_FLAGS = flags;
        ENTRY_FLAGS = entry;
        REOPEN = reopen;
        boolean same = false;
        try {
            same = java.nio.charset.Charset.forName(Native.getDefaultStringEncoding()).equals(
                    java.nio.charset.Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8")));
        } catch (RuntimeException | LinkageError e) {
            // unknown: not the same
        }
        SAME_ENCODING = same;
    }

    /**
     * Whether {@link #withEntry} may be used for a root and the paths below it: it is there, and the root's text,
     * as JNA passes it, is the root's own bytes on disk (it is not when the root's name holds bytes that are not
     * valid in the file-name encoding: its text then names another directory).
     *
     * @param text the root as text
     * @param root the root
     * @return whether paths below the root can be opened through {@link #withEntry}
     */
    static boolean opensBelow(String text, Path root) {
        return REOPEN && namesRoot(text, root);
    }

    /**
     * Whether {@link #mkdir}, {@link #symlink} and {@link #link} may be used for a root: the calls are there, and the
     * root's text, as JNA passes it, is the root's own bytes on disk. When the root's name holds bytes that are not
     * valid in the file-name encoding, its text names another directory (one beside it, with U+FFFD in its name),
     * and a walk from that text would make entries there, outside the root.
     *
     * @param text the root as text
     * @param root the root
     * @return whether entries below the root can be made through these calls
     */
    static boolean namesRoot(String text, Path root) {
        if (C == null || !SAME_ENCODING) {
            return false;
        }
        byte[] disk = NoLinks.bytesOf(root);
        return disk != null && java.util.Arrays.equals(text.getBytes(
                java.nio.charset.Charset.forName(Native.getDefaultStringEncoding())), disk);
    }

    /** Whether {@code statx} of a handle answers and {@code /proc/self/fd} shows this process's handles. */
    private static boolean probeReopen(LibC c, int dirFlags) {
        try {
            int fd = c.open("/", dirFlags, 0);
            try {
                byte[] buf = new byte[256];
                c.statx(fd, "", AT_EMPTY_PATH, STATX_TYPE, buf);
                return (mode(buf) & S_IFMT) == DIRECTORY
                        && java.nio.file.Files.isDirectory(Path.of("/proc/self/fd/" + fd));
            } finally {
                c.close(fd);
            }
        } catch (LinkageError | RuntimeException e) {
            LOG.warn("no statx or /proc/self/fd ({}): files are checked by name before they are opened", e.toString());
            return false;
        }
    }

    private static int mode(byte[] statx) {
        return (statx[STX_MODE] & 0xff) | (statx[STX_MODE + 1] & 0xff) << 8;
    }

    private NativeDirs() {}

    /** @return whether the calls are there (Linux on x86-64 or AArch64 with JNA) */
    public static boolean available() {
        return C != null;
    }

    /**
     * @return whether {@link #withEntry} can open files race-free here (Linux with JNA, {@code statx} and
     *     {@code /proc/self/fd})
     */
    static boolean reopens() {
        return REOPEN;
    }

    /**
     * What an entry is, told from a handle on the entry itself, and what to do with it.
     */
    @FunctionalInterface
    interface Reopen<T> {
        /**
         * @param type the entry's type ({@code st_mode & S_IFMT}: {@link #REGULAR}, {@link #DIRECTORY}, {@link #LINK},
         *     or another kind)
         * @param handle a path that reopens that very entry ({@code /proc/self/fd/N}), valid during the call only
         * @return the result
         * @throws java.io.IOException to refuse
         */
        T apply(int type, Path handle) throws java.io.IOException;
    }

    /**
     * Takes a handle on an existing entry that opens nothing ({@code O_PATH | O_NOFOLLOW}, so not a FIFO's other end
     * nor a device), from its directory reached one name at a time without links; tells its type from the handle
     * ({@code statx}); and lets {@code then} reopen that very entry through {@code /proc/self/fd/N}. An entry with no
     * link anywhere on its path is taken in one call ({@link NoLinks#entryBelow}: the same entry). Since the type
     * and the reopened file come from one handle, a file swapped for another kind between the two cannot be opened.
     *
     * @param root the user's root (real)
     * @param file the entry (real, below the root)
     * @param then what to do with its type and handle
     * @param <T> the result
     * @return what {@code then} returned
     * @throws java.io.IOException when the entry is missing, cannot be reached, or {@code then} refuses
     */
    static <T> T withEntry(Path root, Path file, Reopen<T> then) throws java.io.IOException {
        // one call where no name on the way is a link (the same entry the walk would reach); else the walk
        int one = NoLinks.entryBelow(root, file);
        if (one == NoLinks.NO_ENTRY) {
            throw translate(2, file); // missing, with no link before the missing name: the walk would find so too
        }
        // a name whose text shows U+FFFD: the text may not be its bytes on disk (a name that is not valid in the
        // file-name encoding, read from a listing), so the names below the root are passed as the JDK holds them
        int fd = one >= 0 ? one
                : file.toString().indexOf('\uFFFD') < 0 ? entryByWalk(root, file) : entryByBytes(root, file);
        try {
            byte[] buf = new byte[256];
            call(() -> C.statx(fd, "", AT_EMPTY_PATH, STATX_TYPE, buf), file);
            return then.apply(mode(buf) & S_IFMT, Path.of("/proc/self/fd/" + fd));
        } finally {
            C.close(fd);
        }
    }

    /** {@code O_PATH | O_NOFOLLOW} handle on {@code file}, opened in its directory reached without links. */
    private static int entryByWalk(Path root, Path file) throws FileSystemException {
        int dir = walk(root, file.getParent());
        try {
            return call(() -> C.openat(dir, file.getFileName().toString(), ENTRY_FLAGS, 0), file);
        } finally {
            C.close(dir);
        }
    }

    /**
     * {@code O_PATH | O_NOFOLLOW} handle on {@code file}, reached from the root one name at a time without links, each
     * name passed as its bytes on disk ({@link NoLinks#bytesOf}); refused when those bytes cannot be told.
     */
    private static int entryByBytes(Path root, Path file) throws FileSystemException {
        java.util.List<byte[]> names = namesByBytes(root, file);
        int fd = walkByBytes(root, names, names.size() - 1, file);
        try {
            int at = fd;
            byte[] last = names.get(names.size() - 1);
            return call(() -> C.openat(at, last, ENTRY_FLAGS, 0), file);
        } finally {
            C.close(fd);
        }
    }

    /**
     * The names from the root down to {@code below} as their bytes on disk, each NUL-terminated for the kernel;
     * refused when those bytes cannot be told or a name is empty, {@code .} or {@code ..}.
     */
    private static java.util.List<byte[]> namesByBytes(Path root, Path below) throws AccessDeniedException {
        byte[] r = NoLinks.bytesOf(root);
        byte[] f = NoLinks.bytesOf(below);
        if (r == null || f == null || f.length <= r.length + 1 || !java.util.Arrays.equals(r, 0, r.length, f, 0,
                r.length) || f[r.length] != '/') {
            throw new AccessDeniedException(String.valueOf(below.getFileName()), null, "its name cannot be read");
        }
        java.util.List<byte[]> names = new java.util.ArrayList<>();
        for (int start = r.length + 1, i = start; i <= f.length; i++) {
            if (i == f.length || f[i] == '/') {
                int len = i - start;
                if (len == 0 || (len == 1 && f[start] == '.') || (len == 2 && f[start] == '.' && f[start + 1] == '.')) {
                    throw new AccessDeniedException(String.valueOf(below.getFileName()), null, "not a clean path");
                }
                // NUL-terminated for the kernel
                names.add(java.util.Arrays.copyOfRange(f, start, i + 1));
                names.get(names.size() - 1)[len] = 0;
                start = i + 1;
            }
        }
        return names;
    }

    /** The directory the first {@code count} of {@code names} lead to from the root, opened without links. */
    private static int walkByBytes(Path root, java.util.List<byte[]> names, int count, Path what)
            throws FileSystemException {
        int fd = call(() -> C.open(root.toString(), DIR_FLAGS, 0), root);
        try {
            for (int i = 0; i < count; i++) {
                int at = fd;
                byte[] name = names.get(i);
                int next = call(() -> C.openat(at, name, DIR_FLAGS, 0), what);
                C.close(fd);
                fd = next;
            }
            return fd;
        } catch (FileSystemException | RuntimeException e) {
            C.close(fd);
            throw e;
        }
    }

    /**
     * Opens {@code dir} (a real directory below or at {@code root}) one name at a time without links; a directory with
     * no link anywhere on its path is opened in one call instead ({@link NoLinks#directoryBelow}: the same directory).
     */
    private static int walk(Path root, Path dir) throws FileSystemException {
        int direct = NoLinks.directoryBelow(root, dir);
        if (direct >= 0) {
            return direct;
        }
        if (direct == NoLinks.NOT_A_DIRECTORY) {
            throw translate(20, dir);
        }
        int fd = call(() -> C.open(root.toString(), DIR_FLAGS, 0), root);
        try {
            for (Path name : root.relativize(dir)) {
                if (name.toString().isEmpty()) {
                    continue;
                }
                int at = fd;
                int next = call(() -> C.openat(at, name.toString(), DIR_FLAGS, 0), dir);
                C.close(fd);
                fd = next;
            }
            return fd;
        } catch (FileSystemException | RuntimeException e) {
            C.close(fd);
            throw e;
        }
    }

    /** A call that answers a descriptor or 0. */
    @FunctionalInterface
    private interface Call {
        int run();
    }

    private static int call(Call call, Path what) throws FileSystemException {
        try {
            return call.run();
        } catch (LastErrorException e) {
            throw translate(e.getErrorCode(), what);
        }
    }

    private static FileSystemException translate(int errno, Path what) {
        String name = String.valueOf(what.getFileName());
        switch (errno) {
            case 2:
                return new NoSuchFileException(name);
            case 17:
                return new FileAlreadyExistsException(name);
            case 1:
            case 13:
                return new AccessDeniedException(name);
            case 36:
                return new FileSystemException(name, null, "File name too long");
            case 21:
                return new FileSystemException(name, null, "Is a directory");
            case 16:
                return new FileSystemException(name, null, "Device or resource busy");
            case 28:
                return new FileSystemException(name, null, "No space left on device");
            case 30:
                return new FileSystemException(name, null, "Read-only file system");
            case 122:
                return new FileSystemException(name, null, "Disk quota exceeded");
            case 39:
                return new java.nio.file.DirectoryNotEmptyException(name);
            case 20:
            case 40:
                // ENOTDIR, ELOOP: a link where a directory was checked
                return new AccessDeniedException(name, null, "changed while in use");
            default:
                return new FileSystemException(name, null, "error " + errno);
        }
    }

    /**
     * {@code mkdirat}.
     *
     * @param root the user's root (real)
     * @param dir the new directory (real, below the root)
     * @param mode the mode (the process umask applies too)
     * @throws FileSystemException when it cannot be made
     */
    static void mkdir(Path root, Path dir, int mode) throws FileSystemException {
        int fd = walk(root, dir.getParent());
        try {
            call(() -> C.mkdirat(fd, dir.getFileName().toString(), mode), dir);
        } finally {
            C.close(fd);
        }
    }

    /**
     * {@code renameat} of an entry to another name in the same directory, reached from the root without links: what
     * is at the new name is replaced (a link there is replaced itself, not followed). A link moved within its own
     * directory keeps its meaning, so nothing is pinned: a link at the old name (only another program could put one
     * where an upload's temporary file was) is moved as it is, and reads through it are checked as through any.
     *
     * @param root the user's root (real)
     * @param from the entry (real, below the root)
     * @param to its new name, in the same directory
     * @throws FileSystemException when it cannot be moved
     */
    static void renameWithin(Path root, Path from, Path to) throws FileSystemException {
        int fd = walk(root, from.getParent());
        try {
            call(() -> C.renameat(fd, from.getFileName().toString(), fd, to.getFileName().toString()), from);
        } finally {
            C.close(fd);
        }
    }

    /**
     * A directory below or at the root, opened one name at a time without links and with handles that open nothing
     * ({@code O_PATH | O_DIRECTORY | O_NOFOLLOW}: a FIFO, device or link in a directory's place is refused at once
     * instead of opened), or in one {@code openat2} call where no name on the way is a link; then read through its
     * handle in {@code /proc/self/fd}, so the stream is that very directory. A path whose text shows U+FFFD is walked
     * by the bytes of its names on disk. The handle is closed on return, so the paths of the stream's entries must
     * not be used as such: take their file names only.
     *
     * @param root the user's root (real)
     * @param dir the directory (real, normalised, below or at the root)
     * @return a directory stream on it; the caller closes it
     * @throws java.io.IOException when a name on the way is missing, not a directory or a link, or the directory
     *     cannot be read ({@link AccessDeniedException} naming the directory, without the handle's path)
     */
    static java.nio.file.DirectoryStream<Path> directoryStream(Path root, Path dir) throws java.io.IOException {
        if (!dir.startsWith(root) || !dir.normalize().equals(dir)) {
            throw new AccessDeniedException(String.valueOf(dir.getFileName()), null, "not below the root");
        }
        int fd;
        if (dir.equals(root) || dir.toString().indexOf('\uFFFD') < 0) {
            fd = walk(root, dir);
        } else {
            java.util.List<byte[]> names = namesByBytes(root, dir);
            fd = walkByBytes(root, names, names.size(), dir);
        }
        try {
            return java.nio.file.Files.newDirectoryStream(Path.of("/proc/self/fd/" + fd));
        } catch (AccessDeniedException e) {
            throw new AccessDeniedException(String.valueOf(dir.getFileName()));
        } catch (FileSystemException e) {
            // not a missing file: the directory was just reached; the handle's path stays out of the message
            throw new FileSystemException(String.valueOf(dir.getFileName()), null, "cannot be read"
                    + (e.getReason() != null ? ": " + e.getReason() : ""));
        } finally {
            C.close(fd);
        }
    }

    /**
     * {@code symlinkat}.
     *
     * @param root the user's root (real)
     * @param link the new link (real, below the root)
     * @param target what it stores
     * @throws FileSystemException when it cannot be made
     */
    static void symlink(Path root, Path link, Path target) throws FileSystemException {
        int fd = walk(root, link.getParent());
        try {
            call(() -> C.symlinkat(target.toString(), fd, link.getFileName().toString()), link);
        } finally {
            C.close(fd);
        }
    }

    /**
     * {@code linkat} without following a link in the source's last place.
     *
     * @param root the user's root (real)
     * @param link the new name (real, below the root)
     * @param source the existing file (real, below the root)
     * @throws FileSystemException when it cannot be made
     */
    static void link(Path root, Path link, Path source) throws FileSystemException {
        int from = walk(root, source.getParent());
        try {
            int to = walk(root, link.getParent());
            try {
                call(() -> C.linkat(from, source.getFileName().toString(), to, link.getFileName().toString(), 0),
                        link);
            } finally {
                C.close(to);
            }
        } finally {
            C.close(from);
        }
    }
}
