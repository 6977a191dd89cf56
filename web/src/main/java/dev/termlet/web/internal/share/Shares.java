package dev.termlet.web.internal.share;

import dev.termlet.auth.Account;
import dev.termlet.auth.FilePermission;
import dev.termlet.auth.PasswordHasher;
import dev.termlet.event.EventType;
import dev.termlet.event.Outcome;
import dev.termlet.fileops.Protocol;
import dev.termlet.fileops.internal.core.FileGate;
import dev.termlet.fileops.internal.core.FileSession;
import dev.termlet.fileops.internal.core.VirtualRoot;
import dev.termlet.io.PrivateFiles;
import dev.termlet.web.ShareEvent;
import dev.termlet.web.ShareEvents;
import dev.termlet.web.ShareMode;
import dev.termlet.web.internal.Login;
import dev.termlet.web.internal.WebFiles;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Share links: making them (for the REST API and the SSH command), and what every use of one needs: whether it is
 * still live, its owner's login for the file operations, the containment of every path in the shared folder, and
 * its events.
 */
public final class Shares {
    private static final Logger LOG = LoggerFactory.getLogger(Shares.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The longest a share may last. */
    public static final Duration MAX_LIFETIME = Duration.ofDays(3650);

    private final FileGate gate;
    private final Path homes;
    private final WebFiles files;
    private final ShareStore store;
    private final PasswordHasher hasher;
    private final Clock clock;
    private final AtomicLong visits = new AtomicLong();

    /**
     * @param gate the file gate
     * @param homes the directory of the homes
     * @param files the web side's file operations
     * @param store the store
     * @param hasher hashes share passwords
     * @param clock the clock of expiry
     */
    public Shares(FileGate gate, Path homes, WebFiles files, ShareStore store, PasswordHasher hasher, Clock clock) {
        this.gate = gate;
        this.homes = homes;
        this.files = files;
        this.store = store;
        this.hasher = hasher;
        this.clock = clock;
    }

    /** @return the store */
    public ShareStore store() {
        return store;
    }

    /** @return the file operations */
    public WebFiles files() {
        return files;
    }

    /** @return the file gate */
    public FileGate gate() {
        return gate;
    }

    /** @return the password hasher */
    PasswordHasher hasher() {
        return hasher;
    }

    /** @return the time now */
    Instant now() {
        return clock.instant();
    }

    /** A refusal with the HTTP status to answer and what to tell the client (never a secret or a disk path). */
    public static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        private final int status;

        /**
         * @param status the status
         * @param detail what to tell the client
         */
        public Refused(int status, String detail) {
            super(detail);
            this.status = status;
        }

        /** @return the status */
        public int status() {
            return status;
        }
    }

    /**
     * What the owner asks for.
     *
     * @param path the file or folder, a path in the owner's root
     * @param mode what visitors may do
     * @param expires when it ends, or null for never
     * @param password its password, or null or empty for none; never logged
     * @param maxUses the most uses, 0 for no limit
     */
    public record Spec(String path, ShareMode mode, Instant expires, char[] password, int maxUses) {
        @Override
        public String toString() {
            return "Spec[" + path + ", " + mode + ", expires " + expires + ", max uses " + maxUses + "]";
        }
    }

    /**
     * Makes a share: the path must be the owner's (through the jail: not a link, no link leading out), a folder for
     * write and upload-only, and the owner must hold the permissions its mode needs; {@code pre-share-create} may
     * refuse it; then it is saved and {@code share-create} fires.
     *
     * @param owner the owner's login (a browser's, or one made for an SSH user)
     * @param firing the file session whose queue the events go to
     * @param spec what to share
     * @return the share
     * @throws Refused with 400, 403, 404 or 500
     */
    public Share create(Login owner, FileSession firing, Spec spec) throws Refused {
        if (spec.mode() == null) {
            throw new Refused(400, "mode must be read, write or upload-only");
        }
        if (spec.maxUses() < 0) {
            throw new Refused(400, "maxUses must be 0 (no limit) or more");
        }
        Instant now = now();
        if (spec.expires() != null && (!spec.expires().isAfter(now) || spec.expires().isAfter(now.plus(MAX_LIFETIME)))) {
            throw new Refused(400, "the expiry must be in the future, within " + MAX_LIFETIME.toDays() + " days");
        }
        String path;
        WebFiles.Entry entry;
        try {
            path = WebFiles.normalise(spec.path());
            Path self = owner.root().real(path, false);
            if (!path.equals("/") && Files.isSymbolicLink(self)) {
                throw new Refused(400, "a link cannot be shared; share what it leads to");
            }
            entry = files.stat(owner, path);
        } catch (NoSuchFileException e) {
            throw new Refused(404, "no such file or folder");
        } catch (IOException e) {
            throw new Refused(WebFiles.status(e), WebFiles.reason(e));
        }
        if (!entry.directory() && spec.mode() != ShareMode.READ) {
            throw new Refused(400, "only a folder can be shared for " + wire(spec.mode()));
        }
        FileSession s = owner.session();
        if (s.revoked()) {
            throw new Refused(403, "permission denied: account removed or disabled");
        }
        try {
            for (FilePermission p : needs(entry.directory(), spec.mode())) {
                permit(s, entry.directory() ? path : parentOf(path), p);
            }
        } catch (AccessDeniedException e) {
            throw new Refused(403, e.getReason());
        }
        String hash = spec.password() == null || spec.password().length == 0 ? null : hasher.hash(spec.password());
        Share share = new Share(randomHex(6), token(), owner.user(), path, entry.directory(), spec.mode(), now,
                spec.expires(), hash, spec.maxUses(), 0);
        ShareEvent e = event(share, firing.remote());
        Outcome pre = fire(ShareEvents.PRE_CREATE, firing, e);
        if (pre.refused()) {
            throw new Refused(403, "refused" + (pre.reason() == null ? "" : ": " + pre.reason()));
        }
        try {
            store.add(share);
        } catch (IOException x) {
            LOG.warn("cannot save the share links: {}", x.getMessage());
            throw new Refused(500, "the share could not be saved");
        }
        LOG.info("{} shared {} ({}) as {}", owner.user(), path, wire(spec.mode()), share.id());
        fire(ShareEvents.CREATE, firing, e);
        return share;
    }

    private static java.util.List<FilePermission> needs(boolean directory, ShareMode mode) {
        switch (mode) {
            case READ:
                return directory ? java.util.List.of(FilePermission.LIST, FilePermission.DOWNLOAD)
                        : java.util.List.of(FilePermission.DOWNLOAD);
            case WRITE:
                return java.util.List.of(FilePermission.LIST, FilePermission.DOWNLOAD, FilePermission.UPLOAD);
            default:
                return java.util.List.of(FilePermission.UPLOAD);
        }
    }

    /** Checks a permission in a directory itself (the gate checks in a path's parent, but for listing). */
    private static void permit(FileSession s, String dir, FilePermission p) throws AccessDeniedException {
        Account a = s.account();
        if (a != null && !a.mayInDirectory(dir, p)) {
            throw new AccessDeniedException(dir, null, "permission denied: " + p.wireName() + " in " + dir);
        }
    }

    /**
     * Deletes the shares of a removed account.
     *
     * @param owner the account's name
     */
    public void ownerRemoved(String owner) {
        try {
            int n = store.deleteOf(owner);
            if (n > 0) {
                LOG.info("deleted the {} share links of the removed account {}", n, owner);
            }
        } catch (IOException e) {
            // they stay in the file, but checkLive refuses them while the account is gone
            LOG.warn("cannot delete the share links of {}: {}", owner, e.getMessage());
        }
    }

    /**
     * Whether a share may be used now.
     *
     * @param share the share
     * @throws Refused 410 when it expired, is used up, or its owner is gone or disabled
     */
    public void checkLive(Share share) throws Refused {
        if (share.expired(now())) {
            throw new Refused(410, "this share link has expired");
        }
        if (share.usedUp()) {
            throw new Refused(410, "this share link has been used as many times as it may be");
        }
        if (gate.live(share.owner(), true).revoked()) {
            throw new Refused(410, "this share link is no longer available");
        }
    }

    /**
     * The owner's login for one request of a visitor (or one SSH command of the owner).
     *
     * @param owner the owner
     * @param remote the visitor's address
     * @param protocol the protocol of the file events
     * @return the login
     * @throws IOException if the owner's home cannot be made
     */
    public Login login(String owner, SocketAddress remote, Protocol protocol) throws IOException {
        Path home = gate.homeOf(homes, owner);
        PrivateFiles.createDirectories(home);
        VirtualRoot root = new VirtualRoot(home.toRealPath(), () -> gate.context().umask(owner));
        String id = "share-" + visits.incrementAndGet();
        return Login.of(new ShareConnection(id, owner, remote, gate.context().newEventQueue()), root, protocol, gate);
    }

    /**
     * The owner's virtual path of a visitor's path, checked to stay in the shared file or folder: the shared path
     * must not have become a link, and what the path leads to (links followed) must be inside it.
     *
     * @param share the share
     * @param login the owner's login
     * @param visitorPath the path as the visitor sent it, relative to the share ({@code /sub/a.txt}), or null
     * @return the virtual path in the owner's root
     * @throws Refused 400 for a bad path, 403 when it leads out, 410 when the shared path is gone
     */
    public String resolve(Share share, Login login, String visitorPath) throws Refused {
        String rel;
        try {
            rel = WebFiles.normalise(visitorPath == null || visitorPath.isEmpty() ? "/" : visitorPath);
        } catch (AccessDeniedException e) {
            throw new Refused(400, e.getReason() == null ? "bad path" : e.getReason());
        }
        if (!share.directory() && !rel.equals("/")) {
            throw new Refused(404, "a single file is shared");
        }
        String virtual = rel.equals("/") ? share.path() : share.path().equals("/") ? rel : share.path() + rel;
        try {
            Path base = login.root().real(share.path(), false);
            if (!share.path().equals("/") && Files.isSymbolicLink(base)) {
                LOG.warn("share {} of {}: {} has become a link; refused", share.id(), share.owner(), share.path());
                throw new Refused(403, "the shared path has become a link");
            }
            if (!Files.exists(base, LinkOption.NOFOLLOW_LINKS)) {
                throw new Refused(410, "the shared file or folder is no longer there");
            }
            Path target = login.root().real(virtual, true);
            if (!target.startsWith(base)) {
                throw new Refused(403, "a link leads outside the shared folder");
            }
        } catch (AccessDeniedException e) {
            throw new Refused(403, "a link leads outside the shared folder");
        } catch (IOException e) {
            throw new Refused(404, "no such file or folder");
        }
        return virtual;
    }

    /**
     * Whether an owner's path (a listed entry) stays in the share once links are followed.
     *
     * @param share the share
     * @param login the owner's login
     * @param virtual the path
     * @return true if it does
     */
    boolean inside(Share share, Login login, String virtual) {
        try {
            Path base = login.root().real(share.path(), false);
            return login.root().real(virtual, true).startsWith(base);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The event of a share, before any file.
     *
     * @param share the share
     * @param remote the visitor's (or owner's) address
     * @return the event
     */
    public static ShareEvent event(Share share, SocketAddress remote) {
        return new ShareEvent(share.id(), share.owner(), share.path(), share.directory(), share.mode(),
                share.expires(), share.maxUses(), share.uses(), share.passwordProtected(), remote, null, -1,
                ShareEvent.OK, null);
    }

    /**
     * Fires a share event on a session's queue (synchronous handlers now).
     *
     * @param type the event
     * @param s the file session
     * @param e the event's value
     * @return what the synchronous handlers decided
     */
    public Outcome fire(EventType type, FileSession s, ShareEvent e) {
        return gate.fire(type, s, e);
    }

    /** @return a link token: 256 random bits, URL-safe (43 characters) */
    static String token() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /**
     * @param mode a mode
     * @return its name in the API: {@code read}, {@code write}, {@code upload-only}
     */
    public static String wire(ShareMode mode) {
        return mode.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * @param text {@code read}, {@code write}, {@code upload-only} (any case, {@code _} for {@code -})
     * @return the mode, or null
     */
    public static ShareMode mode(String text) {
        if (text == null) {
            return null;
        }
        try {
            return ShareMode.valueOf(text.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static final Pattern SHORT = Pattern.compile("(?i)(?:(\\d{1,6})d)?(?:(\\d{1,7})h)?(?:(\\d{1,9})m)?"
            + "(?:(\\d{1,10})s)?");

    /**
     * Reads a lifetime: {@code 7d}, {@code 12h}, {@code 1h30m}, {@code 90s}, or ISO-8601 ({@code PT1H}, {@code P7D}).
     *
     * @param text the text
     * @return the duration, or null if it is none or not positive
     */
    public static Duration duration(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String t = text.strip();
        try {
            if (t.toUpperCase(Locale.ROOT).startsWith("P")) {
                Duration d = Duration.parse(t);
                return d.isNegative() || d.isZero() ? null : d;
            }
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
        Matcher m = SHORT.matcher(t);
        if (!m.matches() || t.isEmpty()) {
            return null;
        }
        Duration d = Duration.ZERO;
        long[] unit = {86400, 3600, 60, 1};
        for (int i = 0; i < 4; i++) {
            if (m.group(i + 1) != null) {
                d = d.plusSeconds(Long.parseLong(m.group(i + 1)) * unit[i]);
            }
        }
        return d.isZero() ? null : d;
    }

    static String parentOf(String virtual) {
        int slash = virtual.lastIndexOf('/');
        return slash <= 0 ? "/" : virtual.substring(0, slash);
    }
}
