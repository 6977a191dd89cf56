package dev.termlet.fileops.internal.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileOwnerAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import org.apache.sshd.common.file.FileSystemFactory;
import org.apache.sshd.common.file.root.RootedFileSystem;
import org.apache.sshd.common.file.root.RootedFileSystemProvider;
import org.apache.sshd.common.file.root.RootedPath;
import org.apache.sshd.common.session.SessionContext;
import org.apache.sshd.common.util.io.functors.IOFunction;

/**
 * The file system every SSH file protocol (SFTP, SCP, the hash commands) and FTP sees: MINA's rooted paths, with
 * every operation resolved by the user's {@link VirtualRoot} (links followed only inside the root) and carried out
 * without following links on the way, so that no path or link, however built, reaches a file outside the root.
 */
public final class JailFileSystem {
    private JailFileSystem() {}

    /**
     * A jailed file system on a root directory.
     *
     * @param root the user's root
     * @return the file system; its paths are virtual ({@code /docs/a.txt})
     * @throws IOException if the root cannot be made
     */
    public static RootedFileSystem of(VirtualRoot root) throws IOException {
        return (RootedFileSystem) new Provider(root).newFileSystem(root.root(), Map.of());
    }

    /** The virtual path of a path of a jailed file system (made absolute and clean). */
    public static String virtual(Path p) {
        String s = p.toAbsolutePath().normalize().toString();
        return s.isEmpty() ? "/" : s;
    }

    /** The {@link VirtualRoot} behind a path of a jailed file system, or null for other paths. */
    public static VirtualRoot rootOf(Path p) {
        return p.getFileSystem().provider() instanceof Provider ? ((Provider) p.getFileSystem().provider()).root : null;
    }

    /**
     * The real file behind a jailed path, resolved (links inside the root followed on the way, not in the last
     * position), or null when the path is refused.
     */
    public static Path realOrNull(Path p) {
        VirtualRoot root = rootOf(p);
        if (root == null) {
            return null;
        }
        try {
            return root.real(virtual(p), false);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Refuses a jailed path that leads outside its root (MINA answers some requests, such as stat, with empty
     * attributes rather than an error when it cannot tell whether a file exists).
     *
     * @param p the path
     * @param follow whether a link in the last position is followed
     * @throws IOException when the path is refused
     */
    public static void check(Path p, boolean follow) throws IOException {
        VirtualRoot root = rootOf(p);
        if (root != null) {
            root.real(virtual(p), follow);
        }
    }

    /** A factory giving each SSH session the jailed file system of its user's home. */
    public static final class Factory implements FileSystemFactory {
        private final SshFileSessions homes;

        private final java.util.function.ToIntFunction<String> umask;

        /**
         * @param homes where users' homes are
         * @param umask the umask of each user
         */
        public Factory(SshFileSessions homes, java.util.function.ToIntFunction<String> umask) {
            this.homes = homes;
            this.umask = umask;
        }

        @Override
        public Path getUserHomeDir(SessionContext session) throws IOException {
            return homes.homeOf(session.getUsername());
        }

        @Override
        public FileSystem createFileSystem(SessionContext session) throws IOException {
            String user = session.getUsername();
            return of(new VirtualRoot(getUserHomeDir(session), () -> umask.applyAsInt(user)));
        }
    }

    /** MINA's rooted provider with each operation resolved by the {@link VirtualRoot}. */
    private static final class Provider extends RootedFileSystemProvider {
        private final VirtualRoot root;

        Provider(VirtualRoot root) {
            this.root = root;
        }

        private Path real(Path p, boolean follow) throws IOException {
            return root.real(virtualOf(p), follow);
        }

        /** The virtual path of one of this provider's paths. */
        private String virtualOf(Path p) {
            if (!(p instanceof RootedPath) || p.getFileSystem().provider() != this) {
                throw new java.nio.file.ProviderMismatchException(String.valueOf(p));
            }
            return virtual(p);
        }

        private static boolean follows(Object[] options) {
            return options == null || Arrays.stream(options).noneMatch(o -> o == LinkOption.NOFOLLOW_LINKS);
        }

        @Override
        protected Path resolveLocalPath(RootedPath path) {
            try {
                return root.real(virtual(path), false);
            } catch (IOException e) {
                throw new InvalidPathException(virtual(path), e.getMessage() == null ? "refused" : e.getMessage());
            }
        }

        @Override
        public InputStream newInputStream(Path path, OpenOption... options) throws IOException {
            Set<OpenOption> opts = new HashSet<>(Arrays.asList(options));
            opts.add(StandardOpenOption.READ);
            return Channels.newInputStream(newFileChannel(path, opts));
        }

        @Override
        public OutputStream newOutputStream(Path path, OpenOption... options) throws IOException {
            Set<OpenOption> opts = new HashSet<>(Arrays.asList(options));
            if (opts.isEmpty()) {
                opts.add(StandardOpenOption.CREATE);
                opts.add(StandardOpenOption.TRUNCATE_EXISTING);
            }
            opts.add(StandardOpenOption.WRITE);
            return Channels.newOutputStream(newFileChannel(path, opts));
        }

        @Override
        public FileChannel newFileChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
                throws IOException {
            return root.open(real(path, follows(options.toArray())), options, attrs);
        }

        @Override
        public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options,
                FileAttribute<?>... attrs) throws IOException {
            return newFileChannel(path, options, attrs);
        }

        @Override
        public AsynchronousFileChannel newAsynchronousFileChannel(Path path, Set<? extends OpenOption> options,
                ExecutorService executor, FileAttribute<?>... attrs) {
            throw new UnsupportedOperationException("asynchronous channels are not offered in a user's root");
        }

        @Override
        public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter)
                throws IOException {
            DirectoryStream<Path> real = root.list(real(dir, true), null);
            return new MappedDirectoryStream(real, e -> {
                Path p = dir.resolve(e.getFileName().toString());
                return MappedDirectoryStream.accepts(filter, p) ? p : null;
            });
        }

        @Override
        public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
            root.mkdir(real(dir, false), attrs);
        }

        @Override
        public void createSymbolicLink(Path link, Path target, FileAttribute<?>... attrs) throws IOException {
            Path l = real(link, false);
            VirtualRoot.checkClientPath(target.toString());
            Path t = root.linkTarget(virtual(link), target.toString());
            root.symlink(l, t);
        }

        @Override
        public void createLink(Path link, Path existing) throws IOException {
            Path l = real(link, false);
            root.hardLink(l, root.hardLinkSource(existing.toString()));
        }

        @Override
        public void delete(Path path) throws IOException {
            root.delete(real(path, false));
        }

        @Override
        public boolean deleteIfExists(Path path) throws IOException {
            try {
                delete(path);
                return true;
            } catch (java.nio.file.NoSuchFileException e) {
                return false;
            }
        }

        @Override
        public Path readSymbolicLink(Path link) throws IOException {
            Path t = Files.readSymbolicLink(real(link, false));
            RootedFileSystem fs = (RootedFileSystem) link.getFileSystem();
            if (t.isAbsolute()) {
                // show a target inside the root as a virtual path, and hide where one outside it leads
                return t.startsWith(root.root()) ? fs.getPath(root.virtualPath(t)) : fs.getPath("/");
            }
            return fs.getPath(t.toString());
        }

        @Override
        public void copy(Path source, Path target, CopyOption... options) throws IOException {
            boolean replace = Arrays.asList(options).contains(StandardCopyOption.REPLACE_EXISTING);
            Path s = real(source, follows(options));
            Path t = real(target, false);
            BasicFileAttributes a = Files.readAttributes(s, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (a.isDirectory()) {
                root.mkdir(t);
                return;
            }
            if (root.objectStore()) {
                // the store copies on its side, and the copy appears whole
                root.checkInside(s);
                root.checkInside(t);
                if (replace) {
                    Files.copy(s, t, StandardCopyOption.REPLACE_EXISTING);
                } else {
                    Files.copy(s, t);
                }
                return;
            }
            if (a.isSymbolicLink()) {
                // the copy leads where the original does, from wherever it is put; or it is not made
                String to = root.linkTargetVirtual(s);
                if (to == null) {
                    throw new java.nio.file.AccessDeniedException(virtual(source), null, "a link that leads outside");
                }
                root.symlink(t, root.linkTarget(virtual(target), to));
                return;
            }
            Set<OpenOption> out = new HashSet<>(Set.of(StandardOpenOption.WRITE));
            out.add(replace ? StandardOpenOption.CREATE : StandardOpenOption.CREATE_NEW);
            if (replace) {
                out.add(StandardOpenOption.TRUNCATE_EXISTING);
            }
            try (FileChannel in = root.open(s, Set.of(StandardOpenOption.READ));
                    FileChannel o = root.open(t, out)) {
                long size = in.size();
                for (long done = 0; done < size;) {
                    long n = in.transferTo(done, size - done, o);
                    if (n <= 0) {
                        break;
                    }
                    done += n;
                }
            }
        }

        @Override
        public void move(Path source, Path target, CopyOption... options) throws IOException {
            boolean replace = Arrays.asList(options).contains(StandardCopyOption.REPLACE_EXISTING);
            root.move(real(source, false), real(target, false), replace);
        }

        @Override
        public boolean isSameFile(Path path, Path path2) throws IOException {
            if (path.equals(path2)) {
                return true;
            }
            return Files.isSameFile(real(path, true), real(path2, true));
        }

        @Override
        public boolean isHidden(Path path) {
            Path name = path.getFileName();
            return name != null && name.toString().startsWith(".");
        }

        @Override
        public void checkAccess(Path path, AccessMode... modes) throws IOException {
            // a handle on the file shows it exists: the modes, if any, are checked on it
            look(path, true, h -> {
                if (modes.length > 0) {
                    h.getFileSystem().provider().checkAccess(h, modes);
                }
                return Boolean.TRUE;
            }, r -> {
                r.getFileSystem().provider().checkAccess(r, modes);
                return Boolean.TRUE;
            });
        }

        /**
         * A read of a file reached without links: in one look where no link is on its path (the file is then no
         * link, so following or not is the same); else resolved and read through a handle on what was resolved, so
         * that a directory swapped for a link since is not followed; else (object storage, the root, no such calls)
         * by its resolved path.
         */
        private <R> R look(Path path, boolean follow, IOFunction<Path, R> viaHandle, IOFunction<Path, R> byPath)
                throws IOException {
            R got = root.readInOneLook(virtualOf(path), viaHandle);
            if (got != null) {
                return got;
            }
            Path r = real(path, follow);
            got = root.readThroughEntry(r, viaHandle);
            return got != null ? got : byPath.apply(r);
        }

        @Override
        @SuppressWarnings("unchecked")
        public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type, LinkOption... options) {
            if (type == BasicFileAttributeView.class || type == PosixFileAttributeView.class
                    || type == FileOwnerAttributeView.class) {
                return (V) new View(path, follows(options));
            }
            try {
                return Files.getFileAttributeView(real(path, follows(options)), type, LinkOption.NOFOLLOW_LINKS);
            } catch (IOException e) {
                return null;
            }
        }

        @Override
        public <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type, LinkOption... options)
                throws IOException {
            return look(path, follows(options), h -> Files.readAttributes(h, type),
                    r -> Files.readAttributes(r, type, LinkOption.NOFOLLOW_LINKS));
        }

        @Override
        public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options)
                throws IOException {
            return look(path, follows(options), h -> Files.readAttributes(h, attributes),
                    r -> Files.readAttributes(r, attributes, LinkOption.NOFOLLOW_LINKS));
        }

        @Override
        public void setAttribute(Path path, String attribute, Object value, LinkOption... options)
                throws IOException {
            String view = attribute.contains(":") ? attribute.substring(0, attribute.indexOf(':')) : "basic";
            String name = attribute.substring(attribute.indexOf(':') + 1);
            View v = new View(path, follows(options));
            switch (view + ":" + name) {
                case "basic:lastModifiedTime":
                case "posix:lastModifiedTime":
                case "unix:lastModifiedTime":
                    v.setTimes((FileTime) value, null, null);
                    return;
                case "basic:lastAccessTime":
                case "posix:lastAccessTime":
                case "unix:lastAccessTime":
                    v.setTimes(null, (FileTime) value, null);
                    return;
                case "basic:creationTime":
                case "posix:creationTime":
                    v.setTimes(null, null, (FileTime) value);
                    return;
                case "posix:permissions":
                case "unix:permissions":
                    @SuppressWarnings("unchecked")
                    Set<PosixFilePermission> perms = (Set<PosixFilePermission>) value;
                    v.setPermissions(perms);
                    return;
                case "posix:owner":
                case "owner:owner":
                case "unix:owner":
                    v.setOwner((UserPrincipal) value);
                    return;
                case "posix:group":
                case "unix:group":
                    v.setGroup((GroupPrincipal) value);
                    return;
                default:
                    throw new UnsupportedOperationException("attribute " + attribute + " cannot be set here");
            }
        }

        /**
         * Attribute reads and changes, each of the file reached without links: reads in one look where no link is on
         * the way, otherwise (and every change) from the file's directory opened without links.
         */
        private final class View implements PosixFileAttributeView {
            private final Path path;
            private final boolean follow;

            View(Path path, boolean follow) {
                this.path = path;
                this.follow = follow;
            }

            @Override
            public String name() {
                return "posix";
            }

            @Override
            public PosixFileAttributes readAttributes() throws IOException {
                PosixFileAttributes a = root.readInOneLook(virtualOf(path),
                        h -> Files.readAttributes(h, PosixFileAttributes.class));
                return a != null ? a : root.withView(real(path, follow), PosixFileAttributeView.class,
                        PosixFileAttributeView::readAttributes);
            }

            @Override
            public void setTimes(FileTime lastModifiedTime, FileTime lastAccessTime, FileTime createTime)
                    throws IOException {
                root.changeAttributes(real(path, follow), BasicFileAttributeView.class, v -> {
                    v.setTimes(lastModifiedTime, lastAccessTime, createTime);
                    return null;
                });
            }

            @Override
            public void setPermissions(Set<PosixFilePermission> perms) throws IOException {
                root.changeAttributes(real(path, follow), PosixFileAttributeView.class, v -> {
                    v.setPermissions(root.masked(perms));
                    return null;
                });
            }

            @Override
            public void setGroup(GroupPrincipal group) throws IOException {
                root.changeAttributes(real(path, follow), PosixFileAttributeView.class, v -> {
                    v.setGroup(group);
                    return null;
                });
            }

            @Override
            public UserPrincipal getOwner() throws IOException {
                UserPrincipal owner = root.readInOneLook(virtualOf(path), h -> Files.getOwner(h));
                return owner != null ? owner
                        : root.withView(real(path, follow), FileOwnerAttributeView.class, FileOwnerAttributeView::getOwner);
            }

            @Override
            public void setOwner(UserPrincipal owner) throws IOException {
                root.changeAttributes(real(path, follow), FileOwnerAttributeView.class, v -> {
                    v.setOwner(owner);
                    return null;
                });
            }
        }
    }
}
