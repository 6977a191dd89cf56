package dev.termlet.bench.jmh;

import dev.termlet.terminal.Key;
import dev.termlet.terminal.KeyReader;
import dev.termlet.terminal.internal.SessionInput;
import dev.termlet.terminal.internal.SessionTerminal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decoding keys from raw session bytes, per key: a mix of printable ASCII, a two-byte UTF-8 letter, Enter,
 * Backspace, a control key, arrows (CSI and SS3 forms), a modified arrow and a function key, each fed through
 * the session's input into the terminal and read back as a {@link Key}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class KeyDecodeBenchmark {
    /** The keys fed per invocation ({@link #COUNT} of them). */
    static final String[] KEYS = {"a", "b", "\u00e9", "\r", "\u007f", "\u0001", "\u001b[A", "\u001bOB",
        "\u001b[1;5C", "\u001b[3~", "\u001b[15~", "z"};
    private static final int COUNT = 12;

    private SessionInput input;
    private KeyReader reader;
    private byte[] burst;

    /**
     * Builds a raw-mode xterm-256color session terminal and its key reader.
     *
     * @throws IOException never in practice
     */
    @Setup
    public void setUp() throws IOException {
        input = BenchTerminals.input();
        SessionTerminal terminal = BenchTerminals.xterm(input, 80, 24);
        terminal.setAttributes(terminal.enterRawMode());
        reader = new KeyReader(terminal);
        burst = String.join("", KEYS).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Feeds one burst of keys and reads them all back.
     *
     * @return the last key, so that the work is not optimised away
     * @throws IOException never in practice
     */
    @Benchmark
    @OperationsPerInvocation(COUNT)
    public Key decode() throws IOException {
        input.feed(burst, 0, burst.length);
        Key last = null;
        for (int i = 0; i < COUNT; i++) {
            last = reader.read();
        }
        return last;
    }
}
