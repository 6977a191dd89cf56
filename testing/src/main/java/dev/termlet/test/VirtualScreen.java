package dev.termlet.test;

import java.util.List;
import java.util.Objects;
import org.assertj.core.api.AssertProvider;

/**
 * What a person sees on the terminal at one moment: the text of each row, the size and the cursor. A snapshot:
 * it does not change as more output arrives ({@link TestClient#screen()} takes a new one).
 *
 * <p>Colours and text attributes are not kept. A wide (CJK) character takes two cells but is one character in
 * its line's text. It works with AssertJ: {@code assertThat(screen).containsLine("$ ")} (see
 * {@link VirtualScreenAssert}).
 */
public final class VirtualScreen implements AssertProvider<VirtualScreenAssert> {
    private final List<String> lines;
    private final int columns;
    private final int rows;
    private final Cursor cursor;
    private final boolean alternate;

    /**
     * Where the cursor is, counted from 0.
     *
     * @param row the row, 0 at the top
     * @param column the cell in the row, 0 at the left
     * @param visible false while the application hides the cursor
     */
    public record Cursor(int row, int column, boolean visible) {}

    VirtualScreen(List<String> lines, int columns, int rows, Cursor cursor, boolean alternate) {
        this.lines = List.copyOf(lines);
        this.columns = columns;
        this.rows = rows;
        this.cursor = cursor;
        this.alternate = alternate;
    }

    /** @return the text of each row, top to bottom, without trailing spaces; one entry per row */
    public List<String> lines() {
        return lines;
    }

    /**
     * The text of one row.
     *
     * @param row the row, 0 at the top; a negative number counts from the bottom ({@code -1} is the last row)
     * @return its text without trailing spaces
     * @throws IndexOutOfBoundsException if there is no such row
     */
    public String line(int row) {
        return lines.get(row < 0 ? rows + row : row);
    }

    /** @return the rows joined with {@code \n}, without the blank rows at the bottom */
    public String text() {
        int last = lines.size();
        while (last > 0 && lines.get(last - 1).isEmpty()) {
            last--;
        }
        return String.join("\n", lines.subList(0, last));
    }

    /**
     * Whether some row holds the text (text that wraps onto the next row is not found).
     *
     * @param text the text
     * @return true if a row contains it
     */
    public boolean contains(String text) {
        Objects.requireNonNull(text, "text");
        return lines.stream().anyMatch(l -> l.contains(text));
    }

    /**
     * Whether some row is exactly this text, ignoring trailing spaces.
     *
     * @param text the text
     * @return true if a row equals it
     */
    public boolean hasLine(String text) {
        return lines.contains(text.stripTrailing());
    }

    /**
     * The last row that is not blank, where a prompt or the latest output usually is.
     *
     * @return its text, or the empty string if the screen is blank
     */
    public String lastNonBlankLine() {
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (!lines.get(i).isBlank()) {
                return lines.get(i);
            }
        }
        return "";
    }

    /** @return the cursor */
    public Cursor cursor() {
        return cursor;
    }

    /** @return the text of the row the cursor is on */
    public String cursorLine() {
        return lines.get(cursor.row());
    }

    /** @return the width in cells */
    public int columns() {
        return columns;
    }

    /** @return the height in rows */
    public int rows() {
        return rows;
    }

    /** @return true while a full-screen application shows the alternate screen */
    public boolean alternate() {
        return alternate;
    }

    /** @return an assertion on this screen (what AssertJ's {@code assertThat(screen)} returns) */
    @Override
    public VirtualScreenAssert assertThat() {
        return new VirtualScreenAssert(this);
    }

    /** @return the screen in a frame, one row a line, with its size and cursor: for failure messages */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append("screen ").append(columns).append('x').append(rows).append(", cursor at row ").append(cursor.row())
                .append(" column ").append(cursor.column()).append(alternate ? ", alternate screen" : "").append('\n');
        for (String l : lines) {
            sb.append('|').append(l).append('\n');
        }
        return sb.toString();
    }
}
