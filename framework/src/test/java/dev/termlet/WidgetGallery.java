package dev.termlet;

import dev.termlet.annotations.Command;
import dev.termlet.terminal.Dialog;
import dev.termlet.terminal.Key;
import dev.termlet.terminal.Menu;
import dev.termlet.terminal.ProgressBar;
import dev.termlet.terminal.Prompts;
import dev.termlet.terminal.Screen;
import dev.termlet.terminal.Spinner;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;

/** Every widget behind a command, for WidgetsTest. Each prints a RESULT line when it ends. */
public class WidgetGallery {
    private static Terminal t(Client c) {
        return c.terminal().orElseThrow();
    }

    @Command(name = "w-progress")
    void progress(Client c) throws InterruptedException {
        try (ProgressBar bar = new ProgressBar(t(c), "進捗 Progress", 50)) {
            for (int i = 0; i < 50; i++) {
                Thread.sleep(2);
                bar.step(1);
            }
        }
        c.println("RESULT progress");
    }

    @Command(name = "w-spinner")
    void spinner(Client c, String outcome) throws InterruptedException {
        Spinner s = Spinner.start(t(c), "Working 作業中");
        Thread.sleep(300);
        if (outcome.equals("ok")) {
            s.succeed();
        } else {
            s.fail("disk full");
        }
        c.println("RESULT spinner");
    }

    @Command(name = "w-menu")
    void menu(Client c) {
        Optional<Integer> i = Menu.choose(t(c), "Pick 選択", List.of("apple", "日本語メニュー", "cherry"));
        c.println("RESULT menu " + i.map(String::valueOf).orElse("cancelled"));
    }

    @Command(name = "w-text")
    void text(Client c) {
        c.println("RESULT text " + Prompts.text(t(c), "Name", "guest").orElse("cancelled"));
    }

    @Command(name = "w-password")
    void password(Client c) {
        c.println("RESULT password " + Prompts.password(t(c), "Password").map(p -> p.length() + " chars").orElse("cancelled"));
    }

    @Command(name = "w-confirm")
    void confirm(Client c) {
        c.println("RESULT confirm " + Prompts.confirm(t(c), "Sure?", false).map(String::valueOf).orElse("cancelled"));
    }

    @Command(name = "w-number")
    void number(Client c) {
        c.println("RESULT number " + Prompts.number(t(c), "Count", 1, 10, null).map(String::valueOf).orElse("cancelled"));
    }

    @Command(name = "w-message")
    void message(Client c) {
        Dialog.message(t(c), "Notice 通知", "The deployment finished. 展開が完了しました。 Press Enter.");
        c.println("RESULT message");
    }

    @Command(name = "w-dmenu")
    void dialogMenu(Client c) {
        Optional<Integer> i = Dialog.menu(t(c), "Target", List.of("staging", "本番 production", "canary"));
        c.println("RESULT dmenu " + i.map(String::valueOf).orElse("cancelled"));
    }

    @Command(name = "w-form")
    void form(Client c) {
        Optional<List<String>> v = Dialog.form(t(c), "Sign up", List.of(new Dialog.Field("Name", ""),
                new Dialog.Field("Password", "", true)));
        c.println("RESULT form " + v.map(l -> l.get(0) + "/" + l.get(1).length()).orElse("cancelled"));
    }

    @Command(name = "w-table")
    void table(Client c) {
        int width = c.size().columns();
        for (String line : dev.termlet.terminal.Table.of("User", "City", "Sessions")
                .align(2, dev.termlet.terminal.Table.Align.RIGHT)
                .row("alice", "Lisbon", 2).row("山田太郎", "東京都千代田区丸の内一丁目", 12).render(width)) {
            c.println(line);
        }
        c.print(dev.termlet.terminal.TerminalText.title("Termlet gallery"));
        c.println(dev.termlet.terminal.TerminalText.hyperlink("https://example.com/docs", "the docs"));
        c.println("RESULT table");
    }

    @Command(name = "w-pgroup")
    void group(Client c) throws InterruptedException {
        try (dev.termlet.terminal.ProgressGroup g = new dev.termlet.terminal.ProgressGroup(t(c))) {
            dev.termlet.terminal.ProgressGroup.Bar a = g.add("eu-west", 20);
            dev.termlet.terminal.ProgressGroup.Bar b = g.add("東京 tokyo", 40);
            for (int i = 0; i < 40; i++) {
                Thread.sleep(2);
                if (i < 20) {
                    a.step(1);
                }
                b.step(1);
            }
        }
        c.println("RESULT pgroup");
    }

    @Command(name = "w-screen")
    void screen(Client c) throws Exception {
        List<String> seen = new ArrayList<>();
        try (Screen s = Screen.open(t(c))) {
            s.mouse(true);
            while (true) {
                s.draw(List.of(new AttributedString("size " + s.width() + "x" + s.height()),
                        new AttributedString("last " + (seen.isEmpty() ? "-" : seen.get(seen.size() - 1))),
                        new AttributedString("漢字 wide text")));
                Key k = s.readKey(0);
                if (k.is("q")) {
                    break;
                }
                if (k.is("x")) {
                    throw new IllegalStateException("crashed inside the screen");
                }
                seen.add(k.mouse() != null ? "MOUSE " + k.mouse().action() + " " + k.mouse().column() + ","
                        + k.mouse().row() : k.is("RESIZE") ? "RESIZE " + s.width() + "x" + s.height() : k.name());
            }
        }
        c.println("RESULT screen " + String.join(";", seen));
    }
}
