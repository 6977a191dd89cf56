package dev.termlet.fileops.internal.sftp;

import dev.termlet.fileops.FileEvent;
import dev.termlet.fileops.FileOperation;
import dev.termlet.fileops.Protocol;
import dev.termlet.fileops.internal.core.FileGate;
import dev.termlet.fileops.internal.core.FileSession;
import dev.termlet.fileops.internal.core.JailFileSystem;
import dev.termlet.fileops.internal.core.SshFileSessions;
import dev.termlet.fileops.internal.core.VirtualRoot;

import dev.termlet.auth.FilePermission;
import dev.termlet.spi.ShellWords;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.AbstractFileSystemCommand;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.command.CommandFactory;

/**
 * SFTPGo's hash commands over SSH exec ({@code md5sum}, {@code sha1sum}, {@code sha256sum}, {@code sha384sum},
 * {@code sha512sum}), which rclone and other clients use to check transfers. With one path, the path resolves in
 * the user's root and needs the download permission; the output is {@code HEX  PATH}; it fires {@code hash} and
 * {@code ssh-cmd}. With no path (or {@code -}) it hashes its standard input until EOF and prints {@code HEX  -}, as
 * SFTPGo does (rclone probes hash support this way); that reads no file, needs no permission, fires only
 * {@code ssh-cmd}, and is limited only in time ({@link #STDIN_TIMEOUT}). {@code --} may come before a path that
 * starts with {@code -}; other options and several paths are refused.
 */
public final class HashCommand extends AbstractFileSystemCommand {
    private static final Map<String, String> ALGORITHMS = Map.of("md5sum", "MD5", "sha1sum", "SHA-1", "sha256sum",
            "SHA-256", "sha384sum", "SHA-384", "sha512sum", "SHA-512");

    /** How long a hash of standard input may wait for the end of its input. */
    static final java.time.Duration STDIN_TIMEOUT = java.time.Duration.ofMinutes(10);

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(HashCommand.class);
    private static final java.util.concurrent.ScheduledExecutorService TIMER = java.util.concurrent.Executors
            .newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "termlet-hash-timeout");
                t.setDaemon(true);
                return t;
            });

    private final FileGate gate;
    private final SshFileSessions sessions;
    private final String algorithm;
    private final String path;

    private HashCommand(String command, FileGate gate, SshFileSessions sessions, String algorithm, String path) {
        super(command, null);
        this.gate = gate;
        this.sessions = sessions;
        this.algorithm = algorithm;
        this.path = path;
    }

    /** Serves the hash commands and hands every other command to the next factory. */
    public static CommandFactory factory(FileGate gate, SshFileSessions sessions, CommandFactory next) {
        return (ChannelSession channel, String command) -> {
            List<String> words;
            try {
                words = ShellWords.split(command);
            } catch (ShellWords.SyntaxException e) {
                words = null;
            }
            if (words != null && !words.isEmpty() && ALGORITHMS.containsKey(words.get(0))) {
                String algorithm = ALGORITHMS.get(words.get(0));
                if (words.size() == 1 || (words.size() == 2 && words.get(1).equals("-"))) {
                    return new HashCommand(command, gate, sessions, algorithm, null);
                }
                if (words.size() == 2 && !words.get(1).startsWith("-")) {
                    return new HashCommand(command, gate, sessions, algorithm, words.get(1));
                }
                if (words.size() == 3 && words.get(1).equals("--")) {
                    // the end of options: a path that starts with '-'
                    return new HashCommand(command, gate, sessions, algorithm, words.get(2));
                }
                return new HashCommand(command, gate, sessions, null, null);
            }
            return next.createCommand(channel, command);
        };
    }

    @Override
    public void run() {
        FileSession s = sessions.of(getServerSession(), Protocol.SSH);
        if (algorithm == null) {
            error("only one path, or none for standard input, is supported (no options)");
            onExit(1);
            return;
        }
        if (path == null) {
            hashInput(s);
            return;
        }
        try {
            VirtualRoot.checkClientPath(path);
        } catch (AccessDeniedException ex) {
            error("refused: " + ex.getReason());
            onExit(1);
            return;
        }
        Path file = fileSystem.getPath(path.isEmpty() ? "/" : path);
        Path real = SftpEvents.real(file.toAbsolutePath().normalize());
        FileEvent e = gate.event(s, real, null, "READ");
        long start = System.nanoTime();
        int status = 0;
        Throwable failure = null;
        try {
            gate.begin(FileOperation.HASH, s, e, false);
            JailFileSystem.check(file, true);
            if (!Files.isRegularFile(file)) {
                throw new IOException(e.path() + ": not a regular file");
            }
            MessageDigest digest = MessageDigest.getInstance(algorithm);
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buf = new byte[64 * 1024];
                for (int n; (n = in.read(buf)) > 0;) {
                    digest.update(buf, 0, n);
                }
            }
            OutputStream out = getOutputStream();
            out.write((HexFormat.of().formatHex(digest.digest()) + "  " + path + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (AccessDeniedException ex) {
            failure = ex;
            status = 1;
            error("permission denied: " + e.path());
        } catch (IOException | NoSuchAlgorithmException ex) {
            failure = ex;
            status = 1;
            error(ex.getMessage());
        }
        gate.end(FileOperation.HASH, s, e, failure, start);
        gate.end(FileOperation.SSH_COMMAND, s, e, failure, start, getCommand());
        onExit(status);
    }

    /** Hashes standard input until EOF: {@code HEX  -}; fires {@code ssh-cmd} (no file is read, so no hash). */
    private void hashInput(FileSession s) {
        long start = System.nanoTime();
        FileEvent e = gate.event(s, s.root(), null, null).withSize(0);
        java.util.concurrent.atomic.AtomicBoolean timedOut = new java.util.concurrent.atomic.AtomicBoolean();
        InputStream in = getInputStream();
        java.util.concurrent.ScheduledFuture<?> timeout = TIMER.schedule(() -> {
            timedOut.set(true);
            try {
                in.close();
            } catch (IOException ignored) {
                // the read ends anyway
            }
        }, STDIN_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        Throwable failure = null;
        int status = 0;
        long total = 0;
        try {
            MessageDigest digest = MessageDigest.getInstance(algorithm);
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) >= 0;) {
                digest.update(buf, 0, n);
                total += n;
            }
            if (timedOut.get()) {
                throw new IOException("standard input did not end within " + STDIN_TIMEOUT.toSeconds() + " s");
            }
            OutputStream out = getOutputStream();
            out.write((HexFormat.of().formatHex(digest.digest()) + "  -\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException | NoSuchAlgorithmException ex) {
            failure = timedOut.get() ? new IOException("standard input did not end within "
                    + STDIN_TIMEOUT.toSeconds() + " s") : ex;
            status = 1;
            error(failure.getMessage());
            LOG.info("{} of standard input for {} failed: {}", getCommand(), s.user(), failure.getMessage());
        } finally {
            timeout.cancel(false);
        }
        gate.end(FileOperation.SSH_COMMAND, s, e.withSize(total), failure, start, getCommand());
        onExit(status);
    }

    private void error(String message) {
        try {
            OutputStream err = getErrorStream();
            err.write((getCommand().split(" ")[0] + ": " + message + "\n").getBytes(StandardCharsets.UTF_8));
            err.flush();
        } catch (IOException ignored) {
            // the client has gone
        }
    }
}
