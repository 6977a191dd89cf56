package dev.termlet.fileops;

import dev.termlet.auth.FilePermission;
import dev.termlet.internal.command.ShellWords;
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
 * {@code sha512sum} with one path), which rclone and other clients use to check transfers. The path resolves in
 * the user's root and needs the download permission; the output is {@code HEX  PATH}. Each fires {@code hash} and
 * {@code ssh-cmd}.
 */
final class HashCommand extends AbstractFileSystemCommand {
    private static final Map<String, String> ALGORITHMS = Map.of("md5sum", "MD5", "sha1sum", "SHA-1", "sha256sum",
            "SHA-256", "sha384sum", "SHA-384", "sha512sum", "SHA-512");

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
    static CommandFactory factory(FileGate gate, SshFileSessions sessions, CommandFactory next) {
        return (ChannelSession channel, String command) -> {
            List<String> words;
            try {
                words = ShellWords.split(command);
            } catch (ShellWords.SyntaxException e) {
                words = null;
            }
            if (words != null && words.size() == 2 && ALGORITHMS.containsKey(words.get(0))) {
                return new HashCommand(command, gate, sessions, ALGORITHMS.get(words.get(0)), words.get(1));
            }
            return next.createCommand(channel, command);
        };
    }

    @Override
    public void run() {
        FileSession s = sessions.of(getServerSession(), Protocol.SSH);
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
            gate.permit(s, FilePermission.DOWNLOAD, e.path());
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
        gate.post(FileEvents.HASH, s, e, failure, start);
        gate.post(FileEvents.SSH_CMD, s, e, failure, start, getCommand());
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
