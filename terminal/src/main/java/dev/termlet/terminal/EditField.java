package dev.termlet.terminal;

import org.jline.utils.AttributedString;

/** One line of editable text for dialogs: insert, delete, move, measured in display columns. */
final class EditField {
    private final StringBuilder text;
    private final boolean secret;
    private final int max;
    private int cursor;

    EditField(String initial, boolean secret, int max) {
        this.text = new StringBuilder(initial == null ? "" : initial);
        this.secret = secret;
        this.max = max;
        this.cursor = text.length();
    }

    String value() {
        return text.toString();
    }

    /**
     * Applies a key.
     *
     * @param k the key
     * @return true if the key was an editing key
     */
    boolean apply(Key k) {
        if (k.isCharacter() || k.isPaste()) {
            String add = k.text().replaceAll("[\\p{Cntrl}]", " ");
            if (text.codePointCount(0, text.length()) + add.codePointCount(0, add.length()) <= max) {
                text.insert(cursor, add);
                cursor += add.length();
            }
            return true;
        }
        switch (k.name()) {
            case "BACKSPACE":
                if (cursor > 0) {
                    int start = text.offsetByCodePoints(cursor, -1);
                    text.delete(start, cursor);
                    cursor = start;
                }
                return true;
            case "DELETE":
            case "CTRL+D":
                if (cursor < text.length()) {
                    text.delete(cursor, text.offsetByCodePoints(cursor, 1));
                }
                return true;
            case "LEFT":
            case "CTRL+B":
                cursor = cursor > 0 ? text.offsetByCodePoints(cursor, -1) : 0;
                return true;
            case "RIGHT":
            case "CTRL+F":
                cursor = cursor < text.length() ? text.offsetByCodePoints(cursor, 1) : cursor;
                return true;
            case "HOME":
            case "CTRL+A":
                cursor = 0;
                return true;
            case "END":
            case "CTRL+E":
                cursor = text.length();
                return true;
            case "CTRL+U":
                text.delete(0, cursor);
                cursor = 0;
                return true;
            default:
                return false;
        }
    }

    private String shown(String s) {
        return secret ? "*".repeat(s.codePointCount(0, s.length())) : s;
    }

    /**
     * The visible part for a width, scrolled so the cursor shows.
     *
     * @param width columns
     * @return the text and the cursor's column in it
     */
    Object[] view(int width) {
        String before = shown(text.substring(0, cursor));
        String after = shown(text.substring(cursor));
        AttributedString b = new AttributedString(before);
        int skip = Math.max(0, b.columnLength() - (width - 1));
        AttributedString visibleBefore = b.columnSubSequence(skip, b.columnLength());
        AttributedString rest = new AttributedString(after);
        int room = Math.max(0, width - visibleBefore.columnLength());
        AttributedString visibleAfter = rest.columnSubSequence(0, Math.min(room, rest.columnLength()));
        return new Object[] {visibleBefore.toString() + visibleAfter, visibleBefore.columnLength()};
    }
}
