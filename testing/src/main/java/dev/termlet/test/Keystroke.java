package dev.termlet.test;

/**
 * Keys a person presses, as an xterm sends them. The arrows, Home and End follow the cursor keys mode the
 * application set (JLine's line editor sets application mode, {@code ESC O A}); {@link TestClient#press} picks
 * the right form.
 */
public enum Keystroke {
    /** Enter (carriage return). */
    ENTER("\r"),
    /** Tab. */
    TAB("\t"),
    /** Shift-Tab. */
    SHIFT_TAB("\u001b[Z"),
    /** Backspace (DEL, as xterm and OpenSSH's client send it). */
    BACKSPACE("\u007f"),
    /** Escape. */
    ESCAPE("\u001b"),
    /** Space. */
    SPACE(" "),
    /** Arrow up. */
    UP("\u001b[A", "\u001bOA"),
    /** Arrow down. */
    DOWN("\u001b[B", "\u001bOB"),
    /** Arrow right. */
    RIGHT("\u001b[C", "\u001bOC"),
    /** Arrow left. */
    LEFT("\u001b[D", "\u001bOD"),
    /** Home. */
    HOME("\u001b[H", "\u001bOH"),
    /** End. */
    END("\u001b[F", "\u001bOF"),
    /** Insert. */
    INSERT("\u001b[2~"),
    /** Delete (forward). */
    DELETE("\u001b[3~"),
    /** Page up. */
    PAGE_UP("\u001b[5~"),
    /** Page down. */
    PAGE_DOWN("\u001b[6~"),
    /** F1. */
    F1("\u001bOP"),
    /** F2. */
    F2("\u001bOQ"),
    /** F3. */
    F3("\u001bOR"),
    /** F4. */
    F4("\u001bOS"),
    /** Ctrl-A. */
    CTRL_A("\u0001"),
    /** Ctrl-C: interrupts. */
    CTRL_C("\u0003"),
    /** Ctrl-D: end of input on an empty line. */
    CTRL_D("\u0004"),
    /** Ctrl-E. */
    CTRL_E("\u0005"),
    /** Ctrl-K. */
    CTRL_K("\u000b"),
    /** Ctrl-L: redraw. */
    CTRL_L("\u000c"),
    /** Ctrl-R: reverse history search. */
    CTRL_R("\u0012"),
    /** Ctrl-U. */
    CTRL_U("\u0015"),
    /** Ctrl-W. */
    CTRL_W("\u0017"),
    /** Ctrl-Z. */
    CTRL_Z("\u001a");

    private final String normal;
    private final String application;

    Keystroke(String sequence) {
        this(sequence, sequence);
    }

    Keystroke(String normal, String application) {
        this.normal = normal;
        this.application = application;
    }

    /**
     * The bytes the key sends.
     *
     * @param applicationCursorKeys whether the application set cursor keys to application mode (DECCKM)
     * @return the sequence
     */
    public String sequence(boolean applicationCursorKeys) {
        return applicationCursorKeys ? application : normal;
    }

    /**
     * The control character of a letter: {@code ctrl('c')} is what Ctrl-C sends.
     *
     * @param letter a letter, or one of {@code @[\]^_}
     * @return the character as a string
     * @throws IllegalArgumentException for other characters
     */
    public static String ctrl(char letter) {
        char up = Character.toUpperCase(letter);
        if (up < '@' || up > '_') {
            throw new IllegalArgumentException("no control character for '" + letter + "'");
        }
        return String.valueOf((char) (up - '@'));
    }
}
