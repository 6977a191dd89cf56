package dev.termlet.terminal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jline.utils.AttributedString;

/**
 * Rows of cells rendered as aligned text, measured in display columns so that CJK text (two columns a
 * character) and combining marks (none) line up. Columns are separated by two spaces and the header is
 * underlined with {@code ─}. When the table is wider than the room it is given, the widest columns shrink
 * first, never below three columns, and cut text ends with {@code …}.
 *
 * <p>Cells are made safe to print: escape sequences are removed and newlines, tabs and other control
 * characters become a space. A table is not thread-safe.
 *
 * <pre>{@code
 * Table.of("User", "Sessions").align(1, Table.Align.RIGHT).row("alice", 2).row("山田", 10).render(80);
 * }</pre>
 */
public final class Table {
    /** How a column's text sits in its width. */
    public enum Align {
        /** Text starts at the left edge (the default). */
        LEFT,
        /** Text ends at the right edge, as for numbers. */
        RIGHT
    }

    private static final int MIN_COLUMN = 3;
    private static final String GAP = "  ";
    private static final String ELLIPSIS = "…";
    private static final char RULE = '─';

    private final String[] headers;
    private final Align[] aligns;
    private final List<String[]> rows = new ArrayList<>();

    private Table(String[] headers) {
        this.headers = headers;
        this.aligns = new Align[headers.length];
        Arrays.fill(aligns, Align.LEFT);
    }

    /**
     * Starts a table with one column per header.
     *
     * @param headers the column headers; a null header is empty
     * @return a table without rows
     * @throws IllegalArgumentException if there are no headers
     */
    public static Table of(String... headers) {
        Objects.requireNonNull(headers, "headers");
        if (headers.length == 0) {
            throw new IllegalArgumentException("a table needs at least one column");
        }
        return new Table(clean(headers));
    }

    /**
     * Adds a row.
     *
     * @param cells one value per column, shown with {@code toString()}; null is empty
     * @return this table
     * @throws IllegalArgumentException if the number of cells differs from the number of headers
     */
    public Table row(Object... cells) {
        Object[] values = cells == null ? new Object[] {null} : cells;
        if (values.length != headers.length) {
            throw new IllegalArgumentException("row " + (rows.size() + 1) + " has " + values.length
                    + " cells but the table has " + headers.length + " columns");
        }
        rows.add(clean(values));
        return this;
    }

    /**
     * Sets the alignment of a column, header included.
     *
     * @param column the column, from 0
     * @param align the alignment
     * @return this table
     * @throws IndexOutOfBoundsException if there is no such column
     */
    public Table align(int column, Align align) {
        aligns[Objects.checkIndex(column, aligns.length)] = Objects.requireNonNull(align, "align");
        return this;
    }

    /**
     * Renders the table into lines no wider than {@code maxWidth} display columns: the header, a rule of
     * {@code ─} under each column, then the rows. Lines carry no trailing padding. If the columns cannot
     * shrink enough (three columns each at least), the lines themselves are cut with {@code …}.
     *
     * @param maxWidth the most display columns a line may take; 0 or less gives empty lines
     * @return the lines, two more than there are rows
     */
    public List<String> render(int maxWidth) {
        int[] widths = fitWidths(naturalWidths(), maxWidth - GAP.length() * (headers.length - 1));
        List<String> lines = new ArrayList<>(rows.size() + 2);
        lines.add(fit(line(headers, widths), maxWidth));
        StringBuilder rule = new StringBuilder();
        for (int c = 0; c < widths.length; c++) {
            rule.append(c > 0 ? GAP : "").append(String.valueOf(RULE).repeat(widths[c]));
        }
        lines.add(fit(rule.toString(), maxWidth));
        for (String[] r : rows) {
            lines.add(fit(line(r, widths), maxWidth));
        }
        return lines;
    }

    /**
     * The table rendered 1000 columns wide, lines joined with {@code \n}.
     *
     * @return the table as text
     */
    @Override
    public String toString() {
        return String.join("\n", render(1000));
    }

    private int[] naturalWidths() {
        int[] widths = new int[headers.length];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = columns(headers[c]);
            for (String[] r : rows) {
                widths[c] = Math.max(widths[c], columns(r[c]));
            }
        }
        return widths;
    }

    /**
     * Shrinks the widest columns until their sum fits the budget, as if taking one column at a time from
     * the widest: every column is capped at a level {@code L >= 3}, and the columns above the cap share what
     * is left over, one each from the left.
     */
    static int[] fitWidths(int[] natural, int budget) {
        if (Arrays.stream(natural).sum() <= budget) {
            return natural.clone();
        }
        int lo = MIN_COLUMN;
        int hi = Arrays.stream(natural).max().orElse(0);
        if (capped(natural, lo) > budget) {
            return capAt(natural, lo); // too many columns: the lines get cut instead
        }
        while (lo < hi) { // largest level whose capped sum fits
            int mid = (lo + hi + 1) >>> 1;
            if (capped(natural, mid) <= budget) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        int[] widths = capAt(natural, lo);
        int spare = budget - capped(natural, lo);
        for (int c = 0; c < widths.length && spare > 0; c++) {
            if (natural[c] > lo) {
                widths[c]++;
                spare--;
            }
        }
        return widths;
    }

    private static int capped(int[] natural, int level) {
        int sum = 0;
        for (int w : natural) {
            sum += Math.min(w, level);
        }
        return sum;
    }

    private static int[] capAt(int[] natural, int level) {
        return Arrays.stream(natural).map(w -> Math.min(w, level)).toArray();
    }

    private String line(String[] cells, int[] widths) {
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < cells.length; c++) {
            if (c > 0) {
                sb.append(GAP);
            }
            String cell = fit(cells[c], widths[c]);
            String pad = " ".repeat(widths[c] - columns(cell));
            sb.append(aligns[c] == Align.RIGHT ? pad + cell : cell + pad);
        }
        int end = sb.length();
        while (end > 0 && sb.charAt(end - 1) == ' ') {
            end--;
        }
        return sb.substring(0, end);
    }

    /**
     * Cuts clean text to a display width, ending with {@code …} when cut. A wide character that would cross
     * the edge is left out and a space fills its place, so the result is exactly {@code width} wide.
     */
    static String fit(String text, int width) {
        if (width <= 0) {
            return "";
        }
        AttributedString a = new AttributedString(text);
        if (a.columnLength() <= width) {
            return text;
        }
        AttributedString head = a.columnSubSequence(0, width - 1);
        return head + ELLIPSIS + " ".repeat(width - 1 - head.columnLength());
    }

    private static int columns(String cleanText) {
        return new AttributedString(cleanText).columnLength();
    }

    private static String[] clean(Object[] values) {
        String[] out = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            String s = values[i] == null ? null : values[i].toString();
            out[i] = TerminalText.sanitize(s, false, " ");
        }
        return out;
    }
}
