package dev.termlet.s3.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileOwnerAttributeView;
import java.nio.file.attribute.FileStoreAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.spi.FileSystemProvider;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code java.nio.file} provider of {@link S3FileSystem}s, with the object-store rules of
 * {@link dev.termlet.fileops.Storage}: a file opened to be written whole is an {@link S3WriteChannel} (visible only
 * once committed); appending or writing into an existing file is refused; links, modes, owners and settable times do
 * not exist ({@link UnsupportedOperationException}).
 */
public final class S3Provider extends FileSystemProvider {
    /** The URI scheme of the paths. */
    public static final String SCHEME = "termlet-s3";

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public FileSystem newFileSystem(URI uri, Map<String, ?> env) {
        throw new UnsupportedOperationException("made by S3Storage");
    }

    @Override
    public FileSystem getFileSystem(URI uri) {
        throw new UnsupportedOperationException("made by S3Storage");
    }

    @Override
    public Path getPath(URI uri) {
        throw new UnsupportedOperationException("made by S3Storage");
    }

    private static S3FileSystem fs(S3Path p) {
        return p.getFileSystem();
    }

    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
            throws IOException {
        return newFileChannel(path, options, attrs);
    }

    @Override
    public FileChannel newFileChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
            throws IOException {
        S3Path p = S3Path.of(path).toAbsolutePath().normalize();
        S3FileSystem fs = fs(p);
        boolean write = options.contains(StandardOpenOption.WRITE) || options.contains(StandardOpenOption.APPEND);
        if (p.isRootPath()) {
            throw new FileSystemException("/", null, "is a directory");
        }
        String key = p.key();
        S3FileSystem.checkKey(p, key + "/");
        if (!write) {
            var h = fs.head(p, key);
            if (h == null) {
                S3Attributes a = fs.stat(p);
                if (a != null && a.isDirectory()) {
                    throw new FileSystemException(p.toString(), null, "is a directory");
                }
                throw new NoSuchFileException(p.toString());
            }
            return new S3ReadChannel(fs, p, key, h.contentLength() == null ? 0 : h.contentLength(), h.eTag());
        }
        if (options.contains(StandardOpenOption.APPEND)) {
            throw new AccessDeniedException(p.toString(), null, "appending is not possible in object storage");
        }
        S3Attributes there = fs.stat(p);
        if (there != null && there.isDirectory()) {
            throw new FileSystemException(p.toString(), null, "is a directory");
        }
        if (there != null && options.contains(StandardOpenOption.CREATE_NEW)) {
            throw new FileAlreadyExistsException(p.toString());
        }
        if (there != null && !options.contains(StandardOpenOption.TRUNCATE_EXISTING)) {
            throw new AccessDeniedException(p.toString(), null,
                    "writing into an existing file is not possible in object storage: replace it whole");
        }
        if (there == null && !options.contains(StandardOpenOption.CREATE)
                && !options.contains(StandardOpenOption.CREATE_NEW)) {
            throw new NoSuchFileException(p.toString());
        }
        fs.requireDirectory(p.getParent(), p);
        return new S3WriteChannel(fs, p, key, options.contains(StandardOpenOption.CREATE_NEW));
    }

    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter)
            throws IOException {
        S3Path d = S3Path.of(dir);
        List<S3Path> entries = fs(d).entries(d.toAbsolutePath().normalize());
        List<Path> kept = new java.util.ArrayList<>();
        for (S3Path e : entries) {
            Path shown = d.resolve(e.getFileName().toString());
            if (shown instanceof S3Path && shown != e) {
                ((S3Path) shown).withListed(e.listed());
            }
            if (filter == null || filter.accept(shown)) {
                kept.add(shown);
            }
        }
        return new DirectoryStream<>() {
            private boolean iterated;

            @Override
            public Iterator<Path> iterator() {
                if (iterated) {
                    throw new IllegalStateException("already iterated");
                }
                iterated = true;
                return kept.iterator();
            }

            @Override
            public void close() {
                // nothing held open: the listing was read whole
            }
        };
    }

    @Override
    public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
        S3Path d = S3Path.of(dir).toAbsolutePath().normalize();
        fs(d).mkdir(d);
    }

    @Override
    public void createSymbolicLink(Path link, Path target, FileAttribute<?>... attrs) {
        throw new UnsupportedOperationException("links are not possible in object storage");
    }

    @Override
    public void createLink(Path link, Path existing) {
        throw new UnsupportedOperationException("links are not possible in object storage");
    }

    @Override
    public Path readSymbolicLink(Path link) throws IOException {
        throw new java.nio.file.NotLinkException(link.toString());
    }

    @Override
    public void delete(Path path) throws IOException {
        S3Path p = S3Path.of(path).toAbsolutePath().normalize();
        fs(p).delete(p);
    }

    @Override
    public void copy(Path source, Path target, CopyOption... options) throws IOException {
        S3Path s = S3Path.of(source).toAbsolutePath().normalize();
        S3Path t = S3Path.of(target).toAbsolutePath().normalize();
        fs(s).copy(s, t, Arrays.asList(options).contains(StandardCopyOption.REPLACE_EXISTING));
    }

    @Override
    public void move(Path source, Path target, CopyOption... options) throws IOException {
        S3Path s = S3Path.of(source).toAbsolutePath().normalize();
        S3Path t = S3Path.of(target).toAbsolutePath().normalize();
        fs(s).move(s, t, Arrays.asList(options).contains(StandardCopyOption.REPLACE_EXISTING));
    }

    @Override
    public boolean isSameFile(Path path, Path path2) {
        return path.toAbsolutePath().normalize().equals(path2.toAbsolutePath().normalize());
    }

    @Override
    public boolean isHidden(Path path) {
        Path n = path.getFileName();
        return n != null && n.toString().startsWith(".");
    }

    @Override
    public FileStore getFileStore(Path path) {
        return new Store();
    }

    @Override
    public void checkAccess(Path path, AccessMode... modes) throws IOException {
        S3Path p = S3Path.of(path).toAbsolutePath().normalize();
        if (fs(p).stat(p) == null) {
            throw new NoSuchFileException(p.toString());
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type, LinkOption... options) {
        if (type == BasicFileAttributeView.class || type == PosixFileAttributeView.class
                || type == FileOwnerAttributeView.class) {
            return (V) new View(S3Path.of(path).toAbsolutePath().normalize());
        }
        return null;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type, LinkOption... options)
            throws IOException {
        if (type != BasicFileAttributes.class && type != PosixFileAttributes.class) {
            throw new UnsupportedOperationException("no " + type.getSimpleName() + " in object storage");
        }
        S3Path p = S3Path.of(path).toAbsolutePath().normalize();
        S3Attributes a = p.listed();
        if (a == null) {
            a = S3Path.of(path).listed();
        }
        if (a == null) {
            a = fs(p).stat(p);
        }
        if (a == null) {
            throw new NoSuchFileException(p.toString());
        }
        return (A) a;
    }

    @Override
    public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options)
            throws IOException {
        String view = attributes.contains(":") ? attributes.substring(0, attributes.indexOf(':')) : "basic";
        String names = attributes.substring(attributes.indexOf(':') + 1);
        if (!view.equals("basic") && !view.equals("posix") && !view.equals("owner")) {
            throw new UnsupportedOperationException("no " + view + " attributes in object storage");
        }
        PosixFileAttributes a = readAttributes(path, PosixFileAttributes.class, options);
        Map<String, Object> all = new HashMap<>();
        if (!view.equals("owner")) {
            all.put("size", a.size());
            all.put("lastModifiedTime", a.lastModifiedTime());
            all.put("lastAccessTime", a.lastAccessTime());
            all.put("creationTime", a.creationTime());
            all.put("isRegularFile", a.isRegularFile());
            all.put("isDirectory", a.isDirectory());
            all.put("isSymbolicLink", false);
            all.put("isOther", false);
            all.put("fileKey", a.fileKey());
        }
        if (!view.equals("basic")) {
            all.put("owner", a.owner());
        }
        if (view.equals("posix")) {
            all.put("permissions", a.permissions());
            all.put("group", a.group());
        }
        if (names.equals("*")) {
            return all;
        }
        Map<String, Object> out = new HashMap<>();
        for (String n : names.split(",")) {
            if (all.containsKey(n)) {
                out.put(n, all.get(n));
            }
        }
        return out;
    }

    @Override
    public void setAttribute(Path path, String attribute, Object value, LinkOption... options) {
        throw new UnsupportedOperationException("object storage keeps no modes, owners or times that can be set");
    }

    /** Attributes read from the store; nothing can be set. */
    private final class View implements PosixFileAttributeView {
        private final S3Path path;

        View(S3Path path) {
            this.path = path;
        }

        @Override
        public String name() {
            return "posix";
        }

        @Override
        public PosixFileAttributes readAttributes() throws IOException {
            return S3Provider.this.readAttributes(path, PosixFileAttributes.class);
        }

        @Override
        public void setTimes(FileTime lastModifiedTime, FileTime lastAccessTime, FileTime createTime) {
            if (lastModifiedTime != null || lastAccessTime != null || createTime != null) {
                throw new UnsupportedOperationException("object storage keeps no times that can be set");
            }
        }

        @Override
        public void setPermissions(Set<PosixFilePermission> perms) {
            throw new UnsupportedOperationException("object storage keeps no modes");
        }

        @Override
        public void setGroup(GroupPrincipal group) {
            throw new UnsupportedOperationException("object storage keeps no owners");
        }

        @Override
        public UserPrincipal getOwner() {
            return S3Attributes.OWNER;
        }

        @Override
        public void setOwner(UserPrincipal owner) {
            throw new UnsupportedOperationException("object storage keeps no owners");
        }
    }

    /** The store's space: as good as unlimited (quotas are the accounts'). */
    private static final class Store extends FileStore {
        private static final long SPACE = Long.MAX_VALUE / 2;

        @Override
        public String name() {
            return "s3";
        }

        @Override
        public String type() {
            return "s3";
        }

        @Override
        public boolean isReadOnly() {
            return false;
        }

        @Override
        public long getTotalSpace() {
            return SPACE;
        }

        @Override
        public long getUsableSpace() {
            return SPACE;
        }

        @Override
        public long getUnallocatedSpace() {
            return SPACE;
        }

        @Override
        public boolean supportsFileAttributeView(Class<? extends FileAttributeView> type) {
            return type == BasicFileAttributeView.class || type == PosixFileAttributeView.class
                    || type == FileOwnerAttributeView.class;
        }

        @Override
        public boolean supportsFileAttributeView(String name) {
            return name.equals("basic") || name.equals("posix") || name.equals("owner");
        }

        @Override
        public <V extends FileStoreAttributeView> V getFileStoreAttributeView(Class<V> type) {
            return null;
        }

        @Override
        public Object getAttribute(String attribute) {
            throw new UnsupportedOperationException(attribute);
        }
    }
}
