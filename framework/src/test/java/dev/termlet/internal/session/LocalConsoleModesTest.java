package dev.termlet.internal.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.terminal.internal.PtyModes;
import java.util.Map;
import org.jline.terminal.Attributes;
import org.jline.terminal.Attributes.ControlChar;
import org.jline.terminal.Attributes.InputFlag;
import org.jline.terminal.Attributes.LocalFlag;
import org.jline.terminal.Attributes.OutputFlag;
import org.junit.jupiter.api.Test;

/** What the local console tells the session about the developer's terminal, and the raw mode it sets. */
class LocalConsoleModesTest {

    private static Attributes developersTerminal() {
        Attributes attr = PtyModes.defaults();
        attr.setControlChar(ControlChar.VERASE, 8); // an erase key of Ctrl-H
        attr.setControlChar(ControlChar.VSUSP, -1); // undefined
        attr.setLocalFlag(LocalFlag.ECHOCTL, false);
        return attr;
    }

    @Test
    void theSessionGetsTheTerminalsModesAsAPtyRequestCarriesThem() {
        Map<String, Integer> modes = LocalConsole.modes(developersTerminal());
        assertThat(modes).containsEntry("VERASE", 8).containsEntry("VSUSP", 255).containsEntry("ECHOCTL", 0)
                .containsEntry("ICANON", 1).containsEntry("ONLCR", 1).doesNotContainKeys("VMIN", "VTIME");
        Attributes session = PtyModes.toAttributes(modes);
        assertThat(session.getControlChar(ControlChar.VERASE)).isEqualTo(8);
        assertThat(session.getControlChar(ControlChar.VSUSP)).isZero();
        assertThat(session.getLocalFlag(LocalFlag.ECHOCTL)).isFalse();
        assertThat(session.getLocalFlag(LocalFlag.ISIG)).isTrue();
    }

    @Test
    void rawModeHandsEveryByteToTheSessionAndKeepsTheRest() {
        Attributes original = developersTerminal();
        Attributes raw = LocalConsole.raw(original);
        assertThat(raw.getLocalFlag(LocalFlag.ICANON)).isFalse();
        assertThat(raw.getLocalFlag(LocalFlag.ECHO)).isFalse();
        assertThat(raw.getLocalFlag(LocalFlag.ISIG)).isFalse();
        assertThat(raw.getLocalFlag(LocalFlag.IEXTEN)).isFalse();
        assertThat(raw.getInputFlag(InputFlag.ICRNL)).isFalse();
        assertThat(raw.getInputFlag(InputFlag.IXON)).isFalse();
        assertThat(raw.getOutputFlag(OutputFlag.OPOST)).isFalse();
        assertThat(raw.getControlChar(ControlChar.VMIN)).isZero();
        assertThat(raw.getControlChar(ControlChar.VTIME)).isEqualTo(1);
        assertThat(raw.getInputFlag(InputFlag.IUTF8)).isTrue();
        assertThat(raw.getControlChar(ControlChar.VERASE)).isEqualTo(8);
        // the original is left as it was, to be restored
        assertThat(original.getLocalFlag(LocalFlag.ICANON)).isTrue();
        assertThat(original.getOutputFlag(OutputFlag.OPOST)).isTrue();
    }

    @Test
    void theEnvironmentHoldsWhatOpenSshSendsByDefault() {
        java.util.Map<String, String> env = LocalConsole.environment(java.util.Map.of("LANG", "de_DE.UTF-8",
                "LC_TIME", "C", "HOME", "/root", "PATH", "/bin", "SSH_AUTH_SOCK", "/tmp/agent", "LCX", "no"));
        assertThat(env).containsExactly(java.util.Map.entry("LANG", "de_DE.UTF-8"), java.util.Map.entry("LC_TIME", "C"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> env.put("X", "y"))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
