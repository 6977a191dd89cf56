package dev.termlet.terminal;

import java.time.Duration;
import java.util.Locale;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;
import org.jline.utils.InfoCmp.Capability;

/**
 * A progress bar redrawn in place on one line: label, bar, percent, count, rate and time left, fitted to
 * the terminal's current width (labels measured in display columns, so wide characters fit).
 *
 * <pre>{@code
 * try (ProgressBar bar = new ProgressBar(terminal, "Copying", files.size())) {
 *     for (Path f : files) { copy(f); bar.step(1); }
 * }
 * }</pre>
 *
 * Redraws are limited to one every 50 ms; {@link #close()} draws the final state and ends the line.
 */
public final class ProgressBar implements AutoCloseable {
    private static final long REDRAW_NANOS = 50_000_000L;

    private final Terminal terminal;
    private final State state;
    private long lastDraw;
    private boolean closed;

    /** The numbers of one bar and how they are drawn; shared with {@link ProgressGroup}. */
    static final class State {
        private final String label;
        private final long total;
        private final long started = System.nanoTime();
        private long done;
        private String outcome;

        State(String label, long total) {
            this.label = label;
            this.total = total;
        }

        long done() {
            return done;
        }

        long total() {
            return total;
        }

        void set(long amount) {
            done = Math.max(0, total > 0 ? Math.min(amount, total) : amount);
        }

        void outcome(String message) {
            outcome = message;
        }

        String render(int width) {
            double seconds = Math.max(1e-9, (System.nanoTime() - started) / 1e9);
            double rate = done / seconds;
            StringBuilder tail = new StringBuilder();
            if (total > 0) {
                tail.append(String.format(Locale.ROOT, " %3d%%", (int) (done * 100 / total)));
            }
            tail.append(' ').append(done);
            if (total > 0) {
                tail.append('/').append(total);
            }
            if (outcome != null) {
                tail.append(' ').append(outcome);
            } else {
                tail.append(' ').append(human(rate)).append("/s");
                if (total > 0 && done < total && rate > 0) {
                    tail.append(" ETA ").append(clock(Duration.ofSeconds((long) ((total - done) / rate))));
                } else if (total > 0 && done >= total) {
                    tail.append(" done");
                }
            }
            String head = fit(label, Math.max(0, width / 3));
            int barWidth = width - TerminalText.width(head) - tail.length() - 3;
            StringBuilder sb = new StringBuilder(head);
            if (barWidth >= 5) {
                int filled = total > 0 ? (int) (barWidth * done / total) : (int) (done % (barWidth + 1));
                sb.append(" [");
                for (int i = 0; i < barWidth; i++) {
                    sb.append(total > 0 ? (i < filled ? '#' : '-') : (i == filled ? '#' : ' '));
                }
                sb.append(']');
            }
            sb.append(tail);
            return fit(sb.toString(), width);
        }
    }

    /**
     * Starts a bar and draws it.
     *
     * @param terminal where to draw
     * @param label what is in progress
     * @param total the amount that is 100 %; 0 or less for unknown
     */
    public ProgressBar(Terminal terminal, String label, long total) {
        this.terminal = terminal;
        this.state = new State(label, total);
        draw(true);
    }

    /**
     * Adds to the amount done.
     *
     * @param amount how much more is done
     */
    public synchronized void step(long amount) {
        set(state.done() + amount);
    }

    /**
     * Sets the amount done.
     *
     * @param amount the amount done so far
     */
    public synchronized void set(long amount) {
        state.set(amount);
        draw(false);
    }

    /** @return the amount done */
    public synchronized long done() {
        return state.done();
    }

    /**
     * Ends the bar with a mark instead of the rate: a failure shows where it stopped.
     *
     * @param message for example {@code "failed: disk full"}
     */
    public synchronized void fail(String message) {
        state.outcome(message);
        close();
    }

    /** Draws the final state and moves to the next line. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        draw(true);
        terminal.writer().print("\n");
        terminal.flush();
    }

    /**
     * The line for a given width, for tests and custom drawing.
     *
     * @param width columns available
     * @return the line, at most {@code width} columns wide
     */
    synchronized String render(int width) {
        return state.render(width);
    }

    private void draw(boolean force) {
        long now = System.nanoTime();
        if (!force && now - lastDraw < REDRAW_NANOS && (state.total() <= 0 || state.done() < state.total())) {
            return;
        }
        lastDraw = now;
        int width = Math.max(10, terminal.getWidth() - 1);
        terminal.writer().print('\r');
        terminal.writer().print(render(width));
        if (!terminal.puts(Capability.clr_eol)) {
            terminal.writer().print("\u001b[K");
        }
        terminal.flush();
    }

    static String fit(String s, int width) {
        AttributedString a = new AttributedString(s);
        return a.columnLength() <= width ? s : a.columnSubSequence(0, width).toString();
    }

    static String human(double n) {
        if (n < 1000) {
            return String.format(Locale.ROOT, "%.0f", n);
        }
        String[] units = {"k", "M", "G", "T"};
        int u = -1;
        while (n >= 1000 && u < units.length - 1) {
            n /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f%s", n, units[u]);
    }

    static String clock(Duration d) {
        long s = d.getSeconds();
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s % 3600) / 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
