package dev.termlet.internal.session;

import dev.termlet.io.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where users' line histories are kept: {@code DIR/NAME.history}, or a SHA-256 of the name for a name that is not
 * safe as a file name; the directory is made with mode 0700 and each file with 0600.
 */
public final class HistoryFiles {
    private static final Logger LOG = LoggerFactory.getLogger(HistoryFiles.class);
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

    private final Path dir;

    /** @param dir the history directory ({@code DATA/history}) */
    public HistoryFiles(Path dir) {
        this.dir = dir;
    }

    /**
     * The history file of a user, prepared private.
     *
     * @param user the user
     * @return the file, or null (history in memory only) if it cannot be prepared
     */
    public Path prepare(String user) {
        Path file = path(user);
        if (Files.exists(file)) { // the usual case, one stat: a returning user's history
            return file;
        }
        try {
            PrivateFiles.createDirectories(file.getParent());
            PrivateFiles.createFileIfMissing(file);
            return file;
        } catch (IOException e) {
            LOG.warn("cannot prepare the history file {}: {}; history is kept in memory only", file, e.toString());
            return null;
        }
    }

    /**
     * The history file of a user, without creating it.
     *
     * @param user the user
     * @return the file
     */
    public Path path(String user) {
        String name = SAFE_NAME.matcher(user).matches() && !user.startsWith(".") ? user : digest(user);
        return dir.resolve(name + ".history");
    }

    private static String digest(String s) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
