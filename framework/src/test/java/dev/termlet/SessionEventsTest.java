package dev.termlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.termlet.annotations.OnUser;
import dev.termlet.auth.Account;
import dev.termlet.terminal.Key;
import dev.termlet.testing.HostKeyCache;
import dev.termlet.testing.Recorder;
import dev.termlet.testing.Ssh;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PyserSSH event set end to end, over a real SSH connection from MINA's client. */
class SessionEventsTest {
    @TempDir
    Path data;

    final Recorder events = new Recorder();
    TermletServer server;

    /** Handlers that record every event they see. */
    public class Handlers {
        @OnUser("connectpty")
        void pty(Client c, Pty pty, Map<String, Object> data) {
            events.add("connectpty " + pty.term() + " " + data.get("width") + "x" + data.get("height")
                    + " px " + data.get("pixelwidth") + "x" + data.get("pixelheight"));
        }

        @OnUser("connect")
        void connect(Client c) {
            events.add("connect " + c.user() + " pty=" + c.hasPty());
            c.println("hi " + c.user());
        }

        @OnUser("command")
        void command(Client c, String line) {
            events.add("command " + line);
            if (line.equals("hello")) {
                c.println("world!");
            } else if (line.equals("boom")) {
                throw new IllegalStateException("kaboom");
            } else if (line.equals("ask")) {
                String name = c.readLine("name? ");
                c.println("hello " + name);
            } else if (line.equals("bye")) {
                c.close(3);
            } else {
                c.println("echo: " + line);
            }
        }

        @OnUser("type")
        void type(Client c, Key key, String ch) {
            events.add("type " + ch);
        }

        @OnUser("rawtype")
        void rawtype(Key key, byte[] bytes) {
            events.add("rawtype " + key.name() + " " + bytes.length);
        }

        @OnUser("resized")
        void resized(WindowSize size, Map<String, Object> data) {
            events.add("resized " + size.columns() + "x" + size.rows() + " " + data.get("width"));
        }

        @OnUser("error")
        void error(Client c, Throwable t) {
            events.add("error " + t.getMessage());
            c.println("handled: " + t.getMessage());
        }

        @OnUser("timeout")
        void timeout(Client c) {
            events.add("timeout " + c.user());
        }

        @OnUser("disconnected")
        void disconnected(Client c) {
            events.add("disconnected " + c.sessionId());
        }
    }

    @BeforeEach
    void start() {
        server = Termlet.server().port(0).dataDir(HostKeyCache.seed(data)).banner("Banner line").prompt("$ ")
                .register(new Handlers()).build();
        server.accounts().save(Account.builder("alice").password("secret".toCharArray()).build());
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void quickExampleOverPty() throws Exception {
        try (Ssh ssh = Ssh.password(server.port(), "alice", "secret");
                Ssh.Shell shell = ssh.shell(100, 30)) {
            shell.out().await("Banner line");
            shell.out().await("hi alice");
            shell.out().await("$ ");
            assertThat(events.await("connectpty")).isEqualTo("connectpty xterm-256color 100x30 px 800x480");
            assertThat(events.all().indexOf("connect alice pty=true"))
                    .isGreaterThan(events.all().indexOf(events.await("connectpty")));
            shell.send("hello\r");
            shell.out().await("world!\r\n");
            assertThat(events.await("command")).isEqualTo("command hello");
            assertThat(events.count(e -> e.startsWith("type "))).isEqualTo(5);
            assertThat(events.all()).contains("type h", "type o", "rawtype ENTER 1", "rawtype h 1");
        }
        events.await("disconnected");
    }

    @Test
    void typeIsPerCodePointAndRawtypeSeesEscapes() throws Exception {
        try (Ssh ssh = Ssh.password(server.port(), "alice", "secret");
                Ssh.Shell shell = ssh.shell(80, 24)) {
            shell.out().await("$ ");
            shell.send("é日\u001b[A\u001b[D\r");
            events.await("command");
            assertThat(events.all()).contains("type é", "type 日", "rawtype UP 3", "rawtype LEFT 3", "rawtype é 2");
            assertThat(events.count(e -> e.startsWith("type "))).isEqualTo(2);
        }
    }

    @Test
    void resizeFiresWithClampedSizes() throws Exception {
        try (Ssh ssh = Ssh.password(server.port(), "alice", "secret");
                Ssh.Shell shell = ssh.shell(80, 24)) {
            shell.out().await("$ ");
            shell.resize(120, 40);
            assertThat(events.await("resized")).isEqualTo("resized 120x40 120");
            shell.resize(5000, 0);
            events.await(e -> e.equals("resized 1000x24 1000"), Duration.ofSeconds(10));
            shell.send("size\r");
            events.await("command size");
        }
    }

    @Test
    void handlerExceptionFiresErrorAndSessionGoesOn() throws Exception {
        try (Ssh ssh = Ssh.password(server.port(), "alice", "secret");
                Ssh.Shell shell = ssh.shell(80, 24)) {
            shell.out().await("$ ");
            shell.send("boom\r");
            shell.out().await("handled: kaboom");
            assertThat(events.await("error")).isEqualTo("error kaboom");
            shell.send("hello\r");
            shell.out().await("world!");
        }
    }

    @Test
    void readLineFromHandler() throws Exception {
        try (Ssh ssh = Ssh.password(server.port(), "alice", "secret");
                Ssh.Shell shell = ssh.shell(80, 24)) {
            shell.out().await("$ ");
            shell.send("ask\r");
            shell.out().await("name? ");
            shell.send("Bob\r");
            shell.out().await("hello Bob");
        }
    }

    @Test
    void closeFromHandlerSetsExitStatusAndDisconnectedOnce() throws Exception {
        try (Ssh ssh = Ssh.password(server.port(), "alice", "secret");
                Ssh.Shell shell = ssh.shell(80, 24)) {
            shell.out().await("$ ");
            shell.send("bye\r");
            assertThat(shell.awaitClosed(Duration.ofSeconds(10))).isTrue();
            assertThat(shell.channel().getExitStatus()).isEqualTo(3);
        }
        events.await("disconnected");
        Thread.sleep(200);
        assertThat(events.count(e -> e.startsWith("disconnected"))).isEqualTo(1);
    }

    @Test
    void ctrlDOnEmptyLineEndsSession() throws Exception {
        try (Ssh ssh = Ssh.password(server.port(), "alice", "secret");
                Ssh.Shell shell = ssh.shell(80, 24)) {
            shell.out().await("$ ");
            shell.send("\u0004");
            assertThat(shell.awaitClosed(Duration.ofSeconds(10))).isTrue();
        }
        events.await("disconnected");
    }

    @Test
    void ctrlCDropsTheLine() throws Exception {
        try (Ssh ssh = Ssh.password(server.port(), "alice", "secret");
                Ssh.Shell shell = ssh.shell(80, 24)) {
            shell.out().await("$ ");
            shell.send("half a line");
            events.await("type e");
            shell.send("\u0003");
            shell.out().await("$ ");
            shell.send("hello\r");
            shell.out().await("world!");
            assertThat(events.all()).contains("command hello").doesNotContain("command half a linehello");
        }
    }

    @Test
    void noPtyShellIsLineMode() throws Exception {
        try (Ssh ssh = Ssh.password(server.port(), "alice", "secret");
                Ssh.Shell shell = ssh.shellNoPty()) {
            shell.out().await("hi alice\n");
            shell.send("hello\nsecond line\r\n");
            shell.out().await("world!\n");
            shell.out().await("echo: second line\n");
            assertThat(shell.out().text()).doesNotContain("\r\n").doesNotContain("$ ");
            assertThat(events.all()).contains("connect alice pty=false").noneMatch(e -> e.startsWith("type"));
        }
    }

    @Test
    void execWithoutExecHandlersRunsCommandHandlers() throws Exception {
        try (Ssh ssh = Ssh.password(server.port(), "alice", "secret")) {
            Ssh.Exec r = ssh.exec("hello", null);
            assertThat(r.status()).isEqualTo(0);
            assertThat(r.out()).isEqualTo("world!\n");
            Ssh.Exec failed = ssh.exec("boom", null);
            assertThat(failed.status()).isEqualTo(1);
            assertThat(failed.out()).contains("handled: kaboom");
        }
        // an exec session fires no connect, and disconnected once when it ends
        assertThat(events.all()).noneMatch(e -> e.startsWith("connect "));
        assertThat(events.all().stream().filter(e -> e.startsWith("disconnected"))).hasSize(2).doesNotHaveDuplicates();
    }

    @Test
    void execWithPtyUsesTheTerminal() throws Exception {
        try (Ssh ssh = Ssh.password(server.port(), "alice", "secret")) {
            org.apache.sshd.client.channel.ChannelExec ch = ssh.session().createExecChannel("hello");
            ch.setUsePty(true);
            dev.termlet.testing.Output out = new dev.termlet.testing.Output();
            ch.setOut(out);
            ch.setErr(out);
            ch.open().verify(Duration.ofSeconds(10));
            ch.waitFor(java.util.EnumSet.of(org.apache.sshd.client.channel.ClientChannelEvent.CLOSED),
                    Duration.ofSeconds(10));
            assertThat(out.text()).isEqualTo("world!\r\n");
            assertThat(ch.getExitStatus()).isZero();
        }
        assertThat(events.all()).anyMatch(e -> e.startsWith("connectpty")).contains("command hello");
    }

    @Test
    void wrongPasswordIsAnOrdinaryFailure() {
        assertThatThrownBy(() -> Ssh.password(server.port(), "alice", "wrong")).hasMessageContaining("No more authentication methods");
        assertThatThrownBy(() -> Ssh.password(server.port(), "nobody", "secret")).hasMessageContaining("No more authentication methods");
    }
}
