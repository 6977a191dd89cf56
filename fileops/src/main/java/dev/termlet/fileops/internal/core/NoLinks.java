package dev.termlet.fileops.internal.core;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One kernel call that says whether a whole path is free of symbolic links: Linux's {@code openat2} with
 * {@code RESOLVE_NO_SYMLINKS} (Linux 5.6 and later), which fails with {@code ELOOP} on a link in any position,
 * the last one included, instead of following it. {@link VirtualRoot#real} asks it first: a path it finds whole
 * and without links is its own real path, which the walk one name at a time would have found too, with one
 * {@code lstat} per name. Whatever else it answers (a link, an error, no such call) sends the resolver to that
 * walk, so this class can only ever skip work, never decide a refusal or an acceptance the walk would not.
 *
 * <p>Direct-mapped through JNA ({@link Native#register}); the {@code errno} comes from
 * {@link Native#getLastError()}, so a missing file costs no exception.
 */
final class NoLinks {
    private static final Logger LOG = LoggerFactory.getLogger(NoLinks.class);

    /** {@code openat2}'s number: new system calls share one number on every architecture (x86-64, AArch64). */
    private static final long SYS_OPENAT2 = 437;
    private static final long AT_FDCWD = -100;
    private static final long RESOLVE_NO_MAGICLINKS = 0x02;
    private static final long RESOLVE_NO_SYMLINKS = 0x04;
    private static final int ENOENT = 2;
    private static final int ENOTDIR = 20;
    /**
     * {@link #directory}: a name on the way, or the directory itself, is neither a directory nor a link (a file, a
     * FIFO, a device), with no link before it. The walk would refuse that too, after opening it (a FIFO's open would
     * wait for a writer): callers refuse at once.
     */
    static final int NOT_A_DIRECTORY = -2;
    /** {@link #entry}: no entry at the path (some name on the way is missing), and no link before the missing name. */
    static final int NO_ENTRY = -3;

    /** {@link #check}: every name on the path exists and none is a link. */
    static final int WHOLE = 0;
    /** No entry at the path (some name on the way is missing), and no link before the missing name. */
    static final int MISSING = 1;
    /** Anything else (a link, not a directory, no permission, no such call): walk the path instead. */
    static final int UNKNOWN = 2;

    private static final boolean AVAILABLE;
    private static final long O_PATH_FLAGS;
    /** {@code O_DIRECTORY}, which differs between x86-64 and AArch64. */
    private static final long O_DIRECTORY;
    private static final Charset PATHS;

    static {
        boolean ok = false;
        long path = 0;
        long directory = 0;
        Charset cs = null;
        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        if (!Boolean.getBoolean("termlet.fileops.noOpenat2") && os.contains("linux")
                && (arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64"))) {
            path = 010000000 | 02000000; // O_PATH | O_CLOEXEC
            directory = arch.equals("aarch64") ? 040000 : 0200000;
            try {
                // the JDK encodes file names with sun.jnu.encoding: the same bytes must reach the kernel
                cs = Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
                Native.register(NoLinks.class, NativeLibrary.getInstance("c"));
                // the property can be changed after the JDK read it: check that it still encodes as the JDK does
                ok = agreesWithJdk(cs) && probe();
            } catch (LinkageError | RuntimeException e) {
                LOG.debug("no openat2 ({}): paths are checked one name at a time", e.toString());
            }
        }
        O_PATH_FLAGS = path;
        O_DIRECTORY = directory;
        PATHS = cs;
        AVAILABLE = ok;
    }

    private NoLinks() {}

    private static native long syscall(long number, long dirfd, byte[] path, long[] how, long size);

    private static native int close(int fd);

    /** Whether the kernel has {@code openat2} and lets this process call it (a seccomp filter may not). */
    private static boolean probe() {
        long[] how = {O_PATH_FLAGS, 0, RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS};
        long fd = syscall(SYS_OPENAT2, AT_FDCWD, new byte[] {'/', 0}, how, 24);
        if (fd < 0) {
            LOG.debug("openat2 answered errno {}: paths are checked one name at a time", Native.getLastError());
            return false;
        }
        close((int) fd);
        return true;
    }

    /**
     * Whether names encode here as the JDK encodes them: a name with characters outside ASCII, as {@link #encode}
     * makes it, and as the JDK would pass it to the kernel ({@link #bytesOf}); both refusing it agrees too.
     */
    private static boolean agreesWithJdk(Charset cs) {
        String sample = "/termlet-\u00e9\u00ff\u20ac\u4e2d";
        byte[] ours = encoded(cs, sample);
        byte[] jdk;
        try {
            jdk = bytesOf(java.nio.file.Path.of(sample));
        } catch (java.nio.file.InvalidPathException e) {
            jdk = null;
        }
        if (!java.util.Arrays.equals(ours, jdk)) {
            LOG.debug("sun.jnu.encoding ({}) is not the JDK's encoding of file names: no openat2", cs);
            return false;
        }
        return true;
    }

    /**
     * The bytes the JDK passes to the kernel for an absolute path of the default file system: its {@code file:} URI
     * keeps them, each byte outside ASCII percent-encoded (a directory's URI ends in a slash, which is dropped).
     *
     * @param path an absolute path
     * @return its bytes, or null when they cannot be told
     */
    static byte[] bytesOf(java.nio.file.Path path) {
        try {
            String raw = path.toUri().getRawPath();
            if (raw == null || raw.isEmpty() || raw.charAt(0) != '/') {
                return null;
            }
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(raw.length());
            for (int i = 0; i < raw.length(); i++) {
                char c = raw.charAt(i);
                if (c == '%' && i + 2 < raw.length()) {
                    out.write(Integer.parseInt(raw.substring(i + 1, i + 3), 16));
                    i += 2;
                } else if (c < 0x80) {
                    out.write(c);
                } else {
                    return null;
                }
            }
            byte[] b = out.toByteArray();
            return b.length > 1 && b[b.length - 1] == '/' ? java.util.Arrays.copyOf(b, b.length - 1) : b;
        } catch (RuntimeException | java.io.IOError e) {
            return null;
        }
    }

    /**
     * Whether {@code text}, as {@link #check} encodes it, is the very name of {@code path} on disk. It is not when the
     * path holds bytes that are not valid in the file-name encoding (a directory named in Latin-1 under a UTF-8
     * locale): its text then has U+FFFD in their place, which names another file, so {@link #check} would look up
     * some other path than the one the JDK, and the walk, would use.
     *
     * @param text the path as text ({@code path.toString()})
     * @param path the path
     * @return whether {@link #check} of {@code text} and of names below it looks up {@code path} and names below it
     */
    static boolean names(String text, java.nio.file.Path path) {
        if (!AVAILABLE) {
            return false;
        }
        byte[] ours = encode(text);
        byte[] disk = bytesOf(path);
        return ours != null && disk != null && java.util.Arrays.equals(ours, 0, ours.length - 1, disk, 0, disk.length);
    }

    /** @return whether {@link #check} can answer anything but {@link #UNKNOWN} here */
    static boolean available() {
        return AVAILABLE;
    }

    /**
     * Looks a whole absolute path up in one call, following no link in any position.
     *
     * @param absolute the path on disk
     * @return {@link #WHOLE} when every name on it exists and none is a link,
     *     {@link #MISSING} when a name on it does not exist and no link came before, {@link #UNKNOWN} otherwise
     */
    static int check(String absolute) {
        int fd = entry(absolute);
        if (fd >= 0) {
            close(fd);
            return WHOLE;
        }
        return fd == NO_ENTRY ? MISSING : UNKNOWN;
    }

    /**
     * Takes a handle on the entry at a whole absolute path in one call that follows no link in any position, the
     * last one included ({@code O_PATH}: it opens nothing, so not a FIFO's other end nor a device). Where it
     * succeeds, the handle is of the very entry a walk one name at a time from the root with {@code O_NOFOLLOW}
     * would reach, and is not a link.
     *
     * @param absolute the entry on disk
     * @return a handle the caller closes ({@link #closeHandle}); {@link #NO_ENTRY} when a name on the way does not
     *     exist and no link came before it; -1 for anything else (a link, no permission, no such call)
     */
    static int entry(String absolute) {
        if (!AVAILABLE) {
            return -1;
        }
        byte[] bytes = encode(absolute);
        if (bytes == null) {
            return -1;
        }
        long[] how = {O_PATH_FLAGS, 0, RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS};
        long fd = syscall(SYS_OPENAT2, AT_FDCWD, bytes, how, 24);
        if (fd < 0) {
            // a link on the way answers ELOOP before anything behind it is looked at: ENOENT means no link came first
            return Native.getLastError() == ENOENT ? NO_ENTRY : -1;
        }
        return (int) fd;
    }

    /**
     * {@link #entry} of an entry below the root, on the terms of {@link #directoryBelow} (plain names from the root
     * to it, and no U+FFFD in its text).
     *
     * @param root the user's root (real)
     * @param file an entry below it (real)
     * @return as {@link #entry}
     */
    static int entryBelow(java.nio.file.Path root, java.nio.file.Path file) {
        return plainBelow(root, file) ? entry(file.toString()) : -1;
    }

    /**
     * Opens a directory by its whole absolute path in one call that follows no link in any position
     * ({@code O_PATH | O_DIRECTORY}, {@code RESOLVE_NO_SYMLINKS}): where it succeeds, the handle is of the very
     * directory a walk one name at a time from the root with {@code O_NOFOLLOW} would reach (every name on the way
     * is a real directory). Anything else (a link, a missing name, no such call) answers -1 and leaves the decision to
     * that walk, so this can only ever skip work.
     *
     * @param absolute the directory on disk
     * @return a handle the caller closes ({@link #closeHandle}), {@link #NOT_A_DIRECTORY}, or -1
     */
    static int directory(String absolute) {
        if (!AVAILABLE) {
            return -1;
        }
        byte[] bytes = encode(absolute);
        if (bytes == null) {
            return -1;
        }
        long[] how = {O_PATH_FLAGS | O_DIRECTORY, 0, RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS};
        long fd = syscall(SYS_OPENAT2, AT_FDCWD, bytes, how, 24);
        if (fd < 0) {
            return Native.getLastError() == ENOTDIR ? NOT_A_DIRECTORY : -1;
        }
        return fd <= Integer.MAX_VALUE ? (int) fd : -1;
    }

    /**
     * {@link #directory} of a directory below the root, when every name from the root to it is a plain name (none
     * empty, {@code .} or {@code ..}, as in a real path) and its text shows no U+FFFD: a name read from a listing
     * whose bytes are not valid in the file-name encoding shows that character, and its text would name another
     * directory than its bytes (the walk passes the bytes the JDK holds).
     *
     * @param root the user's root (real)
     * @param dir a directory below it (real)
     * @return a handle the caller closes ({@link #closeHandle}), {@link #NOT_A_DIRECTORY} to refuse, or -1 to walk
     *     instead
     */
    static int directoryBelow(java.nio.file.Path root, java.nio.file.Path dir) {
        return plainBelow(root, dir) ? directory(dir.toString()) : -1;
    }

    /**
     * Whether a path below the root has only plain names from the root to it (none empty, {@code .} or {@code ..})
     * and no U+FFFD in its text, so that its text names the very entry its bytes on disk name.
     */
    private static boolean plainBelow(java.nio.file.Path root, java.nio.file.Path p) {
        if (!AVAILABLE || !p.startsWith(root) || p.equals(root) || p.toString().indexOf('\uFFFD') >= 0) {
            return false;
        }
        // the path's own names below the root (relativize would normalise some away)
        for (int i = root.getNameCount(); i < p.getNameCount(); i++) {
            String n = p.getName(i).toString();
            if (n.isEmpty() || n.equals(".") || n.equals("..")) {
                return false;
            }
        }
        return true;
    }

    /**
     * Closes a handle {@link #directory} or {@link #entry} gave.
     *
     * @param fd the handle
     */
    static void closeHandle(int fd) {
        close(fd);
    }

    /** The path as the JDK would pass it to the kernel, NUL-terminated; null when it cannot be encoded so. */
    private static byte[] encode(String path) {
        int n = path.length();
        byte[] out = new byte[n + 1];
        boolean ascii = true;
        for (int i = 0; i < n; i++) {
            char c = path.charAt(i);
            if (c == 0 || c >= 0x80) {
                ascii = false;
                break;
            }
            out[i] = (byte) c;
        }
        if (ascii) {
            return out;
        }
        byte[] bytes = encoded(PATHS, path);
        if (bytes == null) {
            return null;
        }
        for (byte b : bytes) {
            if (b == 0) {
                return null;
            }
        }
        return java.util.Arrays.copyOf(bytes, bytes.length + 1);
    }

    /** A text in a charset, every character mapped (null when one cannot be). */
    private static byte[] encoded(Charset cs, String text) {
        CharsetEncoder enc = cs.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            ByteBuffer b = enc.encode(CharBuffer.wrap(text));
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            return bytes;
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
