package dev.termlet.fileops.internal.core;

import dev.termlet.auth.Account;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remembers which users have completed an upload or a download, for SFTPGo's {@code first-upload} and
 * {@code first-download}: one empty marker file per user and kind in {@code DATA/first-transfers/KIND/USER},
 * made atomically, so a user's first transfer is reported once even across restarts and concurrent sessions.
 */
public final class FirstTransfers {
    private static final Logger LOG = LoggerFactory.getLogger(FirstTransfers.class);

    private final Path dir;
    /** Markers known to exist, so that later transfers cost no file system call. */
    private final Set<String> known = ConcurrentHashMap.newKeySet();

    FirstTransfers(Path dir) {
        this.dir = dir;
    }

    /**
     * Records a completed transfer.
     *
     * @param kind {@code upload} or {@code download}
     * @param user the user
     * @return whether it is the user's first of this kind
     */
    boolean first(String kind, String user) {
        String key = kind + "/" + user;
        if (known.contains(key) || !Account.validName(user)) {
            return false;
        }
        try {
            Path kindDir = dir.resolve(kind);
            dev.termlet.io.PrivateFiles.createDirectories(kindDir);
            java.nio.file.Files.createFile(kindDir.resolve(user));
            known.add(key);
            return true;
        } catch (FileAlreadyExistsException e) {
            known.add(key);
            return false;
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot record the first {} of {}: {}", kind, user, e.toString());
            return false;
        }
    }
}
