package dev.termlet.config.internal;

/**
 * Where a configuration value came from.
 *
 * @param source the file name, {@code environment variable NAME}, {@code system property NAME}, or a tree's name
 * @param line the line (1-based), or 0 when the source has none
 * @param column the column (1-based), or 0
 * @param literal whether the value was written in the source itself (a file or tree), not taken from the environment,
 *     a system property or a {@code ${file:...}} reference
 */
public record Origin(String source, int line, int column, boolean literal) {
    /** The built-in default. */
    public static final Origin DEFAULT = new Origin("default", 0, 0, false);

    /**
     * A place in a file or tree.
     *
     * @param source the file or tree name
     * @param line the line, 0 for none
     * @param column the column, 0 for none
     * @return the origin
     */
    public static Origin at(String source, int line, int column) {
        return new Origin(source, line, column, true);
    }

    /**
     * A value given outside the file.
     *
     * @param source what gave it, for example {@code environment variable TERMLET_PORT}
     * @return the origin
     */
    public static Origin outside(String source) {
        return new Origin(source, 0, 0, false);
    }

    @Override
    public String toString() {
        return line > 0 ? source + ":" + line + ":" + column : source;
    }
}
