package dev.termlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.testing.HostKeyCache;
import dev.termlet.testing.OpenSsh;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's ssh-audit against the default algorithm set: no failure, and no warning but those the tool
 * gives for algorithms newer than itself (post-quantum key exchange and the strict-KEX marker).
 */
class SshAuditTest {
    /** Warnings that only say the installed ssh-audit predates an algorithm Termlet offers on purpose. */
    private static final List<String> NEWER_THAN_THE_TOOL = List.of("mlkem768x25519-sha256",
            "sntrup761x25519-sha512", "sntrup761x25519-sha512@openssh.com", "kex-strict-s-v00@openssh.com");

    @TempDir
    Path data;

    @Test
    void noFailuresAndNoRealWarnings() throws Exception {
        try (TermletServer server = Termlet.server().port(0).dataDir(HostKeyCache.seed(data)).start()) {
            OpenSsh.Result r = OpenSsh.run(List.of(OpenSsh.tool("ssh-audit"), "-n", "-p",
                    Integer.toString(server.port()), "127.0.0.1"), null, 60);
            String out = r.out();
            assertThat(out).contains("(kex) curve25519-sha256").contains("ssh-ed25519");
            List<String> problems = new ArrayList<>();
            for (String line : out.split("\n")) {
                if (line.contains("[fail]")) {
                    problems.add(line);
                } else if (line.contains("[warn]")) {
                    boolean known = NEWER_THAN_THE_TOOL.stream().anyMatch(a -> line.startsWith("(kex) " + a + " "));
                    boolean toolAge = line.contains("unknown algorithm") || line.contains("experimental algorithm");
                    if (!(known && toolAge)) {
                        problems.add(line);
                    }
                }
            }
            assertThat(problems).as(out).isEmpty();
            assertThat(out).doesNotContain("diffie-hellman-group1-sha1").doesNotContain("group14-sha1").doesNotContain("(key) ssh-rsa ")
                    .doesNotContain("hmac-sha1").doesNotContain("-cbc");
        }
    }
}
