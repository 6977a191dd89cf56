package com.example.files;

import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import dev.termlet.auth.Account;
import dev.termlet.fileops.FileOps;
import dev.termlet.fileops.Hooks;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A file server: SFTP and SCP, each user in a home of their own, {@link UploadRules}, and a program run after each
 * upload as SFTPGo runs its hooks. {@code java -jar target/file-server.jar [port [data-directory [upload-hook]]]}.
 */
public final class FileServer {
    private FileServer() {
    }

    /**
     * Makes a server a file server: SFTP and SCP on its SSH port, each user in {@code DATA/home/NAME}, uploads checked
     * by {@link UploadRules}. The tests set up their server with it too.
     *
     * @param builder the server's builder
     * @return the builder
     */
    public static TermletServer.Builder configure(TermletServer.Builder builder) {
        return builder.extension(FileOps.create()).register(new UploadRules());
    }

    /**
     * The hook that runs a program after each upload, with SFTPGo's arguments and {@code SFTPGO_ACTION_*}
     * variables.
     *
     * @param program the program
     * @return the hooks, for {@link TermletServer.Builder#extension}
     */
    public static Hooks uploadHook(Path program) {
        return Hooks.builder().program(program.toAbsolutePath(), "upload").build();
    }

    /**
     * Opens the SSH port and serves files until the JVM is stopped (Ctrl-C).
     *
     * @param args the port (2222 unless given; 0 for any free port), the data directory ({@code termlet-data}
     *     unless given) and the program to run after each upload ({@code hooks/on-upload.sh} unless given)
     * @throws InterruptedException if the main thread is interrupted while serving
     */
    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 2222;
        Path dataDir = Path.of(args.length > 1 ? args[1] : "termlet-data");
        Path hook = Path.of(args.length > 2 ? args[2] : "hooks/on-upload.sh");
        if (!Files.isExecutable(hook)) {
            System.err.println("no executable upload hook at " + hook.toAbsolutePath());
            System.exit(2);
        }
        TermletServer server = configure(Termlet.server())
                .port(port)
                .dataDir(dataDir)
                .extension(uploadHook(hook))
                .build();
        if (server.accounts().find("alice").isEmpty()) {
            server.accounts().save(Account.builder("alice").password("secret".toCharArray()).build());
        }
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        System.out.println("Listening on " + server.host() + ":" + server.port()
                + "; try: sftp -P " + server.port() + " alice@" + server.host());
        server.await();                     // serve until it stops (Ctrl-C)
    }
}
