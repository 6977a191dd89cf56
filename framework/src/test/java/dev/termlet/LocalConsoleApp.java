package dev.termlet;

import dev.termlet.annotations.OnUser;
import dev.termlet.terminal.Menu;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;

/**
 * An app run on the local console from code, as a developer's {@code main} would: {@code LocalConsoleApp DATA LOG}.
 * Its handlers write each event they see to LOG, one line each, for {@link LocalConsoleTest}.
 */
public final class LocalConsoleApp {
    private final Path log;

    private LocalConsoleApp(Path log) {
        this.log = log;
    }

    private void log(String line) {
        try {
            Files.writeString(log, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @OnUser("connect")
    void connect(Client client) {
        log("connect " + client.user() + " " + client.hasPty() + " " + client.remoteAddress());
        client.println("Hello " + client.user() + ", " + client.size().columns() + "x" + client.size().rows());
    }

    @OnUser("type")
    void type(String text) {
        log("type " + text);
    }

    @OnUser("command")
    void command(Client client, String line) {
        log("command " + line);
        switch (line) {
            case "ask":
                client.println("Hi, " + client.readLine("Name? ") + ".");
                break;
            case "menu":
                Optional<Integer> i = Menu.choose(client.terminal().orElseThrow(), "Pick:", List.of("red", "green"));
                client.println("chose " + i.map(List.of("red", "green")::get).orElse("nothing"));
                break;
            case "leave":
                client.close(3);
                break;
            case "halt":
                System.exit(7);
                break;
            default:
                client.println("got " + line);
        }
    }

    @OnUser("resized")
    void resized(WindowSize size) {
        log("resized " + size.columns() + "x" + size.rows());
    }

    @OnUser("disconnected")
    void disconnected(Client client) {
        log("disconnected " + client.user());
        client.println("Bye.");
    }

    /**
     * Runs the app on the local console.
     *
     * @param args the data directory and the event log
     */
    public static void main(String[] args) {
        int status = Termlet.server().dataDir(Path.of(args[0])).register(new LocalConsoleApp(Path.of(args[1])))
                .runLocal();
        System.exit(status);
    }
}
