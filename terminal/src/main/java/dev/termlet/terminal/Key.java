package dev.termlet.terminal;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One key press as a terminal sent it: a printable character, a named key (arrows, function keys,
 * Enter, ...), a Ctrl or Alt combination, or an unrecognised escape sequence.
 *
 * <p>{@link #name()} is the printable character itself ({@code "a"}, {@code "é"}), or an upper-case name:
 * {@code ENTER}, {@code TAB}, {@code BACKSPACE}, {@code ESCAPE}, {@code UP}, {@code DOWN}, {@code LEFT},
 * {@code RIGHT}, {@code HOME}, {@code END}, {@code PAGE_UP}, {@code PAGE_DOWN}, {@code INSERT},
 * {@code DELETE}, {@code F1}..{@code F12}, {@code CTRL+A}..{@code CTRL+Z}, {@code ALT+x},
 * {@code PASTE} (a bracketed paste, its text in {@link #text()}), {@code MOUSE} (see {@link #mouse()}),
 * {@code FOCUS_IN}, {@code FOCUS_OUT}, or {@code UNKNOWN}. Modified cursor and editing keys carry their
 * modifiers: {@code CTRL+UP}, {@code SHIFT+ALT+DELETE}.
 */
public final class Key {

    private final String sequence;
    private final String name;
    private final int codePoint;
    private final String pasted;
    private final Mouse mouse;

    /**
     * Creates a key.
     *
     * @param sequence the characters the terminal sent
     * @param name the key's name (see the class description)
     * @param codePoint the printable code point, or -1 when the key is not a printable character
     */
    public Key(String sequence, String name, int codePoint) {
        this(sequence, name, codePoint, null, null);
    }

    private Key(String sequence, String name, int codePoint, String pasted, Mouse mouse) {
        this.sequence = Objects.requireNonNull(sequence, "sequence");
        this.name = Objects.requireNonNull(name, "name");
        this.codePoint = codePoint;
        this.pasted = pasted;
        this.mouse = mouse;
    }

    /**
     * A bracketed paste, as one key named {@code PASTE}.
     *
     * @param text the pasted text
     * @return the key
     */
    public static Key paste(String text) {
        return new Key("\u001b[200~", "PASTE", -1, text, null);
    }

    /**
     * A mouse report, as one key named {@code MOUSE}.
     *
     * @param sequence the report as sent
     * @param mouse the decoded event
     * @return the key
     */
    public static Key mouse(String sequence, Mouse mouse) {
        return new Key(sequence, "MOUSE", -1, null, mouse);
    }

    /** @return the mouse event of a {@code MOUSE} key, or null */
    public Mouse mouse() {
        return mouse;
    }

    /** @return whether this key is a bracketed paste */
    public boolean isPaste() {
        return pasted != null;
    }

    /**
     * The characters the terminal sent for this key, escape sequences included.
     *
     * @return the raw sequence
     */
    public String sequence() {
        return sequence;
    }

    /**
     * The raw sequence as UTF-8 bytes.
     *
     * @return a new array
     */
    public byte[] bytes() {
        return sequence.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The key's name: the character for printable keys, else an upper-case name.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The printable Unicode code point of this key.
     *
     * @return the code point, or -1 for named keys, control keys and escape sequences
     */
    public int codePoint() {
        return codePoint;
    }

    /**
     * Whether this key is one printable character.
     *
     * @return true if {@link #codePoint()} is not -1
     */
    public boolean isCharacter() {
        return codePoint >= 0;
    }

    /**
     * The text this key enters: the character of a printable key, the whole text of a paste.
     *
     * @return the text, or an empty string for other keys
     */
    public String text() {
        if (pasted != null) {
            return pasted;
        }
        return codePoint >= 0 ? new String(Character.toChars(codePoint)) : "";
    }

    /**
     * Whether this key has the given name, ignoring case for named keys.
     *
     * @param keyName a name such as {@code "ENTER"} or {@code "q"}
     * @return true if it matches
     */
    public boolean is(String keyName) {
        return isCharacter() ? name.equals(keyName) : name.equalsIgnoreCase(keyName);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Key && ((Key) o).sequence.equals(sequence) && ((Key) o).name.equals(name);
    }

    @Override
    public int hashCode() {
        return sequence.hashCode() * 31 + name.hashCode();
    }

    @Override
    public String toString() {
        return "Key[" + name + "]";
    }
}
