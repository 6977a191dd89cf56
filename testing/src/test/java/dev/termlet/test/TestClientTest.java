package dev.termlet.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.termlet.Client;
import dev.termlet.TermletServer;
import dev.termlet.WindowSize;
import dev.termlet.annotations.Command;
import dev.termlet.annotations.OnUser;
import dev.termlet.terminal.Dialog;
import dev.termlet.terminal.Menu;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.jline.utils.AttributedString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The extension and the client against a real server: a shell on a virtual screen, keys, resize, exec. (SFTP needs
 * a server with termlet-fileops, which depends on this module for its tests: fileops' TestClientSftpTest.)
 */
class TestClientTest {
    static final AtomicReference<WindowSize> LAST_SIZE = new AtomicReference<>();

    /** A small application. */
    public static class App {
        @OnUser("connect")
        void connect(Client c) {
            c.println("Welcome, " + c.user());
        }

        @OnUser("resized")
        void resized(Client c, WindowSize size) {
            LAST_SIZE.set(size);
            c.println("now " + size.columns() + "x" + size.rows());
        }

        @Command(description = "Says hello.")
        void greet(Client c, String name) {
            c.println("Hello, " + name + "!");
        }

        @Command(description = "Fails.")
        int fail(Client c) {
            c.println("failing");
            return 3;
        }

        @Command(description = "Echoes the lines of its input.")
        void lines(Client c) {
            for (String line = c.readLine(""); line != null; line = c.readLine("")) {
                c.println("[" + line + "]");
            }
        }

        @Command(description = "Picks a fruit.")
        void pick(Client c) {
            int i = Menu.choose(c.terminal().orElseThrow(), "Fruit:", List.of("apple", "banana", "cherry")).orElse(-1);
            c.println("picked " + i);
        }
    }

    /** A full-screen app and a dialog, to check the screen against what JLine draws. */
    public static class FullScreen {
        @Command(description = "A full-screen view.")
        void view(Client c) throws Exception {
            try (dev.termlet.terminal.Screen s = dev.termlet.terminal.Screen.open(c.terminal().orElseThrow())) {
                String last = "-";
                while (true) {
                    s.draw(List.of(new AttributedString("size " + s.width() + "x" + s.height()),
                            new AttributedString("last " + last), new AttributedString("漢字 wide text")));
                    dev.termlet.terminal.Key k = s.readKey(0);
                    if (k.is("q")) {
                        break;
                    }
                    last = k.is("RESIZE") ? "RESIZE" : k.name();
                }
            }
            c.println("left the view");
        }

        @Command(description = "A message box.")
        void notice(Client c) {
            Dialog.message(c.terminal().orElseThrow(), "Notice 通知", "Done. 完了");
            c.println("dialog closed");
        }
    }

    @RegisterExtension
    static TermletExtension termlet = TermletExtension.builder()
            .handlers(new App(), new FullScreen())
            .account("alice", "secret")
            .account("bob", "hunter2")
            .configure(b -> b.prompt("$ "))
            .build();

    @Test
    void aShellShowsWhatAPersonSees(TestClient client) {
        client.awaitText("Welcome, alice");
        client.awaitScreen(s -> s.lastNonBlankLine().equals("$"));
        client.typeLine("greet world");
        VirtualScreen s = client.awaitText("Hello, world!");
        assertThat(s).containsLine("Hello, world!").containsLine("$ greet world");
        assertThat(s.columns()).isEqualTo(80);
        assertThat(s.rows()).isEqualTo(24);
        client.awaitScreen(x -> x.cursorLine().equals("$") && x.cursor().column() == 2);
    }

    @Test
    void keysEditTheLine(TestClient client) {
        client.awaitText("$");
        client.type("greet wrld").press(Keystroke.LEFT, Keystroke.LEFT, Keystroke.LEFT).type("o");
        client.awaitScreen(s -> s.cursorLine().equals("$ greet world"));
        client.press(Keystroke.END, Keystroke.BACKSPACE);
        client.awaitScreen(s -> s.cursorLine().equals("$ greet worl"));
        client.press(Keystroke.CTRL_C);
        client.typeLine("greet again");
        client.awaitText("Hello, again!");
        client.press(Keystroke.UP);
        client.awaitScreen(s -> s.cursorLine().equals("$ greet again"));
    }

    @Test
    void aMenuIsDrivenWithArrowsAndEnter(TestClient client) {
        client.awaitText("$");
        client.typeLine("pick");
        client.awaitText("cherry");
        client.press(Keystroke.DOWN, Keystroke.DOWN, Keystroke.ENTER);
        VirtualScreen s = client.awaitText("picked 2");
        assertThat(s).contains("Fruit: cherry").doesNotContain("banana");
    }

    @Test
    void resizeSendsAWindowChange(TestClient client) {
        client.awaitText("$");
        client.resize(50, 10);
        VirtualScreen s = client.awaitText("now 50x10");
        assertThat(s.columns()).isEqualTo(50);
        assertThat(s.rows()).isEqualTo(10);
        assertThat(LAST_SIZE.get().columns()).isEqualTo(50);
    }

    @Test
    void aSecondUserAtAnotherSize() {
        TestClient bob = termlet.login("bob").resize(40, 12);
        VirtualScreen s = bob.awaitText("Welcome, bob");
        assertThat(s.columns()).isEqualTo(40);
        assertThat(s.rows()).isEqualTo(12);
    }

    @Test
    void execReturnsStatusAndOutput(TestClient client) {
        ExecResult ok = client.exec("greet exec");
        assertThat(ok.status()).isZero();
        assertThat(ok.out()).contains("Hello, exec!");
        ExecResult failed = client.exec("fail");
        assertThat(failed.status()).isEqualTo(3);
        assertThat(failed.succeeded()).isFalse();
    }

    @Test
    void execSendsInputThenEndOfInput(TestClient client) {
        assertThat(client.exec("lines", "one\nzwei ü\n").out()).isEqualTo("[one]\n[zwei ü]\n");
        // bytes as they are: 0xff is no UTF-8, and the server's line reader makes it U+FFFD
        ExecResult bytes = client.exec("lines", new byte[] {'a', (byte) 0xff, 'b', '\n', 'c'});
        assertThat(bytes.status()).isZero();
        assertThat(bytes.out()).isEqualTo("[a\uFFFDb]\n[c]\n");
    }

    @Test
    void theServerIsInjectedToo(TermletServer server) {
        assertThat(server.port()).isEqualTo(termlet.port()).isPositive();
        assertThat(server.dataDir()).startsWith(java.nio.file.Path.of(System.getProperty("java.io.tmpdir")));
        assertThat(server.accounts().find("alice")).isPresent();
    }

    @Test
    void aScreenThatNeverComesFailsWithTheScreen(TestClient client) {
        client.awaitText("$");
        assertThatThrownBy(() -> client.awaitScreen(s -> s.contains("never"), Duration.ofMillis(300)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("|Welcome, alice");
    }

    @Test
    void exitEndsTheShell(TestClient client) {
        client.awaitText("$");
        client.typeLine("exit");
        assertThat(client.awaitClosed(Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void aFullScreenAppUsesTheAlternateScreen(TestClient client) {
        client.awaitText("$");
        client.typeLine("greet before");
        client.awaitText("Hello, before!");
        client.typeLine("view");
        VirtualScreen s = client.awaitScreen(x -> x.alternate() && x.contains("size 80x24"));
        assertThat(s).hasLine(0, "size 80x24").hasLine(1, "last -").hasLine(2, "漢字 wide text")
                .doesNotContain("Hello, before!");
        client.press(Keystroke.UP);
        client.awaitScreen(x -> x.hasLine("last UP"));
        client.resize(60, 10);
        client.awaitScreen(x -> x.hasLine("size 60x10"));
        client.type("q");
        VirtualScreen after = client.awaitText("left the view");
        assertThat(after.alternate()).isFalse();
        assertThat(after).contains("Hello, before!").doesNotContain("wide text");
    }

    @Test
    void aDialogDrawsABoxAndRestoresTheScreen(TestClient client) {
        client.awaitText("$");
        client.typeLine("notice");
        VirtualScreen box = client.awaitScreen(x -> x.alternate() && x.contains("完了"));
        assertThat(box.text()).contains("┌ Notice 通知").contains("Done. 完了").contains("[ OK ]");
        String border = box.lines().stream().filter(l -> l.contains("┌")).findFirst().orElseThrow();
        String bottom = box.lines().stream().filter(l -> l.contains("└")).findFirst().orElseThrow();
        // the wide characters take two cells: the box's corners line up
        assertThat(org.jline.utils.WCWidth.wcwidth('通')).isEqualTo(2);
        assertThat(new AttributedString(border).columnLength()).isEqualTo(new AttributedString(bottom).columnLength());
        assertThat(border.indexOf('┌')).isEqualTo(bottom.indexOf('└'));
        client.press(Keystroke.ENTER);
        assertThat(client.awaitText("dialog closed").alternate()).isFalse();
    }
}
