package dev.termlet.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The benchmark launcher: {@code java -jar bench/target/termlet-bench.jar <command>}. {@code jmh} runs the
 * micro-benchmarks (any JMH options after it), {@code serve} starts a server to measure, {@code load} drives one.
 */
@Command(name = "termlet-bench.jar", mixinStandardHelpOptions = true, version = "Termlet benchmarks 0.1.0",
        description = "Termlet's benchmarks: JMH micro-benchmarks, servers to measure, and the load tool.",
        subcommands = {Jmh.class})
public final class Bench implements Runnable {

    /**
     * Runs the launcher.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        int status = new CommandLine(new Bench()).execute(args);
        if (status != 0) {
            System.exit(status);
        }
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
