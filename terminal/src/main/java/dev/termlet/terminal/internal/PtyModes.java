package dev.termlet.terminal.internal;

import java.util.EnumSet;
import java.util.Map;
import org.jline.terminal.Attributes;
import org.jline.terminal.Attributes.ControlChar;
import org.jline.terminal.Attributes.ControlFlag;
import org.jline.terminal.Attributes.InputFlag;
import org.jline.terminal.Attributes.LocalFlag;
import org.jline.terminal.Attributes.OutputFlag;

/** Turns the terminal modes of an SSH {@code pty-req} (RFC 4254 section 8) into JLine attributes. */
public final class PtyModes {

    /** The SSH encoding of "no character" for a control character. */
    private static final int SSH_DISABLED = 255;

    private PtyModes() {}

    /**
     * The attributes of a freshly opened Unix tty: canonical mode, echo, signals, {@code ICRNL},
     * {@code OPOST|ONLCR} and the usual control characters.
     *
     * @return new attributes
     */
    public static Attributes defaults() {
        Attributes attr = new Attributes();
        attr.setLocalFlags(EnumSet.of(
                LocalFlag.ICANON, LocalFlag.ISIG, LocalFlag.IEXTEN, LocalFlag.ECHO,
                LocalFlag.ECHOE, LocalFlag.ECHOKE, LocalFlag.ECHOCTL));
        attr.setInputFlags(EnumSet.of(InputFlag.ICRNL, InputFlag.IXON, InputFlag.IUTF8, InputFlag.BRKINT));
        attr.setOutputFlags(EnumSet.of(OutputFlag.OPOST, OutputFlag.ONLCR));
        attr.setControlFlags(EnumSet.of(ControlFlag.CREAD, ControlFlag.CS8));
        attr.setControlChar(ControlChar.VEOF, 4);
        attr.setControlChar(ControlChar.VERASE, 127);
        attr.setControlChar(ControlChar.VINTR, 3);
        attr.setControlChar(ControlChar.VKILL, 21);
        attr.setControlChar(ControlChar.VLNEXT, 22);
        attr.setControlChar(ControlChar.VMIN, 1);
        attr.setControlChar(ControlChar.VQUIT, 28);
        attr.setControlChar(ControlChar.VREPRINT, 18);
        attr.setControlChar(ControlChar.VSTART, 17);
        attr.setControlChar(ControlChar.VSTOP, 19);
        attr.setControlChar(ControlChar.VSUSP, 26);
        attr.setControlChar(ControlChar.VTIME, 0);
        attr.setControlChar(ControlChar.VWERASE, 23);
        return attr;
    }

    /**
     * Applies the modes a client sent on top of {@link #defaults()}. Names follow RFC 4254 ({@code VINTR},
     * {@code ECHO}, {@code ICRNL}, {@code ONLCR}, ...); unknown names are ignored, and a control character
     * sent as 255 means "disabled".
     *
     * @param modes mode name to value
     * @return new attributes
     */
    public static Attributes toAttributes(Map<String, Integer> modes) {
        Attributes attr = defaults();
        for (Map.Entry<String, Integer> e : modes.entrySet()) {
            apply(attr, e.getKey(), e.getValue() == null ? 0 : e.getValue());
        }
        return attr;
    }

    private static void apply(Attributes attr, String name, int value) {
        ControlChar cc = find(ControlChar.class, name);
        if (cc != null) {
            attr.setControlChar(cc, value == SSH_DISABLED ? 0 : value & 0xff);
            return;
        }
        boolean on = value != 0;
        InputFlag in = find(InputFlag.class, name);
        if (in != null) {
            attr.setInputFlag(in, on);
            return;
        }
        LocalFlag local = find(LocalFlag.class, name);
        if (local != null) {
            attr.setLocalFlag(local, on);
            return;
        }
        OutputFlag out = find(OutputFlag.class, name);
        if (out != null) {
            attr.setOutputFlag(out, on);
            return;
        }
        ControlFlag control = find(ControlFlag.class, name);
        if (control != null) {
            attr.setControlFlag(control, on);
        }
    }

    private static <E extends Enum<E>> E find(Class<E> type, String name) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        return null;
    }
}
