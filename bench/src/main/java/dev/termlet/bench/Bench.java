package dev.termlet.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The benchmark launcher: {@code java -jar bench/target/termlet-bench.jar <command>}. {@code jmh} runs the
 * micro-benchmarks (any JMH options after it), {@code serve} starts a server to measure, {@code load} drives one.
 */
@Command(name = "termlet-bench.jar", mixinStandardHelpOptions = true, version = "Termlet benchmarks 0.1.0",
        description = "Termlet's benchmarks: JMH micro-benchmarks, servers to measure, and the load tool.",
        subcommands = {Jmh.class, Serve.class, Load.class, Transfer.class, Report.class})
public final class Bench implements Runnable {

    /**
     * Runs the launcher.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        int status = new CommandLine(new Bench()).registerConverter(java.time.Duration.class, Bench::duration)
                .execute(args);
        if (status != 0) {
            System.exit(status);
        }
    }

    /** Parses {@code 500ms}, {@code 20s}, {@code 5m}, {@code 1h} or an ISO-8601 duration. */
    static java.time.Duration duration(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h)").matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            switch (m.group(2)) {
                case "ms":
                    return java.time.Duration.ofMillis(n);
                case "s":
                    return java.time.Duration.ofSeconds(n);
                case "m":
                    return java.time.Duration.ofMinutes(n);
                default:
                    return java.time.Duration.ofHours(n);
            }
        }
        return java.time.Duration.parse(text);
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
