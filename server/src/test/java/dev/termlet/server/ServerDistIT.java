package dev.termlet.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPSClient;
import org.apache.commons.net.util.TrustManagerUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution as an operator gets it: the archive unpacked, {@code bin/termlet} run with the example
 * {@code conf/termlet.yaml} (addresses and ports overridden by {@code TERMLET_*} variables), a shell app's jar in
 * {@code lib/}, accounts made with {@code termlet accounts}; then OpenSSH's sftp, scp and ssh, an FTPS client and a
 * Prometheus scrape of the running server. Runs after {@code package}: {@code mvn verify}.
 */
class ServerDistIT {
    private static final String APP = """
            package com.example.shellapp;

            import dev.termlet.Client;
            import dev.termlet.annotations.OnUser;

            public class Greeter {
                @OnUser("command")
                public void command(Client client, String line) {
                    client.println("lib app says " + line);
                }
            }
            """;

    @TempDir
    Path tmp;

    private Path home;
    private Path data;
    private Path key;
    private Process server;
    private final List<String> output = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void unpack() throws Exception {
        Path archive;
        try (var files = Files.list(Path.of("target"))) {
            archive = files.filter(p -> p.getFileName().toString().matches("termlet-server-.*\\.tar\\.gz"))
                    .findFirst().orElseThrow(() -> new AssertionError("no archive in target/: run mvn verify"));
        }
        run(List.of("tar", "xzf", archive.toAbsolutePath().toString(), "-C", tmp.toString()), null, 0);
        try (var dirs = Files.list(tmp)) {
            home = dirs.filter(p -> p.getFileName().toString().startsWith("termlet-server-")).findFirst().orElseThrow();
        }
        data = tmp.resolve("data");
        assertThat(home.resolve("bin/termlet")).isExecutable();
        assertThat(home.resolve("systemd/termlet.service")).content().contains("ExecStart=/opt/termlet/bin/termlet serve");
        assertThat(home.resolve("Dockerfile")).content().contains("ENTRYPOINT [\"/opt/termlet/bin/termlet\"]");
        key = tmp.resolve("id_ed25519");
        run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString()), null, 0);
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null && server.isAlive()) {
            server.destroy();
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).as("SIGTERM ends the server").isTrue();
        }
    }

    /** The example configuration with the test's addresses, ports and directories. */
    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("TERMLET_CONFIG", home.resolve("conf/termlet.yaml").toString());
        env.put("TERMLET_LISTENERS_0_ADDRESS", "127.0.0.1");
        env.put("TERMLET_LISTENERS_0_PORT", "0");
        env.put("TERMLET_DATA_DIR", data.toString());
        env.put("TERMLET_FILEOPS_FTP_PORT", "0");
        env.put("TERMLET_FILEOPS_FTP_PASSIVE_PORTS", "0");
        env.put("TERMLET_WEB_PORT", "0");
        env.put("TERMLET_SCAN", "com.example.shellapp");
        return env;
    }

    private String run(List<String> cmd, String stdin, int expectedStatus) throws Exception {
        return run(cmd, stdin, expectedStatus, Map.of());
    }

    private String run(List<String> cmd, String stdin, int expectedStatus, Map<String, String> env)
            throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        try (var in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(String.join(" ", cmd)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + "\n" + out).isEqualTo(expectedStatus);
        return out;
    }

    private List<String> termlet(String... args) {
        List<String> cmd = new ArrayList<>(List.of(home.resolve("bin/termlet").toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private List<String> openSsh(String tool, int port, String... args) {
        List<String> cmd = new ArrayList<>(List.of(tool, tool.equals("ssh") ? "-p" : "-P", String.valueOf(port),
                "-i", key.toString(), "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o",
                "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    @Test
    void aMisspelledKeyIsAClearErrorAndTheExampleIsValid() throws Exception {
        Path bad = tmp.resolve("bad.yaml");
        Files.writeString(bad, "listeners:\n  - address: 127.0.0.1\n    port: 0\nlimits:\n  max-sesions: 5\n");
        String out = run(termlet("check-config", "--config", bad.toString()), null, 2);
        assertThat(out).contains("limits.max-sesions", "bad.yaml:5", "did you mean", "max-sessions");
        assertThat(run(termlet("check-config"), null, 0, env())).contains("valid");
        // through a symbolic link, as from /usr/local/bin
        Path link = tmp.resolve("termlet-link");
        Files.createSymbolicLink(link, home.resolve("bin/termlet"));
        assertThat(run(List.of(link.toString(), "check-config"), null, 0, env())).contains("valid");
    }

    @Test
    void servesSftpScpFtpsAndALibAppAndItsMetrics() throws Exception {
        Files.createDirectories(data);
        buildAppJar(home.resolve("lib/shellapp.jar"));
        Map<String, String> env = env();
        assertThat(run(termlet("accounts", "add", "alice", "--password-stdin"), "secret\n", 0, env))
                .contains("Account 'alice' added.");
        assertThat(run(termlet("accounts", "add-key", "alice", key + ".pub"), null, 0, env))
                .contains("Key added to 'alice'.");
        assertThat(run(termlet("accounts", "list"), null, 0, env)).contains("alice").contains("keys=1");

        ProcessBuilder pb = new ProcessBuilder(termlet("serve", "--metrics", "127.0.0.1:0")).redirectErrorStream(true);
        pb.environment().putAll(env);
        server = pb.start();
        Map<String, String> where = awaitServing();
        int ssh = Integer.parseInt(where.get("SSH"));
        int ftp = Integer.parseInt(where.get("FTP"));
        String metrics = where.get("metrics");

        Path upload = tmp.resolve("hello.txt");
        Files.writeString(upload, "over sftp\n");
        Path batch = tmp.resolve("batch");
        Files.writeString(batch, "put " + upload + " /hello.txt\nls -l /\n");
        assertThat(run(openSsh("sftp", ssh, "-b", batch.toString(), "alice@127.0.0.1"), null, 0)).contains("hello.txt");
        assertThat(data.resolve("home/alice/hello.txt")).hasContent("over sftp");

        Path viaScp = tmp.resolve("scp.txt");
        Files.writeString(viaScp, "over scp\n");
        run(openSsh("scp", ssh, "-O", viaScp.toString(), "alice@127.0.0.1:/scp.txt"), null, 0);
        assertThat(data.resolve("home/alice/scp.txt")).hasContent("over scp");

        assertThat(run(openSsh("ssh", ssh, "alice@127.0.0.1", "ping"), null, 0)).isEqualTo("lib app says ping\n");

        FTPSClient client = new FTPSClient(false);
        client.setTrustManager(TrustManagerUtils.getAcceptAllTrustManager());
        client.setDefaultTimeout(20_000);
        client.connect("127.0.0.1", ftp);
        try {
            client.execPBSZ(0);
            client.execPROT("P");
            assertThat(client.login("alice", "secret")).isTrue();
            client.enterLocalPassiveMode();
            client.setFileType(FTP.BINARY_FILE_TYPE);
            assertThat(client.storeFile("ftps.txt", new ByteArrayInputStream("over ftps\n".getBytes()))).isTrue();
            ByteArrayOutputStream back = new ByteArrayOutputStream();
            assertThat(client.retrieveFile("hello.txt", back)).isTrue();
            assertThat(back.toString(StandardCharsets.UTF_8)).isEqualTo("over sftp\n");
            client.logout();
        } finally {
            client.disconnect();
        }
        assertThat(data.resolve("home/alice/ftps.txt")).hasContent("over ftps");

        // the web side with curl, over HTTPS with the self-signed certificate the server made
        int https = Integer.parseInt(where.get("HTTPS"));
        assertThat(run(List.of("curl", "-sS", "-k", "-o", "/dev/null", "-w", "%{http_code}",
                "-H", "Content-Type: application/json", "--data", "{\"user\":\"alice\",\"password\":\"secret\"}",
                "https://127.0.0.1:" + https + "/api/session"), null, 0)).isEqualTo("200");
        assertThat(data.resolve("web/tls.p12")).exists();

        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://" + metrics + "/health"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("UP\n");
        // the image's health check, as the Dockerfile writes it, against this server's metrics port
        Matcher check = Pattern.compile("HEALTHCHECK .*CMD \\[\"bash\", \"-c\", \"(.*)\"\\]")
                .matcher(Files.readString(home.resolve("Dockerfile")));
        assertThat(check.find()).as("the Dockerfile's HEALTHCHECK").isTrue();
        String probe = check.group(1).replace("\\\\", "\\")
                .replace("9464", metrics.substring(metrics.lastIndexOf(':') + 1));
        run(List.of("bash", "-c", probe), null, 0);
        String scrape = http.send(HttpRequest.newBuilder(URI.create("http://" + metrics + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(scrape).contains("# TYPE termlet_connections_accepted_total counter",
                "termlet_sessions_started_total{kind=\"sftp\"}", "termlet_sessions_started_total{kind=\"exec\"}",
                "termlet_sessions_started_total{kind=\"ftp\"}",
                "termlet_file_operations_total{operation=\"upload\",outcome=\"success\",protocol=\"FTP\"} 1",
                "termlet_logins_total{method=\"publickey\",outcome=\"success\",protocol=\"SSH\"}",
                "termlet_handler_time_seconds_count{delivery=\"sync\",event=\"command\"} 1",
                "jvm_memory_used_bytes");
        assertThat(output).noneMatch(l -> l.contains("ERROR"));
    }

    /** Reads the server's output until it says where SSH, FTP, HTTPS and the metrics listen. */
    private Map<String, String> awaitServing() throws Exception {
        Pattern serving = Pattern.compile("termlet serving (SSH|FTP|HTTPS|metrics) on (?:http://)?([0-9.]+:\\d+)");
        Map<String, String> where = new HashMap<>();
        BufferedReader r = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (where.size() < 4) {
            String line = r.readLine();
            assertThat(line).as("the server ended:\n" + String.join("\n", output)).isNotNull();
            assertThat(System.nanoTime()).as("serving in time").isLessThan(deadline);
            output.add(line);
            Matcher m = serving.matcher(line);
            if (m.find()) {
                String hostPort = m.group(2);
                where.put(m.group(1), m.group(1).equals("metrics") ? hostPort
                        : hostPort.substring(hostPort.lastIndexOf(':') + 1));
            }
        }
        Thread drain = new Thread(() -> {
            try {
                for (String line; (line = r.readLine()) != null; ) {
                    output.add(line);
                }
            } catch (IOException e) {
                // the server ended
            }
        }, "server-output");
        drain.setDaemon(true);
        drain.start();
        return where;
    }

    /** Compiles the shell app against the server's jar, as a user's build would against termlet-framework. */
    private void buildAppJar(Path jar) throws Exception {
        Path src = tmp.resolve("src/com/example/shellapp/Greeter.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, APP);
        Path classes = tmp.resolve("classes");
        Files.createDirectories(classes);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int status = javac.run(null, null, null, "-d", classes.toString(), "-cp",
                home.resolve("libexec/termlet-server.jar").toString(), src.toString());
        assertThat(status).as("the shell app compiles").isZero();
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            Path cls = classes.resolve("com/example/shellapp/Greeter.class");
            out.putNextEntry(new JarEntry("com/example/shellapp/Greeter.class"));
            out.write(Files.readAllBytes(cls));
            out.closeEntry();
        }
    }
}
