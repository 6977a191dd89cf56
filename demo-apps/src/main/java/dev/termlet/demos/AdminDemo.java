package dev.termlet.demos;

import dev.termlet.Client;
import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import dev.termlet.annotations.Argument;
import dev.termlet.annotations.Command;
import dev.termlet.annotations.OnUser;
import dev.termlet.annotations.Option;
import dev.termlet.terminal.Menu;
import dev.termlet.terminal.ProgressBar;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jline.terminal.Terminal;
import picocli.CommandLine;

/**
 * The admin demo: an internal-tools console built from {@code @Command} methods. It shows categories in
 * {@code help}, typed options and enums, a command only accounts with the {@code admin} permission may run,
 * a progress bar and a menu, next to the built-in system commands.
 */
@CommandLine.Command(name = "admin", mixinStandardHelpOptions = true,
        description = "An admin console: @Command methods with categories, typed options, permissions, a progress"
                + " bar and a menu.")
public final class AdminDemo implements Callable<Integer> {

    @CommandLine.Mixin
    DemoOptions options = new DemoOptions();

    /** Temperature units, to show enum options. */
    public enum Unit {
        /** Degrees Celsius. */
        CELSIUS,
        /** Degrees Fahrenheit. */
        FAHRENHEIT,
        /** Kelvin. */
        KELVIN
    }

    /** The console's commands. */
    public static final class Commands {
        private volatile boolean maintenance;

        @OnUser("connect")
        void welcome(Client c) {
            c.println("Termlet admin console. Type 'help' for the commands, Tab to complete.");
            if (maintenance) {
                c.println("Note: the server is in maintenance mode.");
            }
        }

        @Command(category = "Tools", description = "Converts a temperature.")
        void convert(Client c, @Argument(label = "VALUE") double value,
                @Option(names = {"--from", "-f"}, defaultValue = "CELSIUS") Unit from,
                @Option(names = {"--to", "-t"}, defaultValue = "FAHRENHEIT") Unit to) {
            double kelvin = from == Unit.CELSIUS ? value + 273.15 : from == Unit.FAHRENHEIT
                    ? (value - 32) * 5 / 9 + 273.15 : value;
            double out = to == Unit.CELSIUS ? kelvin - 273.15 : to == Unit.FAHRENHEIT
                    ? (kelvin - 273.15) * 9 / 5 + 32 : kelvin;
            c.println(String.format(Locale.ROOT, "%.2f %s = %.2f %s", value, from, out, to));
        }

        @Command(category = "Tools", description = "Copies files (pretend), with a progress bar.")
        void copy(Client c, @Option(names = {"--files", "-n"}, defaultValue = "40") int files,
                @Option(names = "--delay", defaultValue = "25ms") Duration delay) throws InterruptedException {
            Optional<Terminal> t = c.terminal();
            if (t.isEmpty()) {
                for (int i = 1; i <= files; i++) {
                    Thread.sleep(delay.toMillis());
                }
                c.println("copied " + files + " files");
                return;
            }
            try (ProgressBar bar = new ProgressBar(t.get(), "Copying", files)) {
                for (int i = 0; i < files; i++) {
                    Thread.sleep(delay.toMillis());
                    bar.step(1);
                }
            }
            c.println("copied " + files + " files");
        }

        @Command(category = "Tools", description = "Picks a deployment target from a menu.")
        int pick(Client c) {
            Optional<Terminal> t = c.terminal();
            if (t.isEmpty()) {
                c.eprintln("pick needs a terminal (ssh -t).");
                return 1;
            }
            List<String> targets = List.of("staging", "production-eu", "production-us", "canary");
            Optional<Integer> choice = Menu.choose(t.get(), "Deploy to:", targets);
            if (choice.isEmpty()) {
                c.println("Nothing picked.");
                return 1;
            }
            c.println("Deploying to " + targets.get(choice.get()) + ".");
            return 0;
        }

        @Command(category = "Server", description = "Shows your session.")
        void info(Client c) {
            c.println("user " + c.user() + ", session " + c.sessionId() + ", terminal " + c.terminalType() + " "
                    + c.size().columns() + "x" + c.size().rows());
        }

        /** Maintenance switch values. */
        public enum Switch {
            /** Maintenance mode on. */
            on,
            /** Maintenance mode off. */
            off
        }

        @Command(category = "Server", permissions = "admin", description = "Turns maintenance mode on or off.")
        void maintenance(Client c, @Argument(label = "STATE") Switch state) {
            maintenance = state == Switch.on;
            c.println("Maintenance mode " + state + ".");
        }
    }

    /**
     * Builds the server from the options, creates the {@code --user} accounts and opens the port.
     *
     * @return the running server
     */
    public TermletServer start() {
        return server().start();
    }

    /**
     * Builds the server from the options and creates the {@code --user} accounts, without opening the port.
     *
     * @return the server, not started
     */
    public TermletServer server() {
        TermletServer server = options.apply(Termlet.server())
                .prompt("admin> ")
                .register(new Commands())
                .build();
        options.seedAccounts(server.accounts());
        return server;
    }

    @Override
    public Integer call() throws Exception {
        return options.run("admin", server());
    }
}
