package dev.termlet.demos;

import dev.termlet.TermletServer;
import dev.termlet.auth.Account;
import dev.termlet.auth.AccountStore;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options every demo takes: where to listen, where to keep data, which accounts to create. */
public final class DemoOptions {

    @Option(names = "--bind", paramLabel = "ADDR", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String bind = "127.0.0.1";

    @Option(names = "--port", paramLabel = "N", description = "Port to listen on, 0 for any free port (default: ${DEFAULT-VALUE}).")
    int port = 2222;

    @Option(names = "--data", paramLabel = "DIR", description = "Data directory: host keys, users.json, history (default: ${DEFAULT-VALUE}).")
    Path data = Path.of("termlet-data");

    @Option(names = "--user", paramLabel = "NAME:PASSWORD[:perm,perm]",
            description = "Create or update an account at start (repeatable).")
    List<String> users = new ArrayList<>();

    @Option(names = "--local", description = "Run one session in this terminal instead of listening for SSH: no port,"
            + " no login; the log goes to DATA/termlet.log.")
    boolean local;

    @Option(names = "--local-user", paramLabel = "NAME",
            description = "The user of the --local session (default: the operating system's user, ${sys:user.name}).")
    String localUser;

    /**
     * Applies the options to a server builder.
     *
     * @param builder the builder
     * @return the builder
     */
    public TermletServer.Builder apply(TermletServer.Builder builder) {
        return builder.bind(bind).port(port).dataDir(data);
    }

    /**
     * Creates or updates the {@code --user} accounts; with none given and an empty store, creates
     * {@code admin} with a random password and prints it once.
     *
     * @param store the account store
     */
    public void seedAccounts(AccountStore store) {
        for (String spec : users) {
            String[] parts = spec.split(":", 3);
            if (parts.length < 2 || parts[0].isEmpty()) {
                throw new IllegalArgumentException("--user wants NAME:PASSWORD[:perm,perm], not '" + parts[0] + ":...'");
            }
            Account.Builder b = store.find(parts[0]).map(Account::toBuilder).orElse(Account.builder(parts[0]));
            b.password(parts[1].toCharArray());
            if (parts.length == 3) {
                for (String perm : parts[2].split(",")) {
                    if (!perm.isBlank()) {
                        b.addPermission(perm.trim());
                    }
                }
            }
            store.save(b.build());
        }
        if (users.isEmpty() && store.isEmpty() && !local) {
            String password = randomPassword();
            store.save(Account.builder("admin").password(password.toCharArray()).addPermission("admin").build());
            System.out.println("created account admin with password " + password + " (shown once)");
        }
    }

    /**
     * Prints the ready line ({@code NAME demo listening on ADDR:PORT}) and serves until the JVM is asked to
     * stop (Ctrl-C, SIGTERM), then stops the server gracefully.
     *
     * @param name the demo's name
     * @param server the running server
     * @return the exit status, 0
     * @throws InterruptedException if interrupted while serving
     */
    public static int serve(String name, dev.termlet.TermletServer server) throws InterruptedException {
        System.out.println(name + " demo listening on " + server.host() + ":" + server.port());
        System.out.flush();
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            done.countDown();
        }, "termlet-shutdown"));
        done.await();
        return 0;
    }

    /**
     * Runs a built demo server: with {@code --local}, one session in this terminal (then the server stops); otherwise
     * opens its port and serves as {@link #serve} does.
     *
     * @param name the demo's name
     * @param server the server, built and not started
     * @return the exit status: the local session's, or 0
     * @throws InterruptedException if interrupted while serving
     */
    public int run(String name, TermletServer server) throws InterruptedException {
        if (!local) {
            return serve(name, server.start());
        }
        // the terminal is the session's screen: the log goes to a file
        logTo(data.resolve("termlet.log"));
        try (server) {
            return localUser != null ? server.runLocal(localUser) : server.runLocal();
        }
    }

    /**
     * Refuses {@code --local} for a demo that has nothing to show without SSH.
     *
     * @param spec the demo's command, for the error message
     * @param name the demo's name
     * @param why what the demo is about
     * @throws picocli.CommandLine.ParameterException with {@code --local}
     */
    void refuseLocal(picocli.CommandLine.Model.CommandSpec spec, String name, String why) {
        if (local) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--local: the " + name + " demo " + why + "; try 'echo --local' or 'chat --local'.");
        }
    }

    /** Sends the demos' log (logback's root logger) to a file instead of standard error. */
    private static void logTo(Path file) {
        if (!(org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext)) {
            return;
        }
        ch.qos.logback.classic.LoggerContext ctx =
                (ch.qos.logback.classic.LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
        ch.qos.logback.classic.encoder.PatternLayoutEncoder encoder =
                new ch.qos.logback.classic.encoder.PatternLayoutEncoder();
        encoder.setContext(ctx);
        encoder.setPattern("%d{HH:mm:ss.SSS} %-5level [%X{connection} %X{session} %X{user}@%X{remote}] %logger{0}"
                + " - %msg%n");
        encoder.start();
        ch.qos.logback.core.FileAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender =
                new ch.qos.logback.core.FileAppender<>();
        appender.setContext(ctx);
        appender.setName("FILE");
        appender.setFile(file.toString());
        appender.setEncoder(encoder);
        appender.start();
        ch.qos.logback.classic.Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAppender("STDERR");
        root.addAppender(appender);
    }

    private static String randomPassword() {
        String alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        SecureRandom random = new SecureRandom();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
