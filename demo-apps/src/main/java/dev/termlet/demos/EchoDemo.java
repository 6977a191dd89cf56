package dev.termlet.demos;

import dev.termlet.Client;
import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import dev.termlet.WindowSize;
import dev.termlet.annotations.OnUser;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The echo demo: PyserSSH's quick example in Java. {@code hello} answers {@code world!}; other lines are
 * echoed back; the built-in {@code exit} ends the session and {@code help} lists the built-in commands.
 */
@Command(name = "echo", mixinStandardHelpOptions = true,
        description = "PyserSSH's quick example: 'hello' answers 'world!', other lines are echoed.")
public final class EchoDemo implements Callable<Integer> {

    @Mixin
    DemoOptions options = new DemoOptions();

    @Option(names = "--idle-timeout", paramLabel = "SECONDS",
            description = "Close sessions idle this long, 0 for never (default: ${DEFAULT-VALUE}).")
    long idleSeconds = 600;

    /** The handlers: plain methods with {@code @OnUser}. */
    public static final class Handlers {
        @OnUser("connect")
        void welcome(Client client) {
            client.println("Welcome to the Termlet echo demo, " + client.user() + "!");
            client.println("Type 'hello', anything else to hear it back, or 'exit' to leave.");
        }

        @OnUser("command")
        void command(Client client, String line) {
            switch (line.trim()) {
                case "hello":
                    client.println("world!");
                    break;
                case "size":
                    WindowSize s = client.size();
                    client.println(s.columns() + "x" + s.rows());
                    break;
                default:
                    client.println("You said: " + line);
            }
        }

        @OnUser("timeout")
        void timeout(Client client) {
            client.println("You were idle too long.");
        }
    }

    /**
     * Builds the server from the options, creates the {@code --user} accounts and opens the port.
     *
     * @return the running server
     */
    public TermletServer start() {
        TermletServer server = options.apply(Termlet.server())
                .prompt("echo> ")
                .idleTimeout(Duration.ofSeconds(idleSeconds))
                .register(new Handlers())
                .build();
        options.seedAccounts(server.accounts());
        return server.start();
    }

    @Override
    public Integer call() throws Exception {
        return DemoOptions.serve("echo", start());
    }
}
