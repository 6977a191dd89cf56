package dev.termlet.server;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code termlet}: the standalone server's command line ({@code serve}, {@code check-config}, {@code accounts}).
 */
@Command(name = "termlet", mixinStandardHelpOptions = true, versionProvider = TermletMain.Version.class,
        description = "A Termlet server configured by termlet.yaml: SFTP, SCP, FTP(S) and the shell apps in lib/.",
        subcommands = {ServeCommand.class, CheckConfigCommand.class, AccountsCommand.class,
            CommandLine.HelpCommand.class})
public final class TermletMain {
    private TermletMain() {
    }

    /**
     * Runs the command line and exits with its status ({@code serve} returns when the server has stopped).
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new TermletMain()).execute(args));
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = TermletMain.class.getPackage().getImplementationVersion();
            return new String[] {"termlet " + (v != null ? v : "(development build)")};
        }
    }
}
