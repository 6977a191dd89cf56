package dev.termlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.annotations.OnUser;
import dev.termlet.auth.Account;
import dev.termlet.testing.HostKeyCache;
import dev.termlet.testing.OpenSsh;
import dev.termlet.testing.Recorder;
import dev.termlet.testing.Tmux;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each widget through a real SSH session (OpenSSH in tmux), checked on the screen a person would see, at
 * two terminal sizes, with wide (CJK) text.
 */
class WidgetsTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path data;

    @TempDir
    Path client;

    final Recorder events = new Recorder();
    TermletServer server;
    OpenSsh ssh;

    /** Records errors. */
    public class Errors {
        @OnUser("error")
        void error(Client c, Throwable t) {
            events.add("error " + t.getMessage());
        }
    }

    @BeforeEach
    void start() throws Exception {
        server = Termlet.server().port(0).dataDir(HostKeyCache.seed(data)).prompt("$ ")
                .register(new WidgetGallery(), new Errors()).start();
        ssh = new OpenSsh(client, server.port());
        server.accounts().save(Account.builder("alice").addAuthorizedKey(ssh.publicKey()).build());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Tmux session(int columns, int rows) throws Exception {
        List<String> cmd = ssh.keyArgs();
        cmd.addAll(List.of("-tt", "alice@127.0.0.1"));
        Tmux tmux = new Tmux(cmd, columns, rows);
        tmux.await("$", WAIT);
        return tmux;
    }

    private static void run(Tmux tmux, String command) throws Exception {
        tmux.type(command);
        tmux.press("Enter");
    }

    @ParameterizedTest
    @CsvSource({"80,24", "40,12"})
    void progressSpinnerAndPrompts(int columns, int rows) throws Exception {
        try (Tmux tmux = session(columns, rows)) {
            run(tmux, "w-progress");
            String screen = tmux.await("RESULT progress", WAIT);
            assertThat(screen).contains("100%").contains("50/50");
            for (String line : screen.split("\n")) {
                assertThat(new org.jline.utils.AttributedString(line).columnLength()).isLessThanOrEqualTo(columns);
            }
            run(tmux, "w-table");
            String table = tmux.await("RESULT table", WAIT);
            assertThat(table).contains("山田太郎").contains("the docs").doesNotContain("https://example.com");
            for (String line : table.split("\n")) {
                assertThat(new org.jline.utils.AttributedString(line).columnLength()).isLessThanOrEqualTo(columns);
            }
            if (columns >= 80) {
                assertThat(table).contains("東京都千代田区丸の内一丁目");
            } else {
                assertThat(table).contains("…");
            }
            run(tmux, "w-spinner ok");
            assertThat(tmux.await("RESULT spinner", WAIT)).contains("✔ Working 作業中");
            run(tmux, "w-spinner bad");
            tmux.await("✖ Working 作業中: disk full", WAIT);
            run(tmux, "w-text");
            tmux.await("Name [guest]:", WAIT);
            tmux.press("Enter");
            tmux.await("RESULT text guest", WAIT);
            run(tmux, "w-text");
            tmux.await("Name [guest]:", WAIT);
            tmux.type("山田");
            tmux.press("Enter");
            tmux.await("RESULT text 山田", WAIT);
            run(tmux, "w-password");
            tmux.await("Password:", WAIT);
            tmux.type("hunter2");
            tmux.press("Enter");
            String pw = tmux.await("RESULT password 7 chars", WAIT);
            assertThat(pw).doesNotContain("hunter2");
            run(tmux, "w-confirm");
            tmux.await("Sure? [y/N]", WAIT);
            tmux.type("y");
            tmux.await("RESULT confirm true", WAIT);
            run(tmux, "w-number");
            tmux.await("Count (1-10):", WAIT);
            tmux.type("42");
            tmux.press("Enter");
            tmux.await("Enter a whole number from 1 to 10.", WAIT);
            tmux.type("7");
            tmux.press("Enter");
            tmux.await("RESULT number 7", WAIT);
        }
    }

    @ParameterizedTest
    @CsvSource({"80,24", "40,12"})
    void menuAndDialogs(int columns, int rows) throws Exception {
        try (Tmux tmux = session(columns, rows)) {
            run(tmux, "w-menu");
            tmux.await("日本語メニュー", WAIT);
            tmux.press("Down");
            tmux.press("Enter");
            tmux.await("RESULT menu 1", WAIT);
            run(tmux, "w-menu");
            tmux.await("cherry", WAIT);
            tmux.type("che");
            String filtered = tmux.await("filter: che", WAIT);
            assertThat(filtered.substring(filtered.lastIndexOf("filter: che"))).doesNotContain("apple");
            tmux.press("Enter");
            tmux.await("RESULT menu 2", WAIT);
            run(tmux, "w-menu");
            tmux.await("cherry", WAIT);
            tmux.press("Escape");
            tmux.await("RESULT menu cancelled", WAIT);

            run(tmux, "w-message");
            String box = tmux.await("Notice 通知", WAIT);
            assertThat(box).contains("┌").contains("┘").contains("[ OK ]").doesNotContain("$ w-message");
            tmux.press("Enter");
            String after = tmux.await("RESULT message", WAIT);
            assertThat(after).contains("$ w-message");

            run(tmux, "w-dmenu");
            tmux.await("本番 production", WAIT);
            tmux.press("Down");
            tmux.press("Enter");
            tmux.await("RESULT dmenu 1", WAIT);

            run(tmux, "w-form");
            tmux.await("Sign up", WAIT);
            tmux.type("Ada 李");
            tmux.press("Tab");
            tmux.type("s3cret");
            String form = tmux.await("******", WAIT);
            assertThat(form).contains("Ada 李").doesNotContain("s3cret");
            tmux.press("Enter");
            tmux.await("RESULT form Ada 李/6", WAIT);
        }
    }

    @ParameterizedTest
    @CsvSource({"80,24", "40,12"})
    void fullScreenKeysMouseResizeAndRestore(int columns, int rows) throws Exception {
        try (Tmux tmux = session(columns, rows)) {
            run(tmux, "w-screen");
            tmux.await("size " + columns + "x" + rows, WAIT);
            assertThat(tmux.screen()).contains("漢字 wide text").doesNotContain("$ w-screen");
            tmux.press("Up");
            tmux.await("last UP", WAIT);
            tmux.press("C-Left");
            tmux.await("last CTRL+LEFT", WAIT);
            tmux.type("\u001b[<0;5;3M");
            tmux.await("last MOUSE PRESS 4,2", WAIT);
            tmux.type("\u001b[<64;5;3M");
            tmux.await("last MOUSE WHEEL_UP 4,2", WAIT);
            tmux.resize(columns + 10, rows + 2);
            tmux.await("size " + (columns + 10) + "x" + (rows + 2), WAIT);
            tmux.type("q");
            String back = tmux.await("RESULT screen", WAIT);
            assertThat(back).contains("$ w-screen").doesNotContain("漢字 wide text");
            run(tmux, "w-screen");
            tmux.await("漢字 wide text", WAIT);
            tmux.type("x");
            String crashed = tmux.await("$", WAIT);
            events.await("error crashed inside the screen");
            assertThat(tmux.screen()).doesNotContain("漢字 wide text");
            run(tmux, "whoami");
            tmux.await("alice", WAIT);
        }
    }
}
