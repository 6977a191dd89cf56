package dev.termlet.internal.session;

import dev.termlet.internal.util.PrivateFiles;
import java.io.IOException;
import java.nio.file.Path;
import org.jline.reader.impl.history.DefaultHistory;

/**
 * A user's line history that JLine saves to a private file: mode 0600 in a 0700 directory, made so before JLine
 * first writes, also after {@code history clear} removed it (JLine would create it with the process's umask).
 */
final class PrivateHistory extends DefaultHistory {
    private final Path file;

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
        PrivateFiles.createDirectories(file.toAbsolutePath().getParent());
        PrivateFiles.createFileIfMissing(file);
        super.save();
    }
}
