package dev.termlet.terminal;

import java.util.ArrayList;
import java.util.List;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;
import org.jline.utils.Display;

/**
 * Several progress bars at once, one line each, redrawn together in place below the cursor.
 *
 * <pre>{@code
 * try (ProgressGroup group = new ProgressGroup(terminal)) {
 *     ProgressGroup.Bar a = group.add("eu-west", 100);
 *     ProgressGroup.Bar b = group.add("us-east", 100);
 *     ... a.step(1); b.step(3); ...
 * }
 * }</pre>
 */
public final class ProgressGroup implements AutoCloseable {
    private final Terminal terminal;
    private final Display display;
    private final List<Bar> bars = new ArrayList<>();
    private long lastDraw;
    private boolean closed;

    /** One bar of a group. */
    public final class Bar {
        private final ProgressBar.State state;

        private Bar(String label, long total) {
            this.state = new ProgressBar.State(label, total);
        }

        /**
         * Adds to the amount done.
         *
         * @param amount how much more is done
         */
        public void step(long amount) {
            synchronized (ProgressGroup.this) {
                state.set(state.done() + amount);
                draw(false);
            }
        }

        /**
         * Ends this bar with a failure mark.
         *
         * @param message for example {@code "failed: timeout"}
         */
        public void fail(String message) {
            synchronized (ProgressGroup.this) {
                state.outcome(message);
                draw(true);
            }
        }
    }

    /**
     * Starts an empty group.
     *
     * @param terminal where to draw
     */
    public ProgressGroup(Terminal terminal) {
        this.terminal = terminal;
        this.display = new Display(terminal, false);
    }

    /**
     * Adds a bar.
     *
     * @param label what is in progress
     * @param total the amount that is 100 %
     * @return the bar
     */
    public synchronized Bar add(String label, long total) {
        Bar b = new Bar(label, total);
        bars.add(b);
        draw(true);
        return b;
    }

    private void draw(boolean force) {
        long now = System.nanoTime();
        if (closed || (!force && now - lastDraw < 50_000_000L)) {
            return;
        }
        lastDraw = now;
        int width = Math.max(10, terminal.getWidth() - 1);
        display.resize(Math.max(1, terminal.getHeight()), width + 1);
        List<AttributedString> lines = new ArrayList<>();
        for (Bar b : bars) {
            lines.add(new AttributedString(b.state.render(width)));
        }
        display.update(lines, -1);
        terminal.flush();
    }

    /** Draws the final state and moves below the bars. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        draw(true);
        closed = true;
        terminal.writer().print("\r\n");
        terminal.flush();
    }
}
