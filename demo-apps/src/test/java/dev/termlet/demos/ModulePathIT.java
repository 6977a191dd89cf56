package dev.termlet.demos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.test.TestClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.sshd.sftp.client.SftpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demos as named modules: {@code java --module-path ... -m dev.termlet.demos/...}, with Termlet's own modules
 * (and every dependency) on the module path, so that the module descriptors are complete (requires, opens to
 * the framework, picocli and Jackson, the file events' service) and the exports suffice for an application.
 * Runs after {@code package}, as the other *IT tests: {@code mvn verify}.
 */
class ModulePathIT {
    private static final String JAVA = ProcessHandle.current().info().command().orElse("java");
    private static final Pattern LISTENING = Pattern.compile("SSH listening on 127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path data;

    private Process process;
    private final List<String> output = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void stop() throws Exception {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    @Test
    void theEchoDemoRunsAsAModule() throws Exception {
        int port = start("echo");
        try (TestClient c = TestClient.password("127.0.0.1", port, "alice", "secret").open()) {
            c.typeLine("hello");
            c.awaitText("world!");
        }
        assertThat(output).noneMatch(l -> l.contains("IllegalAccess") || l.contains("InaccessibleObject"));
    }

    @Test
    void theFileServerRunsAsAModuleWithItsEvents() throws Exception {
        int port = start("files", "--ftp-port", "-1", "--https-port", "0");
        byte[] content = "module path\n".getBytes(StandardCharsets.UTF_8);
        try (TestClient c = TestClient.password("127.0.0.1", port, "alice", "secret")) {
            SftpClient sftp = c.sftp();
            try (OutputStream out = sftp.write("/hello.txt")) {
                out.write(content);
            }
            assertThat(sftp.read("/hello.txt").readAllBytes()).isEqualTo(content);
        }
        // the file events come from fileops' EventTypeProvider, a service the module provides
        assertThat(Files.readAllBytes(data.resolve("home").resolve("alice").resolve("hello.txt"))).isEqualTo(content);
        // the web side: Jetty's modules, HTTP/2 with the JDK's ALPN (a service Jetty's modules provide)
        int https = awaitLine(Pattern.compile("files demo HTTPS on https://127\\.0\\.0\\.1:(\\d+)/"));
        javax.net.ssl.SSLContext trustAll = javax.net.ssl.SSLContext.getInstance("TLS");
        trustAll.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509ExtendedTrustManager() {
            @Override public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a) { }
            @Override public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a) { }
            @Override public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a,
                    java.net.Socket s) { }
            @Override public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a,
                    java.net.Socket s) { }
            @Override public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a,
                    javax.net.ssl.SSLEngine e) { }
            @Override public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a,
                    javax.net.ssl.SSLEngine e) { }
            @Override public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                return new java.security.cert.X509Certificate[0];
            }
        }}, null);
        java.net.http.HttpResponse<String> login = java.net.http.HttpClient.newBuilder().sslContext(trustAll).build()
                .send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("https://127.0.0.1:" + https
                        + "/api/session")).header("Content-Type", "application/json").POST(
                        java.net.http.HttpRequest.BodyPublishers.ofString("{\"user\":\"alice\",\"password\":\"secret\"}"))
                        .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        assertThat(login.version()).isEqualTo(java.net.http.HttpClient.Version.HTTP_2);
        assertThat(output).noneMatch(l -> l.contains("IllegalAccess") || l.contains("InaccessibleObject"));
    }

    /** Waits for a line of the demo's output and returns the number the pattern's group 1 finds in it. */
    private int awaitLine(Pattern p) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            synchronized (output) {
                for (String l : output) {
                    Matcher m = p.matcher(l);
                    if (m.find()) {
                        return Integer.parseInt(m.group(1));
                    }
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no line matches " + p + " in:\n" + String.join("\n", output));
    }

    /** Starts a demo on the module path and returns the port it listens on. */
    private int start(String demo, String... extra) throws Exception {
        String deps = Files.readString(Path.of("target", "runtime-classpath.txt")).strip();
        String modulePath = Path.of("target", "classes").toAbsolutePath() + java.io.File.pathSeparator + deps;
        List<String> cmd = new ArrayList<>(List.of(JAVA, "--module-path", modulePath,
                "-m", "dev.termlet.demos/dev.termlet.demos.Launcher", demo, "--port", "0",
                "--data", data.toString(), "--user", "alice:secret"));
        cmd.addAll(List.of(extra));
        process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(
                new java.io.File("/dev/null"))).start();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    output.add(line);
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (IOException e) {
                port.completeExceptionally(e);
            }
            port.completeExceptionally(new IllegalStateException("the demo ended: " + String.join("\n", output)));
        }, "module-path-demo-output");
        reader.setDaemon(true);
        reader.start();
        return port.get(60, TimeUnit.SECONDS);
    }
}
