package dev.termlet.bench.jmh;

import dev.termlet.terminal.internal.SessionInput;
import dev.termlet.terminal.internal.SessionTerminal;
import dev.termlet.terminal.internal.TermletLineReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
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
 * The line editor's cost per keystroke, as a session sees it: keys arrive through the session input, the
 * editor updates its buffer and redraws, and the output goes to the (here discarded) channel. {@code typing}
 * types a 40-character command and Enter; {@code editing} also moves the cursor, deletes a word and
 * backspaces, which redraws the rest of the line.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LineEditBenchmark {
    private static final String TYPED = "deploy --env staging --service billing\r";
    private static final int TYPED_KEYS = 39;
    /** Ctrl-A, Ctrl-E, Left x3, Backspace x2, Ctrl-W, then typing and Enter. */
    private static final String EDITED = "deploy --env staging\u0001\u0005\u001b[D\u001b[D\u001b[D\u007f\u007f"
            + "\u0017prod x\r";
    private static final int EDITED_KEYS = 20 + 8 + 7;

    private SessionInput input;
    private TermletLineReader reader;
    private byte[] typed;
    private byte[] edited;

    /**
     * Builds a session terminal and the line editor over it, as a shell session does.
     *
     * @throws IOException never in practice
     */
    @Setup
    public void setUp() throws IOException {
        input = BenchTerminals.input();
        SessionTerminal terminal = BenchTerminals.xterm(input, 120, 40);
        reader = new TermletLineReader(terminal, "bench", new HashMap<>());
        typed = TYPED.getBytes(StandardCharsets.UTF_8);
        edited = EDITED.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Types one command and Enter.
     *
     * @return the line read
     */
    @Benchmark
    @OperationsPerInvocation(TYPED_KEYS)
    public String typing() {
        input.feed(typed, 0, typed.length);
        return reader.readLine("$ ");
    }

    /**
     * Types, moves and deletes, then Enter.
     *
     * @return the line read
     */
    @Benchmark
    @OperationsPerInvocation(EDITED_KEYS)
    public String editing() {
        input.feed(edited, 0, edited.length);
        return reader.readLine("$ ");
    }
}
