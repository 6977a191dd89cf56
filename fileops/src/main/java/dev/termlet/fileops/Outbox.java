package dev.termlet.fileops;

import dev.termlet.internal.util.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The durable outbox of asynchronous hook notifications: one JSON file per {@link HookCall} in
 * {@code DATA/hooks/outbox}, written atomically (temporary file, fsync, rename) before delivery and removed
 * once delivered or given up. File names sort in the order they were written.
 */
final class Outbox {
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final Path dir;

    Outbox(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
    }

    Path dir() {
        return dir;
    }

    /**
     * Writes a notification.
     *
     * @param call the notification
     * @return its file
     * @throws IOException if it cannot be written
     */
    Path write(HookCall call) throws IOException {
        String name = String.format("%013d-%06d-%s.json", call.createdMillis(), SEQUENCE.incrementAndGet() % 1_000_000,
                UUID.randomUUID().toString().substring(0, 8));
        Path file = dir.resolve(name);
        AtomicFiles.writePrivate(file, SftpgoForms.JSON.writeValueAsBytes(call));
        return file;
    }

    /**
     * Reads a notification back.
     *
     * @param file its file
     * @return the notification
     * @throws IOException if it is gone or unreadable
     */
    HookCall read(Path file) throws IOException {
        return SftpgoForms.JSON.readValue(Files.readString(file, StandardCharsets.UTF_8), HookCall.class);
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
            org.slf4j.LoggerFactory.getLogger(Outbox.class).warn("cannot remove {} from the hook outbox: {}",
                    file.getFileName(), e.toString());
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
}
