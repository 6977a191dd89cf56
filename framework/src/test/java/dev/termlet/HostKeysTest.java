package dev.termlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Host keys are generated once, kept private, and reused. */
class HostKeysTest {
    @TempDir
    Path data;

    @Test
    void generatedOnFirstStartWithMode0600AndReused() throws Exception {
        try (TermletServer s = Termlet.server().port(0).dataDir(data).start()) {
            assertThat(s.port()).isPositive();
        }
        Path ed = data.resolve("hostkeys/ssh_host_ed25519_key");
        Path rsa = data.resolve("hostkeys/ssh_host_rsa_key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ed))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(rsa))).isEqualTo("rw-------");
        assertThat(Files.readString(data.resolve("hostkeys/ssh_host_ed25519_key.pub"))).startsWith("ssh-ed25519 ");
        assertThat(Files.readString(data.resolve("hostkeys/ssh_host_rsa_key.pub"))).startsWith("ssh-rsa ");
        byte[] before = Files.readAllBytes(ed);
        try (TermletServer s = Termlet.server().port(0).dataDir(data).start()) {
            assertThat(s.port()).isPositive();
        }
        assertThat(Files.readAllBytes(ed)).isEqualTo(before);
        try (var files = Files.list(data.resolve("hostkeys"))) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }
}
