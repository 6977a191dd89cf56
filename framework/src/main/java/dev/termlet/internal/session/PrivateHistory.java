package dev.termlet.internal.session;

import dev.termlet.io.PrivateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jline.reader.impl.history.DefaultHistory;

/**
 * A user's line history that JLine saves to a private file (mode 0600 in a 0700 directory, made before JLine
 * first writes, also after {@code history clear} removed it), and that stops saving for good once the account
 * was removed ({@link #discard()}), so a removed user's session cannot write history that a new account of the
 * same name would inherit.
 */
final class PrivateHistory extends DefaultHistory {
    private final Path file;
    private boolean discarded;

    /**
     * Creates the history.
     *
     * @param file the history file JLine is given as {@code HISTORY_FILE}
     */
    PrivateHistory(Path file) {
        this.file = file;
    }

    @Override
    public synchronized void save() throws IOException {
        if (discarded) {
            return;
        }
        PrivateFiles.createDirectories(file.toAbsolutePath().getParent());
        PrivateFiles.createFileIfMissing(file);
        super.save();
    }

    /**
     * Loads the file, unless there is nothing to load: a history not yet loaded and a file that is missing or empty
     * (the case of every account that has not typed a line yet). JLine reads the file through a channel, which
     * takes a temporary direct buffer on the reading thread; a new session thread has none cached and reserves a
     * new one, a contended step that cost several per cent of a key login's CPU in the handshake benchmark.
     */
    @Override
    public synchronized void load() throws IOException {
        if (size() == 0 && isEmptyOrMissing()) {
            return;
        }
        super.load();
    }

    private boolean isEmptyOrMissing() throws IOException {
        try {
            return Files.size(file) == 0;
        } catch (java.nio.file.NoSuchFileException e) {
            return true;
        }
    }

    /** Stops all further saving; when this returns, no save is under way. */
    synchronized void discard() {
        discarded = true;
    }
}
