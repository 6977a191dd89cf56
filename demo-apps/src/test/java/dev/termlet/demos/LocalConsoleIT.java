package dev.termlet.demos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar termlet-demos.jar echo --local} as a developer runs it: in a real terminal (a tmux pane), no SSH.
 * Runs after {@code package} (it needs the shaded jar): {@code mvn verify}.
 */
class LocalConsoleIT {
    private static final Path JAR = Path.of("target", "termlet-demos.jar");
    private static final String JAVA = ProcessHandle.current().info().command().orElse("java");
    private static final String USER = System.getProperty("user.name");
    /** After the demo: its exit status, and whether the terminal is back in canonical mode with echo. */
    private static final String AFTER = "; echo \"exit status $?\";"
            + " if stty -a | grep -q -e '-icanon' -e '-echo '; then echo 'tty still raw'; else echo 'tty restored'; fi";

    @TempDir
    Path data;

    private Tmux tmux;

    @BeforeAll
    static void tmuxAndJar() {
        assumeTrue(Tmux.available(), "tmux is not installed: the local console test drives the demo in a tmux pane"
                + " (CI installs it; apt-get install tmux)");
        assertThat(JAR).as("the shaded demo jar, built by package before this test").exists();
    }

    @AfterEach
    void closeTmux() throws Exception {
        if (tmux != null) {
            tmux.close();
        }
    }

    private String demo(String... extra) {
        StringBuilder cmd = new StringBuilder(quote(JAVA) + " -jar " + quote(JAR.toAbsolutePath().toString())
                + " echo --local --data " + quote(data.toString()));
        for (String e : extra) {
            cmd.append(' ').append(quote(e));
        }
        return cmd + AFTER;
    }

    @Test
    void aLineIsAnsweredAResizeIsSeenAndCtrlDSaysGoodbye() throws Exception {
        tmux = new Tmux(demo(), 80, 24);
        tmux.await(s -> s.contains("Welcome to the Termlet echo demo, " + USER + "!") && s.contains("echo> "));

        tmux.type("hello");
        tmux.press("Enter");
        tmux.await(s -> s.contains("world!"));

        // keys go to the session's line editor, which echoes them and edits the line
        tmux.type("abd");
        tmux.press("Left");
        tmux.type("c");
        tmux.press("Enter");
        tmux.await(s -> s.contains("You said: abcd"));

        // SIGWINCH: the session's size follows the window and 'resized' fires once
        tmux.resize(100, 30);
        // the JVM hears SIGWINCH on a thread of its own, a moment later: ask again until the answer has it
        boolean seen = false;
        for (int i = 0; i < 30 && !seen; i++) {
            tmux.type("size");
            tmux.press("Enter");
            seen = tmux.within(Duration.ofSeconds(2), s -> s.contains("100x30 (resized 1 times)"));
        }
        assertThat(tmux.screen()).contains("100x30 (resized 1 times)").doesNotContain("resized 2 times");

        // Ctrl-C drops the line being edited, as over SSH (the JVM gets no SIGINT)
        tmux.type("not sent");
        tmux.press("C-c");
        tmux.press("C-d");
        String end = tmux.await(s -> s.contains("tty "));
        assertThat(end).contains("Goodbye, " + USER + ".").contains("exit status 0").contains("tty restored")
                .doesNotContain("You said: not sent");
        // the line history is the user's, in the data directory, as for SSH sessions
        assertThat(Files.readString(data.resolve("history").resolve(USER + ".history"), StandardCharsets.UTF_8))
                .contains("hello").contains("size");
    }

    @Test
    void aConfiguredUserAndDisconnectedAtJvmShutdown() throws Exception {
        tmux = new Tmux(demo("--local-user", "ada"), 80, 24);
        tmux.await(s -> s.contains("Welcome to the Termlet echo demo, ada!") && s.contains("echo> "));
        tmux.type("half a line");
        ProcessHandle java = tmux.shellProcess().children().filter(p -> p.info().command().orElse("").contains("java"))
                .findFirst().orElseThrow(() -> new AssertionError("no java process under the pane's shell"));
        assertThat(java.destroy()).isTrue(); // SIGTERM
        String end = tmux.await(s -> s.contains("tty "));
        assertThat(end).contains("Goodbye, ada.").contains("exit status 143").contains("tty restored");
    }

    @Test
    void sigintFromOutsideEndsTheSessionLikeSigterm() throws Exception {
        tmux = new Tmux(demo(), 80, 24);
        tmux.await(s -> s.contains("Welcome to the Termlet echo demo, " + USER + "!") && s.contains("echo> "));
        ProcessHandle java = tmux.shellProcess().children().filter(p -> p.info().command().orElse("").contains("java"))
                .findFirst().orElseThrow(() -> new AssertionError("no java process under the pane's shell"));
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(java.pid())).inheritIO().start();
        assertThat(kill.waitFor()).isZero();
        String end = tmux.await(s -> s.contains("tty "));
        assertThat(end).contains("Goodbye, " + USER + ".").contains("exit status 130").contains("tty restored");
    }

    @Test
    void withoutATerminalLinesComeFromStandardInput() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(JAVA, "-jar", JAR.toAbsolutePath().toString(), "echo", "--local",
                "--local-user", "bob", "--data", data.toString()).redirectErrorStream(true);
        Process p = pb.start();
        p.getOutputStream().write("hello\nsecond line\n".getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(out).contains("Welcome to the Termlet echo demo, bob!").contains("world!")
                .contains("You said: second line").endsWith("Goodbye, bob.\n").doesNotContain("\u001b");
        assertThat(p.exitValue()).isZero();
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** A detached tmux server of its own with one pane running a shell command. */
    static final class Tmux implements AutoCloseable {
        private final String socket = "termlet-local-" + ProcessHandle.current().pid() + "-" + System.nanoTime();

        Tmux(String shellCommand, int columns, int rows) throws Exception {
            tmux("-f", "/dev/null", "new-session", "-d", "-s", "t", "-x", Integer.toString(columns), "-y",
                    Integer.toString(rows), shellCommand);
            tmux("set-option", "-t", "t", "remain-on-exit", "on");
        }

        static boolean available() {
            try {
                Process p = new ProcessBuilder("tmux", "-V").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        private String tmux(String... args) throws Exception {
            List<String> cmd = new ArrayList<>(List.of("tmux", "-L", socket));
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError("tmux " + String.join(" ", args) + " failed: " + out);
            }
            return out;
        }

        void type(String text) throws Exception {
            tmux("send-keys", "-t", "t", "-l", text);
        }

        void press(String key) throws Exception {
            tmux("send-keys", "-t", "t", key);
        }

        void resize(int columns, int rows) throws Exception {
            tmux("resize-window", "-t", "t", "-x", Integer.toString(columns), "-y", Integer.toString(rows));
        }

        /** The screen and its scroll-back, as text. */
        String screen() throws Exception {
            return tmux("capture-pane", "-p", "-J", "-S", "-200", "-t", "t");
        }

        ProcessHandle shellProcess() throws Exception {
            long pid = Long.parseLong(tmux("display-message", "-p", "-t", "t", "#{pane_pid}").trim());
            return ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("no pane process " + pid));
        }

        /** Whether the screen comes to satisfy the condition within the time. */
        boolean within(Duration time, Predicate<String> condition) throws Exception {
            long deadline = System.nanoTime() + time.toNanos();
            while (System.nanoTime() < deadline) {
                if (condition.test(screen())) {
                    return true;
                }
                Thread.sleep(100);
            }
            return condition.test(screen());
        }

        String await(Predicate<String> condition) throws Exception {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            String s = screen();
            while (!condition.test(s)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("timed out; the screen:\n" + s);
                }
                Thread.sleep(100);
                s = screen();
            }
            return s;
        }

        @Override
        public void close() throws Exception {
            tmux("kill-server");
        }
    }
}
