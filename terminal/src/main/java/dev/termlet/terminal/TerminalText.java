package dev.termlet.terminal;

import java.util.Objects;
import org.jline.utils.AttributedString;

/**
 * Escape sequences and text helpers for terminal output: hyperlinks (OSC 8), the window title (OSC 0), bell,
 * clear screen, cursor visibility, display width, and {@link #stripControls(String)} to make untrusted text
 * safe to print. The methods return strings; nothing is written.
 *
 * <pre>{@code
 * out.print(TerminalText.hyperlink("https://termlet.dev", "docs") + " " + TerminalText.stripControls(userInput));
 * }</pre>
 */
public final class TerminalText {
    private static final char ESC = '\u001b';
    private static final char BEL = '\u0007';
    private static final char CAN = '\u0018';
    private static final char SUB = '\u001a';
    private static final char ST = '\u009c';
    private static final int MAX_TITLE = 256;

    private TerminalText() {}

    /**
     * A clickable link (OSC 8) where the terminal supports it; other terminals show the text only.
     *
     * @param url the target; must not be empty or contain control characters (C0, ESC, DEL, C1)
     * @param text what is shown; escape sequences and control characters but newline and tab are removed
     * @return {@code ESC ] 8 ; ; url ESC \ text ESC ] 8 ; ; ESC \}
     * @throws IllegalArgumentException if the URL is empty or holds a control character
     * @throws NullPointerException if the URL is null
     */
    public static String hyperlink(String url, String text) {
        Objects.requireNonNull(url, "url");
        if (url.isEmpty()) {
            throw new IllegalArgumentException("a hyperlink URL must not be empty");
        }
        for (int i = 0; i < url.length(); i++) {
            if (isControl(url.charAt(i))) {
                throw new IllegalArgumentException(String.format(
                        "a hyperlink URL must not contain control characters (U+%04X at index %d)",
                        (int) url.charAt(i), i));
            }
        }
        return ESC + "]8;;" + url + ESC + "\\" + stripControls(text) + ESC + "]8;;" + ESC + "\\";
    }

    /**
     * Sets the window title (OSC 0). Escape sequences and control characters are removed (newline and tab
     * become a space) and the title is cut at 256 code points.
     *
     * @param title the title; null is empty
     * @return {@code ESC ] 0 ; title BEL}
     */
    public static String title(String title) {
        String t = stripControls(title).replace('\n', ' ').replace('\t', ' ');
        if (t.codePointCount(0, t.length()) > MAX_TITLE) {
            t = t.substring(0, t.offsetByCodePoints(0, MAX_TITLE));
        }
        return ESC + "]0;" + t + BEL;
    }

    /**
     * The bell.
     *
     * @return {@code BEL}, U+0007
     */
    public static String bell() {
        return String.valueOf(BEL);
    }

    /**
     * Moves the cursor home and clears the screen.
     *
     * @return {@code ESC [ H ESC [ 2 J}
     */
    public static String clearScreen() {
        return ESC + "[H" + ESC + "[2J";
    }

    /**
     * Shows or hides the cursor.
     *
     * @param visible whether the cursor shows
     * @return {@code ESC [ ? 25 h} to show, {@code ESC [ ? 25 l} to hide
     */
    public static String cursorVisible(boolean visible) {
        return visible ? ESC + "[?25h" : ESC + "[?25l";
    }

    /**
     * Removes escape sequences and control characters so that text from users, files or other programs
     * cannot move the cursor, retitle the window, hide output or change colours. Removed are: CSI sequences
     * ({@code ESC [ ... final}), OSC sequences ({@code ESC ] ...} up to {@code BEL} or {@code ESC \}, or to
     * the end when unterminated), DCS/SOS/PM/APC strings, other {@code ESC x} escapes, C0 controls but
     * newline and tab, DEL and C1 controls (U+0080 to U+009F). Any {@code ESC} that starts no recognised
     * sequence is removed alone, so the result never contains {@code ESC}.
     *
     * @param text untrusted text; null is empty
     * @return the text without them
     */
    public static String stripControls(String text) {
        return sanitize(text, true, "");
    }

    /**
     * The display width of text in terminal columns: wide (CJK) characters count two, combining marks none.
     * Escape sequences and control characters (also newline and tab) count none.
     *
     * @param text the text; null is empty
     * @return the width, never negative
     */
    public static int width(String text) {
        return new AttributedString(sanitize(text, false, "")).columnLength();
    }

    /**
     * Removes escape sequences and replaces control characters.
     *
     * @param text the text; null is empty
     * @param keepNewlineTab whether newline and tab stay as they are
     * @param replacement what replaces each other control character ({@code ""} or {@code " "})
     * @return the clean text
     */
    static String sanitize(String text, boolean keepNewlineTab, String replacement) {
        if (text == null) {
            return "";
        }
        StringBuilder sb = null;
        int n = text.length();
        for (int i = 0; i < n; ) {
            char c = text.charAt(i);
            boolean keep = !isControl(c) || (keepNewlineTab && (c == '\n' || c == '\t'));
            if (keep) {
                if (sb != null) {
                    sb.append(c);
                }
                i++;
                continue;
            }
            if (sb == null) {
                sb = new StringBuilder(n).append(text, 0, i);
            }
            if (c == ESC) {
                i = skipEscape(text, i);
            } else {
                sb.append(replacement);
                i++;
            }
        }
        return sb == null ? text : sb.toString();
    }

    /** Whether a character is a C0 control, DEL or a C1 control. */
    static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f);
    }

    /** The index just after the escape sequence that starts with the ESC at {@code start}. */
    private static int skipEscape(String s, int start) {
        int n = s.length();
        int j = start + 1;
        if (j >= n) {
            return n;
        }
        char c = s.charAt(j);
        switch (c) {
            case '[' -> {
                return skipCsi(s, j + 1);
            }
            case ']' -> {
                return skipString(s, j + 1, true);
            }
            case 'P', 'X', '^', '_' -> {
                return skipString(s, j + 1, false);
            }
            default -> {
                // an ESC x escape, handled below
            }
        }
        while (j < n && s.charAt(j) >= 0x20 && s.charAt(j) <= 0x2f) {
            j++; // intermediate bytes, as in ESC ( B
        }
        if (j < n && s.charAt(j) >= 0x30 && s.charAt(j) <= 0x7e) {
            return j + 1;
        }
        return j; // not a sequence: drop the ESC (and intermediates); the rest is handled on its own
    }

    /** Skips a CSI body: parameter bytes, intermediate bytes and the final byte. */
    private static int skipCsi(String s, int from) {
        int n = s.length();
        int j = from;
        while (j < n && s.charAt(j) >= 0x30 && s.charAt(j) <= 0x3f) {
            j++;
        }
        while (j < n && s.charAt(j) >= 0x20 && s.charAt(j) <= 0x2f) {
            j++;
        }
        if (j < n && s.charAt(j) >= 0x40 && s.charAt(j) <= 0x7e) {
            return j + 1;
        }
        return j; // malformed: what follows is handled on its own
    }

    /** Skips a control string (OSC, DCS, ...) up to its terminator, or to the end when unterminated. */
    private static int skipString(String s, int from, boolean belEnds) {
        int n = s.length();
        for (int j = from; j < n; j++) {
            char c = s.charAt(j);
            if ((c == BEL && belEnds) || c == ST) {
                return j + 1;
            }
            if (c == ESC) {
                return j + 1 < n && s.charAt(j + 1) == '\\' ? j + 2 : j;
            }
            if (c == CAN || c == SUB) {
                return j; // these abort a sequence in terminals
            }
        }
        return n;
    }
}
