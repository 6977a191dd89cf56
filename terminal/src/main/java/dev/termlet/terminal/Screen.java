package dev.termlet.terminal;

import java.io.IOException;
import java.util.List;
import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;
import org.jline.terminal.Terminal.Signal;
import org.jline.terminal.Terminal.SignalHandler;
import org.jline.utils.AttributedString;
import org.jline.utils.Display;
import org.jline.utils.InfoCmp.Capability;

/**
 * Takes a terminal over for a full-screen app or game: raw mode, the alternate screen, hidden cursor,
 * keys one at a time, flicker-free redraws through JLine's {@link Display}. {@link #close()} gives the
 * terminal back as it found it, and is safe to call when the client has already left; use it in
 * try-with-resources so that a handler that throws restores the terminal too.
 *
 * <pre>{@code
 * try (Screen screen = Screen.open(terminal)) {
 *     while (true) {
 *         screen.draw(render(screen.width(), screen.height()));
 *         Key key = screen.readKey(100);          // null: no key within 100 ms; RESIZE: size changed
 *         if (key != null && key.is("q")) break;
 *     }
 * }
 * }</pre>
 */
public final class Screen implements AutoCloseable {
    private static final long SLICE_MILLIS = 50;

    private final Terminal terminal;
    private final Attributes saved;
    private final SignalHandler previousWinch;
    private final Display display;
    private final KeyReader keys;
    private volatile boolean resized;
    private boolean mouse;
    private boolean closed;
    private int width;
    private int height;

    private Screen(Terminal terminal) {
        this.terminal = terminal;
        this.saved = terminal.enterRawMode();
        this.previousWinch = terminal.handle(Signal.WINCH, s -> resized = true);
        this.keys = new KeyReader(terminal);
        if (!terminal.puts(Capability.enter_ca_mode)) {
            terminal.writer().print("\u001b[?1049h");
        }
        terminal.puts(Capability.keypad_xmit);
        terminal.puts(Capability.cursor_invisible);
        terminal.puts(Capability.clear_screen);
        terminal.flush();
        this.display = new Display(terminal, true);
        size();
    }

    /**
     * Takes a terminal over.
     *
     * @param terminal the session's terminal
     * @return the screen; close it to give the terminal back
     */
    public static Screen open(Terminal terminal) {
        return new Screen(terminal);
    }

    private void size() {
        width = Math.max(1, terminal.getWidth());
        height = Math.max(1, terminal.getHeight());
        display.clear();
        display.resize(height, width);
    }

    /** @return the width in columns */
    public int width() {
        return width;
    }

    /** @return the height in rows */
    public int height() {
        return height;
    }

    /** @return the terminal */
    public Terminal terminal() {
        return terminal;
    }

    /**
     * Reads a key.
     *
     * @param timeoutMillis how long to wait; 0 or less waits as long as it takes
     * @return the key; a key named {@code RESIZE} when the size changed (read {@link #width()} and
     *     {@link #height()} again and redraw); null when nothing happened in time
     * @throws IOException when the client left ({@link java.io.EOFException}), the idle limit passed or the
     *     read was interrupted
     */
    public Key readKey(long timeoutMillis) throws IOException {
        long deadline = timeoutMillis > 0 ? System.nanoTime() + timeoutMillis * 1_000_000L : Long.MAX_VALUE;
        while (true) {
            if (resized) {
                resized = false;
                size();
                return new Key("", "RESIZE", -1);
            }
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                return null;
            }
            Key k = keys.read(Math.min(SLICE_MILLIS, left));
            if (k != null) {
                return k;
            }
        }
    }

    /**
     * Draws the whole screen; only what changed since the last draw is sent.
     *
     * @param lines the rows, top first; longer ones are cut at the width
     */
    public void draw(List<AttributedString> lines) {
        List<AttributedString> fitted = new java.util.ArrayList<>(Math.min(lines.size(), height));
        for (int i = 0; i < Math.min(lines.size(), height); i++) {
            AttributedString l = lines.get(i);
            fitted.add(l.columnLength() > width ? l.columnSubSequence(0, width) : l);
        }
        display.update(fitted, -1);
        terminal.flush();
    }

    /**
     * Turns xterm mouse reporting on or off (clicks, drags and the wheel, in SGR 1006 form with X10 as the
     * fallback); reports arrive as {@code MOUSE} keys.
     *
     * @param on whether to report
     */
    public void mouse(boolean on) {
        if (on == mouse) {
            return;
        }
        mouse = on;
        terminal.writer().print(on ? "\u001b[?1000h\u001b[?1002h\u001b[?1006h" : "\u001b[?1006l\u001b[?1002l\u001b[?1000l");
        terminal.flush();
    }

    /** Rings the bell. */
    public void bell() {
        if (!terminal.puts(Capability.bell)) {
            terminal.writer().print('\u0007');
        }
        terminal.flush();
    }

    /** Gives the terminal back: mouse off, main screen, cursor shown, previous mode and resize handler. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            mouse(false);
            terminal.puts(Capability.keypad_local);
            terminal.puts(Capability.cursor_visible);
            if (!terminal.puts(Capability.exit_ca_mode)) {
                terminal.writer().print("\u001b[?1049l");
            }
            terminal.flush();
        } catch (RuntimeException e) {
            // the client has gone; there is nothing to restore on its side
        } finally {
            terminal.handle(Signal.WINCH, previousWinch);
            terminal.setAttributes(saved);
        }
    }
}
