package dev.termlet.terminal.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.jline.keymap.KeyMap;
import org.jline.reader.Binding;
import org.jline.reader.LineReader;
import org.jline.reader.Reference;
import org.jline.reader.Widget;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.terminal.Size;
import org.junit.jupiter.api.Test;

/** The reader's shared widget table must present the same widgets as JLine's per-reader tables. */
class LineReaderWidgetsTest {

    private final SessionInput input = new SessionInput(n -> { }, 1 << 20);

    private SessionTerminal terminal() throws Exception {
        return new SessionTerminal("t", "xterm-256color", input, new ByteArrayOutputStream(), new Size(80, 24),
                PtyModes.defaults());
    }

    private static Map<String, String> names(Map<String, Widget> widgets) {
        Map<String, String> m = new TreeMap<>();
        widgets.forEach((k, v) -> m.put(k, v.toString()));
        return m;
    }

    @Test
    void builtinWidgetsAreJLinesByNameAndLabel() throws Exception {
        SessionTerminal t = terminal();
        LineReaderImpl jline = new LineReaderImpl(t, "test", new HashMap<>());
        TermletLineReader ours = new TermletLineReader(t, "test", new HashMap<>());
        assertThat(names(ours.getBuiltinWidgets())).isEqualTo(names(jline.getBuiltinWidgets()));
        assertThat(names(ours.getWidgets())).isEqualTo(names(jline.getWidgets()));
        assertThat(ours.getWidgets().get(LineReader.ACCEPT_LINE))
                .isSameAs(ours.getBuiltinWidgets().get(LineReader.ACCEPT_LINE));
        assertThat(ours.getWidgets().get("no-such-widget")).isNull();
    }

    @Test
    void widgetsOfTwoReadersActOnTheirOwnReader() throws Exception {
        TermletLineReader a = new TermletLineReader(terminal(), "test", new HashMap<>());
        SessionInput other = new SessionInput(n -> { }, 1 << 20);
        TermletLineReader b = new TermletLineReader(new SessionTerminal("u", "xterm-256color", other,
                new ByteArrayOutputStream(), new Size(80, 24), PtyModes.defaults()), "test", new HashMap<>());
        assertThat(a.getWidgets().get(LineReader.BACKWARD_KILL_WORD))
                .isNotSameAs(b.getWidgets().get(LineReader.BACKWARD_KILL_WORD));
        byte[] one = "one two\u0017\r".getBytes(StandardCharsets.UTF_8);
        input.feed(one, 0, one.length);
        byte[] two = "three four\u0017x\r".getBytes(StandardCharsets.UTF_8);
        other.feed(two, 0, two.length);
        assertThat(a.readLine("$ ")).isEqualTo("one ");
        assertThat(b.readLine("$ ")).isEqualTo("three x");
    }

    @Test
    void aUserWidgetBoundToAKeyRunsAndTheBuiltinsStay() throws Exception {
        SessionTerminal t = terminal();
        TermletLineReader reader = new TermletLineReader(t, "test", new HashMap<>());
        reader.getWidgets().put("shout", () -> {
            reader.getBuffer().write("!!");
            return true;
        });
        KeyMap<Binding> main = reader.getKeyMaps().get(LineReader.MAIN);
        main.bind(new Reference("shout"), KeyMap.ctrl('G'));
        byte[] typed = "hi\u0007\u007fx\r".getBytes(StandardCharsets.UTF_8);
        input.feed(typed, 0, typed.length);
        assertThat(reader.readLine("$ ")).isEqualTo("hi!x");
        assertThat(reader.getWidgets()).containsKey(LineReader.SELF_INSERT).containsKey("shout");
        assertThat(reader.getWidgets().remove("shout")).isNotNull();
        assertThat(reader.getWidgets()).doesNotContainKey("shout");
    }
}
