package dev.termlet.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * Host keys generated once per test JVM and copied into each test's data directory, so that tests do not
 * each spend a second generating an RSA 3072 key. The generation itself is tested by HostKeysTest.
 */
public final class HostKeyCache {
    private static Path source;

    private HostKeyCache() {}

    /**
     * Copies the shared host keys into a data directory.
     *
     * @param dataDir the test's data directory
     * @return the data directory
     */
    public static synchronized Path seed(Path dataDir) {
        try {
            if (source == null) {
                Path dir = Files.createTempDirectory("termlet-hostkeys");
                dev.termlet.internal.ssh.HostKeys.load(dir);
                source = dir;
            }
            Path target = dataDir.resolve("hostkeys");
            Files.createDirectories(target);
            try (Stream<Path> files = Files.list(source)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.copy(f, target.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING,
                            StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
            return dataDir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
