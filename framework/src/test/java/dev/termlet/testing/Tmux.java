package dev.termlet.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A detached tmux session running a command in a real pseudo-terminal, for screen-level tests. */
public final class Tmux implements AutoCloseable {
    private final String socket;
    private final String name = "t";

    /**
     * Starts a session.
     *
     * @param command the command line to run in it
     * @param columns width
     * @param rows height
     * @throws Exception if tmux fails
     */
    public Tmux(List<String> command, int columns, int rows) throws Exception {
        this.socket = "termlet-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        List<String> cmd = new ArrayList<>(List.of(OpenSsh.tool("tmux"), "-L", socket, "-f", "/dev/null",
                "new-session", "-d", "-s", name, "-x", Integer.toString(columns), "-y", Integer.toString(rows)));
        cmd.add(String.join(" ", command.stream().map(Tmux::quote).toList()));
        OpenSsh.Result r = OpenSsh.run(cmd, null, 20);
        if (r.status() != 0) {
            throw new AssertionError("tmux failed: " + r.err());
        }
        tmux("set-option", "-t", name, "remain-on-exit", "on");
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private OpenSsh.Result tmux(String... args) throws java.io.IOException {
        try {
            return tmuxOrInterrupt(args);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        } catch (java.io.IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new java.io.IOException(e);
        }
    }

    private OpenSsh.Result tmuxOrInterrupt(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-L", socket));
        cmd.addAll(List.of(args));
        return OpenSsh.run(cmd, null, 20);
    }

    /**
     * Types keys (tmux key names, or literal text with {@code literal=true}).
     *
     * @param keys the keys
     * @throws Exception if tmux fails
     */
    public void type(String keys) throws Exception {
        tmux("send-keys", "-t", name, "-l", keys);
    }

    /**
     * Presses a named key such as {@code Enter} or {@code C-d}.
     *
     * @param key the key name
     * @throws Exception if tmux fails
     */
    public void press(String key) throws Exception {
        tmux("send-keys", "-t", name, key);
    }

    /**
     * Resizes the window.
     *
     * @param columns width
     * @param rows height
     * @throws Exception if tmux fails
     */
    public void resize(int columns, int rows) throws Exception {
        tmux("resize-window", "-t", name, "-x", Integer.toString(columns), "-y", Integer.toString(rows));
    }

    /** @return the visible screen */
    public String screen() throws Exception {
        return tmux("capture-pane", "-p", "-t", name).out();
    }

    /**
     * Waits until the screen shows a text.
     *
     * @param text the text
     * @param timeout how long
     * @return the screen
     * @throws Exception if it does not appear
     */
    public String await(String text, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String s = "";
        while (System.nanoTime() < deadline) {
            s = screen();
            if (s.contains(text)) {
                return s;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("screen never showed '" + text + "':\n" + s);
    }

    @Override
    public void close() throws java.io.IOException {
        tmux("kill-server");
    }
}
