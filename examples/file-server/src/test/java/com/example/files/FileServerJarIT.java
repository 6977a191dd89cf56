package com.example.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.termlet.test.TestClient;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.sshd.sftp.client.SftpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged file server as its users run it: {@code java -jar target/file-server.jar 0 DIR HOOK} in a process of
 * its own, with a copy of {@code hooks/on-upload.sh}, on a free port and a temporary data directory; files are
 * uploaded over SFTP and the hook's log is read. Failsafe runs it after {@code package} ({@code mvn verify}) and
 * passes the jar's path in the system property {@code app.jar}; the app's output goes to
 * {@code target/FileServerJarIT-app.log}.
 */
class FileServerJarIT {
    private static final Pattern LISTENING = Pattern.compile("Listening on [^ ]+:(\\d+);");

    @TempDir
    Path dir;

    private final Path log = Path.of("target", "FileServerJarIT-app.log");
    private Process app;

    @Test
    void uploadsOverSftpRunTheHook() throws Exception {
        // a copy of the hook, so that its uploads.log is written here, not into hooks/
        Path hook = Files.createDirectory(dir.resolve("hooks")).resolve("on-upload.sh");
        Files.copy(Path.of("hooks", "on-upload.sh"), hook, StandardCopyOption.COPY_ATTRIBUTES);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        app = new ProcessBuilder(java, "-jar", System.getProperty("app.jar"), "0", dir.resolve("data").toString(),
                hook.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        int port = awaitPort();

        byte[] report = "quarterly figures\n".getBytes(StandardCharsets.UTF_8);
        try (TestClient client = TestClient.password("127.0.0.1", port, "alice", "secret")) {
            SftpClient sftp = client.sftp();
            sftp.mkdir("/reports");
            try (OutputStream out = sftp.write("/reports/q3.txt")) {
                out.write(report);
            }
            assertThatThrownBy(() -> {
                try (OutputStream out = sftp.write("/setup.exe")) {
                    out.write(new byte[] {'M', 'Z'});
                }
            }).hasMessageContaining("denied");
        }

        // the hook runs after the upload, asynchronously: wait for its line
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(report));
        Path uploads = hook.resolveSibling("uploads.log");
        String expected = " alice /reports/q3.txt " + report.length + " sha256:" + hash;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!(Files.exists(uploads) && Files.readString(uploads).contains(expected))
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(uploads).as("the hook's log; the app's output:%n%s", output()).exists();
        assertThat(Files.readAllLines(uploads)).as("the hook's log").hasSize(1)
                .first().asString().endsWith(expected);

        app.destroy();                          // SIGTERM, as Ctrl-C's SIGINT: the shutdown hook stops the server
        assertThat(app.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s; output:%n%s", output()).isTrue();
    }

    /** Waits for the line the app prints once its port is open, and returns the port. */
    private int awaitPort() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Matcher m = LISTENING.matcher(output());
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            if (!app.isAlive()) {
                throw new AssertionError("the app exited with " + app.exitValue() + ":\n" + output());
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the app printed no port in 60 s:\n" + output());
    }

    private String output() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (app != null && app.isAlive()) {
            app.destroyForcibly().waitFor();
        }
    }
}
