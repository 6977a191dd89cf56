package dev.termlet.bench.jmh;

import dev.termlet.terminal.internal.PtyModes;
import dev.termlet.terminal.internal.SessionInput;
import dev.termlet.terminal.internal.SessionTerminal;
import java.io.IOException;
import java.io.OutputStream;
import org.jline.terminal.Size;

/** Session terminals for the micro-benchmarks, built as a shell session builds them, writing nowhere. */
final class BenchTerminals {
    private BenchTerminals() {
    }

    /**
     * An xterm-256color session terminal over an input the benchmark feeds.
     *
     * @param input the session input
     * @param columns the width
     * @param rows the height
     * @return the terminal
     * @throws IOException never in practice
     */
    static SessionTerminal xterm(SessionInput input, int columns, int rows) throws IOException {
        return new SessionTerminal("bench", "xterm-256color", input, OutputStream.nullOutputStream(),
                new Size(columns, rows), PtyModes.defaults());
    }

    /** @return an input with a 1 MiB buffer that ignores consumption reports */
    static SessionInput input() {
        return new SessionInput(n -> { }, 1 << 20);
    }
}
