package dev.termlet.test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jline.utils.WCWidth;

/**
 * A small VT100/xterm screen: what a person would see of the bytes a server sends. It interprets the subset
 * that JLine and Termlet's widgets emit: printing with wrap and wide (CJK) characters, CR, LF, BS, TAB, cursor
 * moves and positioning, save and restore, erase in line and display, insert and delete of characters and lines,
 * scroll regions, index and reverse index, the alternate screen, cursor keys mode and the cursor position report.
 * Colours and other SGR attributes do not change the text and are ignored, as are OSC and DCS strings.
 *
 * <p>Not thread-safe: {@link TestClient} feeds it under a lock.
 */
final class Emulator {
    /** The cell right of a wide character. */
    private static final String WIDE_TAIL = "";

    private int columns;
    private int rows;
    private String[][] main;
    private String[][] alternate;
    private String[][] grid;
    private int x;
    private int y;
    private boolean pendingWrap;
    private int top;
    private int bottom;
    private int savedX;
    private int savedY;
    private boolean autowrap = true;
    private boolean cursorVisible = true;
    private boolean applicationCursorKeys;
    private final ByteArrayOutputStream replies = new ByteArrayOutputStream();

    // parser state
    private enum State { TEXT, ESC, ESC_SKIP_ONE, CSI, STRING, STRING_ESC }

    private State state = State.TEXT;
    private final StringBuilder params = new StringBuilder();
    // UTF-8 decoding across writes
    private int codepoint;
    private int pendingBytes;

    Emulator(int columns, int rows) {
        if (columns < 1 || rows < 1) {
            throw new IllegalArgumentException("a screen needs at least one column and one row: " + columns + "x"
                    + rows);
        }
        this.columns = columns;
        this.rows = rows;
        main = blank(columns, rows);
        alternate = blank(columns, rows);
        grid = main;
        top = 0;
        bottom = rows - 1;
    }

    private static String[][] blank(int columns, int rows) {
        String[][] g = new String[rows][columns];
        for (String[] row : g) {
            Arrays.fill(row, " ");
        }
        return g;
    }

    /** @return the replies the terminal owes the server (cursor position reports), emptied */
    byte[] takeReplies() {
        byte[] r = replies.toByteArray();
        replies.reset();
        return r;
    }

    /** @return true if the application asked for cursor keys in application mode (DECCKM) */
    boolean applicationCursorKeys() {
        return applicationCursorKeys;
    }

    /** @return the screen as it is now */
    VirtualScreen snapshot() {
        List<String> lines = new ArrayList<>(rows);
        for (String[] row : grid) {
            StringBuilder sb = new StringBuilder();
            for (String cell : row) {
                sb.append(cell);
            }
            lines.add(sb.toString().stripTrailing());
        }
        VirtualScreen.Cursor cursor = new VirtualScreen.Cursor(y, Math.min(x, columns - 1), cursorVisible);
        return new VirtualScreen(lines, columns, rows, cursor, grid == alternate);
    }

    /**
     * Changes the size, keeping what fits at the top left.
     *
     * @param newColumns the new width
     * @param newRows the new height
     */
    void resize(int newColumns, int newRows) {
        if (newColumns < 1 || newRows < 1) {
            throw new IllegalArgumentException("a screen needs at least one column and one row");
        }
        boolean onAlternate = grid == alternate;
        main = copy(main, newColumns, newRows);
        alternate = copy(alternate, newColumns, newRows);
        grid = onAlternate ? alternate : main;
        columns = newColumns;
        rows = newRows;
        top = 0;
        bottom = rows - 1;
        x = Math.min(x, columns - 1);
        y = Math.min(y, rows - 1);
        pendingWrap = false;
    }

    private static String[][] copy(String[][] from, int columns, int rows) {
        String[][] to = blank(columns, rows);
        for (int r = 0; r < Math.min(rows, from.length); r++) {
            for (int c = 0; c < Math.min(columns, from[r].length); c++) {
                to[r][c] = from[r][c];
            }
            if (columns < from[r].length && from[r][columns].isEmpty()) {
                to[r][columns - 1] = " ";   // half a wide character does not survive
            }
        }
        return to;
    }

    /**
     * Interprets bytes as the terminal would.
     *
     * @param bytes the bytes
     * @param off the start
     * @param len how many
     */
    void write(byte[] bytes, int off, int len) {
        for (int i = off; i < off + len; i++) {
            int b = bytes[i] & 0xff;
            if (pendingBytes > 0) {
                if ((b & 0xc0) == 0x80) {
                    codepoint = (codepoint << 6) | (b & 0x3f);
                    if (--pendingBytes == 0) {
                        accept(codepoint);
                    }
                    continue;
                }
                pendingBytes = 0;
                accept(0xfffd);
            }
            if (b < 0x80) {
                accept(b);
            } else if ((b & 0xe0) == 0xc0) {
                codepoint = b & 0x1f;
                pendingBytes = 1;
            } else if ((b & 0xf0) == 0xe0) {
                codepoint = b & 0x0f;
                pendingBytes = 2;
            } else if ((b & 0xf8) == 0xf0) {
                codepoint = b & 0x07;
                pendingBytes = 3;
            } else {
                accept(0xfffd);
            }
        }
    }

    /**
     * Interprets text (for tests of the emulator).
     *
     * @param text the text
     */
    void write(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        write(b, 0, b.length);
    }

    private void accept(int c) {
        switch (state) {
            case TEXT -> text(c);
            case ESC -> escape(c);
            case ESC_SKIP_ONE -> state = State.TEXT;
            case CSI -> {
                if (c >= 0x40 && c <= 0x7e) {
                    state = State.TEXT;
                    csi(c, params.toString());
                } else if (c == 0x1b) {
                    state = State.ESC;
                } else if (c >= 0x20) {
                    params.appendCodePoint(c);
                } else {
                    control(c);   // C0 controls act inside a control sequence
                }
            }
            case STRING -> {
                if (c == 0x07) {
                    state = State.TEXT;
                } else if (c == 0x1b) {
                    state = State.STRING_ESC;
                }
            }
            case STRING_ESC -> state = c == '\\' ? State.TEXT : State.STRING;
        }
    }

    private void text(int c) {
        if (c == 0x1b) {
            state = State.ESC;
        } else if (c < 0x20 || c == 0x7f) {
            control(c);
        } else if (c >= 0x80 && c < 0xa0) {
            // C1 controls: not used by the server
        } else {
            print(c);
        }
    }

    private void control(int c) {
        switch (c) {
            case '\r' -> {
                x = 0;
                pendingWrap = false;
            }
            case '\n', 0x0b, 0x0c -> lineFeed();
            case '\b' -> {
                if (pendingWrap) {
                    pendingWrap = false;
                } else if (x > 0) {
                    x--;
                }
            }
            case '\t' -> {
                x = Math.min(columns - 1, (x / 8 + 1) * 8);
                pendingWrap = false;
            }
            default -> {
                // BEL, NUL, SO, SI, DEL...: nothing to see
            }
        }
    }

    private void escape(int c) {
        state = State.TEXT;
        switch (c) {
            case '[' -> {
                params.setLength(0);
                state = State.CSI;
            }
            case ']', 'P', '_', '^', 'X' -> state = State.STRING;
            case '(', ')', '*', '+', '#', '%', ' ' -> state = State.ESC_SKIP_ONE;
            case '7' -> save();
            case '8' -> restore();
            case 'D' -> lineFeed();
            case 'E' -> {
                x = 0;
                lineFeed();
            }
            case 'M' -> reverseIndex();
            case 'c' -> reset();
            default -> {
                // ESC = and ESC > (keypad modes) and others change nothing visible
            }
        }
    }

    private void reset() {
        grid = main;
        main = blank(columns, rows);
        alternate = blank(columns, rows);
        grid = main;
        x = 0;
        y = 0;
        top = 0;
        bottom = rows - 1;
        pendingWrap = false;
        autowrap = true;
        cursorVisible = true;
        applicationCursorKeys = false;
    }

    private void save() {
        savedX = x;
        savedY = y;
    }

    private void restore() {
        x = Math.min(savedX, columns - 1);
        y = Math.min(savedY, rows - 1);
        pendingWrap = false;
    }

    private void print(int c) {
        int width = WCWidth.wcwidth(c);
        if (width == 0) {
            // a combining mark joins the character before it
            int px = pendingWrap ? x : x - 1;
            if (px >= 0) {
                if (grid[y][px].isEmpty() && px > 0) {
                    px--;
                }
                grid[y][px] = grid[y][px] + new String(Character.toChars(c));
            }
            return;
        }
        if (width < 0) {
            width = 1;
        }
        if (pendingWrap || (width == 2 && x == columns - 1)) {
            if (autowrap) {
                x = 0;
                lineFeed();
            } else if (width == 2) {
                x = columns - 2;
            }
            pendingWrap = false;
        }
        if (width == 2 && columns < 2) {
            return;
        }
        clearCell(y, x);
        if (width == 2) {
            clearCell(y, x + 1);
        }
        grid[y][x] = new String(Character.toChars(c));
        if (width == 2) {
            grid[y][x + 1] = WIDE_TAIL;
        }
        if (x + width >= columns) {
            x = columns - 1;
            pendingWrap = true;
        } else {
            x += width;
        }
    }

    /** Blanks a cell and the other half of a wide character it belongs to. */
    private void clearCell(int row, int col) {
        if (grid[row][col].isEmpty() && col > 0) {
            grid[row][col - 1] = " ";
        } else if (col + 1 < columns && grid[row][col + 1].isEmpty()) {
            grid[row][col + 1] = " ";
        }
        grid[row][col] = " ";
    }

    private void lineFeed() {
        pendingWrap = false;
        if (y == bottom) {
            scrollUp(top, bottom, 1);
        } else if (y < rows - 1) {
            y++;
        }
    }

    private void reverseIndex() {
        pendingWrap = false;
        if (y == top) {
            scrollDown(top, bottom, 1);
        } else if (y > 0) {
            y--;
        }
    }

    private void scrollUp(int from, int to, int n) {
        n = Math.min(n, to - from + 1);
        for (int r = from; r <= to; r++) {
            grid[r] = r + n <= to ? grid[r + n] : blankRow();
        }
    }

    private void scrollDown(int from, int to, int n) {
        n = Math.min(n, to - from + 1);
        for (int r = to; r >= from; r--) {
            grid[r] = r - n >= from ? grid[r - n] : blankRow();
        }
    }

    private String[] blankRow() {
        String[] row = new String[columns];
        Arrays.fill(row, " ");
        return row;
    }

    private static int[] numbers(String p) {
        String[] parts = p.isEmpty() ? new String[0] : p.split("[;:]", -1);
        int[] n = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                n[i] = parts[i].isEmpty() ? 0 : Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                n[i] = 0;
            }
        }
        return n;
    }

    private static int arg(int[] n, int i, int dflt) {
        return i < n.length && n[i] > 0 ? n[i] : dflt;
    }

    private void csi(int f, String p) {
        if (!p.isEmpty() && (p.charAt(0) == '?' || p.charAt(0) == '>' || p.charAt(0) == '=')) {
            char prefix = p.charAt(0);
            String rest = p.substring(1);
            if (prefix == '?' && (f == 'h' || f == 'l')) {
                privateMode(numbers(rest), f == 'h');
            }
            return;   // other private sequences (?u, >c, >4;1m...) ask or set what we do not show
        }
        if (!p.isEmpty() && !Character.isDigit(p.charAt(p.length() - 1)) && p.charAt(p.length() - 1) != ';') {
            return;   // an intermediate byte (CSI ... SP q, CSI ! p...): nothing we show
        }
        int[] n = numbers(p);
        int count = arg(n, 0, 1);
        if (f != 'm') {
            pendingWrap = pendingWrap && (f == 'n' || f == 'c' || f == 'h' || f == 'l');
        }
        switch (f) {
            case 'A' -> y = Math.max(y >= top ? top : 0, y - count);
            case 'B' -> y = Math.min(y <= bottom ? bottom : rows - 1, y + count);
            case 'C' -> x = Math.min(columns - 1, x + count);
            case 'D' -> x = Math.max(0, Math.min(x, columns - 1) - count);
            case 'E' -> {
                y = Math.min(y <= bottom ? bottom : rows - 1, y + count);
                x = 0;
            }
            case 'F' -> {
                y = Math.max(y >= top ? top : 0, y - count);
                x = 0;
            }
            case 'G', '`' -> x = Math.min(columns - 1, count - 1);
            case 'd' -> y = Math.min(rows - 1, count - 1);
            case 'H', 'f' -> {
                y = Math.min(rows - 1, arg(n, 0, 1) - 1);
                x = Math.min(columns - 1, arg(n, 1, 1) - 1);
            }
            case 'J' -> eraseDisplay(n.length == 0 ? 0 : n[0]);
            case 'K' -> eraseLine(n.length == 0 ? 0 : n[0]);
            case 'X' -> {
                for (int c = x; c < Math.min(columns, x + count); c++) {
                    clearCell(y, c);
                }
            }
            case 'P' -> deleteChars(count);
            case '@' -> insertChars(count);
            case 'L' -> {
                if (y >= top && y <= bottom) {
                    scrollDown(y, bottom, count);
                    x = 0;
                }
            }
            case 'M' -> {
                if (y >= top && y <= bottom) {
                    scrollUp(y, bottom, count);
                    x = 0;
                }
            }
            case 'S' -> scrollUp(top, bottom, count);
            case 'T' -> scrollDown(top, bottom, count);
            case 'r' -> {
                int t = arg(n, 0, 1) - 1;
                int b = Math.min(rows, arg(n, 1, rows)) - 1;
                if (t < b) {
                    top = t;
                    bottom = b;
                    x = 0;
                    y = 0;
                }
            }
            case 's' -> save();
            case 'u' -> restore();
            case 'n' -> {
                if (n.length > 0 && n[0] == 6) {
                    reply("\u001b[" + (y + 1) + ";" + (Math.min(x, columns - 1) + 1) + "R");
                } else if (n.length > 0 && n[0] == 5) {
                    reply("\u001b[0n");
                }
            }
            case 'c' -> reply("\u001b[?1;2c");
            default -> {
                // m (SGR), t (window), h/l (ANSI modes), q...: nothing visible
            }
        }
    }

    private void reply(String s) {
        replies.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }

    private void privateMode(int[] modes, boolean on) {
        for (int m : modes) {
            switch (m) {
                case 1 -> applicationCursorKeys = on;
                case 7 -> autowrap = on;
                case 25 -> cursorVisible = on;
                case 47, 1047, 1049 -> {
                    if (on && grid != alternate) {
                        if (m == 1049) {
                            save();
                        }
                        alternate = blank(columns, rows);
                        grid = alternate;
                    } else if (!on && grid == alternate) {
                        grid = main;
                        if (m == 1049) {
                            restore();
                        }
                    }
                }
                default -> {
                    // mouse, bracketed paste, focus...: nothing visible
                }
            }
        }
    }

    private void eraseLine(int mode) {
        int from = mode == 0 ? Math.min(x, columns - 1) : 0;
        int to = mode == 1 ? Math.min(x, columns - 1) : columns - 1;
        for (int c = from; c <= to; c++) {
            clearCell(y, c);
        }
    }

    private void eraseDisplay(int mode) {
        switch (mode) {
            case 0 -> {
                eraseLine(0);
                for (int r = y + 1; r < rows; r++) {
                    grid[r] = blankRow();
                }
            }
            case 1 -> {
                eraseLine(1);
                for (int r = 0; r < y; r++) {
                    grid[r] = blankRow();
                }
            }
            case 2, 3 -> {
                for (int r = 0; r < rows; r++) {
                    grid[r] = blankRow();
                }
            }
            default -> {
                // unknown: ignore
            }
        }
    }

    private void deleteChars(int n) {
        String[] row = grid[y];
        int cx = Math.min(x, columns - 1);
        clearCell(y, cx);
        n = Math.min(n, columns - cx);
        System.arraycopy(row, cx + n, row, cx, columns - cx - n);
        Arrays.fill(row, columns - n, columns, " ");
        if (row[cx].isEmpty()) {
            row[cx] = " ";
        }
    }

    private void insertChars(int n) {
        String[] row = grid[y];
        int cx = Math.min(x, columns - 1);
        if (row[cx].isEmpty()) {
            clearCell(y, cx);
        }
        n = Math.min(n, columns - cx);
        System.arraycopy(row, cx, row, cx + n, columns - cx - n);
        Arrays.fill(row, cx, cx + n, " ");
        if (!row[columns - 1].isEmpty() && columns >= 2 && WCWidth.wcwidth(row[columns - 1].codePointAt(0)) == 2) {
            row[columns - 1] = " ";   // a wide character pushed half off the line
        }
    }
}
