package dev.termlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.termlet.testing.Tmux;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Termlet.server().register(app).runLocal()} from code, in a real terminal (a tmux pane): the events, the
 * line editor, {@code readLine} and a widget on the JVM's own terminal, without SSH.
 */
class LocalConsoleTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String USER = System.getProperty("user.name");

    @TempDir
    Path dir;

    @BeforeAll
    static void tmuxInstalled() {
        assumeTrue(java.util.stream.Stream.of(System.getenv().getOrDefault("PATH", "/usr/bin").split(":"))
                .anyMatch(d -> Files.isExecutable(Path.of(d, "tmux"))),
                "tmux is not installed: the local console test runs the app in a tmux pane (apt-get install tmux)");
    }

    private Tmux start() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path script = dir.resolve("run.sh");
        // the class path is long for a tmux command line: a script holds it
        Files.writeString(script, "exec '" + java + "' -cp '" + System.getProperty("java.class.path")
                + "' dev.termlet.LocalConsoleApp '" + dir.resolve("data") + "' '" + dir.resolve("events.log") + "'\n");
        return new Tmux(List.of("sh", "-c", "sh '" + script + "'; echo \"exit status $?\""), 80, 24);
    }

    private List<String> events() throws Exception {
        Path log = dir.resolve("events.log");
        return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
    }

    private void awaitEvent(String event) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!events().contains(event)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no event '" + event + "'; the events: " + events());
            }
            Thread.sleep(50);
        }
    }

    @Test
    void eventsLineEditorReadLineAndAWidgetOnTheLocalTerminal() throws Exception {
        try (Tmux tmux = start()) {
            tmux.await("Hello " + USER + ", 80x24", WAIT);
            assertThat(events()).containsExactly("connect " + USER + " true local console");

            tmux.type("hi");
            tmux.press("Enter");
            tmux.await("got hi", WAIT);
            assertThat(events()).containsSubsequence("type h", "type i", "command hi");

            tmux.type("ask");
            tmux.press("Enter");
            tmux.await("Name?", WAIT);
            tmux.type("Ada");
            tmux.press("Enter");
            tmux.await("Hi, Ada.", WAIT);

            tmux.type("menu");
            tmux.press("Enter");
            tmux.await("green", WAIT);
            tmux.press("Down");
            tmux.press("Enter");
            tmux.await("chose green", WAIT);

            tmux.resize(90, 20);
            awaitEvent("resized 90x20");

            tmux.type("leave");
            tmux.press("Enter");
            String end = tmux.await("exit status 3", WAIT);
            assertThat(end).contains("Bye.");
            assertThat(events()).endsWith("command leave", "disconnected " + USER)
                    .filteredOn(e -> e.startsWith("disconnected")).hasSize(1);
        }
    }

    @Test
    void systemExitFromAHandlerStillFiresDisconnected() throws Exception {
        try (Tmux tmux = start()) {
            tmux.await("Hello " + USER, WAIT);
            tmux.type("halt");
            tmux.press("Enter");
            String end = tmux.await("exit status 7", WAIT);
            assertThat(end).contains("Bye.");
            assertThat(events()).endsWith("command halt", "disconnected " + USER);
        }
    }
}
