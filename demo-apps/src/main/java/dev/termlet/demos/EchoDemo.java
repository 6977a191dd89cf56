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
 * The echo demo: PyserSSH's quick example in Java. {@code hello} answers {@code world!}; {@code size} shows the
 * terminal's size and how many {@code resized} events the session had; other lines are echoed back; the built-in
 * {@code exit} (or Ctrl-D) ends the session, which says goodbye from {@code disconnected}, and {@code help} lists
 * the built-in commands. With {@code --local} it runs in the terminal it was started from, without SSH.
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
                    Object resizes = client.attribute("resizes");
                    client.println(s.columns() + "x" + s.rows() + " (resized " + (resizes == null ? 0 : resizes)
                            + " times)");
                    break;
                default:
                    client.println("You said: " + line);
            }
        }

        @OnUser("resized")
        void resized(Client client, WindowSize size) {
            Object resizes = client.attribute("resizes");
            client.attribute("resizes", resizes == null ? 1 : (Integer) resizes + 1);
        }

        @OnUser("disconnected")
        void goodbye(Client client) {
            client.println("Goodbye, " + client.user() + ".");
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
        return server().start();
    }

    /**
     * Builds the server from the options and creates the {@code --user} accounts, without opening the port.
     *
     * @return the server, not started
     */
    public TermletServer server() {
        TermletServer server = options.apply(Termlet.server())
                .prompt("echo> ")
                .idleTimeout(Duration.ofSeconds(idleSeconds))
                .register(new Handlers())
                .build();
        options.seedAccounts(server.accounts());
        return server;
    }

    @Override
    public Integer call() throws Exception {
        return options.run("echo", server());
    }
}
