package dev.termlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.annotations.OnUser;
import dev.termlet.auth.Account;
import dev.termlet.testing.OpenSsh;
import dev.termlet.testing.HostKeyCache;
import dev.termlet.testing.Recorder;
import dev.termlet.testing.Tmux;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same server driven by the OpenSSH client program, in a real terminal (tmux) where a PTY matters. */
class OpenSshTest {
    @TempDir
    Path data;

    @TempDir
    Path client;

    final Recorder events = new Recorder();
    TermletServer server;
    OpenSsh ssh;

    /** Handlers of the quick example, with an exec handler for exit statuses. */
    public class Handlers {
        @OnUser("connectpty")
        void pty(Client c, Pty pty) {
            events.add("connectpty " + pty.size().columns() + "x" + pty.size().rows());
        }

        @OnUser("connect")
        void connect(Client c) {
            c.println("Welcome " + c.user());
        }

        @OnUser("command")
        void command(Client c, String line) {
            events.add("command " + line);
            if (line.equals("hello")) {
                c.println("world!");
            } else if (line.equals("exit")) {
                c.close();
            } else {
                c.println("got " + line);
            }
        }

        @OnUser("exec")
        int exec(Client c, String command) {
            events.add("exec " + command);
            if (command.startsWith("status ")) {
                return Integer.parseInt(command.substring(7));
            }
            c.println(command.equals("hello") ? "world!" : "ran " + command);
            return 0;
        }

        @OnUser("resized")
        void resized(WindowSize s) {
            events.add("resized " + s.columns() + "x" + s.rows());
        }

        @OnUser("disconnected")
        void disconnected(Client c) {
            events.add("disconnected");
        }
    }

    @BeforeEach
    void start() throws Exception {
        server = Termlet.server().port(0).dataDir(HostKeyCache.seed(data)).prompt("demo> ").register(new Handlers()).start();
        ssh = new OpenSsh(client, server.port());
        server.accounts().save(Account.builder("alice").password("s3cret!".toCharArray())
                .addAuthorizedKey(ssh.publicKey()).build());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void execWithKeyAuthAndExitStatus() throws Exception {
        List<String> cmd = ssh.keyArgs();
        cmd.addAll(List.of("alice@127.0.0.1", "hello"));
        OpenSsh.Result r = OpenSsh.run(cmd, null, 30);
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("world!\n");

        List<String> status = ssh.keyArgs();
        status.addAll(List.of("alice@127.0.0.1", "status 42"));
        assertThat(OpenSsh.run(status, null, 30).status()).isEqualTo(42);
    }

    @Test
    void passwordAuthThroughAskpass() throws Exception {
        List<String> cmd = ssh.baseArgs();
        cmd.addAll(List.of("-o", "PreferredAuthentications=password", "-o", "PubkeyAuthentication=no",
                "-o", "NumberOfPasswordPrompts=1", "alice@127.0.0.1", "hello"));
        OpenSsh.Result ok = OpenSsh.run(cmd, null, 30, ssh.askpass("s3cret!"));
        assertThat(ok.status()).as(ok.err()).isZero();
        assertThat(ok.out()).isEqualTo("world!\n");
        OpenSsh.Result bad = OpenSsh.run(cmd, null, 30, ssh.askpass("wrong"));
        assertThat(bad.status()).isEqualTo(255);
        assertThat(bad.err()).contains("Permission denied");
    }

    @Test
    void keyboardInteractivePasswordThroughAskpass() throws Exception {
        List<String> cmd = ssh.baseArgs();
        cmd.addAll(List.of("-o", "PreferredAuthentications=keyboard-interactive", "-o", "PubkeyAuthentication=no",
                "alice@127.0.0.1", "hello"));
        OpenSsh.Result ok = OpenSsh.run(cmd, null, 30, ssh.askpass("s3cret!"));
        assertThat(ok.status()).as(ok.err()).isZero();
        assertThat(ok.out()).isEqualTo("world!\n");
    }

    @Test
    void noPtyShellReadsLinesFromAPipe() throws Exception {
        List<String> cmd = ssh.keyArgs();
        cmd.addAll(List.of("-T", "alice@127.0.0.1"));
        OpenSsh.Result r = OpenSsh.run(cmd, "hello\nsecond\n", 30);
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("Welcome alice\nworld!\ngot second\n");
        events.await("disconnected");
    }

    @Test
    void interactiveShellInARealTerminalWithResize() throws Exception {
        List<String> cmd = ssh.keyArgs();
        cmd.addAll(List.of("-tt", "alice@127.0.0.1"));
        try (Tmux tmux = new Tmux(cmd, 100, 30)) {
            tmux.await("demo>", Duration.ofSeconds(20));
            assertThat(events.await("connectpty")).isEqualTo("connectpty 100x30");
            tmux.type("hello");
            tmux.press("Enter");
            String screen = tmux.await("world!", Duration.ofSeconds(10));
            assertThat(screen).contains("Welcome alice").contains("demo> hello");
            tmux.resize(120, 40);
            events.await(e -> e.equals("resized 120x40"), Duration.ofSeconds(10));
            tmux.type("exit");
            tmux.press("Enter");
            events.await("disconnected");
        }
        assertThat(events.count(e -> e.equals("disconnected"))).isEqualTo(1);
    }
}
