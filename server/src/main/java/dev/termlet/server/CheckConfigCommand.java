package dev.termlet.server;

import dev.termlet.config.ConfigException;
import dev.termlet.config.ConfigProblem;
import dev.termlet.config.TermletConfig;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code termlet check-config}: reads and checks the configuration without starting anything. */
@Command(name = "check-config", mixinStandardHelpOptions = true,
        description = "Check termlet.yaml (with the environment and system properties over it); exit 0 if it is "
                + "valid, 2 with every problem if not.")
final class CheckConfigCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config = new ConfigOption();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try {
            TermletConfig c = config.load();
            for (String w : c.warnings()) {
                out.println("warning: " + w);
            }
            out.println(config.path() + ": valid");
            return 0;
        } catch (ConfigException e) {
            report(spec.commandLine().getErr(), config, e);
            return 2;
        }
    }

    /** Prints every problem of a configuration, one per line. */
    static void report(PrintWriter err, ConfigOption config, ConfigException e) {
        err.println(config.path() + ": " + e.problems().size() + (e.problems().size() == 1 ? " problem" : " problems"));
        for (ConfigProblem p : e.problems()) {
            err.println("  " + p);
        }
        err.flush();
    }
}
