package dev.termlet.test;

import org.assertj.core.api.AbstractAssert;

/**
 * AssertJ assertions on a {@link VirtualScreen}; a failure shows the whole screen.
 *
 * <pre>{@code
 * assertThat(client.screen()).contains("world!").containsLine("$").hasCursorAt(2, 2);
 * }</pre>
 */
public final class VirtualScreenAssert extends AbstractAssert<VirtualScreenAssert, VirtualScreen> {
    VirtualScreenAssert(VirtualScreen actual) {
        super(actual, VirtualScreenAssert.class);
    }

    /**
     * Checks that some row contains the text.
     *
     * @param text the text
     * @return this
     */
    public VirtualScreenAssert contains(String text) {
        isNotNull();
        if (!actual.contains(text)) {
            failWithMessage("Expected the screen to contain <%s> but it did not:%n%s", text, actual);
        }
        return this;
    }

    /**
     * Checks that no row contains the text.
     *
     * @param text the text
     * @return this
     */
    public VirtualScreenAssert doesNotContain(String text) {
        isNotNull();
        if (actual.contains(text)) {
            failWithMessage("Expected the screen not to contain <%s> but it did:%n%s", text, actual);
        }
        return this;
    }

    /**
     * Checks that some row is exactly this text (trailing spaces ignored).
     *
     * @param text the text
     * @return this
     */
    public VirtualScreenAssert containsLine(String text) {
        isNotNull();
        if (!actual.hasLine(text)) {
            failWithMessage("Expected the screen to have the line <%s> but it did not:%n%s", text, actual);
        }
        return this;
    }

    /**
     * Checks one row's text (trailing spaces ignored).
     *
     * @param row the row, 0 at the top, negative from the bottom
     * @param text the text
     * @return this
     */
    public VirtualScreenAssert hasLine(int row, String text) {
        isNotNull();
        if (!actual.line(row).equals(text.stripTrailing())) {
            failWithMessage("Expected row %s to be <%s> but it was <%s>:%n%s", row, text, actual.line(row), actual);
        }
        return this;
    }

    /**
     * Checks where the cursor is.
     *
     * @param row the row, from 0
     * @param column the column, from 0
     * @return this
     */
    public VirtualScreenAssert hasCursorAt(int row, int column) {
        isNotNull();
        if (actual.cursor().row() != row || actual.cursor().column() != column) {
            failWithMessage("Expected the cursor at row %s column %s but it was at row %s column %s:%n%s", row, column,
                    actual.cursor().row(), actual.cursor().column(), actual);
        }
        return this;
    }

    /**
     * Checks that the full-screen (alternate) screen is shown.
     *
     * @return this
     */
    public VirtualScreenAssert isAlternate() {
        isNotNull();
        if (!actual.alternate()) {
            failWithMessage("Expected the alternate screen but the main screen was shown:%n%s", actual);
        }
        return this;
    }
}
