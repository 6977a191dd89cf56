package dev.termlet;

/**
 * A terminal's size in character cells and, where the client reports them, pixels.
 *
 * @param columns width in cells (1..1000)
 * @param rows height in cells (1..1000)
 * @param pixelWidth width in pixels, 0 when unknown
 * @param pixelHeight height in pixels, 0 when unknown
 */
public record WindowSize(int columns, int rows, int pixelWidth, int pixelHeight) {

    /** The largest width or height accepted, in cells. */
    public static final int MAX_CELLS = 1000;

    /** The size assumed when the client sent none: 80x24. */
    public static final WindowSize DEFAULT = new WindowSize(80, 24, 0, 0);

    /**
     * Clamps client-supplied values into range: cells to 1..{@value #MAX_CELLS}, pixels to 0..65535.
     * A zero or negative cell count (some clients send 0 for "unknown") becomes the default.
     *
     * @param columns width in cells as sent
     * @param rows height in cells as sent
     * @param pixelWidth width in pixels as sent
     * @param pixelHeight height in pixels as sent
     * @return a size within range
     */
    public static WindowSize clamped(long columns, long rows, long pixelWidth, long pixelHeight) {
        int c = columns <= 0 ? DEFAULT.columns : (int) Math.min(columns, MAX_CELLS);
        int r = rows <= 0 ? DEFAULT.rows : (int) Math.min(rows, MAX_CELLS);
        int pw = (int) Math.max(0, Math.min(pixelWidth, 65535));
        int ph = (int) Math.max(0, Math.min(pixelHeight, 65535));
        return new WindowSize(c, r, pw, ph);
    }
}
