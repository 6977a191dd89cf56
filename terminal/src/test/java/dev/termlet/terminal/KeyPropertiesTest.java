package dev.termlet.terminal;

import dev.termlet.terminal.internal.KeyDecoder;
import dev.termlet.terminal.internal.PtyModes;
import dev.termlet.terminal.internal.TermletLineReader;
import dev.termlet.terminal.internal.SessionTerminal;
import dev.termlet.terminal.internal.SessionInput;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOError;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.jline.reader.EndOfFileException;
import org.jline.reader.UserInterruptException;

/** Random input never breaks the key reader or the line editor, and chunking never changes the keys. */
class KeyPropertiesTest {

    private static final List<String> VOCABULARY = List.of("a", "Z", "7", " ", "é", "日", "😀", "\r", "\t",
            "\u007f", "\u0001", "\u001b[A", "\u001bOB", "\u001b[1;5C", "\u001b[3~", "\u001b[15~", "\u001bx",
            "\u001b[<0;10;5M", "\u001b[<0;10;5m", "\u001b[<64;3;3M", "\u001b[M !!", "\u001b[200~pasted\ntext\u001b[201~",
            "\u001b[I", "\u001b[O");

    @Provide
    Arbitrary<List<String>> keys() {
        return Arbitraries.of(VOCABULARY).list().ofMaxSize(30);
    }

    private static SessionTerminal terminal(SessionInput input) throws Exception {
        return new SessionTerminal("p", "xterm-256color", input, new ByteArrayOutputStream(),
                new org.jline.terminal.Size(80, 24), PtyModes.defaults());
    }

    private static List<String> decode(byte[] bytes, List<Integer> cuts, boolean paced) throws Exception {
        SessionInput input = new SessionInput(n -> {}, 1 << 20);
        SessionTerminal t = terminal(input);
        t.setAttributes(t.enterRawMode());
        Thread feeder = new Thread(() -> {
            int start = 0;
            for (int cut : cuts) {
                int end = Math.min(bytes.length, Math.max(start, cut));
                input.feed(bytes, start, end - start);
                start = end;
                if (paced) {
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
            input.feed(bytes, start, bytes.length - start);
            input.close();
        });
        feeder.start();
        KeyReader reader = new KeyReader(t);
        reader.escapeTimeout(2000);
        List<String> out = new ArrayList<>();
        try {
            while (true) {
                Key k = reader.read();
                out.add(k.name() + "|" + k.text() + "|" + k.mouse());
            }
        } catch (EOFException e) {
            // end of the stream
        }
        feeder.join();
        return out;
    }

    @Property
    void splittingNeverChangesTheKeys(@ForAll("keys") List<String> keys,
            @ForAll @Size(max = 8) List<@net.jqwik.api.constraints.IntRange(min = 0, max = 400) Integer> cuts)
            throws Exception {
        byte[] bytes = String.join("", keys).getBytes(StandardCharsets.UTF_8);
        List<Integer> sorted = new ArrayList<>(cuts);
        sorted.sort(Integer::compare);
        List<String> whole = decode(bytes, List.of(), false);
        List<String> split = decode(bytes, sorted, true);
        assertThat(split).isEqualTo(whole);
        assertThat(whole).hasSize(keys.size());
    }

    @Property
    void randomBytesNeverThrow(@ForAll @Size(max = 300) byte[] bytes) throws Exception {
        List<String> keys = decode(bytes, List.of(), false);
        assertThat(keys).isNotNull();
        for (String k : keys) {
            assertThat(k.length()).isLessThan(2_000_000);
        }
    }

    @Property
    void lineEditorSurvivesRandomBytes(@ForAll @Size(max = 300) byte[] bytes) throws Exception {
        SessionInput input = new SessionInput(n -> {}, 1 << 20);
        SessionTerminal t = terminal(input);
        input.feed(bytes, 0, bytes.length);
        input.feed("\r".getBytes(StandardCharsets.US_ASCII), 0, 1);
        input.close();
        TermletLineReader reader = new TermletLineReader(t, "p", Map.of());
        reader.maxLineLength(100);
        List<Key> seen = new ArrayList<>();
        reader.keyListener(seen::add);
        for (int i = 0; i < 400; i++) {
            try {
                String line = reader.readLine("> ");
                assertThat(line.length()).isLessThanOrEqualTo(100);
            } catch (UserInterruptException e) {
                Thread.interrupted();
            } catch (EndOfFileException | IOError e) {
                break;
            }
        }
        for (Key k : seen) {
            if (k.isCharacter()) {
                assertThat(KeyDecoder.isPrintable(k.codePoint())).isTrue();
            }
        }
    }
}
