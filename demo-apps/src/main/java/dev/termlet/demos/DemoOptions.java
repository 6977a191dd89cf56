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
        if (users.isEmpty() && store.isEmpty()) {
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
