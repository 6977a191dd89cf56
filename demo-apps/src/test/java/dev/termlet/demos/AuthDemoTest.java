package dev.termlet.demos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.termlet.TermletServer;
import dev.termlet.test.TestClient;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The auth demo: an HTTP identity service and a TOTP second factor, over real SSH logins. */
class AuthDemoTest {
    @TempDir
    Path data;

    @Test
    void rfc6238TestVector() {
        // RFC 6238 appendix B, SHA-1: secret "12345678901234567890", T = 59 s -> 94287082 (8 digits) -> 287082
        String secret = Totp.base32("12345678901234567890".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertThat(Totp.code(secret, Instant.ofEpochSecond(59))).isEqualTo("287082");
        assertThat(Totp.code(secret, Instant.ofEpochSecond(1111111109))).isEqualTo("081804");
        assertThat(Totp.verify(secret, "287082", Instant.ofEpochSecond(59 + 30))).isTrue();
        assertThat(Totp.verify(secret, "287082", Instant.ofEpochSecond(59 + 90))).isFalse();
        assertThat(Totp.verify(secret, "abc", Instant.now())).isFalse();
    }

    /** Logs in with keyboard-interactive answers, or with a password given as "pw:PASSWORD". */
    private static boolean login(int port, String user, String... answers) {
        boolean password = answers.length == 1 && answers[0].startsWith("pw:");
        try (TestClient c = password ? TestClient.password("127.0.0.1", port, user, answers[0].substring(3))
                : TestClient.keyboardInteractive("127.0.0.1", port, user, answers)) {
            return c.session().isAuthenticated();
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    @Test
    void httpIdentityServiceAndTotpSecondFactor() throws Exception {
        AuthDemo demo = new AuthDemo();
        new CommandLine(demo).parseArgs("--port", "0", "--data", data.toString(), "--user", "alice:pw");
        try (TermletServer server = demo.start()) {
            int port = server.port();
            String secret = demo.secret("alice");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("totp-secrets.json"))))
                    .isEqualTo("rw-------");
            assertThat(login(port, "alice", "pw", Totp.code(secret, Instant.now()))).isTrue();
            assertThat(login(port, "alice", "pw", "000000".equals(Totp.code(secret, Instant.now())) ? "111111" : "000000"))
                    .isFalse();
            assertThat(login(port, "alice", "wrong", Totp.code(secret, Instant.now()))).isFalse();
            assertThat(login(port, "alice", "pw:pw")).as("password logins cannot skip the second factor").isFalse();
            assertThat(login(port, "web", "pw:letmein")).isTrue();
            assertThat(login(port, "web", "pw:nope")).isFalse();
            try (TestClient web = TestClient.password("127.0.0.1", port, "web", "letmein").resize(80, 24)) {
                web.awaitOutput("you got in through the identity service");
            }
        } finally {
            demo.stopIdentityService();
        }
        assertThatThrownBy(() -> Totp.base32Decode("not base32!")).isInstanceOf(IllegalArgumentException.class);
    }
}
