package dev.termlet.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the OpenSSH {@code ssh} program and tmux against a server under test. */
public final class OpenSsh {
    private final Path dir;
    private final int port;
    private final Path key;

    /**
     * Prepares a client directory with a fresh Ed25519 key.
     *
     * @param dir a temporary directory
     * @param port the server port
     * @throws Exception if ssh-keygen fails
     */
    public OpenSsh(Path dir, int port) throws Exception {
        this.dir = dir;
        this.port = port;
        this.key = dir.resolve("id_ed25519");
        run(List.of(tool("ssh-keygen"), "-q", "-t", "ed25519", "-N", "", "-C", "test@termlet", "-f", key.toString()),
                null, 30);
    }

    /**
     * Finds a program on the PATH, failing with a clear message when it is missing.
     *
     * @param name the program
     * @return its name
     */
    public static String tool(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(d, name))) {
                return name;
            }
        }
        throw new AssertionError(name + " is not installed; .ci/run installs it (apt-get install openssh-client tmux ssh-audit)");
    }

    /** @return the public key line */
    public String publicKey() throws IOException {
        return Files.readString(dir.resolve("id_ed25519.pub")).trim();
    }

    /** @return the options every ssh call uses */
    public List<String> baseArgs() {
        return new ArrayList<>(List.of(tool("ssh"), "-F", "/dev/null", "-p", Integer.toString(port),
                "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
                "-o", "ConnectTimeout=10"));
    }

    /** @return the options for key authentication */
    public List<String> keyArgs() {
        List<String> a = baseArgs();
        a.addAll(List.of("-i", key.toString(), "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes",
                "-o", "PreferredAuthentications=publickey"));
        return a;
    }

    /**
     * The options for password authentication through SSH_ASKPASS.
     *
     * @param password the password
     * @return the options; the returned environment must be used with them
     * @throws IOException if the askpass script cannot be written
     */
    public Path askpass(String password) throws IOException {
        Path script = dir.resolve("askpass.sh");
        Path secret = dir.resolve("password.txt");
        Files.writeString(secret, password);
        Files.writeString(script, "#!/bin/sh\ncat '" + secret + "'\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    /** The result of running a program. */
    public record Result(int status, String out, String err) {}

    /**
     * Runs a program to its end.
     *
     * @param command the command line
     * @param stdin input, or null
     * @param seconds time limit
     * @return the result
     * @throws Exception if it cannot start or runs too long
     */
    public static Result run(List<String> command, String stdin, int seconds) throws Exception {
        return run(command, stdin, seconds, null);
    }

    /**
     * Runs a program to its end with extra environment.
     *
     * @param command the command line
     * @param stdin input, or null
     * @param seconds time limit
     * @param askpass an askpass script for password logins, or null
     * @return the result
     * @throws Exception if it cannot start or runs too long
     */
    public static Result run(List<String> command, String stdin, int seconds, Path askpass) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command);
        if (askpass != null) {
            pb.environment().put("SSH_ASKPASS", askpass.toString());
            pb.environment().put("SSH_ASKPASS_REQUIRE", "force");
            pb.environment().put("DISPLAY", ":0");
        }
        Path out = Files.createTempFile("termlet-out", ".txt");
        Path err = Files.createTempFile("termlet-err", ".txt");
        pb.redirectOutput(out.toFile());
        pb.redirectError(err.toFile());
        Process p = pb.start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + command + "\nout: " + Files.readString(out) + "\nerr: "
                    + Files.readString(err));
        }
        Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
        return r;
    }
}
