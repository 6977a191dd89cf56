package dev.termlet.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.termlet.auth.JsonAccountStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Private files and directories with real files: modes 0700 and 0600 on every path that creates them. */
class PrivateFilesTest {
    @TempDir
    Path dir;

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void writeCreatesMissingParentsWithMode0700AndTheFileWith0600() throws Exception {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path file = dir.resolve("a/b/secret.txt");
        PrivateFiles.write(file, "one".getBytes());
        PrivateFiles.write(file, "two".getBytes());
        assertThat(Files.readString(file)).isEqualTo("two");
        assertThat(mode(dir.resolve("a"))).isEqualTo("rwx------");
        assertThat(mode(dir.resolve("a/b"))).isEqualTo("rwx------");
        assertThat(mode(file)).isEqualTo("rw-------");
        try (var s = Files.list(dir.resolve("a/b"))) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("secret.txt");
        }
    }

    @Test
    void theAccountStoreMakesItsDataDirectoryPrivate() throws Exception {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        JsonAccountStore.open(dir.resolve("x/data"));
        assertThat(mode(dir.resolve("x"))).isEqualTo("rwx------");
        assertThat(mode(dir.resolve("x/data"))).isEqualTo("rwx------");
    }
}
