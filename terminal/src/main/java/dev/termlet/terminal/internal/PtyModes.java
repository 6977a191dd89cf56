package dev.termlet.terminal.internal;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
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

    /**
     * Every mode by its name; where two kinds share a name the first of control characters, input, local, output
     * and control flags wins.
     */
    private static final Map<String, Enum<?>> BY_NAME = new HashMap<>();

    static {
        for (Class<? extends Enum<?>> kind : List.<Class<? extends Enum<?>>>of(ControlChar.class,
                InputFlag.class, LocalFlag.class, OutputFlag.class, ControlFlag.class)) {
            for (Enum<?> e : kind.getEnumConstants()) {
                BY_NAME.putIfAbsent(e.name(), e);
            }
        }
    }

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
        Enum<?> mode = BY_NAME.get(name);
        boolean on = value != 0;
        if (mode instanceof ControlChar) {
            attr.setControlChar((ControlChar) mode, value == SSH_DISABLED ? 0 : value & 0xff);
        } else if (mode instanceof InputFlag) {
            attr.setInputFlag((InputFlag) mode, on);
        } else if (mode instanceof LocalFlag) {
            attr.setLocalFlag((LocalFlag) mode, on);
        } else if (mode instanceof OutputFlag) {
            attr.setOutputFlag((OutputFlag) mode, on);
        } else if (mode instanceof ControlFlag) {
            attr.setControlFlag((ControlFlag) mode, on);
        }
    }
}
