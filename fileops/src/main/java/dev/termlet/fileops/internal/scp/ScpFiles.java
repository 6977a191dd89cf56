package dev.termlet.fileops.internal.scp;

import dev.termlet.fileops.FileEvent;
import dev.termlet.fileops.FileOperation;
import dev.termlet.fileops.Protocol;
import dev.termlet.fileops.internal.core.AtomicUpload;
import dev.termlet.fileops.internal.core.FileClient;
import dev.termlet.fileops.internal.core.FileGate;
import dev.termlet.fileops.internal.core.FileSession;
import dev.termlet.fileops.internal.core.JailFileSystem;
import dev.termlet.fileops.internal.core.Quotas;
import dev.termlet.fileops.internal.core.SshFileSessions;
import dev.termlet.fileops.internal.core.VirtualRoot;
import dev.termlet.fileops.internal.sftp.SftpEvents;

import dev.termlet.auth.FilePermission;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.Collection;
import java.util.Set;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.threads.CloseableExecutorService;
import org.apache.sshd.scp.common.ScpSourceStreamResolver;
import org.apache.sshd.scp.common.ScpTargetStreamResolver;
import org.apache.sshd.scp.common.ScpTransferEventListener;
import org.apache.sshd.scp.common.helpers.DefaultScpFileOpener;
import org.apache.sshd.scp.common.helpers.LocalFileScpTargetStreamResolver;
import org.apache.sshd.scp.common.helpers.ScpAckInfo;
import org.apache.sshd.scp.common.helpers.ScpTimestampCommandDetails;
import org.apache.sshd.scp.server.ScpCommand;
import org.apache.sshd.scp.server.ScpCommandFactory;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

/**
 * SCP's side of the file events, one instance per {@code scp} command. An upload is written to a hidden temporary
 * file and renamed into place only when the sending client has confirmed the whole file (MINA's transfer listener
 * reports the end of the data before that confirmation, and even when the data stopped short); a short or failed
 * transfer leaves the old file as it was and fires {@code upload-failed}.
 */
public final class ScpFiles extends DefaultScpFileOpener implements ScpTransferEventListener {
    /** The upload in progress: its {@link AtomicUpload}, its paths in the user's file system, and the byte count. */
    private static final class Upload {
        final AtomicUpload atomic;
        final Path target;
        final Path tmp;
        final long expected;
        long written;

        Upload(AtomicUpload atomic, Path target, long expected) {
            this.atomic = atomic;
            this.target = target;
            // an object store writes the target itself, pending until the commit: no temporary file
            this.tmp = atomic.temporary() == null ? null
                    : target.resolveSibling(atomic.temporary().getFileName().toString());
            this.expected = expected;
        }
    }

    private static final String WRITE_FLAGS = "WRITE,CREATE,TRUNCATE_EXISTING";
    /** The bytes an scp command moves between the channel and a file at a time. */
    private static final int COPY_BUFFER = 128 * 1024;

    private final FileGate gate;
    private final SshFileSessions sessions;
    private Upload upload;
    private long downloadStart;
    /** The download in progress: its event, fired again with the outcome. */
    private FileEvent download;
    /** The file last looked at for sending, and its attributes: one look for the check, the header and the event. */
    private Path looked;
    private PosixFileAttributes lookedAttributes;
    private boolean lookedIsLink;

    ScpFiles(FileGate gate, SshFileSessions sessions) {
        this.gate = gate;
        this.sessions = sessions;
    }

    /** Makes SCP commands that go through a fresh {@link ScpFiles} each. */
    public static ScpCommandFactory factory(FileGate gate, SshFileSessions sessions,
            org.apache.sshd.server.command.CommandFactory delegate) {
        ScpCommandFactory f = new ScpCommandFactory() {
            @Override
            protected Command executeSupportedCommand(ChannelSession channel, String command) {
                ScpFiles files = new ScpFiles(gate, sessions);
                return new Cmd(channel, command, resolveExecutorService(command), getSendBufferSize(),
                        getReceiveBufferSize(), files);
            }
        };
        f.setDelegateCommandFactory(delegate);
        // MINA's default is 8 KiB: a 1 GiB upload took 131,072 writes and a window adjustment every 24 KiB. A file
        // smaller than this gets a buffer of its own size, so small files do not pay for it.
        f.setReceiveBufferSize(COPY_BUFFER);
        f.setSendBufferSize(COPY_BUFFER);
        return f;
    }

    /** An scp command that cleans up an unfinished upload when it ends. */
    private static final class Cmd extends ScpCommand {
        private final ScpFiles files;
        private final ChannelSession channel;

        Cmd(ChannelSession channel, String command, CloseableExecutorService executor, int sendSize, int receiveSize,
                ScpFiles files) {
            super(channel, command, executor, sendSize, receiveSize, files, files);
            this.files = files;
            this.channel = channel;
            // before MINA installs its piped stream (it does only when the channel has no receiver yet)
            setInputStream(new ScpInput(channel));
        }

        @Override
        public void run() {
            FileSession s = files.sessions.of(channel.getSession(), Protocol.SCP);
            FileGate.Hold ended = files.gate.started(s);
            try {
                super.run();
            } finally {
                files.finish();
                // every scp command is a session of its own: disconnected once, when it ends
                files.gate.disconnected(s, new FileClient(s, channel), ended);
            }
        }
    }

    private FileSession s(Session session) {
        return sessions.of(session, Protocol.SCP);
    }

    // ---- uploads ----

    @Override
    public ScpTargetStreamResolver createScpTargetStreamResolver(Session session, Path path) throws IOException {
        return new LocalFileScpTargetStreamResolver(path, this) {
            @Override
            protected void updateFileProperties(String name, Path file, Set<PosixFilePermission> perms,
                    ScpTimestampCommandDetails time) throws IOException {
                // -p: the times and mode go on the temporary file, which then takes the target's place; they belong
                // to the upload (no permissions of their own, as for SFTP), but fire their events with the target
                Upload u = upload;
                if (u != null && u.tmp == null) {
                    return; // -p in object storage: it keeps no modes or times of its own; the file still arrives
                }
                attributes(session, u != null ? u.target : file, perms, time, false,
                        () -> super.updateFileProperties(name, u != null ? u.tmp : file, perms, time));
            }
        };
    }

    @Override
    public OutputStream openWrite(Session session, Path file, long size, Set<PosixFilePermission> permissions,
            OpenOption... options) throws IOException {
        VirtualRoot.checkClientPath(JailFileSystem.virtual(file));
        FileSession s = s(session);
        Path real = SftpEvents.real(file);
        FileEvent e = gate.event(s, real, null, WRITE_FLAGS);
        boolean exists = Files.exists(file, LinkOption.NOFOLLOW_LINKS);
        gate.begin(dev.termlet.fileops.FileOperation.UPLOAD, s, e, exists, () -> {
            if (!exists) {
                try {
                    gate.quotas().checkNewFile(s);
                } catch (Quotas.QuotaExceededException q) {
                    gate.quotaExceeded(s, real, q);
                    throw q;
                }
            }
        });
        Upload u = new Upload(AtomicUpload.replacing(gate, s, JailFileSystem.rootOf(file), real, false), file, size);
        upload = u;
        OutputStream out = gate.throttle(s.user(), true).output(
                u.atomic.stream(Quotas.QuotaExceededException::new));
        return new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                u.written += len;
            }

            @Override
            public void write(int b) throws IOException {
                out.write(b);
                u.written++;
            }

            @Override
            public void close() throws IOException {
                out.close();
            }
        };
    }

    @Override
    public void closeWrite(Session session, Path file, long size, Set<PosixFilePermission> permissions,
            OutputStream os) throws IOException {
        os.close();
        Upload u = upload;
        if (u != null && u.written != u.expected) {
            IOException shortTransfer = new IOException("the client sent " + u.written + " of " + u.expected
                    + " bytes");
            u.atomic.fail(shortTransfer);
            throw shortTransfer;
        }
    }

    @Override
    public void endFileEvent(Session session, FileOperation op, Path file, long length, Set<PosixFilePermission> perms,
            Throwable thrown) {
        if (thrown == null) {
            return;
        }
        if (op == FileOperation.RECEIVE && upload != null) {
            upload.atomic.fail(thrown instanceof IOException ? (IOException) thrown : new IOException(thrown));
        } else if (op == FileOperation.SEND) {
            FileSession s = s(session);
            gate.end(dev.termlet.fileops.FileOperation.DOWNLOAD, s, downloadEvent(s, file), thrown, downloadStart);
            download = null;
        }
    }

    @Override
    public void handleFileEventAckInfo(Session session, FileOperation op, Path file, long length,
            Set<PosixFilePermission> perms, ScpAckInfo ackInfo) throws IOException {
        boolean ok = ackInfo != null && ackInfo.getStatusCode() == ScpAckInfo.OK;
        FileSession s = s(session);
        if (op == FileOperation.SEND) {
            gate.end(dev.termlet.fileops.FileOperation.DOWNLOAD, s, downloadEvent(s, file),
                    ok ? null : new IOException("the client reported: " + ackInfo), downloadStart);
            download = null;
            return;
        }
        Upload u = upload;
        upload = null;
        if (u == null) {
            return;
        }
        boolean spoiled = u.atomic.failure() != null;
        AtomicUpload.Settled end = u.atomic.settle(dev.termlet.fileops.FileOperation.UPLOAD, WRITE_FLAGS,
                ok ? null : new IOException("the client reported: " + ackInfo));
        if (ok && !spoiled && end.how() == AtomicUpload.Settled.How.FAILED) {
            // all the data came but it could not be put in place: the client hears of it
            throw end.failure();
        }
    }

    /** An action on a file that may fail. */
    @FunctionalInterface
    private interface IoAction {
        void run() throws IOException;
    }

    /**
     * Sets a mode and times as {@code scp -p} asks: {@code pre-setattr} and {@code pre-settime} (after the chmod and
     * chtimes permissions when {@code check}), the change, then {@code setattr} and {@code settime} with the outcome.
     */
    private void attributes(Session session, Path target, Set<PosixFilePermission> perms,
            ScpTimestampCommandDetails time, boolean check, IoAction change) throws IOException {
        FileSession s = s(session);
        FileEvent e = gate.event(s, SftpEvents.real(target), null, null);
        boolean mode = perms != null && !perms.isEmpty();
        boolean times = time != null;
        if (check && mode) {
            gate.permit(s, FilePermission.CHMOD, e.path());
        }
        if (check && times) {
            gate.permit(s, FilePermission.CHTIMES, e.path());
        }
        if (mode) {
            gate.pre(dev.termlet.fileops.FileOperation.SETATTR.before(), s, e);
        }
        if (times) {
            gate.pre(dev.termlet.fileops.FileOperation.SETTIME.before(), s, e);
        }
        Throwable failure = null;
        try {
            change.run();
        } catch (IOException | RuntimeException ex) {
            failure = ex;
            throw ex;
        } finally {
            if (mode) {
                gate.end(dev.termlet.fileops.FileOperation.SETATTR, s, e, failure, 0);
            }
            if (times) {
                gate.end(dev.termlet.fileops.FileOperation.SETTIME, s, e, failure, 0);
            }
        }
    }

    /** The command ended: an upload still open did not complete. */
    void finish() {
        Upload u = upload;
        upload = null;
        if (u != null && !u.atomic.ended()) {
            u.atomic.settle(dev.termlet.fileops.FileOperation.UPLOAD, WRITE_FLAGS,
                    new IOException("the transfer ended early"));
        }
    }

    // ---- directories and downloads ----

    @Override
    public Path resolveIncomingFilePath(Session session, Path localPath, String name, boolean preserve,
            Set<PosixFilePermission> permissions, ScpTimestampCommandDetails time) throws IOException {
        VirtualRoot.checkClientPath(name);
        if (name.contains("/") || name.equals("..") || name.equals(".")) {
            throw new java.nio.file.AccessDeniedException(name, null, "not a file name");
        }
        Path dir = Files.isDirectory(localPath, LinkOption.NOFOLLOW_LINKS) ? localPath.resolve(name) : localPath;
        boolean creating = !Files.exists(dir, LinkOption.NOFOLLOW_LINKS);
        FileSession s = s(session);
        FileEvent e = gate.event(s, SftpEvents.real(dir), null, null);
        if (creating) {
            gate.begin(dev.termlet.fileops.FileOperation.MKDIR, s, e, false);
        }
        Path made;
        try {
            if (preserve) {
                // -p: MINA sets the directory's mode and times as it resolves it; a new one's belong to its mkdir
                Path[] out = new Path[1];
                attributes(session, dir, permissions, time, !creating, () -> out[0] = super.resolveIncomingFilePath(
                        session, localPath, name, true, permissions, time));
                made = out[0];
            } else {
                made = super.resolveIncomingFilePath(session, localPath, name, false, permissions, time);
            }
        } catch (IOException | RuntimeException ex) {
            if (creating) {
                gate.end(dev.termlet.fileops.FileOperation.MKDIR, s, e, ex, 0);
            }
            throw ex;
        }
        if (creating) {
            gate.end(dev.termlet.fileops.FileOperation.MKDIR, s, e, null, 0);
        }
        return made;
    }

    @Override
    public InputStream openRead(Session session, Path file, long size, Set<PosixFilePermission> permissions,
            OpenOption... options) throws IOException {
        VirtualRoot.checkClientPath(JailFileSystem.virtual(file));
        FileSession s = s(session);
        // the attributes just read for the header give the event's size (a link's own, -1, is read again as before)
        Path real = SftpEvents.real(file);
        FileEvent e = file.equals(looked) && !lookedIsLink ? gate.event(s, real, null, "READ", lookedAttributes)
                : gate.event(s, real, null, "READ");
        gate.begin(dev.termlet.fileops.FileOperation.DOWNLOAD, s, e, false);
        download = e;
        downloadStart = System.nanoTime();
        return gate.throttle(s.user(), false).input(super.openRead(session, file, size, permissions, options));
    }

    /** The event of the download in progress, made again if there is none. */
    private FileEvent downloadEvent(FileSession s, Path file) {
        FileEvent e = download;
        return e != null ? e : gate.event(s, SftpEvents.real(file), null, "READ");
    }

    /**
     * Whether to send a path as a file: its attributes, read in one look, are kept for the header's size, mode and
     * times ({@link #createScpSourceStreamResolver}) instead of being read three times more.
     */
    @Override
    public boolean sendAsRegularFile(Session session, Path path, LinkOption... options) throws IOException {
        looked = null;
        lookedAttributes = null;
        try {
            // the entry itself first: unless it is a link, that is what following would read too
            PosixFileAttributes a = Files.readAttributes(path, PosixFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            lookedIsLink = a.isSymbolicLink();
            if (lookedIsLink && !Arrays.asList(options).contains(LinkOption.NOFOLLOW_LINKS)) {
                a = Files.readAttributes(path, PosixFileAttributes.class, options);
            }
            lookedAttributes = a;
        } catch (IOException e) {
            return false; // as Files.isRegularFile answers
        }
        looked = path;
        return lookedAttributes.isRegularFile();
    }

    @Override
    public boolean sendAsDirectory(Session session, Path path, LinkOption... options) throws IOException {
        return path.equals(looked) ? lookedAttributes.isDirectory()
                : super.sendAsDirectory(session, path, options);
    }

    @Override
    public ScpSourceStreamResolver createScpSourceStreamResolver(Session session, Path path) throws IOException {
        if (!path.equals(looked)) {
            return super.createScpSourceStreamResolver(session, path);
        }
        PosixFileAttributes a = lookedAttributes;
        return new ScpSourceStreamResolver() {
            @Override
            public String getFileName() {
                return path.getFileName().toString();
            }

            @Override
            public Path getEventListenerFilePath() {
                return path;
            }

            @Override
            public Collection<PosixFilePermission> getPermissions() {
                return a.permissions();
            }

            @Override
            public ScpTimestampCommandDetails getTimestamp() {
                return new ScpTimestampCommandDetails(a.lastModifiedTime().toMillis(), a.lastAccessTime().toMillis());
            }

            @Override
            public long getSize() {
                return a.size();
            }

            @Override
            public InputStream resolveSourceStream(Session session, long fileSize, Set<PosixFilePermission> perms,
                    OpenOption... options) throws IOException {
                return openRead(session, path, fileSize, perms, options);
            }

            @Override
            public void closeSourceStream(Session session, long fileSize, Set<PosixFilePermission> perms,
                    InputStream stream) throws IOException {
                closeRead(session, path, fileSize, perms, stream);
            }

            @Override
            public String toString() {
                return path.toString();
            }
        };
    }

    @Override
    public DirectoryStream<Path> getLocalFolderChildren(Session session, Path path) throws IOException {
        VirtualRoot.checkClientPath(JailFileSystem.virtual(path));
        FileSession s = s(session);
        FileEvent e = gate.event(s, SftpEvents.real(path), null, null);
        gate.begin(dev.termlet.fileops.FileOperation.LIST, s, e, false);
        return Files.newDirectoryStream(path, p -> !Quotas.TEMP.matcher(p.getFileName().toString()).matches());
    }
}
