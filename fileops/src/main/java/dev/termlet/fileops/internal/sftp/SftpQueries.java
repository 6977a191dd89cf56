package dev.termlet.fileops.internal.sftp;

import dev.termlet.event.Outcome;
import dev.termlet.fileops.FileEvent;
import dev.termlet.fileops.FileEvents;
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

import dev.termlet.auth.FilePermission;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.digest.Digest;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.extensions.SpaceAvailableExtensionInfo;
import org.apache.sshd.sftp.common.extensions.openssh.AbstractOpenSSHExtensionParser;
import org.apache.sshd.sftp.server.SftpSubsystem;
import org.apache.sshd.sftp.server.SftpSubsystemConfigurator;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * The SFTP requests that ask about files rather than change them: {@code stat}/{@code lstat} fire {@code exists},
 * the {@code check-file} and {@code md5-hash} extensions need the download permission and fire {@code hash},
 * {@code space-available} fires {@code space}. It also serves the OpenSSH extensions MINA lacks ({@code statvfs},
 * {@code fstatvfs}, {@code expand-path}, and the draft's {@code home-directory}) and puts {@code copy-data} under the
 * copy events.
 */
public final class SftpQueries extends SftpSubsystem {
    /** OpenSSH's file system statistics of a path. */
    static final String STATVFS = "statvfs@openssh.com";
    /** OpenSSH's file system statistics of an open handle. */
    static final String FSTATVFS = "fstatvfs@openssh.com";
    /** OpenSSH's path expansion ({@code ~}). */
    static final String EXPAND_PATH = "expand-path@openssh.com";
    /** The draft's home directory of a user. */
    static final String HOME_DIRECTORY = "home-directory";

    private final FileGate gate;
    private final SshFileSessions sessions;
    private final java.util.concurrent.atomic.AtomicBoolean started = new java.util.concurrent.atomic.AtomicBoolean();
    /** The listeners added to this channel, as MINA holds them. */
    private final java.util.List<org.apache.sshd.sftp.server.SftpEventListener> listeners = new java.util.ArrayList<>();
    /** The one listener when there is exactly one, else null. */
    private volatile org.apache.sshd.sftp.server.SftpEventListener single;
    /** Lets the connection's connection-closed follow this channel's disconnected. */
    private volatile FileGate.Hold ended;
    private volatile FileClient client;

    private SftpQueries(ChannelSession channel, SftpSubsystemConfigurator configurator, FileGate gate,
            SshFileSessions sessions) {
        super(channel, configurator);
        this.gate = gate;
        this.sessions = sessions;
        SftpHandleLimit.opened(getServerSession(), this);
    }

    /** A factory of SFTP subsystems that fire the query events. */
    public static SftpSubsystemFactory factory(FileGate gate, SshFileSessions sessions) {
        return new SftpSubsystemFactory() {
            @Override
            public Command createSubsystem(ChannelSession channel) throws IOException {
                SftpQueries subsystem = new SftpQueries(channel, this, gate, sessions);
                getRegisteredListeners().forEach(subsystem::addSftpEventListener);
                return subsystem;
            }
        };
    }

    /**
     * The listeners of this channel's SFTP events. MINA's is a reflective proxy that calls each listener through
     * {@code Method.invoke}, several times per file; with one listener (Termlet's own events, the usual case) that
     * listener is returned and called directly. A listener's exception reaches the caller as the proxy passes it.
     */
    @Override
    public org.apache.sshd.sftp.server.SftpEventListener getSftpEventListenerProxy() {
        org.apache.sshd.sftp.server.SftpEventListener one = single;
        return one != null ? one : super.getSftpEventListenerProxy();
    }

    @Override
    public synchronized boolean addSftpEventListener(org.apache.sshd.sftp.server.SftpEventListener listener) {
        return track(super.addSftpEventListener(listener), () -> listeners.add(listener));
    }

    @Override
    public synchronized boolean removeSftpEventListener(org.apache.sshd.sftp.server.SftpEventListener listener) {
        return track(super.removeSftpEventListener(listener), () -> listeners.remove(listener));
    }

    /** Mirrors a change MINA made to its listeners and picks the one listener, if there is one. */
    private boolean track(boolean changed, Runnable mirror) {
        if (changed) {
            mirror.run();
            single = listeners.size() == 1 ? listeners.get(0) : null;
        }
        return changed;
    }

    /** @return the handles this SFTP channel has open */
    int openHandles() {
        return handles.size();
    }

    @Override
    protected String generateFileHandle(Path file) throws IOException {
        SftpHandleLimit.check(getServerSession(), maxHandleCount);
        return super.generateFileHandle(file);
    }

    @Override
    public void destroy(ChannelSession channel) {
        try {
            super.destroy(channel);
        } finally {
            SftpHandleLimit.closed(getServerSession(), this);
            if (started.compareAndSet(true, false)) {
                gate.disconnected(s(), client, ended);
            }
        }
    }

    /** Runs {@code open-sftp} on the subsystem's thread before any request is answered; a refusal ends it. */
    @Override
    public void run() {
        FileSession s = s();
        client = new FileClient(s, getServerChannelSession());
        Outcome r = gate.fire(dev.termlet.event.Events.OPEN_SFTP, s, client);
        if (r.refused()) {
            org.slf4j.LoggerFactory.getLogger(SftpQueries.class).info("SFTP refused to {}: {}", s.user(), r.reason());
            callback.onExit(1, r.reason() != null ? r.reason() : "refused");
            return;
        }
        super.run();
    }

    /** The temporary file an upload handle writes to, or null: requests on the handle act on it. */
    private Path temporary(org.apache.sshd.sftp.server.Handle h) {
        return getFileSystemAccessor() instanceof SftpAccessor
                ? ((SftpAccessor) getFileSystemAccessor()).temporaryOf(h) : null;
    }

    /** {@code fstat} on the handle of an upload in progress describes the data written so far. */
    @Override
    protected Map<String, Object> doFStat(int id, String handle, int flags) throws IOException {
        Path tmp = temporary(handles.get(handle));
        if (tmp == null) {
            return super.doFStat(id, handle, flags);
        }
        return resolveFileAttributes(tmp, flags, true, java.nio.file.LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * {@code fsetstat} (and {@code ftruncate}) on the handle of an upload in progress changes the file being written,
     * which becomes the target on close; the events name the target.
     */
    @Override
    protected void doFSetStat(int id, String handle, Map<String, ?> attrs) throws IOException {
        org.apache.sshd.sftp.server.Handle h = handles.get(handle);
        Path tmp = temporary(h);
        if (tmp == null) {
            super.doFSetStat(id, handle, attrs);
            return;
        }
        org.apache.sshd.sftp.server.SftpEventListener listener = getSftpEventListenerProxy();
        listener.modifyingAttributes(getServerSession(), h.getFile(), attrs);
        try {
            // the temporary file is the server's own, never a link: no link options (MINA's no-follow open needs
            // a secure directory stream of the default file system)
            setFileAttributes(tmp, attrs);
        } catch (IOException | RuntimeException | Error e) {
            listener.modifiedAttributes(getServerSession(), h.getFile(), attrs, e);
            throw e;
        }
        listener.modifiedAttributes(getServerSession(), h.getFile(), attrs, null);
    }

    @Override
    protected void doInit(Buffer buffer, int id) throws IOException {
        super.doInit(buffer, id);
        if (started.compareAndSet(false, true)) {
            ended = gate.started(s()); // its disconnected (on destroy) comes before the connection's connection-closed
        }
        if (gate.context().listens(dev.termlet.event.Events.CONNECT_SFTP)) {
            gate.fire(dev.termlet.event.Events.CONNECT_SFTP, s(), client);
        }
    }

    private FileSession s() {
        return sessions.of(getServerSession(), Protocol.SFTP);
    }

    private Map<String, Object> exists(String path, boolean follow, int id, int flags) throws IOException {
        long start = System.nanoTime();
        FileSession s = s();
        Path real = SftpEvents.real(resolveFile(path).toAbsolutePath().normalize());
        try {
            Map<String, Object> attrs = follow ? super.doStat(id, path, flags) : super.doLStat(id, path, flags);
            gate.end(FileOperation.EXISTS, s, gate.event(s, real, null, null), null, start);
            return attrs;
        } catch (IOException | RuntimeException e) {
            gate.end(FileOperation.EXISTS, s, gate.event(s, real, null, null), e, start);
            throw e;
        }
    }

    @Override
    protected Map<String, Object> doStat(int id, String path, int flags) throws IOException {
        JailFileSystem.check(resolveFile(path), true);
        return gate.context().listens(FileEvents.EXISTS) ? exists(path, true, id, flags) : super.doStat(id, path, flags);
    }

    @Override
    protected Map<String, Object> doLStat(int id, String path, int flags) throws IOException {
        JailFileSystem.check(resolveFile(path), false);
        return gate.context().listens(FileEvents.EXISTS) ? exists(path, false, id, flags)
                : super.doLStat(id, path, flags);
    }

    private FileEvent hashing(Path file) throws IOException {
        FileSession s = s();
        FileEvent e = gate.event(s, SftpEvents.real(file.toAbsolutePath().normalize()), null, "READ");
        gate.begin(FileOperation.HASH, s, e, false);
        return e;
    }

    @Override
    protected void doCheckFileHash(int id, Path file, NamedFactory<? extends Digest> factory, long startOffset,
            long length, int blockSize, Buffer buffer) throws Exception {
        FileEvent e = hashing(file);
        long start = System.nanoTime();
        try {
            super.doCheckFileHash(id, file, factory, startOffset, length, blockSize, buffer);
            gate.end(FileOperation.HASH, s(), e, null, start);
        } catch (Exception ex) {
            gate.end(FileOperation.HASH, s(), e, ex, start);
            throw ex;
        }
    }

    @Override
    protected byte[] doMD5Hash(int id, Path path, long startOffset, long length, byte[] quickCheckHash)
            throws Exception {
        FileEvent e = hashing(path);
        long start = System.nanoTime();
        try {
            byte[] hash = super.doMD5Hash(id, path, startOffset, length, quickCheckHash);
            gate.end(FileOperation.HASH, s(), e, null, start);
            return hash;
        } catch (Exception ex) {
            gate.end(FileOperation.HASH, s(), e, ex, start);
            throw ex;
        }
    }

    /**
     * The {@code copy-file} extension: a server-side copy of one file, with the download permission at the source,
     * upload (or overwrite) at the target and the quota; written to a temporary file and renamed into place.
     */
    @Override
    protected void doCopyFile(int id, String srcFile, String dstFile, java.util.Collection<java.nio.file.CopyOption> opts)
            throws IOException {
        FileSession s = s();
        Path src = resolveFile(srcFile);
        Path dst = resolveFile(dstFile);
        Path realSrc = SftpEvents.real(src.toAbsolutePath().normalize());
        Path realDst = SftpEvents.real(dst.toAbsolutePath().normalize());
        FileEvent e = gate.event(s, realSrc, realDst, null);
        if (!java.nio.file.Files.isRegularFile(realSrc, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new java.nio.file.NoSuchFileException(e.path(), null, "only regular files can be copied");
        }
        boolean exists = java.nio.file.Files.exists(realDst, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        if (exists && !opts.contains(java.nio.file.StandardCopyOption.REPLACE_EXISTING)) {
            throw new java.nio.file.FileAlreadyExistsException(e.target());
        }
        gate.permit(s, FilePermission.DOWNLOAD, e.path());
        gate.notJudged(realSrc, false, e.path());
        gate.permit(s, exists ? FilePermission.OVERWRITE : FilePermission.UPLOAD, e.target());
        long oldSize = exists ? FileGate.sizeOf(realDst) : -1;
        try {
            if (!exists) {
                gate.quotas().checkNewFile(s);
            }
            gate.quotas().checkGrowth(s, e.size() - Math.max(0, oldSize));
        } catch (Quotas.QuotaExceededException q) {
            gate.quotaExceeded(s, realDst, q);
            throw SftpAccessor.quotaError(getVersion(), q.getMessage());
        }
        gate.pre(FileOperation.COPY.before(), s, e);
        long start = System.nanoTime();
        // the source through the user's file system, the target as every upload is written: into a temporary file
        // put in place only once all of it is there, both inside the root or not at all
        VirtualRoot root = JailFileSystem.rootOf(dst);
        if (root == null) {
            throw new java.nio.file.AccessDeniedException(e.target(), null, "not a path of the user's files");
        }
        AtomicUpload copy = AtomicUpload.replacing(gate, s, root, realDst, false);
        try {
            try (java.io.InputStream in = java.nio.file.Files.newInputStream(src);
                    java.io.OutputStream out = copy.stream(msg -> SftpAccessor.quotaError(getVersion(), msg))) {
                in.transferTo(out);
            }
            copy.commit();
        } catch (IOException ex) {
            copy.discard(ex);
            gate.end(FileOperation.COPY, s, e, ex, start);
            throw ex;
        }
        gate.end(FileOperation.COPY, s, e, null, start);
    }

    /** The extensions served here beyond MINA's own, as the init reply names them (name and version). */
    static final java.util.List<AbstractOpenSSHExtensionParser.OpenSSHExtension> EXTRA_EXTENSIONS = java.util.List.of(
            new AbstractOpenSSHExtensionParser.OpenSSHExtension(STATVFS, "2"),
            new AbstractOpenSSHExtensionParser.OpenSSHExtension(FSTATVFS, "2"),
            new AbstractOpenSSHExtensionParser.OpenSSHExtension(EXPAND_PATH, "1"),
            new AbstractOpenSSHExtensionParser.OpenSSHExtension(HOME_DIRECTORY, "1"),
            // MINA serves copy-data but names it only in "supported2"; OpenSSH's sftp looks for this pair
            new AbstractOpenSSHExtensionParser.OpenSSHExtension(SftpConstants.EXT_COPY_DATA, "1"));

    @Override
    protected java.util.List<AbstractOpenSSHExtensionParser.OpenSSHExtension> resolveOpenSSHExtensions(
            org.apache.sshd.server.session.ServerSession session) {
        java.util.List<AbstractOpenSSHExtensionParser.OpenSSHExtension> out = new java.util.ArrayList<>(
                super.resolveOpenSSHExtensions(session));
        for (AbstractOpenSSHExtensionParser.OpenSSHExtension e : EXTRA_EXTENSIONS) {
            if (out.stream().noneMatch(o -> o.getName().equals(e.getName()))) {
                out.add(e);
            }
        }
        return out;
    }

    @Override
    protected void executeExtendedCommand(Buffer buffer, int id, String extension) throws IOException {
        switch (extension) {
            case STATVFS:
            case FSTATVFS:
                doStatVfs(buffer, id, extension);
                break;
            case EXPAND_PATH:
                doExpandPath(buffer, id);
                break;
            case HOME_DIRECTORY:
                doHomeDirectory(buffer, id);
                break;
            default:
                super.executeExtendedCommand(buffer, id, extension);
        }
    }

    /**
     * {@code statvfs@openssh.com} (a path) and {@code fstatvfs@openssh.com} (an open handle): the file system holding
     * the user's root, as {@code df} shows it, narrowed to the account's quota when it has one. Needs the list
     * permission on the directory asked about; fires {@code space} with the bytes available.
     */
    private void doStatVfs(Buffer buffer, int id, String extension) throws IOException {
        long start = System.nanoTime();
        FileSession s = s();
        FileEvent e = null;
        StatVfs vfs;
        try {
            Path file;
            if (FSTATVFS.equals(extension)) {
                String handle = buffer.getString();
                org.apache.sshd.sftp.server.Handle h = handles.get(handle);
                if (h == null) {
                    throw new org.apache.sshd.sftp.common.SftpException(SftpConstants.SSH_FX_INVALID_HANDLE,
                            "no such handle");
                }
                file = h.getFile();
            } else {
                file = resolveFile(buffer.getString());
                JailFileSystem.check(file, true);
            }
            Path real = SftpEvents.real(file.toAbsolutePath().normalize());
            e = gate.event(s, real, null, null);
            if (!FSTATVFS.equals(extension) && !java.nio.file.Files.exists(real)) {
                // (an open handle's file exists, if only as the temporary file of an upload)
                throw new java.nio.file.NoSuchFileException(e.path());
            }
            String dir = java.nio.file.Files.isDirectory(real) ? e.path()
                    : real.equals(s.root()) ? "/" : s.virtual(real.getParent());
            gate.permit(s, FileOperation.SPACE.permission(), dir);
            vfs = StatVfs.of(s, gate.quotas());
        } catch (IOException | RuntimeException ex) {
            if (e != null) {
                gate.end(FileOperation.SPACE, s, e, ex, start);
            }
            sendStatus(prepareReply(buffer), id, ex, SftpConstants.SSH_FXP_EXTENDED, extension);
            return;
        }
        gate.end(FileOperation.SPACE, s, e.withSize(vfs.availableBytes()), null, start);
        buffer = prepareReply(buffer);
        buffer.putByte((byte) SftpConstants.SSH_FXP_EXTENDED_REPLY);
        buffer.putInt(id);
        vfs.encode(buffer);
        send(buffer);
    }

    /**
     * {@code expand-path@openssh.com}: a path that may start with {@code ~} or {@code ~user} (the user's own name
     * only), made canonical; the home is the user's root, {@code /}.
     */
    private void doExpandPath(Buffer buffer, int id) throws IOException {
        String path = buffer.getString();
        String expanded;
        try {
            expanded = expandHome(path, getServerSession().getUsername());
        } catch (IOException ex) {
            sendStatus(prepareReply(buffer), id, ex, SftpConstants.SSH_FXP_EXTENDED, EXPAND_PATH);
            return;
        }
        realPath(buffer, id, expanded);
    }

    /** {@code home-directory}: the home of the user asking (its root, {@code /}); other users have none here. */
    private void doHomeDirectory(Buffer buffer, int id) throws IOException {
        String user = buffer.getString();
        if (!user.isEmpty() && !user.equals(getServerSession().getUsername())) {
            sendStatus(prepareReply(buffer), id, SftpConstants.SSH_FX_NO_SUCH_FILE, "no such user");
            return;
        }
        realPath(buffer, id, "/");
    }

    /** Answers as {@code realpath} does for a path (through the jail, with {@code exists} when listened for). */
    private void realPath(Buffer buffer, int id, String path) throws IOException {
        org.apache.sshd.common.util.buffer.ByteArrayBuffer request = new org.apache.sshd.common.util.buffer
                .ByteArrayBuffer(path.length() * 4 + 64, false);
        request.putString(path);
        doRealPath(request, id);
    }

    /**
     * Replaces a leading {@code ~} or {@code ~user} (the user's own name) by the home, {@code /}.
     *
     * @throws IOException for another user's home
     */
    static String expandHome(String path, String user) throws IOException {
        if (!path.startsWith("~")) {
            return path;
        }
        int slash = path.indexOf('/');
        String name = slash < 0 ? path.substring(1) : path.substring(1, slash);
        if (!name.isEmpty() && !name.equals(user)) {
            throw new java.nio.file.NoSuchFileException(path, null, "no home directory for user " + name);
        }
        String rest = slash < 0 ? "" : path.substring(slash + 1);
        return "/" + rest;
    }

    /**
     * A file copied on the server from one open handle to another ({@code copy-data}, OpenSSH's {@code cp}): both
     * handles passed their permissions and pre-events when opened (the data goes through them, quota included);
     * {@code pre-copy} can refuse, {@code copy} follows.
     */
    @Override
    protected void doCopyData(int id, String readHandle, long readOffset, long readLength, String writeHandle,
            long writeOffset) throws IOException {
        org.apache.sshd.sftp.server.Handle from = handles.get(readHandle);
        org.apache.sshd.sftp.server.Handle to = handles.get(writeHandle);
        if (from == null || to == null) {
            super.doCopyData(id, readHandle, readOffset, readLength, writeHandle, writeOffset);
            return;
        }
        FileSession s = s();
        FileEvent e = gate.event(s, SftpEvents.real(from.getFile()), SftpEvents.real(to.getFile()), null);
        long start = System.nanoTime();
        try {
            // copy-data: the target handle was opened for writing (upload or overwrite checked then)
            gate.permit(s, FilePermission.DOWNLOAD, e.path());
            gate.pre(FileOperation.COPY.before(), s, e);
        } catch (IOException ex) {
            failWrite(to, ex);
            throw ex;
        }
        try {
            super.doCopyData(id, readHandle, readOffset, readLength, writeHandle, writeOffset);
        } catch (IOException | RuntimeException ex) {
            failWrite(to, ex instanceof IOException ? (IOException) ex : new IOException(ex.getMessage(), ex));
            gate.end(FileOperation.COPY, s, e, ex, start);
            throw ex;
        }
        gate.end(FileOperation.COPY, s, e, null, start);
    }

    /** The file a refused or failed copy was writing is not put in place when the client closes it. */
    private void failWrite(org.apache.sshd.sftp.server.Handle to, IOException why) {
        if (getFileSystemAccessor() instanceof SftpAccessor) {
            ((SftpAccessor) getFileSystemAccessor()).fail(to, why);
        }
    }

    @Override
    protected SpaceAvailableExtensionInfo doSpaceAvailable(int id, String path) throws IOException {
        long start = System.nanoTime();
        SpaceAvailableExtensionInfo info = super.doSpaceAvailable(id, path);
        FileSession s = s();
        gate.end(FileOperation.SPACE, s, gate.event(s, SftpEvents.real(resolveNormalizedLocation(path)), null, null)
                .withSize(info.unusedBytesOnDevice), null, start);
        return info;
    }
}
