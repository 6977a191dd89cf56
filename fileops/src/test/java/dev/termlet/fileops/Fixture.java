package dev.termlet.fileops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.TermletServer;
import dev.termlet.test.ExecResult;
import dev.termlet.test.TestClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A key for the OpenSSH programs, ways to run sftp and scp against a test server, a login with termlet-test's
 * client, and an event recorder.
 */
class Fixture {
    final Path client;
    final Path key;
    private final List<String> events = new ArrayList<>();

    /** An event recorder only, for tests without the OpenSSH programs. */
    Fixture(Void none) {
        this.client = null;
        this.key = null;
    }

    Fixture(Path client) throws Exception {
        this.client = client;
        this.key = client.resolve("id");
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString()).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    /**
     * Logs in to a test server with a password, as users' tests do: termlet-test's client, for SFTP, exec, and
     * its MINA session for the rest.
     */
    static TestClient login(TermletServer server, String user, String password) {
        return TestClient.password("127.0.0.1", server.port(), user, password);
    }

    /**
     * Asserts that a command succeeded as MINA's {@code executeRemoteCommand} demands: exit status 0 and nothing on
     * standard error.
     *
     * @return its standard output
     */
    static String succeeded(ExecResult r) {
        assertThat(r.err()).as("standard error").isEmpty();
        assertThat(r.status()).as("exit status").isZero();
        return r.out();
    }

    /** @return the public key line */
    String publicKey() throws Exception {
        return Files.readString(client.resolve("id.pub")).trim();
    }

    static List<String> sshOptions(TermletServer server) {
        return List.of("-F", "/dev/null", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                "-o", "LogLevel=ERROR", "-o", "BatchMode=yes");
    }

    /** Runs an sftp batch (lines starting with '-' may fail without ending it) and returns its output. */
    String sftp(TermletServer server, String user, String batch) throws Exception {
        Path file = client.resolve("batch.txt");
        Files.writeString(file, batch);
        List<String> cmd = new ArrayList<>(List.of("sftp"));
        cmd.addAll(sshOptions(server));
        cmd.addAll(List.of("-b", file.toString(), "-i", key.toString(), "-P", Integer.toString(server.port()),
                user + "@127.0.0.1"));
        return run(cmd).out;
    }

    /** Runs scp (with the legacy SCP protocol, -O) and returns its exit status and output. */
    Result scp(TermletServer server, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("scp", "-O"));
        cmd.addAll(sshOptions(server));
        cmd.addAll(List.of("-i", key.toString(), "-P", Integer.toString(server.port())));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    /** Runs OpenSSH 9's scp in its default mode (SFTP underneath) and returns its exit status and output. */
    Result scpSftp(TermletServer server, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("scp"));
        cmd.addAll(sshOptions(server));
        cmd.addAll(List.of("-i", key.toString(), "-P", Integer.toString(server.port())));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    /** Runs ssh with a remote command, feeding it nothing, and returns its exit status and output. */
    Result ssh(TermletServer server, String user, String command) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ssh"));
        cmd.addAll(sshOptions(server));
        cmd.addAll(List.of("-n", "-i", key.toString(), "-p", Integer.toString(server.port()), user + "@127.0.0.1",
                command));
        return run(cmd);
    }

    /**
     * Runs a program in the client directory with extra environment variables and no input; stderr joins stdout;
     * one that has not ended after 120 s is killed and fails the test.
     */
    Result run(java.util.Map<String, String> env, List<String> cmd) throws Exception {
        return run(env, cmd, new java.io.File("/dev/null"));
    }

    /** Runs a client program with no input; one that has not ended after 120 s is killed and fails the test. */
    private Result run(List<String> cmd) throws Exception {
        return run(java.util.Map.of(), cmd, new java.io.File("/dev/null"));
    }

    /**
     * Runs a client program with extra environment variables and a file as its input; one that has not ended after
     * 120 s is killed and fails the test.
     */
    Result run(java.util.Map<String, String> env, List<String> cmd, java.io.File input) throws Exception {
        Path log = Files.createTempFile(client, "client", ".out");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(client.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(input));
        pb.environment().putAll(env);
        Process p = pb.start();
        boolean ended = p.waitFor(120, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(ended).as("%s ended within 120 s; it printed: %s", cmd.get(0), out).isTrue();
        return new Result(p.exitValue(), out);
    }

    /** What a client program did. */
    record Result(int status, String out) {}

    /** Records an event line. */
    synchronized void add(String line) {
        events.add(line);
        notifyAll();
    }

    /** @return the events so far */
    synchronized List<String> events() {
        return new ArrayList<>(events);
    }

    /** Waits up to 10 s for an event line matching; returns whether one came. */
    synchronized boolean await(Predicate<String> match) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (events.stream().noneMatch(match) && System.nanoTime() < deadline) {
            wait(100);
        }
        return events.stream().anyMatch(match);
    }

    /** Waits for an event line starting with a prefix. */
    boolean await(String prefix) throws InterruptedException {
        return await(e -> e.startsWith(prefix));
    }

    /** One line for a file event: {@code name PROTOCOL user path [-> target] size=N status=S}. */
    static String line(String name, FileEvent e) {
        return name + " " + e.protocol() + " " + e.user() + " " + e.path() + (e.target() != null ? " -> " + e.target()
                : "") + " size=" + e.size() + " status=" + e.status();
    }
}
