package com.example;

import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import dev.termlet.auth.Account;
import java.nio.file.Path;

/** Starts the app: {@code java -jar target/hello-ssh.jar [port [data-directory]]}. */
public final class Main {
    private Main() {
    }

    /**
     * Opens the SSH port and serves until the JVM is stopped (Ctrl-C).
     *
     * @param args the port (2222 unless given; 0 for any free port) and the data directory ({@code termlet-data}
     *     unless given)
     * @throws InterruptedException if the main thread is interrupted while serving
     */
    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 2222;
        Path dataDir = Path.of(args.length > 1 ? args[1] : "termlet-data");
        TermletServer server = Termlet.server()
                .port(port)                 // on 127.0.0.1 unless you bind(...) elsewhere
                .dataDir(dataDir)           // host keys and users.json
                .register(new Hello())      // or .scan("com.example")
                .build();
        if (server.accounts().find("alice").isEmpty()) {
            server.accounts().save(Account.builder("alice").password("secret".toCharArray()).build());
        }
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));   // Ctrl-C stops it gracefully
        System.out.println("Listening on " + server.host() + ":" + server.port()
                + "; log in with: ssh -p " + server.port() + " alice@" + server.host());
        server.await();                     // serve until it stops (the hook above, on Ctrl-C)
    }
}
