package dev.termlet.terminal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jline.utils.AttributedString;

/**
 * A text table with columns sized by display width, so CJK text lines up. Columns shrink to fit a width,
 * widest first, and cut text ends with {@code …}.
 *
 * <pre>{@code
 * Table.of("User", "Sessions").align(1, Table.Align.RIGHT).row("alice", 2).row("山田", 10).render(80)
 * }</pre>
 */
public final class Table {
    /** Alignment of a column. */
    public enum Align {
        /** Text starts at the left. */
        LEFT,
        /** Text ends at the right (numbers). */
        RIGHT
    }

    private static final int MIN_COLUMN = 3;
    private final String[] headers;
    private final Align[] aligns;
    private final List<String[]> rows = new ArrayList<>();

    private Table(String[] headers) {
        this.headers = headers.clone();
        this.aligns = new Align[headers.length];
        Arrays.fill(aligns, Align.LEFT);
    }

    /**
     * Starts a table.
     *
     * @param headers the column headers
     * @return the table
     */
    public static Table of(String... headers) {
        String[] clean = new String[headers.length];
        for (int i = 0; i < headers.length; i++) {
            clean[i] = clean(headers[i]);
        }
        return new Table(clean);
    }

    private static String clean(Object cell) {
        if (cell == null) {
            return "";
        }
        return TerminalText.stripControls(cell.toString()).replace('\n', ' ').replace('\t', ' ');
    }

    /**
     * Adds a row.
     *
     * @param cells one value per column; null is empty
     * @return this table
     * @throws IllegalArgumentException if the number of cells differs from the number of headers
     */
    public Table row(Object... cells) {
        if (cells.length != headers.length) {
            throw new IllegalArgumentException("row " + (rows.size() + 1) + " has " + cells.length
                    + " cells, the table has " + headers.length + " columns");
        }
        String[] r = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            r[i] = clean(cells[i]);
        }
        rows.add(r);
        return this;
    }

    /**
     * Aligns a column.
     *
     * @param column the column, from 0
     * @param align the alignment
     * @return this table
     */
    public Table align(int column, Align align) {
        aligns[column] = align;
        return this;
    }

    /**
     * Renders the table.
     *
     * @param maxWidth the most columns a line may take
     * @return the lines: header, rule, rows
     */
    public List<String> render(int maxWidth) {
        int n = headers.length;
        int[] widths = new int[n];
        for (int c = 0; c < n; c++) {
            widths[c] = TerminalText.width(headers[c]);
            for (String[] r : rows) {
                widths[c] = Math.max(widths[c], TerminalText.width(r[c]));
            }
        }
        int total = Arrays.stream(widths).sum() + 2 * Math.max(0, n - 1);
        while (total > maxWidth) {
            int widest = 0;
            for (int c = 1; c < n; c++) {
                if (widths[c] > widths[widest]) {
                    widest = c;
                }
            }
            if (widths[widest] <= MIN_COLUMN) {
                break;
            }
            widths[widest]--;
            total--;
        }
        List<String> lines = new ArrayList<>();
        lines.add(line(headers, widths));
        String[] rule = new String[n];
        for (int c = 0; c < n; c++) {
            rule[c] = "─".repeat(widths[c]);
        }
        lines.add(String.join("  ", rule));
        for (String[] r : rows) {
            lines.add(line(r, widths));
        }
        List<String> fitted = new ArrayList<>();
        for (String l : lines) {
            fitted.add(cut(l, maxWidth));
        }
        return fitted;
    }

    private String line(String[] cells, int[] widths) {
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < cells.length; c++) {
            if (c > 0) {
                sb.append("  ");
            }
            String cell = cut(cells[c], widths[c]);
            String pad = " ".repeat(widths[c] - TerminalText.width(cell));
            sb.append(aligns[c] == Align.RIGHT ? pad + cell : c == cells.length - 1 ? cell : cell + pad);
        }
        return sb.toString();
    }

    /** Cuts text to a display width, ending with … when cut, never splitting a wide character. */
    static String cut(String text, int width) {
        AttributedString a = new AttributedString(text);
        if (a.columnLength() <= width) {
            return text;
        }
        if (width <= 0) {
            return "";
        }
        AttributedString head = a.columnSubSequence(0, width - 1);
        String s = head.toString() + "…";
        int w = TerminalText.width(s);
        return w < width ? s + " ".repeat(width - w) : s;
    }

    @Override
    public String toString() {
        return String.join("\n", render(1000));
    }
}
