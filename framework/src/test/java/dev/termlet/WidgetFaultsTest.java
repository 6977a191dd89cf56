package dev.termlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.annotations.OnUser;
import dev.termlet.auth.Account;
import dev.termlet.testing.HostKeyCache;
import dev.termlet.testing.Recorder;
import dev.termlet.testing.Ssh;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Widgets under absurd sizes, broken input and vanishing clients; and the complete event. */
class WidgetFaultsTest {
    @TempDir
    Path data;

    final Recorder events = new Recorder();
    TermletServer server;

    /** Records errors and disconnects; offers completions. */
    public class Watch {
        @OnUser("error")
        void error(Client c, Throwable t) {
            events.add("error " + t);
        }

        @OnUser("disconnected")
        void gone(Client c) {
            events.add("disconnected");
        }

        @OnUser("complete")
        List<String> complete(String line) {
            return line.startsWith("deploy ") ? List.of("staging", "production") : List.of();
        }

        @OnUser("command")
        void command(Client c, String line) {
            c.println("line: " + line);
        }
    }

    @BeforeEach
    void start() {
        server = Termlet.server().port(0).dataDir(HostKeyCache.seed(data)).prompt("$ ")
                .register(new WidgetGallery(), new Watch()).build();
        server.accounts().save(Account.builder("alice").password("secret".toCharArray()).build());
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"w-menu", "w-dmenu", "w-form", "w-screen", "w-message"})
    void absurdResizesWhileAWidgetIsOpen(String widget) throws Exception {
        try (Ssh ssh = Ssh.password(server.port(), "alice", "secret");
                Ssh.Shell shell = ssh.shell(80, 24)) {
            shell.out().await("$ ");
            shell.send(widget + "\r");
            Thread.sleep(300);
            shell.resize(1, 1);
            Thread.sleep(100);
            shell.send("\u001b[B");
            shell.resize(1000, 1000);
            Thread.sleep(100);
            shell.send("zz\u001b[<0;999;999M\u001b[<0;1;1m");
            shell.resize(1, 1000);
            shell.resize(1000, 1);
            shell.resize(80, 24);
            Thread.sleep(200);
            if (!shell.out().text().contains("RESULT")) {
                // the message dialog closes on the click above; the others need a key
                shell.send(widget.equals("w-screen") ? "q" : "\u001b");
            }
            shell.out().await("RESULT", Duration.ofSeconds(15));
            shell.out().await("$ ");
            shell.send("after\r");
            shell.out().await("line: after");
        }
        assertThat(events.all()).noneMatch(e -> e.startsWith("error"));
    }

    @Test
    void brokenInputInsideWidgets() throws Exception {
        try (Ssh ssh = Ssh.password(server.port(), "alice", "secret");
                Ssh.Shell shell = ssh.shell(80, 24)) {
            shell.out().await("$ ");
            shell.send("w-form\r");
            shell.out().await("Sign up");
            shell.send(new byte[] {(byte) 0xff, (byte) 0xfe, 27, '[', '9', '9', '9', '9', '9', '9', ';', 27, '[', '<',
                'x', 'M', 27, 'O', (byte) 0xc3});
            shell.send("ok\r");
            shell.out().await("RESULT form");
            shell.send("w-pgroup\r");
            shell.out().await("RESULT pgroup");
            assertThat(shell.out().text()).contains("東京 tokyo").contains("40/40");
        }
        assertThat(events.all()).noneMatch(e -> e.startsWith("error"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"w-menu", "w-dmenu", "w-form", "w-screen", "w-confirm", "w-text"})
    void clientLeavingInsideAWidgetEndsTheSessionCleanly(String widget) throws Exception {
        Ssh ssh = Ssh.password(server.port(), "alice", "secret");
        Ssh.Shell shell = ssh.shell(80, 24);
        shell.out().await("$ ");
        shell.send(widget + "\r");
        Thread.sleep(400);
        ssh.session().close(true);
        events.await("disconnected");
        Thread.sleep(200);
        dev.termlet.testing.Await.until("no session left", () -> server.sessionCount() == 0);
        assertThat(events.all()).noneMatch(e -> e.startsWith("error"));
    }

    @Test
    void completeEventOffersApplicationCandidates() throws Exception {
        try (Ssh ssh = Ssh.password(server.port(), "alice", "secret");
                Ssh.Shell shell = ssh.shell(80, 24)) {
            shell.out().await("$ ");
            shell.send("deploy prod\t\r");
            shell.out().await("line: deploy production");
        }
    }
}
