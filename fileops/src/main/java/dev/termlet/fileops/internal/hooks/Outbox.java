package dev.termlet.fileops.internal.hooks;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.termlet.io.PrivateFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable outbox of asynchronous hook notifications: one JSON {@link OutboxEntry} per file in
 * {@code DATA/hooks/outbox}, written atomically (temporary file, fsync, rename) before delivery and removed
 * once delivered or given up. File names sort in the order they were written. The directory is private
 * (0700) and so is each file (0600). Files are read as untrusted input: only regular files of a bounded
 * size, parsed strictly; what cannot be used is moved to {@code DATA/hooks/quarantine}, never run.
 */
public final class Outbox {
    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
    private static final AtomicLong SEQUENCE = new AtomicLong();
    /** The largest outbox file read; an entry holds an event's data, far below this. */
    static final int MAX_ENTRY_BYTES = 1024 * 1024;
    private static final Set<PosixFilePermission> PRIVATE_DIR = PosixFilePermissions.fromString("rwx------");
    private static final ObjectReader READER = SftpgoForms.JSON.readerFor(OutboxEntry.class)
            .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_TRAILING_TOKENS,
                    DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES,
                    DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES,
                    DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private final Path dir;
    private final Path quarantine;

    /**
     * Opens the outbox, creating its directory (0700) if needed and making an existing one private.
     *
     * @param dir the outbox directory; set-aside files go to its sibling {@code quarantine}
     * @throws IOException if the directory cannot be created
     */
    Outbox(Path dir) throws IOException {
        this.dir = dir;
        this.quarantine = dir.resolveSibling("quarantine");
        privateDirectory(dir.getParent());
        privateDirectory(dir);
    }

    Path dir() {
        return dir;
    }

    /** @return where entries that cannot be delivered are set aside */
    Path quarantine() {
        return quarantine;
    }

    /**
     * Writes a notification.
     *
     * @param entry the notification
     * @return its file
     * @throws IOException if it cannot be written
     */
    Path write(OutboxEntry entry) throws IOException {
        String name = String.format("%013d-%06d-%s.json", entry.createdMillis(),
                SEQUENCE.incrementAndGet() % 1_000_000, UUID.randomUUID().toString().substring(0, 8));
        Path file = dir.resolve(name);
        PrivateFiles.write(file, SftpgoForms.JSON.writeValueAsBytes(entry));
        return file;
    }

    /**
     * Reads a notification back: a regular file (not a link) of at most {@link #MAX_ENTRY_BYTES}, holding exactly
     * the fields of an {@link OutboxEntry}.
     *
     * @param file its file
     * @return the notification
     * @throws java.nio.file.NoSuchFileException if it is gone
     * @throws IOException if it is not a regular file, too large, or not an entry
     */
    OutboxEntry read(Path file) throws IOException {
        BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!attrs.isRegularFile()) {
            throw new IOException("not a regular file");
        }
        byte[] content;
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            content = in.readNBytes(MAX_ENTRY_BYTES + 1);
        }
        if (content.length > MAX_ENTRY_BYTES) {
            throw new IOException("larger than " + MAX_ENTRY_BYTES + " bytes");
        }
        try {
            return READER.readValue(content);
        } catch (IOException | RuntimeException e) {
            // Jackson's messages quote the file's content: say only what kind of problem it was
            throw new IOException("not an outbox entry (" + e.getClass().getSimpleName() + ")");
        }
    }

    /**
     * Removes a notification.
     *
     * @param file its file
     */
    void remove(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("cannot remove {} from the hook outbox: {}", file.getFileName(), e.toString());
        }
    }

    /**
     * Moves a file that must not be delivered to the quarantine directory (0700), keeping its name (with a
     * number added if the name is taken), so that an operator can look at it.
     *
     * @param file the file
     * @return where it went, or null if it could not be moved (it is then removed if possible)
     */
    Path setAside(Path file) {
        try {
            privateDirectory(quarantine);
            String name = file.getFileName().toString();
            for (int i = 0; ; i++) {
                Path to = quarantine.resolve(i == 0 ? name : name + "." + i);
                try {
                    return Files.move(file, to);
                } catch (FileAlreadyExistsException taken) {
                    if (i >= 100) {
                        throw taken;
                    }
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot move {} to {} ({}); removing it", file.getFileName(), quarantine, e.toString());
            remove(file);
            return null;
        }
    }

    /**
     * The notifications waiting, oldest first.
     *
     * @return their files
     * @throws IOException if the directory cannot be read
     */
    List<Path> pending() throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> {
                String n = p.getFileName().toString();
                return n.endsWith(".json") && !n.startsWith(".");
            }).sorted().forEach(files::add);
        }
        return files;
    }

    /** Creates a directory private to the server's user (0700), or makes an existing one so. */
    private static void privateDirectory(Path d) throws IOException {
        if (d == null) {
            return;
        }
        if (Files.isSymbolicLink(d)) {
            return; // an operator's choice: where it leads, and its mode, are theirs
        }
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        if (!Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
            if (posix) {
                Files.createDirectories(d, PosixFilePermissions.asFileAttribute(PRIVATE_DIR));
            } else {
                Files.createDirectories(d);
            }
        }
        if (posix && !Files.getPosixFilePermissions(d, LinkOption.NOFOLLOW_LINKS).equals(PRIVATE_DIR)) {
            try {
                Files.setPosixFilePermissions(d, PRIVATE_DIR);
            } catch (IOException e) {
                LOG.warn("cannot make {} private (0700): {}", d, e.toString());
            }
        }
    }
}
