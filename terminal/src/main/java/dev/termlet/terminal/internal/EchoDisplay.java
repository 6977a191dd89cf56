package dev.termlet.terminal.internal;

import java.util.ArrayList;
import java.util.List;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.Display;

/**
 * JLine's display with one shortcut: characters typed at the end of a one-row line are echoed by the line reader
 * directly ({@link #appended}), and this display takes them into its picture of the screen only when it next has
 * to draw something else. Every drawing method first settles that picture, so JLine's own redisplay always works
 * from the true screen.
 */
final class EchoDisplay extends Display {

    /** Text echoed since the screen picture was last settled, written after the end of the one line. */
    private final StringBuilder pending = new StringBuilder();
    /** Whether the screen holds exactly what the line reader last recorded (see {@link #markSimple}). */
    private boolean simple;

    EchoDisplay(Terminal terminal) {
        super(terminal, false);
    }

    /**
     * Starts over as a new display does, for the next line read.
     *
     * @param rows the terminal's rows
     * @param columns the terminal's columns
     * @param delayWrap JLine's {@code DELAY_LINE_WRAP} option
     */
    void restart(int rows, int columns, boolean delayWrap) {
        pending.setLength(0);
        simple = false;
        cursorPos = 0;
        reset = false;
        if (rows == 0 || columns == 0) {
            columns = Integer.MAX_VALUE - 1;
            rows = 1;
        }
        this.rows = rows;
        this.columns = columns;
        this.columns1 = columns + 1;
        // what a new display's first resize leaves: one empty row (splitting no text)
        List<AttributedString> lines = new ArrayList<>(1);
        lines.add(AttributedString.EMPTY);
        oldLines = lines;
        delayLineWrap = delayWrap;
    }

    /**
     * Whether the screen shows one row and nothing was drawn since the line reader recorded it.
     *
     * @return true if {@link #appended} may be used
     */
    boolean simple() {
        return simple;
    }

    /** Records that the screen now shows the one row the line reader checked, with the cursor at its end. */
    void markSimple() {
        simple = oldLines.size() == 1 && pending.length() == 0;
    }

    /**
     * The cursor's position, in JLine's row-times-(columns+1) encoding (the column, on the first row).
     *
     * @return the position
     */
    int cursor() {
        return cursorPos;
    }

    /** @return the terminal width the display works with */
    int width() {
        return columns;
    }

    /**
     * Takes note of a character the line reader wrote at the cursor, at the end of the one row.
     *
     * @param c the character, one column wide
     */
    void appended(char c) {
        pending.append(c);
        cursorPos++;
    }

    private void settle() {
        if (pending.length() == 0) {
            return;
        }
        AttributedStringBuilder sb = new AttributedStringBuilder();
        if (!oldLines.isEmpty()) {
            sb.append(oldLines.get(0));
        }
        sb.append(pending);
        List<AttributedString> lines = new ArrayList<>(1);
        lines.add(sb.toAttributedString());
        oldLines = lines;
        pending.setLength(0);
    }

    @Override
    public void update(List<AttributedString> newLines, int targetCursorPos, boolean flush) {
        settle();
        simple = false;
        super.update(newLines, targetCursorPos, flush);
    }

    @Override
    public void resize(int rows, int columns) {
        settle();
        simple = false;
        super.resize(rows, columns);
    }

    @Override
    public void reset() {
        pending.setLength(0);
        simple = false;
        super.reset();
    }

    @Override
    public void clear() {
        settle();
        simple = false;
        super.clear();
    }

    @Override
    public void setDelayLineWrap(boolean v) {
        settle();
        simple = false;
        super.setDelayLineWrap(v);
    }
}
