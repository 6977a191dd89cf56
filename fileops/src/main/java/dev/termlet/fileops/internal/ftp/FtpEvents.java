package dev.termlet.fileops.internal.ftp;

import dev.termlet.event.Outcome;
import dev.termlet.fileops.FileEvent;
import dev.termlet.fileops.FileEvents;
import dev.termlet.fileops.FileOperation;
import dev.termlet.fileops.FileOps;
import dev.termlet.fileops.Protocol;
import dev.termlet.fileops.SiteReply;
import dev.termlet.fileops.internal.core.AtomicUpload;
import dev.termlet.fileops.internal.core.FileClient;
import dev.termlet.fileops.internal.core.FileGate;
import dev.termlet.fileops.internal.core.FileSession;
import dev.termlet.fileops.internal.core.Quotas;
import dev.termlet.fileops.internal.core.VirtualRoot;

import dev.termlet.auth.Account;
import dev.termlet.auth.FilePermission;
import dev.termlet.event.EventType;
import dev.termlet.spi.ForeignConnection;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.ftpserver.ftplet.Authentication;
import org.apache.ftpserver.ftplet.AuthenticationFailedException;
import org.apache.ftpserver.ftplet.DefaultFtpReply;
import org.apache.ftpserver.ftplet.DefaultFtplet;
import org.apache.ftpserver.ftplet.FileSystemFactory;
import org.apache.ftpserver.ftplet.FileSystemView;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.ftplet.FtpFile;
import org.apache.ftpserver.ftplet.FtpReply;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.ftplet.FtpSession;
import org.apache.ftpserver.ftplet.FtpletResult;
import org.apache.ftpserver.ftplet.User;
import org.apache.ftpserver.ftplet.UserManager;
import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.ftpserver.listener.Listener;
import org.apache.ftpserver.usermanager.UsernamePasswordAuthentication;
import org.apache.ftpserver.usermanager.impl.BaseUser;
import org.apache.ftpserver.usermanager.impl.ConcurrentLoginPermission;
import org.apache.ftpserver.usermanager.impl.TransferRatePermission;
import org.apache.ftpserver.usermanager.impl.WritePermission;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * FTP's side of Termlet: admission and password logins through the server's own pipeline, the account's
 * permissions and quotas, and the file events, from an Apache FtpServer {@link org.apache.ftpserver.ftplet.Ftplet}
 * that sees each command before and after it runs. Each FTP session gets its own {@link FtpView}.
 */
public final class FtpEvents extends DefaultFtplet implements UserManager, FileSystemFactory {
    private static final Logger LOG = LoggerFactory.getLogger(FtpEvents.class);
    private static final String CONNECTION = "termlet.connection";
    private static final String PENDING = "termlet.pending";
    private static final String START = "termlet.start";
    private static final String FAILURES = "termlet.failures";
    /** The end of the login's count in {@code termlet.sessions.active}. */
    private static final String COUNTED = "termlet.counted";
    /** The MINA session of an FTP control connection, set by the listener's session filter ({@link FileOps}). */
    public static final String IO_SESSION = "termlet.io";
    /** Failed logins after which an FTP connection is closed (the protector counts across connections). */
    private static final int MAX_FAILURES = 3;

    private final FileGate gate;
    private final Path homes;
    private final boolean tlsRequired;
    /**
     * The user whose password {@link #login} has just accepted, for {@link #authenticate}: FtpServer runs a PASS
     * command's ftplet and its user manager one after the other on the same thread, so an approval never outlives
     * its command and never serves another connection.
     */
    private final ThreadLocal<String> approved = new ThreadLocal<>();
    private final FtpCombine combine;
    /** The live FTP sessions of each logged-in user, by FtpServer's session id, so they can be ended. */
    private final Map<String, Set<UUID>> live = new ConcurrentHashMap<>();
    private volatile Listener listener;

    /**
     * @param gate the gate every operation passes
     * @param homes the directory of users' homes
     * @param tlsRequired whether a client must secure the control connection before it logs in
     */
    public FtpEvents(FileGate gate, Path homes, boolean tlsRequired) {
        this.gate = gate;
        this.combine = new FtpCombine(gate);
        this.homes = homes;
        this.tlsRequired = tlsRequired;
    }

    FileGate gate() {
        return gate;
    }

    /**
     * Gives the listener whose sessions {@link #endSessions} closes.
     *
     * @param listener the FTP listener
     */
    public void listener(Listener listener) {
        this.listener = listener;
    }

    /**
     * Ends every FTP session of a user (account removed or disabled): the control connections are closed at once,
     * which also ends their data transfers (a partial upload is discarded).
     *
     * @param user the user name
     */
    public void endSessions(String user) {
        Set<UUID> ids = live.remove(user);
        Listener l = listener;
        if (ids == null || ids.isEmpty() || l == null) {
            return;
        }
        int closed = 0;
        for (FtpIoSession io : l.getActiveSessions()) {
            if (ids.contains(io.getSessionId())) {
                io.closeNow();
                closed++;
            }
        }
        LOG.info("{} FTP session(s) of {} closed: account removed or disabled", closed, user);
    }

    // ---- connections and logins ----

    @Override
    public FtpletResult onConnect(FtpSession session) throws FtpException, IOException {
        Object io = session.getAttribute(IO_SESSION);
        Runnable disconnect = io instanceof org.apache.mina.core.session.IoSession
                ? ((org.apache.mina.core.session.IoSession) io)::closeNow : () -> {
                    throw new IllegalStateException("no I/O session to close");
                };
        try {
            ForeignConnection c = gate.context().admit(FtpProxyHeader.client(session, io), "FTP", disconnect);
            session.setAttribute(CONNECTION, c);
            return FtpletResult.DEFAULT;
        } catch (IOException e) {
            session.write(new DefaultFtpReply(421, "Service not available: " + e.getMessage()));
            return FtpletResult.DISCONNECT;
        }
    }

    @Override
    public FtpletResult onDisconnect(FtpSession session) {
        FileSystemView v = session.getFileSystemView();
        if (v instanceof FtpView) {
            AtomicUpload u = ((FtpView) v).takeUpload();
            if (u != null) {
                Pending p = (Pending) session.getAttribute(PENDING);
                u.settle(p != null && p.op() == FileOperation.MODIFY ? FileOperation.MODIFY : FileOperation.UPLOAD,
                        "WRITE", new IOException("the client left during the transfer"));
            }
        }
        ForeignConnection c = (ForeignConnection) session.getAttribute(CONNECTION);
        if (session.getAttribute(COUNTED) instanceof Runnable) {
            ((Runnable) session.getAttribute(COUNTED)).run();
        }
        FileSession ended = fileSession(session);
        if (ended != null) {
            // an FTP login is a session: disconnected once, before the connection's connection-closed
            gate.disconnected(ended, new FileClient(ended, c.id() + "/ftp", () -> { }, () -> false));
        }
        if (c != null) {
            String user = c.user();
            if (user != null) {
                UUID id = session.getSessionId();
                // atomic, with login's compute: a set emptied here is never one that a login has just joined
                live.computeIfPresent(user, (k, ids) -> ids.remove(id) && ids.isEmpty() ? null : ids);
            }
            c.close();
        }
        return FtpletResult.DEFAULT;
    }

    private FtpletResult login(FtpSession session, FtpRequest request) throws FtpException {
        if (tlsRequired && !session.isSecure()) {
            session.write(new DefaultFtpReply(530, "Log in over TLS: send AUTH TLS first"));
            return FtpletResult.SKIP;
        }
        ForeignConnection c = (ForeignConnection) session.getAttribute(CONNECTION);
        String user = session.getUserArgument();
        if (c == null || user == null || !Account.validName(user)) {
            session.write(new DefaultFtpReply(530, "Authentication failed"));
            return FtpletResult.SKIP;
        }
        String password = request.getArgument() == null ? "" : request.getArgument();
        if (!c.authenticate(user, password)) {
            Integer failed = (Integer) session.getAttribute(FAILURES);
            int n = failed == null ? 1 : failed + 1;
            session.setAttribute(FAILURES, n);
            if (n >= MAX_FAILURES) {
                session.write(new DefaultFtpReply(421, "Too many failed logins"));
                return FtpletResult.DISCONNECT;
            }
            session.write(new DefaultFtpReply(530, "Authentication failed"));
            return FtpletResult.SKIP;
        }
        UUID id = session.getSessionId();
        live.compute(user, (k, ids) -> {
            Set<UUID> set = ids != null ? ids : ConcurrentHashMap.newKeySet();
            set.add(id);
            return set;
        });
        // registered before this check: an account removed from here on is closed by endSessions; one removed
        // before it (after the password was checked) is caught here
        if (gate.live(user, c.accountExpected()).revoked()) {
            LOG.info("account of {} was removed or disabled while logging in over FTP", user);
            session.write(new DefaultFtpReply(421, "Authentication failed"));
            return FtpletResult.DISCONNECT;
        }
        approved.set(user);
        session.setAttribute(COUNTED, gate.context().sessionStarted("ftp"));
        return FtpletResult.DEFAULT;
    }

    @Override
    public User authenticate(Authentication authentication) throws AuthenticationFailedException {
        if (!(authentication instanceof UsernamePasswordAuthentication)) {
            throw new AuthenticationFailedException("only user name and password");
        }
        UsernamePasswordAuthentication a = (UsernamePasswordAuthentication) authentication;
        String user = approved.get();
        approved.remove();
        if (user == null || !user.equals(a.getUsername())) {
            throw new AuthenticationFailedException("not approved");
        }
        return userOf(a.getUsername());
    }

    private User userOf(String name) {
        BaseUser u = new BaseUser();
        u.setName(name);
        u.setEnabled(true);
        u.setHomeDirectory(gate.homeOf(homes, name).toString());
        // the account's bandwidth, in bytes a second (FtpServer paces each transfer; 0 is no limit)
        Account account = gate.context().accounts().find(name).orElse(null);
        int down = account == null ? 0 : (int) Math.min(Integer.MAX_VALUE, account.downloadBandwidth() * 1024);
        int up = account == null ? 0 : (int) Math.min(Integer.MAX_VALUE, account.uploadBandwidth() * 1024);
        u.setAuthorities(List.of(new WritePermission(), new ConcurrentLoginPermission(0, 0),
                new TransferRatePermission(down, up)));
        u.setMaxIdleTime(0);
        return u;
    }

    @Override
    public User getUserByName(String username) {
        return Account.validName(username) ? userOf(username) : null;
    }

    @Override
    public String[] getAllUserNames() {
        return new String[0];
    }

    @Override
    public void delete(String username) throws FtpException {
        throw new FtpException("accounts are managed by Termlet");
    }

    @Override
    public void save(User user) throws FtpException {
        throw new FtpException("accounts are managed by Termlet");
    }

    @Override
    public boolean doesExist(String username) {
        return Account.validName(username);
    }

    @Override
    public String getAdminName() {
        return "";
    }

    @Override
    public boolean isAdmin(String username) {
        return false;
    }

    @Override
    public FileSystemView createFileSystemView(User user) throws FtpException {
        try {
            Path home = gate.homeOf(homes, user.getName());
            VirtualRoot.createHome(home);
            String name = user.getName();
            return new FtpView(new VirtualRoot(home.toRealPath(), () -> gate.context().umask(name)), this);
        } catch (IOException e) {
            throw new FtpException("no home directory for " + user.getName(), e);
        }
    }

    // ---- commands ----

    private FileSession fileSession(FtpSession session) {
        ForeignConnection c = (ForeignConnection) session.getAttribute(CONNECTION);
        FileSystemView v = session.getFileSystemView();
        if (c == null || c.user() == null || !(v instanceof FtpView)) {
            return null;
        }
        String user = c.user();
        FileGate.Live l = gate.live(user, c.accountExpected());
        FileSession s = new FileSession(user, l.account(), l.revoked(), Protocol.FTP, c.remote(), c.id(),
                ((FtpView) v).root().root(), null, c.events());
        ((FtpView) v).session(s);
        return s;
    }

    private static FtpView.Entry entry(FtpSession session, String arg) {
        FileSystemView v = session.getFileSystemView();
        return v instanceof FtpView ? ((FtpView) v).entry(arg) : null;
    }

    /** What runs after a command that passed its checks: the post-event and its path. */
    private record Pending(FileOperation op, FileEvent event, long size) {}

    @Override
    public FtpletResult beforeCommand(FtpSession session, FtpRequest request) throws FtpException, IOException {
        String cmd = request.getCommand().toUpperCase(Locale.ROOT);
        session.removeAttribute(PENDING);
        approved.remove();
        ForeignConnection c = (ForeignConnection) session.getAttribute(CONNECTION);
        if (c != null) {
            MDC.setContextMap(c.mdc());
        }
        if (cmd.equals("PASS")) {
            return login(session, request);
        }
        if (cmd.equals("USER") && tlsRequired && !session.isSecure()) {
            session.write(new DefaultFtpReply(530, "Log in over TLS: send AUTH TLS first"));
            return FtpletResult.SKIP;
        }
        FileSession s = fileSession(session);
        if (s == null) {
            return FtpletResult.DEFAULT;
        }
        if (s.revoked()) {
            LOG.info("FTP {} refused to {}: the account is gone, disabled or unreadable", cmd, s.user());
            session.write(new DefaultFtpReply(421, "Account removed or disabled; closing"));
            return FtpletResult.DISCONNECT;
        }
        String arg = request.getArgument();
        try {
            switch (cmd) {
                case "STOR":
                case "APPE": {
                    FtpView.Entry e = require(session, arg);
                    // a FIFO, socket or device is neither replaced nor written into: 550 before anything happens
                    ((FtpView) session.getFileSystemView()).root().checkWriteTarget(e.real);
                    boolean exists = Files.exists(e.real, LinkOption.NOFOLLOW_LINKS);
                    FileEvent ev = gate.event(s, e.real, null, cmd.equals("APPE") ? "WRITE,APPEND" : "WRITE");
                    // APPE, or STOR after REST, into an existing file writes into it in place: a modify
                    FileOperation op = exists && (cmd.equals("APPE") || session.getFileOffset() > 0)
                            ? FileOperation.MODIFY : FileOperation.UPLOAD;
                    gate.begin(op, s, ev, exists, () -> {
                        if (!exists) {
                            gate.quotas().checkNewFile(s);
                        }
                    });
                    return pending(session, op, ev);
                }
                case "STOU":
                    session.write(new DefaultFtpReply(502, "STOU is not offered; use STOR with a name"));
                    return FtpletResult.SKIP;
                case "RETR": {
                    FtpView.Entry e = require(session, arg);
                    FileEvent ev = gate.event(s, e.real, null, "READ");
                    gate.begin(FileOperation.DOWNLOAD, s, ev, false);
                    return pending(session, FileOperation.DOWNLOAD, ev);
                }
                case "DELE": {
                    FtpView.Entry e = require(session, arg);
                    FileEvent ev = gate.event(s, e.real, null, null);
                    gate.begin(FileOperation.DELETE, s, ev, false);
                    return pending(session, FileOperation.DELETE, ev);
                }
                case "RMD":
                case "XRMD": {
                    FtpView.Entry e = require(session, arg);
                    FileEvent ev = gate.event(s, e.real, null, null);
                    gate.begin(FileOperation.RMDIR, s, ev, false);
                    return pending(session, FileOperation.RMDIR, ev);
                }
                case "MKD":
                case "XMKD": {
                    FtpView.Entry e = require(session, arg);
                    FileEvent ev = gate.event(s, e.real, null, null);
                    gate.begin(FileOperation.MKDIR, s, ev, false);
                    return pending(session, FileOperation.MKDIR, ev);
                }
                case "RNTO": {
                    FtpFile from = session.getRenameFrom();
                    FtpView.Entry to = require(session, arg);
                    if (!(from instanceof FtpView.Entry)) {
                        return FtpletResult.DEFAULT;
                    }
                    FtpView.Entry f = (FtpView.Entry) from;
                    FileEvent ev = gate.event(s, f.real, to.real, null);
                    FileOperation op = Files.isDirectory(f.real, LinkOption.NOFOLLOW_LINKS)
                            ? FileOperation.RENAME_DIR : FileOperation.RENAME;
                    // the new name needs the permission too, and overwrite if it is taken
                    gate.permit(s, op.permission(), ev.target());
                    if (Files.exists(to.real, LinkOption.NOFOLLOW_LINKS)) {
                        gate.permit(s, FilePermission.OVERWRITE, ev.target());
                    }
                    gate.begin(op, s, ev, false);
                    session.setAttribute(PENDING, new Pending(op, ev, FileGate.sizeOf(to.real)));
                    return FtpletResult.DEFAULT;
                }
                case "LIST":
                case "NLST":
                case "MLSD": {
                    String path = arg == null || arg.startsWith("-") ? "." : arg;
                    FtpView.Entry e = require(session, path);
                    FileEvent ev = gate.event(s, e.real, null, null);
                    // listing a file lists its directory
                    String dir = Files.isDirectory(e.real) ? ev.path()
                            : ev.path().substring(0, Math.max(1, ev.path().lastIndexOf('/')));
                    gate.permit(s, FileOperation.LIST.permission(), dir);
                    gate.pre(FileOperation.LIST.before(), s, ev);
                    return pending(session, FileOperation.LIST, ev);
                }
                case "MFMT": {
                    String[] parts = arg == null ? new String[0] : arg.split(" ", 2);
                    if (parts.length == 2) {
                        FtpView.Entry e = require(session, parts[1]);
                        FileEvent ev = gate.event(s, e.real, null, null);
                        gate.begin(FileOperation.SETTIME, s, ev, false);
                        return pending(session, FileOperation.SETTIME, ev);
                    }
                    return FtpletResult.DEFAULT;
                }
                case "HASH":
                    return hash(session, s, arg);
                case "COMB":
                    return combine.run(session, s, arg);
                case "AVBL": {
                    FtpView.Entry e = require(session, arg == null || arg.isEmpty() ? "." : arg);
                    long free = Files.getFileStore(e.real).getUsableSpace();
                    session.write(new DefaultFtpReply(213, Long.toString(free)));
                    gate.end(FileOperation.SPACE, s, gate.event(s, e.real, null, null).withSize(free), null, 0);
                    return FtpletResult.SKIP;
                }
                case "SIZE": {
                    FtpView.Entry e = require(session, arg);
                    return pending(session, FileOperation.SIZE, gate.event(s, e.real, null, null));
                }
                case "MDTM": {
                    FtpView.Entry e = require(session, arg);
                    return pending(session, FileOperation.EXISTS, gate.event(s, e.real, null, null));
                }
                case "SITE":
                    return site(session, s, arg == null ? "" : arg.strip());
                default:
                    return FtpletResult.DEFAULT;
            }
        } catch (Quotas.QuotaExceededException q) {
            FtpView.Entry e = entry(session, arg);
            if (e != null) {
                gate.quotaExceeded(s, e.real, q);
            }
            session.write(new DefaultFtpReply(552, q.getMessage()));
            return FtpletResult.SKIP;
        } catch (AccessDeniedException d) {
            session.write(new DefaultFtpReply(550, "Permission denied: " + (d.getReason() != null ? d.getReason()
                    : d.getMessage())));
            return FtpletResult.SKIP;
        }
    }

    /**
     * {@code SITE CHMOD} is the server's; any other SITE command goes to the {@code site} handlers, which may refuse
     * it, answer it with a {@link SiteReply}, or leave it to Apache FtpServer (its HELP, STAT, ...; 502 otherwise).
     */
    private FtpletResult site(FtpSession session, FileSession s, String arg) throws IOException, FtpException {
        String[] words = arg.split(" ", 2);
        if (words[0].equalsIgnoreCase("CHMOD")) {
            return chmod(session, s, words.length > 1 ? words[1].strip() : "");
        }
        FtpView.Entry e = require(session, ".");
        Outcome r = gate.fire(FileEvents.SITE, s, gate.event(s, e.real, null, null), arg);
        if (r.refused()) {
            throw new AccessDeniedException("SITE " + arg, null, r.reason() != null ? r.reason() : "refused by site");
        }
        if (r.result() instanceof SiteReply) {
            SiteReply reply = (SiteReply) r.result();
            session.write(new DefaultFtpReply(reply.code(), reply.text()));
            return FtpletResult.SKIP;
        }
        return FtpletResult.DEFAULT;
    }

    /**
     * {@code SITE CHMOD mode path}: an octal mode less the umask (set-ID and sticky bits never set), with the
     * {@code chmod} permission, {@code pre-setattr} and {@code setattr}; a link is followed, inside the root only.
     */
    private FtpletResult chmod(FtpSession session, FileSession s, String arg) throws IOException, FtpException {
        String[] parts = arg.split(" ", 2);
        if (parts.length < 2 || parts[1].isBlank() || !parts[0].matches("[0-7]{1,4}")) {
            session.write(new DefaultFtpReply(501, "Usage: SITE CHMOD mode path (mode in octal)"));
            return FtpletResult.SKIP;
        }
        int mode = Integer.parseInt(parts[0], 8);
        FtpView.Entry e = require(session, parts[1]);
        FileEvent ev = gate.event(s, e.real, null, null);
        gate.permit(s, FileOperation.SETATTR.permission(), ev.path());
        if (!Files.exists(e.real, LinkOption.NOFOLLOW_LINKS)) {
            session.write(new DefaultFtpReply(550, "No such file or directory"));
            return FtpletResult.SKIP;
        }
        gate.pre(FileOperation.SETATTR.before(), s, ev);
        long start = System.nanoTime();
        FtpView view = (FtpView) session.getFileSystemView();
        VirtualRoot root = view.root();
        java.util.Set<java.nio.file.attribute.PosixFilePermission> perms = root.masked(permissions(mode));
        try {
            root.changeAttributes(e.real, java.nio.file.attribute.PosixFileAttributeView.class, v -> {
                v.setPermissions(perms);
                return null;
            });
        } catch (IOException | UnsupportedOperationException x) {
            LOG.info("SITE CHMOD of {} failed: {}", ev.path(), x.toString());
            session.write(new DefaultFtpReply(550, "Could not change the mode"));
            gate.end(FileOperation.SETATTR, s, ev, x, start);
            return FtpletResult.SKIP;
        }
        session.write(new DefaultFtpReply(200, "SITE CHMOD command successful"));
        gate.end(FileOperation.SETATTR, s, ev, null, start);
        return FtpletResult.SKIP;
    }

    /** The nine permission bits of a mode (set-ID and sticky bits are dropped). */
    static java.util.Set<java.nio.file.attribute.PosixFilePermission> permissions(int mode) {
        java.util.Set<java.nio.file.attribute.PosixFilePermission> out =
                java.util.EnumSet.noneOf(java.nio.file.attribute.PosixFilePermission.class);
        for (java.nio.file.attribute.PosixFilePermission p : java.nio.file.attribute.PosixFilePermission.values()) {
            // owner rwx, group rwx, others rwx: bit 8 down to bit 0
            if ((mode & (0400 >> p.ordinal())) != 0) {
                out.add(p);
            }
        }
        return out;
    }

    /** {@code HASH path} (draft-bryan-ftpext-hash), SHA-256 of the whole file: {@code 213 SHA-256 0-N HEX path}. */
    private FtpletResult hash(FtpSession session, FileSession s, String arg) throws IOException, FtpException {
        FtpView.Entry e = require(session, arg);
        FileEvent ev = gate.event(s, e.real, null, "READ");
        gate.begin(FileOperation.HASH, s, ev, false);
        long start = System.nanoTime();
        if (!Files.isRegularFile(e.real)) {
            session.write(new DefaultFtpReply(550, "Not a regular file"));
            gate.end(FileOperation.HASH, s, ev, new IOException("not a regular file"), start);
            return FtpletResult.SKIP;
        }
        java.security.MessageDigest digest;
        try {
            digest = java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException ex) {
            throw new IOException(ex);
        }
        long size = 0;
        FtpView view = (FtpView) session.getFileSystemView();
        try (java.io.InputStream in = java.nio.channels.Channels.newInputStream(
                view.root().open(e.real, java.util.Set.of(java.nio.file.StandardOpenOption.READ)))) {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0;) {
                digest.update(buf, 0, n);
                size += n;
            }
        }
        session.write(new DefaultFtpReply(213, "SHA-256 0-" + size + " "
                + java.util.HexFormat.of().formatHex(digest.digest()) + " " + e.getName()));
        gate.end(FileOperation.HASH, s, ev, null, start);
        return FtpletResult.SKIP;
    }

    static FtpView.Entry require(FtpSession session, String arg) throws AccessDeniedException {
        FtpView.Entry e = entry(session, arg);
        if (e == null) {
            throw new AccessDeniedException(String.valueOf(arg), null, "path refused");
        }
        return e;
    }

    private FtpletResult pending(FtpSession session, FileOperation op, FileEvent e) {
        session.setAttribute(PENDING, new Pending(op, e, e.size()));
        session.setAttribute(START, System.nanoTime());
        return FtpletResult.DEFAULT;
    }

    @Override
    public FtpletResult afterCommand(FtpSession session, FtpRequest request, FtpReply reply) {
        Pending p = (Pending) session.getAttribute(PENDING);
        session.removeAttribute(PENDING);
        try {
            if (p != null) {
                after(session, p, reply);
            }
        } finally {
            approved.remove();
            MDC.clear();
        }
        return FtpletResult.DEFAULT;
    }

    private FtpletResult after(FtpSession session, Pending p, FtpReply reply) {
        FileSession s = fileSession(session);
        if (s == null) {
            return FtpletResult.DEFAULT;
        }
        Long start = (Long) session.getAttribute(START);
        long t0 = start == null ? 0 : start;
        boolean ok = reply != null && reply.getCode() >= 200 && reply.getCode() < 300;
        Throwable failure = ok ? null : new IOException("FTP " + (reply == null ? "no reply" : reply.getCode() + " "
                + reply.getMessage()));
        if (p.op() == FileOperation.UPLOAD || p.op() == FileOperation.MODIFY) {
            // still pending: FtpUpload ended before the transfer (its settleUpload takes the ones that began)
            upload(session, s, p, failure, t0);
            return FtpletResult.DEFAULT;
        }
        boolean rename = p.op() == FileOperation.RENAME || p.op() == FileOperation.RENAME_DIR;
        if (ok && p.op() == FileOperation.DELETE) {
            gate.quotas().removed(s, p.size());
        }
        if (ok && rename && p.size() >= 0) {
            gate.quotas().removed(s, p.size());
        }
        FileEvent e = p.event();
        if (rename) {
            e = e.withSize(FileGate.sizeOf(e.realTarget()));
        }
        gate.end(p.op(), s, e, failure, t0);
        return FtpletResult.DEFAULT;
    }

    /**
     * An upload that {@link FtpUpload} ended before any data came (its reply says why): {@code upload-failed}, or
     * {@code modify} with the error for a write into an existing file.
     */
    private void upload(FtpSession session, FileSession s, Pending p, Throwable failure, long t0) {
        AtomicUpload u = ((FtpView) session.getFileSystemView()).takeUpload();
        Throwable why = failure != null ? failure : new IOException("no data");
        if (u != null) {
            u.settle(p.op(), "WRITE", why instanceof IOException ? (IOException) why : new IOException(why));
            return;
        }
        gate.end(p.op(), s, p.event(), why, t0);
    }

    /**
     * Settles an upload whose transfer has ended, before {@link FtpUpload} answers it: the data goes in place (the
     * temporary file renamed over the target), the quota counts it and {@code upload} fires; or, if the transfer
     * or the commit failed, the partial data is discarded and {@code upload-failed} fires. A synchronous
     * {@code upload} handler that refuses has the file removed. A write into an existing file (APPE, REST+STOR)
     * fires {@code modify} instead, with its outcome.
     *
     * @param session the FTP session
     * @param transfer why the transfer failed, null if all the data came
     * @return the reply: 226 only once the file is in place
     */
    FtpReply settleUpload(FtpSession session, IOException transfer) {
        Pending p = (Pending) session.getAttribute(PENDING);
        session.removeAttribute(PENDING);
        FtpView v = (FtpView) session.getFileSystemView();
        AtomicUpload u = v.takeUpload();
        FileSession s = fileSession(session);
        FileOperation op = p != null && p.op() == FileOperation.MODIFY ? FileOperation.MODIFY : FileOperation.UPLOAD;
        if (u == null || s == null) {
            IOException why = transfer != null ? transfer : new IOException("the upload was not set up");
            if (u != null) {
                u.discard(why);
            } else if (s != null && p != null) {
                Long start = (Long) session.getAttribute(START);
                gate.end(op, s, p.event(), why, start == null ? 0 : start);
            }
            return FtpUpload.failed(why);
        }
        boolean spoiled = transfer != null || u.failure() != null;
        String flags = p != null ? p.event().openFlags() : "WRITE";
        AtomicUpload.Settled end = u.settle(op, flags, transfer);
        switch (end.how()) {
            case COMMITTED:
                return new DefaultFtpReply(226, "Transfer complete");
            case REFUSED:
                return new DefaultFtpReply(550, "Upload refused");
            default:
                if (spoiled) {
                    return FtpUpload.failed(end.failure());
                }
                LOG.warn("upload of {} could not be put in place: {}", s.virtual(u.target()), end.failure().toString());
                return new DefaultFtpReply(451, "Requested action aborted: the file could not be put in place");
        }
    }
}
