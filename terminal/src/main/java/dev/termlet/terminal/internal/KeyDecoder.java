package dev.termlet.terminal.internal;

import dev.termlet.terminal.Key;
import java.util.HashMap;
import java.util.Map;
import org.jline.terminal.Terminal;
import org.jline.utils.InfoCmp.Capability;

/**
 * Names the key sequences a terminal sends, from its terminfo entry plus the common xterm and VT
 * sequences (normal and application cursor mode).
 */
public final class KeyDecoder {

    private static final java.util.regex.Pattern MODIFIED =
            java.util.regex.Pattern.compile("\u001b\\[(\\d{1,2});(\\d{1,2})([A-Za-z~])");

    private final Map<String, String> names = new HashMap<>();

    /** Decoders of session terminals by type: their capabilities come from the type alone (bundled entries). */
    private static final Map<String, KeyDecoder> SHARED = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MAX_SHARED = 64;

    /**
     * A decoder for a terminal: for a session terminal, one shared by all sessions of its type (a decoder is
     * never changed after it is made); for any other terminal, a new one.
     *
     * @param terminal the terminal whose capabilities name the keys
     * @return the decoder
     */
    public static KeyDecoder of(Terminal terminal) {
        if (!(terminal instanceof SessionTerminal)) {
            return new KeyDecoder(terminal);
        }
        KeyDecoder d = SHARED.get(terminal.getType());
        if (d == null) {
            d = new KeyDecoder(terminal);
            if (SHARED.size() < MAX_SHARED) { // clients choose the names: keep the map small
                KeyDecoder raced = SHARED.putIfAbsent(terminal.getType(), d);
                d = raced != null ? raced : d;
            }
        }
        return d;
    }

    /**
     * Creates a decoder for a terminal.
     *
     * @param terminal the terminal whose capabilities name the keys
     */
    public KeyDecoder(Terminal terminal) {
        String[][] common = {
            {"\r", "ENTER"}, {"\n", "ENTER"}, {"\t", "TAB"}, {"\u007f", "BACKSPACE"}, {"\b", "BACKSPACE"},
            {"\u001b", "ESCAPE"}, {"\u001b[Z", "SHIFT+TAB"}, {"\u001b[200~", "PASTE"},
            {"\u001b[I", "FOCUS_IN"}, {"\u001b[O", "FOCUS_OUT"},
        };
        for (String[] c : common) {
            names.put(c[0], c[1]);
        }
        String[][] csi = {{"A", "UP"}, {"B", "DOWN"}, {"C", "RIGHT"}, {"D", "LEFT"}, {"H", "HOME"}, {"F", "END"}};
        for (String[] c : csi) {
            names.put("\u001b[" + c[0], c[1]);
            names.put("\u001bO" + c[0], c[1]);
        }
        String[][] tilde = {
            {"1", "HOME"}, {"2", "INSERT"}, {"3", "DELETE"}, {"4", "END"}, {"5", "PAGE_UP"}, {"6", "PAGE_DOWN"},
            {"7", "HOME"}, {"8", "END"}, {"11", "F1"}, {"12", "F2"}, {"13", "F3"}, {"14", "F4"}, {"15", "F5"},
            {"17", "F6"}, {"18", "F7"}, {"19", "F8"}, {"20", "F9"}, {"21", "F10"}, {"23", "F11"}, {"24", "F12"},
        };
        for (String[] c : tilde) {
            names.put("\u001b[" + c[0] + "~", c[1]);
        }
        String[][] ss3 = {{"P", "F1"}, {"Q", "F2"}, {"R", "F3"}, {"S", "F4"}};
        for (String[] c : ss3) {
            names.put("\u001bO" + c[0], c[1]);
        }
        Object[][] caps = {
            {Capability.key_up, "UP"}, {Capability.key_down, "DOWN"}, {Capability.key_left, "LEFT"},
            {Capability.key_right, "RIGHT"}, {Capability.key_home, "HOME"}, {Capability.key_end, "END"},
            {Capability.key_ppage, "PAGE_UP"}, {Capability.key_npage, "PAGE_DOWN"},
            {Capability.key_ic, "INSERT"}, {Capability.key_dc, "DELETE"}, {Capability.key_btab, "SHIFT+TAB"},
            {Capability.key_f1, "F1"}, {Capability.key_f2, "F2"}, {Capability.key_f3, "F3"},
            {Capability.key_f4, "F4"}, {Capability.key_f5, "F5"}, {Capability.key_f6, "F6"},
            {Capability.key_f7, "F7"}, {Capability.key_f8, "F8"}, {Capability.key_f9, "F9"},
            {Capability.key_f10, "F10"}, {Capability.key_f11, "F11"}, {Capability.key_f12, "F12"},
        };
        for (Object[] c : caps) {
            String seq = terminal.getStringCapability((Capability) c[0]);
            if (seq != null && !seq.isEmpty()) {
                names.put(org.jline.keymap.KeyMap.key(terminal, (Capability) c[0]), (String) c[1]);
            }
        }
        prepare();
    }

    /** The keys of the ASCII characters, decoded once (a decoder never changes after it is made). */
    private Key[] ascii;
    /** The keys of the named sequences, decoded once. */
    private Map<String, Key> namedKeys;

    private void prepare() {
        Map<String, Key> keys = new HashMap<>();
        names.forEach((seq, name) -> keys.put(seq, new Key(seq, name, -1)));
        namedKeys = keys;
        Key[] a = new Key[128];
        for (int c = 0; c < 128; c++) {
            a[c] = decodeUncached(String.valueOf((char) c));
        }
        ascii = a;
    }

    /**
     * Names one key of a single character.
     *
     * @param c the character's code point
     * @return the key, as {@link #decode(String)} names it
     */
    public Key decode(int c) {
        if (c >= 0 && c < 128) {
            return ascii[c];
        }
        return decode(new String(Character.toChars(c)));
    }

    /** @return every multi-character sequence this decoder names (escape sequences and the like) */
    public java.util.Set<String> sequences() {
        return java.util.Collections.unmodifiableSet(names.keySet());
    }

    /**
     * Names one key sequence.
     *
     * @param sequence the characters of one key, as a line editor's key map matched them
     * @return the key
     */
    public Key decode(String sequence) {
        if (sequence.length() == 1 && sequence.charAt(0) < 128) {
            return ascii[sequence.charAt(0)];
        }
        Key known = namedKeys.get(sequence);
        if (known != null) {
            return known;
        }
        return decodeUncached(sequence);
    }

    private Key decodeUncached(String sequence) {
        String named = names.get(sequence);
        if (named != null) {
            return new Key(sequence, named, -1);
        }
        java.util.regex.Matcher m = MODIFIED.matcher(sequence);
        if (m.matches()) {
            String base = m.group(3).equals("~") ? "\u001b[" + m.group(1) + "~" : "\u001b[" + m.group(3);
            String baseName = names.get(base);
            int mods = Integer.parseInt(m.group(2)) - 1;
            if (baseName != null && mods >= 0 && mods < 16) {
                String prefix = ((mods & 4) != 0 ? "CTRL+" : "") + ((mods & 2) != 0 ? "ALT+" : "")
                        + ((mods & 1) != 0 ? "SHIFT+" : "");
                return new Key(sequence, prefix + baseName, -1);
            }
        }
        if (sequence.isEmpty()) {
            return new Key(sequence, "UNKNOWN", -1);
        }
        int first = sequence.codePointAt(0);
        int firstLen = Character.charCount(first);
        if (firstLen == sequence.length()) {
            if (first < 0x20) {
                return new Key(sequence, first == 0 ? "CTRL+SPACE" : "CTRL+" + (char) ('A' + first - 1), -1);
            }
            if (isPrintable(first)) {
                return new Key(sequence, sequence, first);
            }
            return new Key(sequence, "UNKNOWN", -1);
        }
        if (first == 0x1b && sequence.length() > 1) {
            int second = sequence.codePointAt(1);
            if (1 + Character.charCount(second) == sequence.length()) {
                if (second < 0x20) {
                    return new Key(sequence, "ALT+CTRL+" + (char) ('A' + second - 1), -1);
                }
                if (isPrintable(second)) {
                    return new Key(sequence, "ALT+" + new String(Character.toChars(second)), -1);
                }
            }
        }
        return new Key(sequence, "UNKNOWN", -1);
    }

    /**
     * Whether a code point is a printable character (not a control, not a lone surrogate, not the
     * replacement character that stands for broken UTF-8).
     *
     * @param cp the code point
     * @return true if printable
     */
    public static boolean isPrintable(int cp) {
        if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp == 0xfffd) {
            return false;
        }
        int type = Character.getType(cp);
        return type != Character.SURROGATE && type != Character.UNASSIGNED && type != Character.CONTROL;
    }
}
