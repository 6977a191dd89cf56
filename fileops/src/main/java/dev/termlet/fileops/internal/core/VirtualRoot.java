package dev.termlet.fileops.internal.core;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.sshd.common.util.io.functors.IOFunction;

/**
 * A user's view of the disk, and the one path resolver of every protocol: every client path resolves inside one
 * root directory, whatever it says.
 *
 * <p>A client path is first cleaned as text ({@link #normalise}: {@code ..} never climbs above the root, absolute
 * paths start at the root; control characters, names over 255 bytes and paths over 4096 characters are refused).
 * Then {@link #real} walks it on disk one name at a time, as the kernel would, and follows a symbolic link only
 * while every step of it stays inside the root: a link whose target leads outside, or whose {@code ..} climbs above
 * the root, makes the path refused ({@link AccessDeniedException}). The result names a file whose directories are
 * all real directories inside the root. Where Linux has {@code openat2}, one call first looks the whole path up
 * following no link ({@link NoLinks}); a path without links (the usual case) needs no walk, since the walk would
 * find it to be its own real path; any link sends it to the walk.
 *
 * <p>Files and directories are then opened by {@link #open} and {@link #list} one directory at a time from the
 * root, each step refusing to follow a link ({@code openat} with {@code O_NOFOLLOW} through
 * {@link SecureDirectoryStream}), so a directory swapped for a link between the check and the use cannot lead the
 * open outside: the file opened is the file that was checked, or the open fails. {@link #delete} and {@link #move}
 * work the same way. Only regular files are opened: a FIFO, socket or device planted in the root is listed and can
 * be stat'ed, renamed and deleted, but opening its contents is refused without the server waiting on it, and an
 * upload may neither replace it nor replace a link that leads outside ({@link #checkWriteTarget}).
 */
public final class VirtualRoot {
    private static final int MAX_PATH = 4096;
    private static final int MAX_NAME_BYTES = 255;
    /** As Linux: at most 40 links followed while resolving one path. */
    private static final int MAX_LINKS = 40;

    private final Path root;
    /** The root as text without a trailing slash, which clean virtual paths (starting with one) extend. */
    private final String rootText;
    /**
     * Whether {@link NoLinks} may look paths up here: {@link #rootText} names the root's own bytes on disk (it does
     * not when the root's name is not valid in the file-name encoding, and then would name another directory).
     */
    private final boolean oneCall;
    /**
     * Whether files are opened through {@link NativeDirs#withEntry} (type read from the handle that is reopened):
     * on Linux with JNA, when the root's text names its own bytes on disk.
     */
    private final boolean nativeOpen;
    /**
     * Whether new directories and links are made through {@link NativeDirs} ({@code mkdirat}, {@code symlinkat},
     * {@code linkat} from a directory reached without links): on Linux with JNA, when the root's text names its own
     * bytes on disk (otherwise its text names another directory, outside the root).
     */
    private final boolean nativeDirs;
    private final java.util.function.IntSupplier umask;
    /** Whether the root is in an object store ({@link dev.termlet.fileops.Storage}): no links, whole writes only. */
    private final boolean objects;

    /**
     * Creates a view with the umask {@code 022}.
     *
     * @param root the user's root directory (created if missing)
     * @throws IOException if it cannot be created or resolved
     */
    public VirtualRoot(Path root) throws IOException {
        this(root, () -> 022);
    }

    /**
     * Creates a view.
     *
     * @param root the user's root directory (created if missing)
     * @param umask the mask cleared from every mode a client asks for on create, mkdir and chmod, read at each
     *     operation (so a changed account applies at once)
     * @throws IOException if it cannot be created or resolved
     */
    public VirtualRoot(Path root, java.util.function.IntSupplier umask) throws IOException {
        Files.createDirectories(root);
        this.root = root.toRealPath();
        String text = this.root.toString();
        this.rootText = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        this.umask = umask;
        this.objects = root.getFileSystem() != java.nio.file.FileSystems.getDefault();
        this.oneCall = !objects && NoLinks.names(rootText, this.root);
        this.nativeOpen = !objects && NativeDirs.opensBelow(rootText, this.root);
        this.nativeDirs = !objects && NativeDirs.namesRoot(rootText, this.root);
    }

    /**
     * @return whether the root is in an object store ({@link dev.termlet.fileops.Storage}) rather than on the local
     *     disk: there are no links, and files are written whole ({@link dev.termlet.fileops.Storage.PendingWrite})
     */
    public boolean objectStore() {
        return objects;
    }

    /**
     * Makes a user's home directory if missing: private to the server's user (0700) on the local disk, a directory
     * of the store otherwise.
     *
     * @param home the home directory
     * @throws IOException when it cannot be made
     */
    public static void createHome(Path home) throws IOException {
        if (home.getFileSystem() == java.nio.file.FileSystems.getDefault()) {
            dev.termlet.io.PrivateFiles.createDirectories(home);
        } else {
            Files.createDirectories(home);
        }
    }

    private static UnsupportedOperationException noLinks() {
        return new UnsupportedOperationException("links are not possible in object storage");
    }

    /**
     * Clears the umask's bits from a mode.
     *
     * @param requested the mode a client asked for
     * @return the mode to give
     */
    public Set<PosixFilePermission> masked(Set<PosixFilePermission> requested) {
        int mask = umask.getAsInt();
        Set<PosixFilePermission> out = java.util.EnumSet.noneOf(PosixFilePermission.class);
        for (PosixFilePermission p : requested) {
            // PosixFilePermission's order is owner rwx, group rwx, others rwx: bit 8 down to bit 0
            if ((mask & (0400 >> p.ordinal())) == 0) {
                out.add(p);
            }
        }
        return out;
    }

    private static Set<PosixFilePermission> requested(FileAttribute<?>[] attrs, String fallback) {
        for (FileAttribute<?> a : attrs) {
            if (a != null && a.name().equals("posix:permissions") && a.value() instanceof Set) {
                Set<PosixFilePermission> out = java.util.EnumSet.noneOf(PosixFilePermission.class);
                for (Object o : (Set<?>) a.value()) {
                    if (o instanceof PosixFilePermission) {
                        out.add((PosixFilePermission) o);
                    }
                }
                return out;
            }
        }
        return PosixFilePermissions.fromString(fallback);
    }

    /** @return the root on disk, with links resolved */
    public Path root() {
        return root;
    }

    /**
     * Normalises a client path to a clean virtual path: starts with {@code /}, no {@code .} or {@code ..}
     * parts, no empty parts, no trailing slash.
     *
     * @param clientPath the path as sent, relative to {@code cwd} unless absolute
     * @param cwd the current virtual directory
     * @return the virtual path
     * @throws AccessDeniedException for a path with control characters or over-long names
     */
    public static String normalise(String clientPath, String cwd) throws AccessDeniedException {
        return normalise(clientPath, cwd, false);
    }

    /**
     * Checks a name or path for what no protocol accepts: control characters (C0, DEL, C1) and over-long text.
     *
     * @param text the name or path
     * @throws AccessDeniedException if it holds any
     */
    public static void checkText(String text) throws AccessDeniedException {
        if (text == null) {
            throw new AccessDeniedException("(null)", null, "no path");
        }
        if (text.length() > MAX_PATH) {
            throw new AccessDeniedException(text.substring(0, 64) + "...", null, "path too long");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                throw new AccessDeniedException(text.replaceAll("[\\p{Cntrl}\\x80-\\x9f]", "?"), null,
                        "control characters in path");
            }
        }
    }

    /**
     * Checks a path a client sent: {@link #checkText}, and no name the server keeps for itself (the temporary
     * files of uploads in progress, {@code .NAME.UUID.part}), so a client can neither hide a file as one nor touch
     * another upload's data.
     *
     * @param clientPath the path as sent
     * @throws AccessDeniedException if it is refused
     */
    public static void checkClientPath(String clientPath) throws AccessDeniedException {
        checkText(clientPath);
        for (String part : clientPath.replace('\\', '/').split("/")) {
            if (Quotas.TEMP.matcher(part).matches()) {
                throw new AccessDeniedException(part, null, "a name reserved for uploads in progress");
            }
        }
    }

    private static String normalise(String clientPath, String cwd, boolean strict) throws AccessDeniedException {
        checkText(clientPath);
        if (isClean(clientPath)) {
            // already a clean virtual path (most are: the jailed file system and the resolver pass them on)
            return clientPath;
        }
        String p = clientPath.replace('\\', '/');
        String full = p.startsWith("/") ? p : (cwd == null ? "/" : cwd) + "/" + p;
        Deque<String> parts = new ArrayDeque<>();
        for (String part : full.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (parts.pollLast() == null && strict) {
                    throw new AccessDeniedException(clientPath, null, "leads outside the root");
                }
                continue;
            }
            if (part.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
                throw new AccessDeniedException(part.substring(0, 32) + "...", null, "name too long");
            }
            parts.addLast(part);
        }
        return "/" + String.join("/", parts);
    }

    /**
     * Whether a path is already what {@link #normalise} makes of it: {@code /}, or {@code /} and names joined by
     * {@code /}, none empty, {@code .}, {@code ..} or over 255 bytes, no backslash (control characters are checked
     * before).
     */
    private static boolean isClean(String p) {
        int n = p.length();
        if (n == 0 || p.charAt(0) != '/') {
            return false;
        }
        if (n == 1) {
            return true;
        }
        int start = 1;
        for (int i = 1; i <= n; i++) {
            char c = i < n ? p.charAt(i) : '/';
            if (c == '\\') {
                return false;
            }
            if (c != '/') {
                continue;
            }
            int len = i - start;
            if (len == 0 || (len == 1 && p.charAt(start) == '.')
                    || (len == 2 && p.charAt(start) == '.' && p.charAt(start + 1) == '.')) {
                return false;
            }
            // a name of more than 85 chars may pass 255 bytes in UTF-8 (3 bytes a char at most): normalise measures it
            if (len > MAX_NAME_BYTES / 3) {
                return false;
            }
            start = i + 1;
        }
        return true;
    }

    /**
     * Resolves a client path to the file on disk, following a final link (inside the root).
     *
     * @param clientPath the path as sent
     * @param cwd the current virtual directory
     * @return the file on disk (it may not exist yet)
     * @throws AccessDeniedException when the path is refused
     * @throws IOException when the disk cannot be read
     */
    public Path resolve(String clientPath, String cwd) throws IOException {
        return real(normalise(clientPath, cwd), true);
    }

    /**
     * Resolves a virtual path on disk, one name at a time, following links only while they stay inside the root.
     *
     * @param virtual a path inside the root ({@code /docs/a.txt}); cleaned first as {@link #normalise} does
     * @param followFinal whether a link in the last position is followed too (open, stat) or left as it is
     *     (lstat, delete, rename, readlink)
     * @return the file on disk: every directory on its way is a real directory inside the root; with
     *     {@code followFinal} the file itself is not a link (it may not exist)
     * @throws AccessDeniedException when a link leads outside the root
     * @throws FileSystemLoopException after 40 links
     * @throws IOException when the disk cannot be read
     */
    public Path real(String virtual, boolean followFinal) throws IOException {
        String clean = normalise(virtual, "/");
        if (objects) {
            // no links exist: the path is its place; the store checks the directories on the way when it writes
            return clean.equals("/") ? root : root.resolve(clean.substring(1));
        }
        if (clean.length() == 1) {
            return root;
        }
        // one kernel call first: a path that exists without a link in any position is its own real path, and so is
        // one whose first missing name comes before any link (the rest can only be made by name); the walk below
        // would answer the same, with an lstat per name. A link, or anything else, is left to the walk.
        int whole = oneCall ? NoLinks.check(rootText + clean) : NoLinks.UNKNOWN;
        if (whole == NoLinks.WHOLE || whole == NoLinks.MISSING) {
            return root.resolve(clean.substring(1));
        }
        return walk(clean, followFinal);
    }

    /**
     * {@link #real} without its one-call check: the walk one name at a time (package-private so that a test can
     * compare the two).
     *
     * @param clean a clean virtual path other than {@code /}
     * @param followFinal as for {@link #real}
     * @return as {@link #real}
     * @throws IOException as {@link #real}
     */
    Path walk(String clean, boolean followFinal) throws IOException {
        Deque<String> todo = new ArrayDeque<>();
        for (String part : clean.substring(1).split("/")) {
            if (!part.isEmpty()) {
                todo.addLast(part);
            }
        }
        Path cur = root;
        int links = 0;
        while (!todo.isEmpty()) {
            String name = todo.pollFirst();
            if (name.isEmpty() || name.equals(".")) {
                continue;
            }
            if (name.equals("..")) {
                if (cur.equals(root)) {
                    throw new AccessDeniedException(clean, null, "a link leads outside the root");
                }
                cur = cur.getParent();
                continue;
            }
            Path next = cur.resolve(name);
            boolean last = todo.isEmpty();
            BasicFileAttributes a = attributes(next);
            if (a == null) {
                if (last) {
                    return next;
                }
                // the rest does not exist: it can only be made by name, never climbed out of
                if (todo.contains("..")) {
                    throw new NoSuchFileException(clean);
                }
                Path out = next;
                for (String rest : todo) {
                    if (!rest.equals(".") && !rest.isEmpty()) {
                        out = out.resolve(rest);
                    }
                }
                return out;
            }
            if (a.isSymbolicLink() && (!last || followFinal)) {
                if (++links > MAX_LINKS) {
                    throw new FileSystemLoopException(clean);
                }
                Path target = Files.readSymbolicLink(next);
                List<String> names = new ArrayList<>();
                if (target.isAbsolute()) {
                    // judged as written: its own .. parts are walked on disk below, from the root
                    if (!target.startsWith(root)) {
                        throw new AccessDeniedException(clean, null, "a link leads outside the root");
                    }
                    cur = root;
                    for (int i = root.getNameCount(); i < target.getNameCount(); i++) {
                        names.add(target.getName(i).toString());
                    }
                } else {
                    for (Path n : target) {
                        names.add(n.toString());
                    }
                }
                for (int i = names.size() - 1; i >= 0; i--) {
                    todo.addFirst(names.get(i));
                }
                continue;
            }
            if (!last && !a.isDirectory() && !a.isSymbolicLink()) {
                throw new NotDirectoryException(clean);
            }
            cur = next;
        }
        return cur;
    }

    private static BasicFileAttributes attributes(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /**
     * Checks that a path on disk is this root or below it (as text).
     *
     * @param real a path on disk
     * @throws AccessDeniedException if it is not
     */
    public void checkInside(Path real) throws AccessDeniedException {
        if (!real.isAbsolute() || !real.normalize().equals(real) || !real.startsWith(root)) {
            throw new AccessDeniedException(String.valueOf(real.getFileName()), null, "outside the root");
        }
        if (objects) {
            // the disk refuses an over-long name itself; an object store takes keys up to 1024 bytes
            for (Path name : root.relativize(real)) {
                if (name.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
                    throw new AccessDeniedException(name.toString().substring(0, 32) + "...", null, "name too long");
                }
            }
        }
    }

    /**
     * The virtual path of a file inside the root.
     *
     * @param real a file on disk inside the root
     * @return its virtual path
     * @throws AccessDeniedException if it is not inside the root
     */
    public String virtualPath(Path real) throws AccessDeniedException {
        Path n = real.toAbsolutePath().normalize();
        if (!n.startsWith(root)) {
            throw new AccessDeniedException(real.toString(), null, "outside the root");
        }
        String rel = root.relativize(n).toString().replace('\\', '/');
        return rel.isEmpty() ? "/" : "/" + rel;
    }

    /**
     * What a new symbolic link stores for a client's target: the target's place on disk, as an absolute path, so
     * that moving the link (or a directory above it) cannot change where it leads.
     *
     * @param linkVirtual the virtual path of the new link
     * @param clientTarget the target as the client sent it, relative to the link's directory unless absolute
     * @return the absolute path on disk to store in the link
     * @throws AccessDeniedException if the target leads outside the root (as text, or through links)
     * @throws IOException when the disk cannot be read
     */
    public Path linkTarget(String linkVirtual, String clientTarget) throws IOException {
        String dir = parent(normalise(linkVirtual, "/"));
        String virtual = normalise(clientTarget, dir, true);
        Path real = real(virtual, true);
        checkInside(real);
        return root.resolve(virtual.substring(1));
    }

    /**
     * The existing file a new hard link will share: it must be inside the root, and not a directory.
     *
     * @param clientPath the existing file as the client sent it (relative to the root unless absolute)
     * @return the file on disk (a link in the last position is the link itself, as {@code link(2)} does)
     * @throws IOException when it is missing, a directory, or outside the root
     */
    public Path hardLinkSource(String clientPath) throws IOException {
        Path real = real(normalise(clientPath, "/", true), false);
        BasicFileAttributes a = attributes(real);
        if (a == null) {
            throw new NoSuchFileException(clientPath);
        }
        if (a.isDirectory()) {
            throw new AccessDeniedException(clientPath, null, "a directory cannot be hard-linked");
        }
        return real;
    }

    /**
     * Makes a hard link, then checks from directories opened without following links that the new link is the
     * file that was checked; if a directory on the way was swapped in between, the link is removed and refused.
     *
     * @param link the new link on disk ({@link #real} without following its last name)
     * @param source the existing file ({@link #hardLinkSource})
     * @throws IOException when it cannot be made, or was not the checked file
     */
    public void hardLink(Path link, Path source) throws IOException {
        if (objects) {
            throw noLinks();
        }
        Object expected;
        try (SecureDirectoryStream<Path> dir = openParent(source)) {
            expected = dir.getFileAttributeView(source.getFileName(),
                    java.nio.file.attribute.BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .readAttributes().fileKey();
        }
        checkInside(link);
        if (madeNatively(link)) {
            NativeDirs.link(root, link, source);
        } else {
            Files.createLink(link, source);
        }
        try (SecureDirectoryStream<Path> dir = openParent(link)) {
            Object made = dir.getFileAttributeView(link.getFileName(),
                    java.nio.file.attribute.BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .readAttributes().fileKey();
            if (expected == null || !expected.equals(made)) {
                dir.deleteFile(link.getFileName());
                throw new AccessDeniedException(virtualOrName(link), null, "changed while in use");
            }
        }
    }

    /**
     * The target of an existing link as a path in the user's view, or null when it leads outside the root.
     *
     * @param link the link on disk
     * @return its target as a virtual path
     * @throws IOException when it cannot be read
     */
    public String linkTargetVirtual(Path link) throws IOException {
        Path t = Files.readSymbolicLink(link);
        try {
            if (t.isAbsolute()) {
                return t.startsWith(root) ? normalise(virtualPath(t), "/", true) : null;
            }
            return normalise(t.toString(), parent(virtualPath(link)), true);
        } catch (AccessDeniedException e) {
            return null;
        }
    }

    private static String parent(String virtual) {
        int slash = virtual.lastIndexOf('/');
        return slash <= 0 ? "/" : virtual.substring(0, slash);
    }

    // ---- use without a window: one directory at a time from the root, never following a link ----

    /** The directory holding {@code real}, opened from the root without following links; the caller closes it. */
    @SuppressWarnings("unchecked")
    private SecureDirectoryStream<Path> openParent(Path real) throws IOException {
        checkInside(real);
        if (objects) {
            throw new IllegalStateException("no directory streams in object storage");
        }
        if (real.equals(root)) {
            throw new AccessDeniedException("/", null, "the root itself");
        }
        SecureDirectoryStream<Path> direct = openDirectly(real);
        if (direct != null) {
            return direct;
        }
        Path rel = root.relativize(real);
        DirectoryStream<Path> first = Files.newDirectoryStream(root);
        if (!(first instanceof SecureDirectoryStream)) {
            first.close();
            throw new IOException("this platform cannot open files relative to a directory");
        }
        SecureDirectoryStream<Path> dir = (SecureDirectoryStream<Path>) first;
        try {
            for (int i = 0; i < rel.getNameCount() - 1; i++) {
                SecureDirectoryStream<Path> next = dir.newDirectoryStream(rel.getName(i), LinkOption.NOFOLLOW_LINKS);
                dir.close();
                dir = next;
            }
            return dir;
        } catch (IOException | RuntimeException e) {
            dir.close();
            throw refusedIfLink(e, real);
        }
    }

    /**
     * Whether an entry at {@code real} is made through {@link NativeDirs} ({@code mkdirat}, {@code symlinkat},
     * {@code linkat} from a directory reached without links). Where those calls are there but the root's text does not
     * name its bytes on disk (its name is not valid in the file-name encoding), new directories and links are refused:
     * the walk from that text would reach a directory beside the root, and a call by path after checking would leave
     * a window in which a directory on the way is swapped for a link. Only where the calls are missing altogether
     * (not Linux, no JNA) are entries made by path right after their directory was opened without links.
     *
     * @param real the new entry on disk
     * @return true to make it through {@link NativeDirs}, false to make it by path
     * @throws AccessDeniedException when it cannot be made safely here
     */
    private boolean madeNatively(Path real) throws AccessDeniedException {
        if (nativeDirs) {
            return true;
        }
        if (NativeDirs.available()) {
            throw new AccessDeniedException(virtualOrName(real), null,
                    "new directories and links cannot be made under a root whose name is not valid in the file-name"
                            + " encoding");
        }
        return false;
    }

    /**
     * The directory holding {@code real}, opened through {@link NativeDirs#directoryStream}: in one {@code openat2}
     * call where no name on the way is a link (instead of five system calls a directory), else one name at a time with
     * handles that open nothing, so a FIFO or device put where a directory was is refused instead of opened (the JDK's
     * walk below opens each name for reading, which for a FIFO waits for a writer). Either way the stream reads the
     * very directory that was reached, through its handle in {@code /proc/self/fd}. Like the kernel for any path (and
     * OpenSSH's server), it needs only the permission to pass through the directories on the way, where the JDK's walk
     * reads each one. Null where those calls are missing: the JDK's walk then decides.
     *
     * @param real the entry whose directory is opened
     * @throws IOException when a name on the way is missing, not a directory, or a link
     */
    private SecureDirectoryStream<Path> openDirectly(Path real) throws IOException {
        Path dir = real.getParent();
        if (!nativeOpen || dir == null) {
            return null;
        }
        return nativeStream(dir, real);
    }

    /**
     * {@link NativeDirs#directoryStream} of {@code dir}, its errors naming {@code real} as the client sees it.
     *
     * @param dir the directory to open
     * @param real the entry the operation is about
     */
    @SuppressWarnings("unchecked")
    private SecureDirectoryStream<Path> nativeStream(Path dir, Path real) throws IOException {
        DirectoryStream<Path> ds;
        try {
            ds = NativeDirs.directoryStream(root, dir);
        } catch (java.nio.file.FileSystemException e) {
            throw named(e, real);
        }
        if (ds instanceof SecureDirectoryStream) {
            return (SecureDirectoryStream<Path>) ds;
        }
        ds.close();
        throw new IOException("this platform cannot open files relative to a directory");
    }

    /** The same error, of the same type and reason, naming the entry as the client sees it. */
    private IOException named(java.nio.file.FileSystemException e, Path real) {
        String name = virtualOrName(real);
        if (e instanceof java.nio.file.NoSuchFileException) {
            return new java.nio.file.NoSuchFileException(name, null, e.getReason());
        }
        if (e instanceof AccessDeniedException) {
            return new AccessDeniedException(name, null, e.getReason());
        }
        if (e.getClass() != java.nio.file.FileSystemException.class) {
            return e;
        }
        return new java.nio.file.FileSystemException(name, null, e.getReason());
    }

    /** ELOOP from O_NOFOLLOW means a link is where a directory was checked: refuse. */
    private IOException refusedIfLink(Exception e, Path real) {
        if (e instanceof java.nio.file.FileSystemException && e.getMessage() != null
                && (e.getMessage().contains("symbolic links") || e.getMessage().contains("Not a directory"))) {
            return new AccessDeniedException(virtualOrName(real), null, "changed while in use");
        }
        return e instanceof IOException ? (IOException) e : new IOException(e);
    }

    private String virtualOrName(Path real) {
        try {
            return virtualPath(real);
        } catch (AccessDeniedException e) {
            return String.valueOf(real.getFileName());
        }
    }

    /**
     * Opens a regular file that {@link #real} resolved, one directory at a time from the root and without following
     * a link in any position. Anything else at the name is refused without being opened: a FIFO (whose open would wait
     * for the other end), a socket or a device ({@code "not a regular file"}), a link ({@code "changed while in
     * use"}), a directory. On Linux the check and the open are race-free: the entry is taken by a handle that opens
     * nothing ({@code O_PATH | O_NOFOLLOW}), its type is read from that handle, and that very file is then opened
     * through {@code /proc/self/fd} ({@link NativeDirs#withEntry}); elsewhere its type is checked by name just before
     * the open, and whatever cannot be checked is refused.
     *
     * @param real the file on disk
     * @param options as for {@link FileChannel#open}; {@link LinkOption#NOFOLLOW_LINKS} is always added. With
     *     {@code CREATE} an existing file is opened as it is and a missing one is made; {@code CREATE_NEW} only makes
     *     one (which is never anything but a new regular file)
     * @param attrs attributes for a new file
     * @return the channel
     * @throws AccessDeniedException when the entry is not a regular file, or something on its way is now a link
     * @throws IOException when it cannot be opened
     */
    public FileChannel open(Path real, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
            throws IOException {
        Set<OpenOption> opts = new HashSet<>(options);
        opts.add(LinkOption.NOFOLLOW_LINKS);
        if (real.equals(root)) {
            throw new AccessDeniedException("/", null, "is a directory");
        }
        if (objects) {
            checkInside(real);
            opts.remove(LinkOption.NOFOLLOW_LINKS);
            return root.getFileSystem().provider().newFileChannel(real, opts, attrs);
        }
        if (opts.contains(StandardOpenOption.CREATE_NEW)) {
            // O_CREAT | O_EXCL | O_NOFOLLOW: a new regular file or nothing, whatever is at the name
            return create(real, opts, attrs);
        }
        boolean create = opts.remove(StandardOpenOption.CREATE);
        for (int tries = 0;; tries++) {
            try {
                return openExisting(real, opts);
            } catch (NoSuchFileException e) {
                if (!create) {
                    throw e;
                }
            }
            Set<OpenOption> fresh = new HashSet<>(opts);
            fresh.add(StandardOpenOption.CREATE_NEW);
            try {
                return create(real, fresh, attrs);
            } catch (FileAlreadyExistsException raced) {
                // made by someone else since: opened as it is now (checked again), unless that keeps happening
                if (tries >= 2) {
                    throw raced;
                }
            }
        }
    }

    private AccessDeniedException notRegular(Path real) {
        return new NotRegularFileException(virtualOrName(real));
    }

    /**
     * The refusal to open (or replace) a FIFO, socket or device: a permission error whose message says why, which
     * protocols may pass on to the client as it is.
     */
    public static final class NotRegularFileException extends AccessDeniedException {
        private static final long serialVersionUID = 1L;

        /** @param virtual the path the client sees */
        public NotRegularFileException(String virtual) {
            super(virtual, null, "not a regular file");
        }
    }

    /** Opens an existing regular file (no CREATE among the options), refusing any other kind of entry unopened. */
    private FileChannel openExisting(Path real, Set<OpenOption> opts) throws IOException {
        // a name whose bytes are not valid in the file-name encoding shows as U+FFFD in its text, which names
        // another file: withEntry then passes the names' bytes as the JDK holds them (a client's name may hold U+FFFD
        // itself, so such paths must not fall back to the check by name, which a swap can beat)
        if (nativeOpen) {
            checkInside(real);
            return NativeDirs.withEntry(root, real, (type, handle) -> {
                refuseUnlessRegular(real, type == NativeDirs.REGULAR, type == NativeDirs.DIRECTORY,
                        type == NativeDirs.LINK);
                Set<OpenOption> o = new HashSet<>(opts);
                o.remove(LinkOption.NOFOLLOW_LINKS); // the handle is a link of /proc to the very file checked
                try {
                    return FileChannel.open(handle, o);
                } catch (AccessDeniedException e) {
                    throw new AccessDeniedException(virtualOrName(real), null, e.getReason());
                } catch (java.nio.file.FileSystemException e) {
                    throw new java.nio.file.FileSystemException(virtualOrName(real), null, e.getReason());
                }
            });
        }
        // no race-free way here: the type is checked by name just before the open; what cannot be read is refused
        try (SecureDirectoryStream<Path> dir = openParent(real)) {
            Path name = real.getFileName();
            try {
                BasicFileAttributes a = dir.getFileAttributeView(name,
                        java.nio.file.attribute.BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                        .readAttributes();
                refuseUnlessRegular(real, a.isRegularFile(), a.isDirectory(), a.isSymbolicLink());
                return (FileChannel) dir.newByteChannel(name, opts);
            } catch (IOException e) {
                throw refusedIfLink(e, real);
            }
        }
    }

    private void refuseUnlessRegular(Path real, boolean regular, boolean directory, boolean link) throws IOException {
        if (regular) {
            return;
        }
        if (link) {
            // where a file was resolved, a link is there now
            throw new AccessDeniedException(virtualOrName(real), null, "changed while in use");
        }
        if (directory) {
            throw new java.nio.file.FileSystemException(virtualOrName(real), null, "Is a directory");
        }
        throw notRegular(real);
    }

    /** Makes a new file (CREATE_NEW among the options) with the mode asked for less the umask. */
    private FileChannel create(Path real, Set<OpenOption> opts, FileAttribute<?>... attrs) throws IOException {
        try (SecureDirectoryStream<Path> dir = openParent(real)) {
            Path name = real.getFileName();
            Set<PosixFilePermission> mode = masked(requested(attrs, "rw-rw-rw-"));
            FileChannel ch;
            try {
                ch = (FileChannel) dir.newByteChannel(name, opts, PosixFilePermissions.asFileAttribute(mode));
            } catch (IOException e) {
                throw refusedIfLink(e, real);
            }
            exactMode(dir, name, mode);
            return ch;
        }
    }

    /**
     * Checks the file an upload is about to replace or write into, before anything is written: a link that leads
     * outside the root is refused as a read through it is (and is left as it is), and so is a FIFO, socket or device
     * ({@code "not a regular file"}: writing would wait for a reader, replacing would destroy what another program
     * placed). A missing file, a regular file, a directory (refused later as before) and a link inside the root pass.
     *
     * @param real the target on disk, as {@link #real} resolved it (a link in the last place may be left unfollowed)
     * @throws AccessDeniedException when it is refused
     * @throws IOException when it cannot be checked
     */
    public void checkWriteTarget(Path real) throws IOException {
        if (checksWriteTarget(real)) {
            inspectWriteTarget(real);
        }
    }

    /**
     * {@link #checkWriteTarget} with the size of what is there, from the same look at it (an upload counts the size
     * it replaces against the quota).
     *
     * @param real the target on disk, as {@link #real} resolved it
     * @return the size of the regular file at the target, or -1 when there is none (missing, a directory, a link)
     * @throws AccessDeniedException when it is refused
     * @throws IOException when it cannot be checked
     */
    public long writeTargetSize(Path real) throws IOException {
        return checksWriteTarget(real) ? inspectWriteTarget(real) : FileGate.sizeOf(real);
    }

    /** Object storage has no links or special files, and the root is never replaced: nothing to check there. */
    private boolean checksWriteTarget(Path real) {
        return !objects && !real.equals(root);
    }

    /** The check of {@link #checkWriteTarget} on disk, giving the size {@link #writeTargetSize} describes. */
    private long inspectWriteTarget(Path real) throws IOException {
        BasicFileAttributes a;
        try {
            a = readInOneLook(real, h -> Files.readAttributes(h, BasicFileAttributes.class));
            if (a == null) {
                a = withView(real, java.nio.file.attribute.BasicFileAttributeView.class, v -> v.readAttributes());
            }
        } catch (NoSuchFileException e) {
            return -1;
        }
        if (a.isSymbolicLink()) {
            // refused exactly as a read through it: "a link leads outside the root"
            real(virtualPath(real), true);
            return -1;
        } else if (!a.isRegularFile() && !a.isDirectory()) {
            throw notRegular(real);
        }
        return a.isRegularFile() ? a.size() : -1;
    }

    /**
     * The process's own umask also cut the mode at creation: set exactly the mode meant (best effort); read first, so
     * that a mode the kernel already gave as meant (the usual case) costs one call, not three.
     */
    private static void exactMode(SecureDirectoryStream<Path> dir, Path name, Set<PosixFilePermission> mode) {
        try {
            PosixFileAttributeView view = dir.getFileAttributeView(name, PosixFileAttributeView.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (!view.readAttributes().permissions().equals(mode)) {
                view.setPermissions(mode);
            }
        } catch (IOException | RuntimeException e) {
            // the kernel's mode is at most as open as the one meant
        }
    }

    /**
     * Makes a directory that {@link #real} resolved, with the mode asked for (0777 when none) less the umask.
     *
     * @param real the new directory on disk
     * @param attrs the attributes asked for
     * @throws IOException when it cannot be made
     */
    public void mkdir(Path real, FileAttribute<?>... attrs) throws IOException {
        if (objects) {
            checkInside(real);
            Files.createDirectory(real);
            return;
        }
        Set<PosixFilePermission> mode = masked(requested(attrs, "rwxrwxrwx"));
        try (SecureDirectoryStream<Path> dir = openParent(real)) {
            if (madeNatively(real)) {
                NativeDirs.mkdir(root, real, bits(mode));
            } else {
                // no mkdirat in Java: the directory above was just opened without links, so its path is its place
                Files.createDirectory(real, PosixFilePermissions.asFileAttribute(mode));
            }
            exactMode(dir, real.getFileName(), mode);
        }
    }

    private static int bits(Set<PosixFilePermission> mode) {
        int out = 0;
        for (PosixFilePermission p : mode) {
            out |= 0400 >> p.ordinal();
        }
        return out;
    }

    /**
     * Makes a symbolic link from the directory above it reached without following links.
     *
     * @param link the new link on disk ({@link #real} without following its last name)
     * @param target what it stores ({@link #linkTarget})
     * @throws IOException when it cannot be made
     */
    public void symlink(Path link, Path target) throws IOException {
        if (objects) {
            throw noLinks();
        }
        checkInside(link);
        if (madeNatively(link)) {
            NativeDirs.symlink(root, link, target);
        } else {
            Files.createSymbolicLink(link, target);
        }
    }

    /**
     * Opens a directory that {@link #real} resolved for listing, one directory at a time from the root without
     * following links. Entries come as paths on disk ({@code real.resolve(name)}).
     *
     * @param real the directory on disk
     * @param filter which entries to keep
     * @return the entries
     * @throws IOException when it cannot be opened
     */
    public DirectoryStream<Path> list(Path real, DirectoryStream.Filter<? super Path> filter) throws IOException {
        SecureDirectoryStream<Path> dir;
        if (objects) {
            checkInside(real);
            return filtered(Files.newDirectoryStream(real), real, filter);
        }
        if (real.equals(root)) {
            DirectoryStream<Path> d = Files.newDirectoryStream(root);
            return filtered(d, root, filter);
        }
        if (nativeOpen) {
            // the directory itself reached by handles that open nothing: one swapped for a FIFO is refused, not opened
            checkInside(real);
            return filtered(nativeStream(real, real), real, filter);
        }
        try (SecureDirectoryStream<Path> parent = openParent(real)) {
            try {
                dir = parent.newDirectoryStream(real.getFileName(), LinkOption.NOFOLLOW_LINKS);
            } catch (IOException e) {
                throw refusedIfLink(e, real);
            }
        }
        return filtered(dir, real, filter);
    }

    private static DirectoryStream<Path> filtered(DirectoryStream<Path> in, Path real,
            DirectoryStream.Filter<? super Path> filter) {
        return new MappedDirectoryStream(in, e -> {
            Path p = real.resolve(e.getFileName().toString());
            return MappedDirectoryStream.accepts(filter, p) ? p : null;
        });
    }

    /**
     * Deletes a file, link or empty directory that {@link #real} resolved (without following a final link), from
     * its directory opened without following links.
     *
     * @param real the entry on disk
     * @throws IOException when it cannot be deleted
     */
    public void delete(Path real) throws IOException {
        if (objects) {
            checkInside(real);
            if (real.equals(root)) {
                throw new AccessDeniedException("/", null, "the root itself");
            }
            Files.delete(real);
            return;
        }
        try (SecureDirectoryStream<Path> dir = openParent(real)) {
            Path name = real.getFileName();
            BasicFileAttributes a = dir.getFileAttributeView(name, java.nio.file.attribute.BasicFileAttributeView.class,
                    LinkOption.NOFOLLOW_LINKS).readAttributes();
            if (a.isDirectory()) {
                dir.deleteDirectory(name);
            } else {
                dir.deleteFile(name);
            }
        }
    }

    /**
     * Renames an entry (without following links) from one directory to another, both opened without following
     * links; an existing target is replaced only when {@code replace} is true.
     *
     * @param from the entry on disk
     * @param to its new place on disk
     * @param replace whether an existing target may be replaced
     * @throws IOException when it cannot be moved
     */
    public void move(Path from, Path to, boolean replace) throws IOException {
        if (objects) {
            checkInside(from);
            checkInside(to);
            if (from.equals(root) || to.equals(root)) {
                throw new AccessDeniedException("/", null, "the root itself");
            }
            if (replace) {
                Files.move(from, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.move(from, to);
            }
            return;
        }
        if (from.getParent() != null && from.getParent().equals(to.getParent())) {
            // one directory (an upload's temporary file put in place, a rename in place): opened once
            checkInside(to);
            try (SecureDirectoryStream<Path> dir = openParent(from)) {
                moveBetween(dir, from, dir, to, replace);
            }
            return;
        }
        try (SecureDirectoryStream<Path> src = openParent(from); SecureDirectoryStream<Path> dst = openParent(to)) {
            moveBetween(src, from, dst, to, replace);
        }
    }

    /**
     * Puts a file in another's place in the same directory, replacing what is there ({@link #move} with
     * {@code replace}): an upload's temporary file taking its target's name. Where the directory can be reached
     * without links in one call and the names are plain, one {@code renameat} from that directory instead of the
     * JDK's directory stream (seven system calls to open it).
     *
     * @param temporary the file on disk
     * @param target the name it takes, on disk, in the same directory
     * @throws IOException when it cannot be moved
     */
    public void replaceWith(Path temporary, Path target) throws IOException {
        if (nativeDirs && !objects && temporary.getParent() != null && temporary.getParent().equals(target.getParent())
                && temporary.toString().indexOf('\uFFFD') < 0 && target.toString().indexOf('\uFFFD') < 0) {
            checkInside(temporary);
            checkInside(target);
            if (temporary.equals(root) || target.equals(root)) {
                throw new AccessDeniedException("/", null, "the root itself");
            }
            NativeDirs.renameWithin(root, temporary, target);
            return;
        }
        move(temporary, target, true);
    }

    private void moveBetween(SecureDirectoryStream<Path> src, Path from, SecureDirectoryStream<Path> dst, Path to,
            boolean replace) throws IOException {
        if (!replace) {
            try {
                dst.getFileAttributeView(to.getFileName(), java.nio.file.attribute.BasicFileAttributeView.class,
                        LinkOption.NOFOLLOW_LINKS).readAttributes();
                throw new FileAlreadyExistsException(virtualOrName(to));
            } catch (NoSuchFileException absent) {
                // free to take
            }
        }
        pinLink(src, from);
        src.move(from.getFileName(), dst, to.getFileName());
    }

    /**
     * A link with a relative target would lead somewhere else from its new place (and could climb out of the root):
     * before it moves, it is replaced where it is by a link to the same place stored as an absolute path; a
     * relative link that already leads outside is not moved.
     */
    private void pinLink(SecureDirectoryStream<Path> dir, Path link) throws IOException {
        BasicFileAttributes a = dir.getFileAttributeView(link.getFileName(),
                java.nio.file.attribute.BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).readAttributes();
        if (!a.isSymbolicLink() || Files.readSymbolicLink(link).isAbsolute()) {
            return;
        }
        String v = linkTargetVirtual(link);
        if (v == null) {
            throw new AccessDeniedException(virtualOrName(link), null, "a link that leads outside cannot be moved");
        }
        Path pinned = v.equals("/") ? root : root.resolve(v.substring(1));
        Path tmp = link.resolveSibling(Quotas.temporaryName(link.getFileName().toString(), "part"));
        symlink(tmp, pinned);
        dir.move(tmp.getFileName(), dir, link.getFileName());
    }

    /**
     * A view through which a file's attributes are changed (mode, times, owner, group), of a regular file or a
     * directory only: the JDK's views open the file to change them, which on a FIFO would wait for the other end (and
     * on a device open it), so anything else is refused unopened ({@code "not a regular file"}; a link in the last
     * place is refused as {@link #withView} refuses it). On Linux the type is read from a handle that opens nothing and
     * the view is of that very entry ({@link NativeDirs#withEntry}); elsewhere the type is checked by name first.
     *
     * @param real the file on disk
     * @param type the view type ({@code BasicFileAttributeView}, {@code PosixFileAttributeView} or
     *     {@code FileOwnerAttributeView})
     * @param work the change
     * @param <V> the view type
     * @param <R> the result
     * @return what {@code work} returned
     * @throws AccessDeniedException when the entry is neither a regular file nor a directory
     * @throws IOException when it cannot be done
     */
    public <V extends java.nio.file.attribute.FileAttributeView, R> R changeAttributes(Path real, Class<V> type,
            ViewWork<V, R> work) throws IOException {
        if (objects || real.equals(root)) {
            return withView(real, type, work);
        }
        if (nativeOpen) {
            checkInside(real);
            return NativeDirs.withEntry(root, real, (kind, handle) -> {
                if (kind == NativeDirs.LINK) {
                    throw new java.nio.file.FileSystemException(virtualOrName(real), null,
                            "Too many levels of symbolic links or unable to access attributes of symbolic link");
                }
                if (kind != NativeDirs.REGULAR && kind != NativeDirs.DIRECTORY) {
                    throw notRegular(real);
                }
                // the handle leads to that very entry, which is a regular file or a directory
                V view = Files.getFileAttributeView(handle, type);
                if (view == null) {
                    throw new UnsupportedOperationException("no " + type.getSimpleName());
                }
                return work.apply(view);
            });
        }
        return withView(real, type, view -> {
            BasicFileAttributes a = withView(real, java.nio.file.attribute.BasicFileAttributeView.class,
                    v -> v.readAttributes());
            if (!a.isRegularFile() && !a.isDirectory() && !a.isSymbolicLink()) {
                throw notRegular(real);
            }
            return work.apply(view);
        });
    }

    /**
     * Reads from the entry at a virtual path through a handle taken in one call that follows no link anywhere on the
     * way ({@link NoLinks#entry}): what is read is of that very entry, with no moment between a check of the path and
     * the read in which a name on the way could be swapped for a link. Gives null where that cannot be done (object
     * storage, the root, a link on the way, no {@code openat2} or {@code /proc}); the caller then resolves the path
     * ({@link #real}) and reads as it otherwise would.
     *
     * @param virtual the path as the client gave it
     * @param read what to read, from a path that reopens the entry ({@code /proc/self/fd/N}, to be followed); the
     *     entry is never a link
     * @param <R> the result
     * @return what {@code read} gave, or null
     * @throws NoSuchFileException when a name on the way does not exist and no link came before it
     * @throws IOException when the path is not valid or {@code read} fails
     */
    public <R> R readInOneLook(String virtual, IOFunction<Path, R> read) throws IOException {
        if (!oneCall || !nativeOpen) {
            return null;
        }
        String clean = normalise(virtual, "/");
        if (clean.length() == 1) {
            return null;
        }
        int fd = NoLinks.entry(rootText + clean);
        return fd == NoLinks.NO_ENTRY ? missing(clean) : readHandle(fd, read);
    }

    /**
     * {@link #readInOneLook(String, IOFunction)} of a real path below the root, as {@link #real} gives it.
     *
     * @param real the entry on disk
     * @param read what to read, as for the virtual path
     * @param <R> the result
     * @return what {@code read} gave, or null when it cannot be done in one look
     * @throws NoSuchFileException when a name on the way does not exist and no link came before it
     * @throws IOException when {@code read} fails
     */
    public <R> R readInOneLook(Path real, IOFunction<Path, R> read) throws IOException {
        if (!oneCall || !nativeOpen) {
            return null;
        }
        int fd = NoLinks.entryBelow(root, real);
        return fd == NoLinks.NO_ENTRY ? missing(String.valueOf(real.getFileName())) : readHandle(fd, read);
    }

    /**
     * Reads from an entry through a handle on it taken from its directory reached without links
     * ({@link NativeDirs#withEntry}), after {@link #real} resolved its path: the read is of the entry that was
     * resolved, or fails if a directory on the way was swapped for a link since (a read by path would follow it). A
     * link in the last place is read itself, not followed. Gives null where that cannot be done (object storage, the
     * root, no {@code openat}); the caller then reads by path.
     *
     * @param real the entry on disk, as {@link #real} resolved it
     * @param read what to read, from a path that reopens the entry ({@code /proc/self/fd/N}, to be followed)
     * @param <R> the result
     * @return what {@code read} gave, or null
     * @throws NoSuchFileException when the entry is missing
     * @throws IOException when it cannot be reached or {@code read} fails
     */
    public <R> R readThroughEntry(Path real, IOFunction<Path, R> read) throws IOException {
        if (objects || !nativeOpen || real.equals(root)) {
            return null;
        }
        checkInside(real);
        return NativeDirs.withEntry(root, real, (type, handle) -> readHandle(handle, read));
    }

    /** The refusal a read of a missing file gives, naming what the client may see. */
    private static <R> R missing(String name) throws NoSuchFileException {
        throw new NoSuchFileException(name);
    }

    private static <R> R readHandle(int fd, IOFunction<Path, R> read) throws IOException {
        if (fd < 0) {
            return null;
        }
        try {
            return readHandle(Path.of("/proc/self/fd/" + fd), read);
        } finally {
            NoLinks.closeHandle(fd);
        }
    }

    /**
     * {@code read} of a handle's path; a missing file there can only mean {@code /proc} went away, never that the
     * entry is missing (which a caller may take as "nothing there" and skip a check), so it fails otherwise.
     */
    private static <R> R readHandle(Path handle, IOFunction<Path, R> read) throws IOException {
        try {
            return read.apply(handle);
        } catch (NoSuchFileException e) {
            throw new java.nio.file.FileSystemException(null, null, "the file's handle could not be read");
        }
    }

    /**
     * A view of a file's attributes taken from its directory opened without following links. To change attributes,
     * use {@link #changeAttributes}: the JDK opens the file to change them.
     *
     * @param real the file on disk
     * @param type the view type ({@code BasicFileAttributeView}, {@code PosixFileAttributeView} or
     *     {@code FileOwnerAttributeView})
     * @param work what to do with the view while its directory is open
     * @param <V> the view type
     * @param <R> the result
     * @return what {@code work} returned
     * @throws IOException when it cannot be done
     */
    public <V extends java.nio.file.attribute.FileAttributeView, R> R withView(Path real, Class<V> type,
            ViewWork<V, R> work) throws IOException {
        if (objects) {
            checkInside(real);
            V v = Files.getFileAttributeView(real, type);
            if (v == null) {
                throw new UnsupportedOperationException("no " + type.getSimpleName() + " in object storage");
            }
            return work.apply(v);
        }
        if (real.equals(root)) {
            V v = Files.getFileAttributeView(root, type, LinkOption.NOFOLLOW_LINKS);
            return work.apply(v);
        }
        try (SecureDirectoryStream<Path> dir = openParent(real)) {
            V view = dir.getFileAttributeView(real.getFileName(), type, LinkOption.NOFOLLOW_LINKS);
            if (view == null) {
                throw new UnsupportedOperationException("no " + type.getSimpleName());
            }
            return work.apply(view);
        }
    }

    /**
     * Work done with an attribute view.
     *
     * @param <V> the view type
     * @param <R> the result
     */
    @FunctionalInterface
    public interface ViewWork<V, R> {
        /**
         * Does the work.
         *
         * @param view the view
         * @return the result
         * @throws IOException when it fails
         */
        R apply(V view) throws IOException;
    }

    /** Options that open a file for writing a new version. */
    static Set<OpenOption> newFileOptions() {
        return Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW);
    }
}
