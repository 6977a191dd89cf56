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

    /** {@link #check}: every name on the path exists and none is a link. */
    static final int WHOLE = 0;
    /** No entry at the path (some name on the way is missing), and no link before the missing name. */
    static final int MISSING = 1;
    /** Anything else (a link, not a directory, no permission, no such call): walk the path instead. */
    static final int UNKNOWN = 2;

    private static final boolean AVAILABLE;
    private static final long O_PATH_FLAGS;
    private static final Charset PATHS;

    static {
        boolean ok = false;
        long path = 0;
        Charset cs = null;
        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        if (!Boolean.getBoolean("termlet.fileops.noOpenat2") && os.contains("linux")
                && (arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64"))) {
            path = 010000000 | 02000000; // O_PATH | O_CLOEXEC
            try {
                // the JDK encodes file names with sun.jnu.encoding: the same bytes must reach the kernel
                cs = Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
                Native.register(NoLinks.class, NativeLibrary.getInstance("c"));
                ok = probe();
            } catch (LinkageError | RuntimeException e) {
                LOG.debug("no openat2 ({}): paths are checked one name at a time", e.toString());
            }
        }
        O_PATH_FLAGS = path;
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
        if (!AVAILABLE) {
            return UNKNOWN;
        }
        byte[] bytes = encode(absolute);
        if (bytes == null) {
            return UNKNOWN;
        }
        long[] how = {O_PATH_FLAGS, 0, RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS};
        long fd = syscall(SYS_OPENAT2, AT_FDCWD, bytes, how, 24);
        if (fd >= 0) {
            close((int) fd);
            return WHOLE;
        }
        // a link on the way answers ELOOP before anything behind it is looked at: ENOENT means no link came first
        return Native.getLastError() == ENOENT ? MISSING : UNKNOWN;
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
        CharsetEncoder enc = PATHS.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            ByteBuffer b = enc.encode(CharBuffer.wrap(path));
            byte[] bytes = new byte[b.remaining() + 1];
            b.get(bytes, 0, bytes.length - 1);
            for (int i = 0; i < bytes.length - 1; i++) {
                if (bytes[i] == 0) {
                    return null;
                }
            }
            return bytes;
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
