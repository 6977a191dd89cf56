package dev.termlet.terminal;

import java.util.concurrent.ThreadFactory;
import org.jline.terminal.Terminal;
import org.jline.utils.InfoCmp.Capability;

/**
 * A spinner for work of unknown length, animated on its own small thread until it stops with a success
 * or failure mark.
 *
 * <pre>{@code
 * Spinner spinner = Spinner.start(terminal, "Contacting the build server");
 * try { call(); spinner.succeed(); } catch (Exception e) { spinner.fail(e.getMessage()); }
 * }</pre>
 */
public final class Spinner {
    private static final String[] FRAMES = {"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"};

    private final Terminal terminal;
    private final String label;
    private final Thread thread;
    private volatile boolean running = true;
    private boolean stopped;

    private Spinner(Terminal terminal, String label, ThreadFactory threads) {
        this.terminal = terminal;
        this.label = label;
        this.thread = threads.newThread(this::spin);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Starts a spinner.
     *
     * @param terminal where to draw
     * @param label what is going on
     * @return the running spinner
     */
    public static Spinner start(Terminal terminal, String label) {
        return new Spinner(terminal, label, r -> new Thread(r, "termlet-spinner"));
    }

    private void spin() {
        int i = 0;
        while (running) {
            synchronized (this) {
                if (!running) {
                    break;
                }
                line(FRAMES[i++ % FRAMES.length] + " " + label);
            }
            try {
                Thread.sleep(80);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void line(String text) {
        try {
            terminal.writer().print('\r');
            terminal.writer().print(ProgressBar.fit(text, Math.max(1, terminal.getWidth() - 1)));
            if (!terminal.puts(Capability.clr_eol)) {
                terminal.writer().print("\u001b[K");
            }
            terminal.flush();
        } catch (RuntimeException e) {
            running = false;
        }
    }

    /** Stops with a success mark. */
    public void succeed() {
        stop("✔ " + label);
    }

    /**
     * Stops with a failure mark.
     *
     * @param reason shown after the label, or null
     */
    public void fail(String reason) {
        stop("✖ " + label + (reason != null ? ": " + reason : ""));
    }

    private synchronized void stop(String finalLine) {
        if (stopped) {
            return;
        }
        stopped = true;
        running = false;
        thread.interrupt();
        line(finalLine);
        terminal.writer().print("\n");
        terminal.flush();
    }
}
