package dev.termlet.terminal;

import java.util.regex.Pattern;
import org.jline.utils.AttributedString;

/**
 * Escape sequences and text helpers for terminal output: hyperlinks (OSC 8), the window title (OSC 0),
 * bell, clear screen, cursor visibility, display width, and {@link #stripControls} to make untrusted text
 * safe to print. The methods return strings; nothing is written.
 */
public final class TerminalText {
    private static final Pattern CONTROLS = Pattern.compile(
            "\u001b\\[[0-?]*[ -/]*[@-~]"                 // CSI
                    + "|\u001b\\][^\u0007\u001b]*(\u0007|\u001b\\\\)?" // OSC, terminated or not
                    + "|\u001b[P^_][^\u001b]*(\u001b\\\\)?"       // DCS, PM, APC
                    + "|\u001b.?"                                // other two-character escapes
                    + "|[\u0000-\u0008\u000b-\u001f\u007f\u0080-\u009f]");

    private TerminalText() {}

    /**
     * A clickable link where the terminal supports OSC 8 (others show the text only).
     *
     * @param url the target
     * @param text what is shown
     * @return the sequence
     * @throws IllegalArgumentException if the URL holds control characters
     */
    public static String hyperlink(String url, String text) {
        for (int i = 0; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                throw new IllegalArgumentException("a hyperlink URL must not contain control characters");
            }
        }
        return "\u001b]8;;" + url + "\u001b\\" + stripControls(text) + "\u001b]8;;\u001b\\";
    }

    /**
     * Sets the window title (OSC 0); control characters are removed and the title is cut at 256 code points.
     *
     * @param title the title
     * @return the sequence
     */
    public static String title(String title) {
        String t = stripControls(title).replace("\n", " ").replace("\t", " ");
        if (t.codePointCount(0, t.length()) > 256) {
            t = t.substring(0, t.offsetByCodePoints(0, 256));
        }
        return "\u001b]0;" + t + "\u0007";
    }

    /** @return the bell */
    public static String bell() {
        return "\u0007";
    }

    /** @return the sequence that clears the screen and homes the cursor */
    public static String clearScreen() {
        return "\u001b[H\u001b[2J";
    }

    /**
     * Shows or hides the cursor.
     *
     * @param visible whether the cursor shows
     * @return the sequence
     */
    public static String cursorVisible(boolean visible) {
        return visible ? "\u001b[?25h" : "\u001b[?25l";
    }

    /**
     * Removes escape sequences and control characters (C0 but newline and tab, DEL, C1) from text, so
     * that text from users or files cannot move the cursor, retitle windows or hide output.
     *
     * @param text untrusted text
     * @return the text without them
     */
    public static String stripControls(String text) {
        return text == null ? "" : CONTROLS.matcher(text).replaceAll("");
    }

    /**
     * The display width of text, in columns: wide (CJK) characters count two, combining marks none.
     *
     * @param text the text
     * @return the width
     */
    public static int width(String text) {
        return new AttributedString(text).columnLength();
    }
}
