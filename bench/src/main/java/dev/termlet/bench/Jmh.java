package dev.termlet.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** {@code jmh [JMH options]}: runs the micro-benchmarks through JMH's own command line. */
@Command(name = "jmh", description = "Runs the JMH micro-benchmarks; JMH's options follow (-h lists them).")
final class Jmh implements Callable<Integer> {
    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        org.openjdk.jmh.Main.main(args.toArray(new String[0]));
        return 0;
    }
}
