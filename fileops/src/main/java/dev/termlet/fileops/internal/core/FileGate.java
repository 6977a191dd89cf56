package dev.termlet.fileops.internal.core;

import dev.termlet.fileops.FileEvent;
import dev.termlet.fileops.FileEvents;
import dev.termlet.fileops.FileOperation;

import dev.termlet.auth.Account;
import dev.termlet.auth.FilePermission;
import dev.termlet.event.EventType;
import dev.termlet.event.Outcome;
import dev.termlet.spi.ExtensionContext;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every protocol goes through for a file operation: the account's permissions, the {@code pre-*} event
 * (a refusal becomes the protocol's permission error), quotas, and the event after it with its outcome.
 */
public final class FileGate {
    private static final Logger LOG = LoggerFactory.getLogger(FileGate.class);

    private final ExtensionContext context;
    private final Quotas quotas = new Quotas();
    private final FirstTransfers firsts;

    /**
     * Uploads that synchronous {@code upload} handlers are judging, by real path: until they accept the file (or it is
     * removed as refused) no operation may move, link, copy, read or replace it, nor move or remove a directory above
     * it, so a refused file cannot be kept under another name.
     */
    private final java.util.Set<Path> judging = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final Defaults defaults;
    /** Whether an upload's data is forced to disk before it is put in place and its events fire. */
    private volatile boolean syncUploads = true;
    /** The last account given its defaults, by user: accounts are immutable, so one is reused until it changes. */
    private final java.util.Map<String, Account[]> withDefaults = new java.util.concurrent.ConcurrentHashMap<>();

    /** @param context the server's extension context (accounts, events, data directory) */
    public FileGate(ExtensionContext context) {
        this(context, Defaults.NONE);
    }

    /**
     * @param context the server's extension context (accounts, events, data directory)
     * @param defaults what accounts that set no file permissions or quota get
     */
    public FileGate(ExtensionContext context, Defaults defaults) {
        this.context = context;
        this.defaults = defaults;
        this.firsts = new FirstTransfers(context.dataDir().resolve("first-transfers"));
    }

    /**
     * Sets whether an upload's data is forced to disk ({@code fsync}) before the file is put in place and its events
     * fire (the default), or left to the kernel's write-back.
     *
     * @param sync true to force each upload to disk
     */
    public void syncUploads(boolean sync) {
        this.syncUploads = sync;
    }

    /** @return whether uploads are forced to disk before they are put in place */
    public boolean syncUploads() {
        return syncUploads;
    }

    /**
     * The file permissions and quota of accounts that set none.
     *
     * @param permissions permissions by directory; empty for none (every permission)
     * @param quotaBytes bytes for accounts whose byte quota is 0; 0 for none
     * @param quotaFiles files for accounts whose file quota is 0; 0 for none
     */
    public record Defaults(java.util.Map<String, java.util.Set<FilePermission>> permissions, long quotaBytes,
            long quotaFiles) {
        /** No defaults. */
        public static final Defaults NONE = new Defaults(java.util.Map.of(), 0, 0);

        /** Copies the map. */
        public Defaults {
            permissions = java.util.Map.copyOf(permissions);
        }

        boolean apply(Account a) {
            return (!permissions.isEmpty() && a.filePermissions().isEmpty()) || (quotaBytes > 0 && a.quotaBytes() == 0)
                    || (quotaFiles > 0 && a.quotaFiles() == 0);
        }
    }

    /** The account with the defaults filled in where it sets nothing. */
    private Account withDefaults(Account a) {
        if (a == null || !defaults.apply(a)) {
            return a;
        }
        Account[] cached = withDefaults.get(a.name());
        if (cached != null && cached[0] == a) {
            return cached[1];
        }
        Account.Builder b = a.toBuilder();
        if (!defaults.permissions().isEmpty() && a.filePermissions().isEmpty()) {
            defaults.permissions().forEach(b::filePermissions);
        }
        b.quota(a.quotaBytes() == 0 ? defaults.quotaBytes() : a.quotaBytes(),
                a.quotaFiles() == 0 ? defaults.quotaFiles() : a.quotaFiles());
        Account filled = b.build();
        withDefaults.put(a.name(), new Account[] {a, filled});
        return filled;
    }

    /** @return the users' quotas and usage */
    public Quotas quotas() {
        return quotas;
    }

    /** @return the server's extension context */
    public ExtensionContext context() {
        return context;
    }

    /**
     * The account as stored now, read for each operation so that changes apply to open sessions.
     *
     * @param user the user name
     * @param expected whether the user logged in with an account of the store
     * @return the account and whether the session must be refused: an expected account that is gone, a disabled
     *     account, or one that cannot be read (never treated as a user the store does not know)
     */
    public Live live(String user, boolean expected) {
        try {
            Account a = withDefaults(context.accounts().find(user).orElse(null));
            return new Live(a, (expected && a == null) || (a != null && !a.enabled()));
        } catch (RuntimeException e) {
            LOG.warn("cannot read the account of {}; refusing its file operations: {}", user, e.toString());
            return new Live(null, true);
        }
    }

    /**
     * An account as read for one operation.
     *
     * @param account the account, or null
     * @param revoked whether the session must be refused
     */
    public record Live(Account account, boolean revoked) {}

    private final java.util.Map<String, Throttle> uploads = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<String, Throttle> downloads = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The pace of a user's uploads or downloads, shared by all their sessions and protocols; the rate is the live
     * account's ({@link Account#uploadBandwidth()}, {@link Account#downloadBandwidth()}).
     *
     * @param user the user
     * @param upload true for uploads, false for downloads
     * @return the throttle
     */
    public Throttle throttle(String user, boolean upload) {
        return (upload ? uploads : downloads).computeIfAbsent(user, u -> new Throttle(() -> {
            Account a = context.accounts().find(u).orElse(null);
            return a == null ? 0 : upload ? a.uploadBandwidth() : a.downloadBandwidth();
        }));
    }

    /**
     * Where a user's files are: the account's own home (relative to the directory of homes, or absolute), or
     * {@code HOMES/NAME}.
     *
     * @param homes the directory of homes (real)
     * @param user the user
     * @return the directory (it may not exist yet)
     */
    public Path homeOf(Path homes, String user) {
        Account a = context.accounts().find(user).orElse(null);
        if (a != null && a.home().isPresent() && homes.getFileSystem() != java.nio.file.FileSystems.getDefault()) {
            // an object store: an account's own home is a directory below the homes, never a place on the disk
            String own = a.home().get().replace('\\', '/');
            if (own.startsWith("/")) {
                return homes.resolve(user); // a place on a disk means nothing in the store
            }
            Path h = homes.resolve(own).normalize();
            return h.startsWith(homes) && !h.equals(homes) ? h : homes.resolve(user);
        }
        if (a != null && a.home().isPresent()) {
            Path h = Path.of(a.home().get());
            return h.isAbsolute() ? h.normalize() : homes.resolve(h).normalize();
        }
        return homes.resolve(user);
    }

    /**
     * @param real a file on disk
     * @return its size, or -1 if it is not a regular file (a link is not followed) or cannot be read
     */
    public static long sizeOf(Path real) {
        try {
            // one stat, without following a link (a link is not a regular file)
            java.nio.file.attribute.BasicFileAttributes a = Files.readAttributes(real,
                    java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return a.isRegularFile() ? a.size() : -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * The event of an operation, before its outcome.
     *
     * @param s the file session
     * @param real the file on disk
     * @param realTarget the second file on disk (rename, link, copy), or null
     * @param flags the open flags, or null
     * @return the event
     */
    public FileEvent event(FileSession s, Path real, Path realTarget, String flags) {
        // one stat for the size and the directory flag (links are not followed: a link is neither)
        java.nio.file.attribute.BasicFileAttributes a;
        try {
            a = Files.readAttributes(real, java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | RuntimeException e) {
            a = null; // not there (yet): no size, not a directory
        }
        return event(s, real, realTarget, flags, a);
    }

    /**
     * The event of an operation on a file whose attributes were just read, before its outcome.
     *
     * @param s the file session
     * @param real the file on disk
     * @param realTarget the second file on disk (rename, link, copy), or null
     * @param flags the open flags, or null
     * @param known the file's attributes (not following a link), or null when it is not there
     * @return the event
     */
    public FileEvent event(FileSession s, Path real, Path realTarget, String flags,
            java.nio.file.attribute.BasicFileAttributes known) {
        long size = known != null && known.isRegularFile() ? known.size() : -1;
        boolean dir = known != null && known.isDirectory();
        return new FileEvent(s.user(), s.protocol(), s.remote(), s.sessionId(), s.virtual(real), real,
                realTarget == null ? null : s.virtual(realTarget), realTarget, size, flags, Duration.ZERO,
                FileEvent.OK, null, dir);
    }

    private static String parentOf(String virtual) {
        int slash = virtual.lastIndexOf('/');
        return slash <= 0 ? "/" : virtual.substring(0, slash);
    }

    /**
     * Checks a permission for an operation on a path: in the path's parent directory, or in the directory
     * itself for {@link FilePermission#LIST}. A revoked session (its account gone, disabled or unreadable) is
     * refused everything.
     *
     * @throws AccessDeniedException if the account lacks it
     */
    public void permit(FileSession s, FilePermission wanted, String virtual) throws AccessDeniedException {
        if (wanted != FilePermission.LIST && !judging.isEmpty() && s.root() != null && virtual != null
                && virtual.startsWith("/")) {
            notJudged(s.root().resolve(virtual.substring(1)), wanted == FilePermission.RENAME_DIRS
                    || wanted == FilePermission.DELETE_DIRS, virtual);
        }
        if (s.revoked()) {
            LOG.info("{} denied to {}: the account is gone, disabled or unreadable", virtual, s.user());
            throw new AccessDeniedException(virtual, null, "permission denied: account removed or disabled");
        }
        Account a = s.account();
        if (a == null) {
            return; // a user the store has never known (admitted by external auth): no limits
        }
        String dir = wanted == FilePermission.LIST ? virtual : parentOf(virtual);
        if (!a.mayInDirectory(dir, wanted)) {
            LOG.info("{} denied to {}: no '{}' permission in {}", virtual, s.user(), wanted.wireName(), dir);
            throw new AccessDeniedException(virtual, null, "permission denied: " + wanted.wireName() + " in " + dir);
        }
    }

    /**
     * Fires an event on the session's queue, if anything listens for it.
     *
     * @param type the event
     * @param s the file session
     * @param values the event's values
     * @return what the synchronous handlers decided
     */
    public Outcome fire(EventType type, FileSession s, Object... values) {
        if (!context.listens(type)) {
            return Outcome.NONE;
        }
        return s.ssh() != null ? context.fire(type, s.ssh(), values) : context.fireOn(type, s.events(), values);
    }

    /**
     * Fires {@code disconnected} for a file session that started, after the events already queued for its
     * connection, never on the calling thread (which may be one of MINA's I/O threads).
     */
    public void disconnected(FileSession s, dev.termlet.Client client) {
        disconnected(s, client, null);
    }

    /**
     * Fires {@code disconnected} as {@link #disconnected(FileSession, dev.termlet.Client)} does, on the queue of the
     * connection the session {@link #started} on, then lets that connection's {@code connection-closed} follow.
     */
    public void disconnected(FileSession s, dev.termlet.Client client, Hold hold) {
        try {
            if (!context.listens(dev.termlet.event.Events.DISCONNECTED)) {
                return;
            }
            java.util.concurrent.Executor queue = hold != null ? hold.queue()
                    : s.events() != null ? s.events() : context.events(s.ssh());
            try {
                queue.execute(() -> fire(dev.termlet.event.Events.DISCONNECTED, s, client));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                LOG.warn("disconnected of {} dropped: event queue full", s.sessionId());
            }
        } finally {
            if (hold != null) {
                hold.release().run();
            }
        }
    }

    /**
     * A file session's hold on its SSH connection: the connection's event queue, and what lets its
     * {@code connection-closed} follow (only the first run counts).
     *
     * @param queue the connection's ordered event queue
     * @param release ends the hold
     */
    public record Hold(java.util.concurrent.Executor queue, Runnable release) {}

    /**
     * A file session of an SSH connection started (SFTP initialised, an SCP command running): the connection's
     * {@code connection-closed} waits for its {@link #disconnected(FileSession, dev.termlet.Client, Hold)}. The
     * connection is taken now: MINA drops a session's attributes when it closes, and with them the way to the
     * connection's ordered queue.
     *
     * @return the hold, or null when the session has no Termlet connection
     */
    public Hold started(FileSession s) {
        dev.termlet.spi.SshConnection c = s.ssh() == null ? null : context.connection(s.ssh()).orElse(null);
        if (c == null) {
            return null;
        }
        Runnable held = c.hold();
        Runnable counted = context.sessionStarted(s.protocol().name().toLowerCase(java.util.Locale.ROOT));
        return new Hold(c.events(), () -> {
            counted.run();
            held.run();
        });
    }

    /**
     * Starts an operation as {@link FileOperation} says: the account's permission for it (the one for an existing
     * target when {@code overExisting}), in the parent directory of the event's path (the directory itself to list
     * it), then its event before, which a handler may refuse.
     *
     * @param op the operation
     * @param s the file session
     * @param e the event, with the operation's path
     * @param overExisting whether the operation replaces or changes a file that exists
     * @throws AccessDeniedException when the permission is missing or a handler refused
     */
    public void begin(FileOperation op, FileSession s, FileEvent e, boolean overExisting) throws IOException {
        begin(op, s, e, overExisting, () -> { });
    }

    /**
     * Starts an operation as {@link #begin(FileOperation, FileSession, FileEvent, boolean)} does, with a further
     * check (a quota) between the permission and the event before.
     *
     * @param op the operation
     * @param s the file session
     * @param e the event, with the operation's path
     * @param overExisting whether the operation replaces or changes a file that exists
     * @param check the further check; what it throws refuses the operation
     * @throws IOException when the permission is missing, the check fails or a handler refused
     */
    public void begin(FileOperation op, FileSession s, FileEvent e, boolean overExisting, Check check) throws IOException {
        FilePermission p = overExisting ? op.permissionOverExisting() : op.permission();
        if (!judging.isEmpty() && p != null) {
            boolean moves = op == FileOperation.RENAME || op == FileOperation.RENAME_DIR || op == FileOperation.RMDIR;
            if (e.realPath() != null) {
                notJudged(e.realPath(), moves, e.path());
            }
            if (e.realTarget() != null) {
                notJudged(e.realTarget(), false, e.target());
            }
        }
        if (p != null) {
            permit(s, p, e.path());
        }
        check.run();
        if (op.before() != null) {
            pre(op.before(), s, e);
        }
    }

    /**
     * Ends an operation: its event after, or its failure event, with the outcome.
     *
     * @param op the operation
     * @param s the file session
     * @param e the event
     * @param thrown why it failed, or null
     * @param startNanos when it started ({@link System#nanoTime}), 0 if unknown
     * @param more further values the event carries
     * @return whether a synchronous handler refused it
     */
    public boolean end(FileOperation op, FileSession s, FileEvent e, Throwable thrown, long startNanos, Object... more) {
        measure(op, e, thrown);
        Path held = op == FileOperation.UPLOAD && thrown == null && e.realPath() != null
                && context.listens(op.after()) ? e.realPath().toAbsolutePath().normalize() : null;
        if (held == null || !judging.add(held)) {
            return post(thrown == null ? op.after() : op.failed(), s, e, thrown, startNanos, more);
        }
        boolean refused = false;
        try {
            refused = post(op.after(), s, e, null, startNanos, more);
            return refused;
        } finally {
            if (!refused) {
                judging.remove(held);
            }
            // refused: held until removeRefused has removed it
        }
    }

    /**
     * Counts an operation in {@code termlet.file.operations} and, for a completed transfer, its bytes in
     * {@code termlet.file.bytes}.
     */
    private void measure(FileOperation op, FileEvent e, Throwable thrown) {
        io.micrometer.core.instrument.MeterRegistry meters = context.meters();
        String protocol = e.protocol().name();
        meters.counter("termlet.file.operations", "protocol", protocol, "operation",
                op.name().toLowerCase(java.util.Locale.ROOT), "outcome", thrown == null ? "success" : "failure")
                .increment();
        if (thrown == null && e.size() > 0 && (op == FileOperation.UPLOAD || op == FileOperation.DOWNLOAD)) {
            meters.counter("termlet.file.bytes", "protocol", protocol, "direction",
                    op == FileOperation.UPLOAD ? "in" : "out").increment(e.size());
        }
    }

    /**
     * Refuses an operation on a file that synchronous {@code upload} handlers are judging (or, for one that moves or
     * removes a directory, on a directory above such a file).
     *
     * @param real the file on disk
     * @param above whether a directory above a judged file counts too
     * @param shown the path named in the refusal
     * @throws AccessDeniedException if it is being judged
     */
    public void notJudged(Path real, boolean above, String shown) throws AccessDeniedException {
        if (judging.isEmpty() || real == null) {
            return;
        }
        Path r = real.toAbsolutePath().normalize();
        for (Path j : judging) {
            if (j.equals(r) || (above && j.startsWith(r))) {
                throw new AccessDeniedException(shown, null, "the file is being checked; try again later");
            }
        }
    }

    /** A check an operation must pass before its event. */
    @FunctionalInterface
    public interface Check {
        /**
         * Runs the check.
         *
         * @throws IOException to refuse the operation
         */
        void run() throws IOException;
    }

    /** Fires a pre-event; a refusal throws. */
    public void pre(EventType type, FileSession s, FileEvent e) throws AccessDeniedException {
        Outcome r = fire(type, s, e);
        if (r.refused()) {
            throw new AccessDeniedException(e.path(), null, r.reason() != null ? r.reason() : "refused by " + type.name());
        }
    }

    /**
     * Fires a post-event with the outcome, and any further values the event carries (the command of
     * {@code ssh-cmd}).
     *
     * @return whether a synchronous handler refused it
     */
    boolean post(EventType type, FileSession s, FileEvent e, Throwable thrown, long startNanos, Object... more) {
        Duration took = startNanos == 0 ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - startNanos);
        int status = thrown == null ? FileEvent.OK
                : thrown instanceof Quotas.QuotaExceededException
                        || (thrown.getMessage() != null && thrown.getMessage().startsWith("quota exceeded"))
                        ? FileEvent.QUOTA_EXCEEDED : FileEvent.ERROR;
        FileEvent outcome = e.withOutcome(status, thrown == null ? null : describe(thrown), took);
        if (more.length == 0) {
            boolean refused = fire(type, s, outcome).refused();
            if (!refused && status == FileEvent.OK) {
                first(type, s, outcome);
            }
            return refused;
        }
        Object[] values = new Object[more.length + 1];
        values[0] = outcome;
        System.arraycopy(more, 0, values, 1, more.length);
        return fire(type, s, values).refused();
    }

    /** Fires {@code first-upload} or {@code first-download} after a user's first successful transfer of the kind. */
    private void first(EventType type, FileSession s, FileEvent outcome) {
        EventType first = type.equals(FileEvents.UPLOAD) ? FileEvents.FIRST_UPLOAD
                : type.equals(FileEvents.DOWNLOAD) ? FileEvents.FIRST_DOWNLOAD : null;
        if (first != null && context.listens(first) && firsts.first(type.name(), s.user())) {
            fire(first, s, outcome);
        }
    }

    /** Fires {@code quota-exceeded}. */
    public void quotaExceeded(FileSession s, Path real, Quotas.QuotaExceededException e) {
        LOG.info("{}: {}", s.virtual(real), e.getMessage());
        fire(FileEvents.QUOTA_EXCEEDED, s, event(s, real, null, null).withOutcome(FileEvent.QUOTA_EXCEEDED,
                e.getMessage(), Duration.ZERO));
    }

    /**
     * Fires {@code list-send}: a handler may return the names the client will see (only names from the
     * listing are kept; a handler cannot add entries).
     */
    public java.util.List<String> listSend(FileSession s, Path dir, java.util.List<String> names) {
        Outcome r = fire(FileEvents.LIST_SEND, s, event(s, dir, null, null),
                java.util.Collections.unmodifiableList(names));
        if (r.result() instanceof java.util.List) {
            java.util.Set<String> allowed = new java.util.HashSet<>(names);
            java.util.List<String> out = new java.util.ArrayList<>();
            for (Object o : (java.util.List<?>) r.result()) {
                if (o instanceof String && allowed.contains(o)) {
                    out.add((String) o);
                }
            }
            return out;
        }
        return names;
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
    }

    /**
     * Removes an upload a synchronous {@code upload} handler refused, through the user's root, and takes it out of
     * the quota.
     *
     * @param s the file session
     * @param root the user's root
     * @param file the file on disk
     */
    public void removeRefused(FileSession s, VirtualRoot root, Path file) {
        try {
            removeJudged(s, root, file);
        } finally {
            judging.remove(file.toAbsolutePath().normalize());
        }
    }

    private void removeJudged(FileSession s, VirtualRoot root, Path file) {
        long size = sizeOf(file);
        try {
            if (root == null) {
                throw new IOException("not a path of the user's files");
            }
            root.delete(file);
            quotas.removed(s, size);
            LOG.info("upload {} refused after arrival: removed", s.virtual(file));
        } catch (IOException ex) {
            LOG.warn("could not remove refused upload {}: {}", s.virtual(file), ex.toString());
        }
    }

}
