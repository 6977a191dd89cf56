package dev.termlet.bench;

import dev.termlet.Client;
import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import dev.termlet.annotations.OnUser;
import dev.termlet.auth.Account;
import dev.termlet.fileops.FileOps;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;

import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code serve termlet|mina}: a server to measure, on 127.0.0.1, with the user {@code bench} (password
 * {@code bench}) and a shell that shows the prompt {@code $ } and echoes what is typed.
 * <ul>
 * <li>{@code termlet}: a Termlet server as an application writes it (a {@code command} handler, the line editor,
 * SFTP and SCP through FileOps with the file events on).</li>
 * <li>{@code mina}: bare Apache MINA SSHD, the library Termlet stands on, with a minimal echo shell and MINA's
 * own SFTP: the framework's overhead is the difference.</li>
 * </ul>
 */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Starts a server to measure: termlet or mina.")
final class Serve implements Callable<Integer> {
    @Parameters(index = "0", description = "termlet or mina")
    String kind;

    @Option(names = "--port", description = "Port (default: ${DEFAULT-VALUE}).")
    int port = 2222;

    @Option(names = "--authorized-keys", description = "An authorized_keys file for the user bench.")
    Path authorizedKeys;

    @Option(names = "--data", description = "Data directory (default: ${DEFAULT-VALUE}).")
    Path data = Path.of("bench-data");

    @Option(names = "--ftp-port", description = "termlet: also serve FTPS (explicit TLS) on this port.")
    int ftpPort;

    @Option(names = "--hash-passwords", description = "mina: check the password against an Argon2id hash with"
            + " Termlet's default parameters, as Termlet does, instead of comparing plain text.")
    boolean hashPasswords;

    @Option(names = "--ftp-plain", description = "termlet: also allow FTP logins without TLS.")
    boolean ftpPlain;

    @Option(names = "--no-sync-uploads", description = "termlet: leave uploads to the kernel's write-back instead of"
            + " forcing each to disk (FileOps.syncUploads(false)), as OpenSSH and vsftpd do.")
    boolean noSyncUploads;

    @Option(names = "--tcp-nodelay", description = "mina: set TCP_NODELAY on connections, as Termlet does.")
    boolean tcpNoDelay;

    /** Counts file events, so that they are on (handlers exist) as in a real file server. */
    public static final class Handlers {
        @OnUser("command")
        void command(Client c, String line) {
            c.println(line);
        }

        @OnUser({"upload", "download"})
        void file(dev.termlet.fileops.FileEvent e) {
            // a handler is registered, so the events are built and delivered
        }
    }

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(data);
        Runnable stop;
        if (kind.equals("termlet")) {
            TermletServer server = Termlet.server().port(port).dataDir(data).prompt("$ ").builtins(false)
                    .maxSessions(100_000).maxSessionsPerAddress(100_000).maxSessionsPerUser(100_000)
                    .maxUnauthenticated(10_000).maxUnauthenticatedPerAddress(10_000)
                    .extension((ftpPort > 0 ? FileOps.create().ftp(ftpPort).ftpAllowPlain(ftpPlain) : FileOps.create())
                            .syncUploads(!noSyncUploads))
                    .register(new Handlers()).build();
            Account.Builder bench = Account.builder("bench").password("bench".toCharArray());
            if (authorizedKeys != null) {
                for (String line : Files.readAllLines(authorizedKeys)) {
                    if (!line.isBlank()) {
                        bench.addAuthorizedKey(line);
                    }
                }
            }
            server.accounts().save(bench.build());
            server.start();
            stop = server::close;
        } else if (kind.equals("mina")) {
            SshServer sshd = mina(port, data);
            if (tcpNoDelay) {
                org.apache.sshd.core.CoreModuleProperties.TCP_NODELAY.set(sshd, true);
            }
            if (hashPasswords) {
                dev.termlet.auth.PasswordHasher hasher = new dev.termlet.auth.PasswordHasher();
                String hash = hasher.hash("bench".toCharArray());
                sshd.setPasswordAuthenticator((user, password, session) -> "bench".equals(user)
                        && hasher.verify(password.toCharArray(), hash));
            }
            if (authorizedKeys != null) {
                sshd.setPublickeyAuthenticator(
                        new org.apache.sshd.server.config.keys.AuthorizedKeysAuthenticator(authorizedKeys) {
                            @Override
                            protected boolean isValidUsername(String username,
                                    org.apache.sshd.server.session.ServerSession session) {
                                return "bench".equals(username);
                            }
                        });
            }
            sshd.start();
            stop = () -> {
                try {
                    sshd.stop(true);
                } catch (IOException e) {
                    // stopping anyway
                }
            };
        } else {
            System.err.println("serve: termlet or mina, not " + kind);
            return 2;
        }
        System.out.println(kind + " listening on 127.0.0.1:" + port + " pid " + ProcessHandle.current().pid());
        System.out.flush();
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.run();
            done.countDown();
        }));
        done.await();
        return 0;
    }

    /** Bare MINA: default settings, an Ed25519 host key, password {@code bench}, an echo shell, MINA's SFTP and SCP. */
    static SshServer mina(int port, Path data) throws IOException {
        SshServer sshd = SshServer.setUpDefaultServer();
        sshd.setHost("127.0.0.1");
        sshd.setPort(port);
        try {
            // an Ed25519 host key, as Termlet's first choice (kept in memory: the bench measures sessions)
            sshd.setKeyPairProvider(KeyPairProvider.wrap(org.apache.sshd.common.config.keys.KeyUtils
                    .generateKeyPair(KeyPairProvider.SSH_ED25519, 256)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("cannot make an Ed25519 host key", e);
        }
        sshd.setPasswordAuthenticator((user, password, session) -> "bench".equals(user) && "bench".equals(password));
        sshd.setShellFactory(channel -> new EchoShell());
        Path root = data.resolve("mina-home");
        Files.createDirectories(root);
        sshd.setFileSystemFactory(new org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory(root));
        sshd.setSubsystemFactories(java.util.List.of(new SftpSubsystemFactory()));
        sshd.setCommandFactory(new org.apache.sshd.scp.server.ScpCommandFactory.Builder().build());
        return sshd;
    }

    /** Prints {@code $ }, then echoes every byte (a carriage return as CR LF and a new prompt), on its own thread. */
    static final class EchoShell implements org.apache.sshd.server.command.Command, Runnable {
        private InputStream in;
        private OutputStream out;
        private org.apache.sshd.server.ExitCallback exit;
        private Thread thread;

        @Override
        public void setInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public void setOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void setErrorStream(OutputStream err) {
            // unused
        }

        @Override
        public void setExitCallback(org.apache.sshd.server.ExitCallback callback) {
            this.exit = callback;
        }

        @Override
        public void start(ChannelSession channel, org.apache.sshd.server.Environment env) {
            thread = new Thread(this, "echo-shell");
            thread.start();
        }

        @Override
        public void destroy(ChannelSession channel) {
            if (thread != null) {
                thread.interrupt();
            }
        }

        @Override
        public void run() {
            try {
                out.write("$ ".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                byte[] buf = new byte[8192];
                for (int n; (n = in.read(buf)) > 0;) {
                    for (int i = 0; i < n; i++) {
                        if (buf[i] == '\r') {
                            out.write("\r\n$ ".getBytes(StandardCharsets.US_ASCII));
                        } else if (buf[i] == 4) {
                            exit.onExit(0);
                            return;
                        } else {
                            out.write(buf[i]);
                        }
                    }
                    out.flush();
                }
            } catch (IOException e) {
                // the client went away
            }
            exit.onExit(0);
        }
    }
}
