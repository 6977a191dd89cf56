package dev.termlet.config.internal;

import dev.termlet.auth.AccountStore;
import dev.termlet.protector.Protector;
import dev.termlet.spi.ExtensionContext;
import dev.termlet.spi.ServerExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code users.json}, {@code blocklist.txt} and {@code safelist.txt} again when they change on disk, while the
 * server runs: each file's identity, size and modification time are checked every interval (a poll works on every
 * file system and sees a file replaced by a rename, as editors and the server itself write). The server's own writes
 * are seen too and change nothing. A file that cannot be read or parsed is logged and its old content kept.
 *
 * <p>For {@code users.json}, the watcher asks the account store whether the file differs from what the store last
 * read or wrote ({@link AccountStore#changedOutside()}), so that a change made between the store's loading and this
 * watcher's start is applied too; only a store that cannot tell is judged by a snapshot taken here at the start. A
 * reload that fails (file unreadable or malformed) is tried again at each poll until one succeeds, and logged once
 * per distinct failure.
 */
public final class ReloadWatcher implements ServerExtension {
    private static final Logger LOG = LoggerFactory.getLogger(ReloadWatcher.class);

    private final boolean accounts;
    private final boolean protectorLists;
    private final Duration interval;
    private ExtensionContext context;
    private ScheduledExecutorService timer;
    private Object usersSeen;
    /** The message of the last failed reload of the accounts, until one succeeds; logged once. */
    private String accountsFailure;
    private List<Object> listsSeen;

    /**
     * @param accounts whether {@code users.json} is watched
     * @param protectorLists whether {@code blocklist.txt} and {@code safelist.txt} are
     * @param interval how often
     */
    public ReloadWatcher(boolean accounts, boolean protectorLists, Duration interval) {
        this.accounts = accounts;
        this.protectorLists = protectorLists;
        this.interval = interval;
    }

    @Override
    public void configure(ExtensionContext ctx) {
        this.context = ctx;
    }

    @Override
    public void start() {
        usersSeen = stamp(users());
        listsSeen = List.of(stamp(list("blocklist.txt")), stamp(list("safelist.txt")));
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "termlet-reload");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::poll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private Path users() {
        return context.dataDir().resolve("users.json");
    }

    private Path list(String name) {
        return context.dataDir().resolve(name);
    }

    /** Checks the files once; package-visible for tests. */
    void poll() {
        try {
            if (accounts) {
                AccountStore store = context.accounts();
                Optional<Boolean> changed = store.changedOutside();
                Object now = changed.isPresent() ? null : stamp(users());
                boolean due = changed.isPresent() ? changed.get() : !Objects.equals(now, usersSeen);
                if (due || accountsFailure != null) {
                    if (reloadAccounts(store) && now != null) {
                        usersSeen = now;
                    }
                }
            }
            if (protectorLists) {
                List<Object> now = List.of(stamp(list("blocklist.txt")), stamp(list("safelist.txt")));
                if (!now.equals(listsSeen)) {
                    listsSeen = now;
                    reloadLists(context.protector());
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("checking the data directory for changes failed: {}", e.toString());
        }
    }

    /**
     * Reloads the accounts; a failure is logged when it differs from the last one and the reload is tried again at
     * the next poll.
     *
     * @return whether the reload succeeded
     */
    private boolean reloadAccounts(AccountStore store) {
        try {
            store.reload();
        } catch (RuntimeException e) {
            String why = String.valueOf(e.getMessage());
            if (!why.equals(accountsFailure)) {
                LOG.warn("users.json changed but was not reloaded; the accounts in memory are kept and the file is"
                        + " read again at each check until it loads: {}", why);
            }
            accountsFailure = why;
            return false;
        }
        if (accountsFailure != null) {
            LOG.info("users.json reloaded after the earlier failure");
            accountsFailure = null;
        }
        return true;
    }

    private static void reloadLists(Protector protector) {
        try {
            protector.reload();
        } catch (RuntimeException e) {
            LOG.warn("the block-list or safe-list changed but was not reloaded: {}", e.getMessage());
        }
    }

    /** A file's identity, size and time, or "none" when it does not exist. */
    private static Object stamp(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return List.of(String.valueOf(a.fileKey()), a.size(), a.lastModifiedTime().toMillis(),
                    a.lastModifiedTime().toInstant().getNano());
        } catch (NoSuchFileException e) {
            return "none";
        } catch (IOException e) {
            return "unreadable " + e.getMessage();
        }
    }
}
