package dev.termlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.auth.Account;
import dev.termlet.protector.ProtectorSettings;
import dev.termlet.testing.HostKeyCache;
import dev.termlet.testing.OpenSsh;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exit status of an exec request reaches clients whose input has already ended (PuTTY's plink, dropbear's
 * dbclient) on every run: it is sent before EOF, so the client's answering close cannot make the server drop it.
 */
class ExitStatusTest {
    @TempDir
    Path data;

    TermletServer server;

    @BeforeEach
    void start() {
        server = Termlet.server().port(0).dataDir(HostKeyCache.seed(data))
                .protector(new ProtectorSettings().safe("127.0.0.0/8").failureDelay(java.time.Duration.ZERO))
                .start();
        server.accounts().save(Account.builder("alice").password("s3cret!".toCharArray()).build());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private List<String> hostKeys() throws Exception {
        List<String> args = new ArrayList<>();
        for (KeyPair kp : dev.termlet.internal.ssh.HostKeys.load(data.resolve("hostkeys")).loadKeys(null)) {
            args.add("-hostkey");
            args.add(KeyUtils.getFingerPrint(kp.getPublic()));
        }
        return args;
    }

    private static OpenSsh.Result run(List<String> command, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        Path out = java.nio.file.Files.createTempFile("termlet-out", ".txt");
        Path err = java.nio.file.Files.createTempFile("termlet-err", ".txt");
        pb.redirectOutput(out.toFile());
        pb.redirectError(err.toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        OpenSsh.Result r = new OpenSsh.Result(p.exitValue(), java.nio.file.Files.readString(out),
                java.nio.file.Files.readString(err));
        java.nio.file.Files.deleteIfExists(out);
        java.nio.file.Files.deleteIfExists(err);
        return r;
    }

    @Test
    void plinkGetsTheExitStatusEveryTime() throws Exception {
        List<String> base = new ArrayList<>(List.of(OpenSsh.tool("plink"), "-batch", "-ssh", "-P",
                Integer.toString(server.port()), "-pw", "s3cret!"));
        base.addAll(hostKeys());
        base.add("alice@127.0.0.1");
        for (int i = 0; i < 40; i++) {
            List<String> unknown = new ArrayList<>(base);
            unknown.add("nosuchcommand");
            OpenSsh.Result r = run(unknown, Map.of());
            assertThat(r.status()).as("run %d: %s", i, r.err()).isEqualTo(127);
            assertThat(r.err()).contains("nosuchcommand: unknown command");
            if (i % 4 == 0) {
                List<String> whoami = new ArrayList<>(base);
                whoami.add("whoami");
                OpenSsh.Result w = run(whoami, Map.of());
                assertThat(w.status()).as("run %d: %s", i, w.err()).isZero();
                assertThat(w.out()).contains("alice");
            }
        }
    }

    @Test
    void dropbearClientGetsTheExitStatusEveryTime() throws Exception {
        List<String> base = List.of(OpenSsh.tool("dbclient"), "-y", "-y", "-p", Integer.toString(server.port()),
                "alice@127.0.0.1");
        for (int i = 0; i < 40; i++) {
            List<String> unknown = new ArrayList<>(base);
            unknown.add("nosuchcommand");
            OpenSsh.Result r = run(unknown, Map.of("DROPBEAR_PASSWORD", "s3cret!"));
            assertThat(r.status()).as("run %d: %s", i, r.err()).isEqualTo(127);
        }
    }
}
