package dev.termlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.annotations.OnUser;
import dev.termlet.auth.Account;
import dev.termlet.testing.HostKeyCache;
import dev.termlet.testing.OpenSsh;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What PyserSSH users expect from the SSH side, through the OpenSSH client: the banner before authentication, the
 * client's environment ({@code SendEnv}) readable from {@link Client#environment()}, and {@code uname}.
 */
class PyserSshParityTest {
    @TempDir
    Path data;

    @TempDir
    Path clientDir;

    TermletServer server;
    OpenSsh ssh;
    final Map<String, Map<String, String>> seen = new ConcurrentHashMap<>();

    /** Keeps what each command saw of the client's environment. */
    public class Handlers {
        @OnUser("command")
        void command(Client c, String line) {
            if (line.equals("env")) {
                seen.put(c.sessionId(), c.environment());
                c.println("LANG=" + c.environment().get("LANG") + " X=" + c.environment().get("TERMLET_X"));
            }
        }
    }

    @BeforeEach
    void start() throws Exception {
        server = Termlet.server().port(0).dataDir(HostKeyCache.seed(data))
                .preAuthBanner("Authorised users only.").register(new Handlers()).build();
        server.start();
        ssh = new OpenSsh(clientDir, server.port());
        server.accounts().save(Account.builder("alice").addAuthorizedKey(ssh.publicKey()).build());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private OpenSsh.Result run(String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(ssh.keyArgs());
        // OpenSSH shows the banner from log level INFO on
        cmd.replaceAll(a -> a.equals("LogLevel=ERROR") ? "LogLevel=INFO" : a);
        cmd.addAll(List.of(extra));
        return OpenSsh.run(cmd, null, 30);
    }

    @Test
    void theBannerComesBeforeAuthentication() throws Exception {
        OpenSsh.Result r = run("alice@127.0.0.1", "whoami");
        assertThat(r.err()).contains("Authorised users only.");
        assertThat(r.out()).isEqualTo("alice\n");
    }

    @Test
    void sendEnvReachesTheHandler() throws Exception {
        List<String> cmd = new ArrayList<>(ssh.keyArgs());
        cmd.addAll(List.of("-o", "SendEnv=LANG TERMLET_X", "alice@127.0.0.1", "env"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(false);
        pb.environment().put("LANG", "C.UTF-8");
        pb.environment().put("TERMLET_X", "sent by the client");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isZero();
        assertThat(out).isEqualTo("LANG=C.UTF-8 X=sent by the client\n");
        assertThat(seen.values()).singleElement().satisfies(env -> {
            assertThat(env).containsEntry("LANG", "C.UTF-8").doesNotContainKey("TERM");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> env.put("A", "B"))
                    .isInstanceOf(UnsupportedOperationException.class);
        });
    }

    @Test
    void unameNamesTheSystem() throws Exception {
        OpenSsh.Result all = run("alice@127.0.0.1", "uname -a");
        assertThat(all.out().trim()).startsWith(System.getProperty("os.name") + " ")
                .endsWith(" " + System.getProperty("os.arch"));
        assertThat(run("alice@127.0.0.1", "uname").out()).isEqualTo(System.getProperty("os.name") + "\n");
        assertThat(run("alice@127.0.0.1", "uname -m").out()).isEqualTo(System.getProperty("os.arch") + "\n");
    }
}
