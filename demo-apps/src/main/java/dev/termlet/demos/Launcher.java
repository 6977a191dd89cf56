package dev.termlet.demos;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The demo launcher: {@code java -jar termlet-demos.jar <demo> [options]}.
 * {@code --help} lists the demos; {@code <demo> --help} shows a demo's options.
 */
@Command(name = "termlet-demos.jar", mixinStandardHelpOptions = true, version = "Termlet demos 0.1.0",
        description = "Runnable Termlet demo servers. Each listens on 127.0.0.1:2222 unless told otherwise;"
                + " with --local, it runs one session in this terminal instead, without SSH.",
        subcommands = {EchoDemo.class, AdminDemo.class, ChatDemo.class, GameDemo.class, AuthDemo.class,
            FilesDemo.class})
public final class Launcher implements Runnable {

    /**
     * Runs the launcher.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        int status = new CommandLine(new Launcher()).execute(args);
        if (status != 0) {
            System.exit(status);
        }
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
