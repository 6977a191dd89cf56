package dev.termlet.fileops.internal.ftp;

import dev.termlet.fileops.internal.core.AtomicUpload;
import dev.termlet.fileops.internal.core.FileGate;
import dev.termlet.fileops.internal.core.FileSession;
import dev.termlet.fileops.internal.core.Quotas;
import dev.termlet.fileops.internal.core.VirtualRoot;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.ftpserver.ftplet.FileSystemView;
import org.apache.ftpserver.ftplet.FtpFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One FTP session's view of its user's files: every path goes through {@link VirtualRoot}, so {@code ..}, links
 * leading out, control characters and over-long names never reach the disk. Uploads from offset 0 go to a
 * temporary file ({@link Quotas#temporaryName}) that {@link FtpUpload} puts in place once all the data has come,
 * before it answers 226.
 */
public final class FtpView implements FileSystemView {
    private static final Logger LOG = LoggerFactory.getLogger(FtpView.class);

    private final VirtualRoot root;
    private final FtpEvents events;
    private String cwd = "/";
    private volatile FileSession session;
    private volatile AtomicUpload upload;

    /**
     * @param root the user's root
     * @param events the FTP side of the events, or null for a view used without a login
     */
    public FtpView(VirtualRoot root, FtpEvents events) {
        this.root = root;
        this.events = events;
    }

    VirtualRoot root() {
        return root;
    }

    void session(FileSession s) {
        this.session = s;
    }

    /** Takes the upload in progress, if any. */
    public AtomicUpload takeUpload() {
        AtomicUpload u = upload;
        upload = null;
        return u;
    }

    /** Resolves a client path; null when it is refused. */
    public Entry entry(String clientPath) {
        try {
            String path = clientPath == null || clientPath.isEmpty() ? "." : clientPath;
            VirtualRoot.checkClientPath(path);
            String virtual = VirtualRoot.normalise(path, cwd);
            return new Entry(virtual, root.real(virtual, true), root.real(virtual, false));
        } catch (IOException e) {
            LOG.info("FTP path refused: {}", e.getMessage());
            return null;
        }
    }

    @Override
    public FtpFile getHomeDirectory() {
        return new Entry("/", root.root(), root.root());
    }

    @Override
    public FtpFile getWorkingDirectory() {
        Entry e = entry(cwd);
        return e != null ? e : getHomeDirectory();
    }

    @Override
    public boolean changeWorkingDirectory(String dir) {
        Entry e = entry(dir);
        if (e == null || !Files.isDirectory(e.real)) {
            return false;
        }
        cwd = e.virtual;
        return true;
    }

    @Override
    public FtpFile getFile(String file) {
        Entry e = entry(file);
        // a refused path becomes a name that cannot exist, so every command on it fails cleanly
        Path nowhere = root.root().resolve(".termlet-refused-" + UUID.randomUUID());
        return e != null ? e : new Entry("/\u0000refused", nowhere, nowhere);
    }

    @Override
    public boolean isRandomAccessible() {
        return true;
    }

    @Override
    public void dispose() {
        AtomicUpload u = takeUpload();
        if (u != null) {
            u.discard(new IOException("the session ended"));
        }
    }

    /** One path, virtual and real. */
    public final class Entry implements FtpFile {
        final String virtual;
        final Path real;
        /** The entry itself: a link in the last place not followed (delete, rename, times). */
        final Path self;

        /**
         * @param virtual the path the client sees
         * @param real the file on disk, links inside the root followed
         * @param self the entry itself, a link in the last place not followed
         */
        public Entry(String virtual, Path real, Path self) {
            this.virtual = virtual;
            this.real = real;
            this.self = self;
        }

        private boolean refused() {
            return virtual.indexOf('\u0000') >= 0;
        }

        @Override
        public String getAbsolutePath() {
            return virtual;
        }

        @Override
        public String getName() {
            int slash = virtual.lastIndexOf('/');
            return virtual.equals("/") ? "/" : virtual.substring(slash + 1);
        }

        @Override
        public boolean isHidden() {
            return false;
        }

        @Override
        public boolean isDirectory() {
            return !refused() && Files.isDirectory(real);
        }

        @Override
        public boolean isFile() {
            return !refused() && Files.isRegularFile(real);
        }

        @Override
        public boolean doesExist() {
            return !refused() && Files.exists(self, LinkOption.NOFOLLOW_LINKS);
        }

        @Override
        public boolean isReadable() {
            return doesExist() && Files.isReadable(real);
        }

        @Override
        public boolean isWritable() {
            // permissions are the account's, checked by FtpEvents before the command runs
            return !refused() && !virtual.equals("/") && Files.isDirectory(real.getParent());
        }

        @Override
        public boolean isRemovable() {
            return isWritable() && doesExist();
        }

        @Override
        public String getOwnerName() {
            return "user";
        }

        @Override
        public String getGroupName() {
            return "user";
        }

        @Override
        public int getLinkCount() {
            return isDirectory() ? 3 : 1;
        }

        @Override
        public long getLastModified() {
            try {
                return Files.getLastModifiedTime(real).toMillis();
            } catch (IOException e) {
                return 0;
            }
        }

        @Override
        public boolean setLastModified(long time) {
            try {
                root.changeAttributes(self, java.nio.file.attribute.BasicFileAttributeView.class, v -> {
                    v.setTimes(FileTime.fromMillis(time), null, null);
                    return null;
                });
                return true;
            } catch (IOException e) {
                return false;
            }
        }

        @Override
        public long getSize() {
            try {
                return Files.isRegularFile(real) ? Files.size(real) : 0;
            } catch (IOException e) {
                return 0;
            }
        }

        @Override
        public Object getPhysicalFile() {
            return real.getFileSystem() == java.nio.file.FileSystems.getDefault() ? real.toFile() : real;
        }

        @Override
        public boolean mkdir() {
            try {
                root.mkdir(real);
                return true;
            } catch (IOException e) {
                return false;
            }
        }

        @Override
        public boolean delete() {
            try {
                root.delete(self);
                return true;
            } catch (IOException e) {
                return false;
            }
        }

        @Override
        public boolean move(FtpFile destination) {
            if (!(destination instanceof Entry) || ((Entry) destination).refused()) {
                return false;
            }
            Path to = ((Entry) destination).self;
            try {
                root.move(self, to, true);
                return true;
            } catch (IOException e) {
                return false;
            }
        }

        @Override
        public List<? extends FtpFile> listFiles() {
            if (!isDirectory()) {
                return null;
            }
            Map<String, Path> byName = new HashMap<>();
            try (java.nio.file.DirectoryStream<Path> s = root.list(real, null)) {
                for (Path p : s) {
                    String n = p.getFileName().toString();
                    if (!Quotas.TEMP.matcher(n).matches()) {
                        byName.put(n, p);
                    }
                }
            } catch (IOException | RuntimeException e) {
                return null;
            }
            List<String> names = new ArrayList<>(byName.keySet());
            Collections.sort(names);
            FileSession s = session;
            if (s != null) {
                names = events.gate().listSend(s, real, names);
            }
            List<Entry> out = new ArrayList<>();
            String base = virtual.equals("/") ? "" : virtual;
            for (String n : names) {
                Path p = byName.get(n);
                Path followed;
                try {
                    followed = root.real(base + "/" + n, true);
                } catch (IOException e) {
                    // a link that leads outside: listed, never looked through
                    followed = root.root().resolve(".termlet-refused-" + UUID.randomUUID());
                }
                out.add(new Entry(base + "/" + n, followed, p));
            }
            return out;
        }

        @Override
        public OutputStream createOutputStream(long offset) throws IOException {
            if (refused()) {
                throw new IOException("path refused");
            }
            FileGate gate = events == null ? null : events.gate();
            AtomicUpload u = offset == 0 ? AtomicUpload.replacing(gate, session, root, real, false)
                    : AtomicUpload.inPlace(gate, session, root, real, Set.of(StandardOpenOption.CREATE));
            upload = u;
            OutputStream out = u.stream(Quotas.QuotaExceededException::new);
            if (offset != 0) {
                u.channel(Quotas.QuotaExceededException::new).position(offset);
            }
            return out;
        }

        @Override
        public InputStream createInputStream(long offset) throws IOException {
            if (refused()) {
                throw new IOException("path refused");
            }
            FileChannel channel = root.open(real, Set.of(StandardOpenOption.READ));
            channel.position(offset);
            return Channels.newInputStream(channel);
        }
    }
}
