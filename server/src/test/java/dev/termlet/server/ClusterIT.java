package dev.termlet.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.test.Haproxy;
import dev.termlet.test.Postgres;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ClientChannel;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Three nodes of the packaged server (the archive's {@code bin/termlet serve}, each its own process with its own data
 * directory) behind Debian's HAProxy with the PROXY protocol (v2), on one PostgreSQL (a throwaway Debian server) and
 * one S3 server (s3proxy's runnable jar, its own process). Clients are OpenSSH, MINA's client and curl (WebDAV over
 * each node's HTTPS), from addresses of
 * their own in 127/8 so that the nodes can tell them from the balancer (127.0.0.5, the only address trusted to send
 * PROXY headers). Runs after {@code package}: {@code mvn verify}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {
    private static final String BALANCER = "127.0.0.5";
    private static final String S3_ID = "termlet-test";
    private static final String S3_SECRET = "s3-secret-" + Long.toHexString(new Random().nextLong());

    static Path tmp;
    static Path home;
    static Path key;
    static Postgres pg;
    static Process s3;
    static int s3Port;
    static S3Client bucket;
    static final List<Node> nodes = new ArrayList<>();
    static Haproxy lb;

    /** One node: its process, SSH port and output. */
    static final class Node {
        final String name;
        final Path data;
        final Path config;
        int ssh;
        int https;
        Process process;
        final List<String> output = Collections.synchronizedList(new ArrayList<>());

        Node(String name) {
            this.name = name;
            this.data = tmp.resolve(name);
            this.config = tmp.resolve(name + ".yaml");
        }
    }

    @BeforeAll
    static void cluster() throws Exception {
        tmp = Files.createTempDirectory("termlet-cluster-it");
        Path archive;
        try (var files = Files.list(Path.of("target"))) {
            archive = files.filter(p -> p.getFileName().toString().matches("termlet-server-.*\\.tar\\.gz"))
                    .findFirst().orElseThrow(() -> new AssertionError("no archive in target/: run mvn verify"));
        }
        run(List.of("tar", "xzf", archive.toAbsolutePath().toString(), "-C", tmp.toString()), null, 0, Map.of());
        try (var dirs = Files.list(tmp)) {
            home = dirs.filter(p -> p.getFileName().toString().startsWith("termlet-server-")).findFirst().orElseThrow();
        }
        key = tmp.resolve("id_ed25519");
        run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString()), null, 0, Map.of());

        pg = Postgres.start();
        startS3();
        for (int i = 1; i <= 3; i++) {
            Node n = new Node("n" + i);
            n.ssh = freePort();
            n.https = freePort();
            nodes.add(n);
            writeConfig(n);
        }
        // accounts go to the database: made once, seen by every node
        Node first = nodes.get(0);
        assertThat(run(termlet("accounts", "add", "alice", "--permission", "admin", "--password-stdin"), "secret\n", 0,
                env(first))).contains("Account 'alice' added.");
        assertThat(run(termlet("accounts", "add-key", "alice", key + ".pub"), null, 0, env(first)))
                .contains("Key added to 'alice'.");
        for (Node n : nodes) {
            start(n);
        }
        StringBuilder servers = new StringBuilder();
        for (Node n : nodes) {
            servers.append("    server ").append(n.name).append(" 127.0.0.1:").append(n.ssh)
                    .append(" send-proxy-v2 source ").append(BALANCER).append('\n');
        }
        lb = Haproxy.start("""
                defaults
                    mode tcp
                    timeout connect 5s
                    timeout client 5m
                    timeout server 5m
                frontend ssh
                    bind 127.0.0.1:${port:ssh}
                    default_backend nodes
                frontend first
                    bind 127.0.0.1:${port:first}
                    default_backend first
                backend nodes
                    balance roundrobin
                """ + servers + """
                backend first
                """ + servers.toString().lines().findFirst().orElseThrow() + "\n");
    }

    @AfterAll
    static void stopAll() throws Exception {
        if (lb != null) {
            lb.close();
        }
        for (Node n : nodes) {
            if (n.process != null && n.process.isAlive()) {
                n.process.destroy();
                n.process.waitFor(30, TimeUnit.SECONDS);
            }
        }
        if (bucket != null) {
            bucket.close();
        }
        if (s3 != null) {
            s3.destroy();
            s3.waitFor(30, TimeUnit.SECONDS);
        }
        if (pg != null) {
            pg.close();
        }
        if (tmp != null) {
            run(List.of("rm", "-rf", tmp.toString()), null, 0, Map.of());
        }
    }

    private static void startS3() throws Exception {
        Path jar = Path.of("target/s3proxy.jar");
        assertThat(jar).as("s3proxy's jar, copied by the build (mvn verify)").exists();
        s3Port = freePort();
        Path props = tmp.resolve("s3proxy.properties");
        Files.writeString(props, String.join("\n",
                "s3proxy.endpoint=http://127.0.0.1:" + s3Port,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + S3_ID,
                "s3proxy.credential=" + S3_SECRET,
                "jclouds.provider=transient",
                "jclouds.identity=" + S3_ID,
                "jclouds.credential=" + S3_SECRET, ""));
        s3 = new ProcessBuilder(javaBin(), "-jar", jar.toAbsolutePath().toString(), "--properties", props.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("s3proxy.log").toFile()).start();
        bucket = S3Client.builder().endpointOverride(URI.create("http://127.0.0.1:" + s3Port))
                .region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(S3_ID, S3_SECRET)))
                .build();
        await("s3proxy answers", Duration.ofSeconds(60), () -> {
            try {
                bucket.createBucket(b -> b.bucket("termlet"));
                return true;
            } catch (RuntimeException e) {
                return false;
            }
        });
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void writeConfig(Node n) throws IOException {
        Files.writeString(n.config, """
                listeners:
                  - address: 127.0.0.1
                    port: %d
                data-dir: %s
                accounts:
                  store: postgresql
                database:
                  url: %s
                  user: %s
                  password: ${env:CLUSTER_DB_PASSWORD}
                  pool-size: 4
                cluster:
                  enabled: true
                  node: %s
                  session-timeout: 6s
                proxy-protocol:
                  trusted: [%s]
                protector:
                  threshold: 6
                  failure-delay: 0s
                  safe-list: [%s]
                fileops:
                  enabled: true
                  ftp:
                    enabled: false
                  storage:
                    type: s3
                    bucket: termlet
                    endpoint: http://127.0.0.1:%d
                    prefix: homes/
                    access-key: ${env:CLUSTER_S3_ID}
                    secret-key: ${env:CLUSTER_S3_SECRET}
                    path-style: true
                web:
                  enabled: true
                  port: %d
                logging:
                  level: info
                  levels:
                    org.apache.sshd: warn
                """.formatted(n.ssh, n.data, pg.jdbcUrl(), pg.user(), n.name, BALANCER, BALANCER, s3Port, n.https));
    }

    private static Map<String, String> env(Node n) {
        return Map.of("TERMLET_CONFIG", n.config.toString(), "CLUSTER_DB_PASSWORD", pg.password(),
                "CLUSTER_S3_SECRET", S3_SECRET,
                "CLUSTER_S3_ID", S3_ID);
    }

    private static void start(Node n) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(termlet("serve", "--metrics", "127.0.0.1:0")).redirectErrorStream(true);
        pb.environment().putAll(env(n));
        n.process = pb.start();
        BufferedReader r = new BufferedReader(new InputStreamReader(n.process.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (true) {
            String line = r.readLine();
            assertThat(line).as(n.name + " ended:\n" + String.join("\n", n.output)).isNotNull();
            assertThat(System.nanoTime()).as(n.name + " serving in time").isLessThan(deadline);
            n.output.add(line);
            if (line.contains("termlet serving SSH on")) {
                break;
            }
        }
        Thread drain = new Thread(() -> {
            try {
                for (String line; (line = r.readLine()) != null; ) {
                    n.output.add(line);
                }
            } catch (IOException e) {
                // the node ended
            }
        }, n.name + "-output");
        drain.setDaemon(true);
        drain.start();
    }

    @Test
    @Order(1)
    void aFileUploadedThroughOneNodeIsDownloadedThroughEveryOther() throws Exception {
        byte[] content = new byte[3 * 1024 * 1024 + 17];
        new Random(1).nextBytes(content);
        Path up = tmp.resolve("up.bin");
        Files.write(up, content);
        sftp(nodes.get(0).ssh, "127.0.0.1", "put " + up + " /shared.bin\n");
        // through HAProxy: three connections in a row go to the three nodes in turn
        for (int i = 0; i < 3; i++) {
            Path down = tmp.resolve("down" + i + ".bin");
            sftp(lb.port("ssh"), "127.0.0.3", "get /shared.bin " + down + "\n");
            assertThat(sha256(Files.readAllBytes(down))).as("download %d", i).isEqualTo(sha256(content));
        }
        // each node saw the client's own address, never the balancer's
        for (Node n : nodes) {
            assertThat(String.join("\n", n.output)).doesNotContain("[" + BALANCER);
        }
        assertThat(bucket.listObjectsV2(b -> b.bucket("termlet").prefix("homes/alice/")).contents())
                .extracting(S3Object::key).contains("homes/alice/shared.bin");
    }

    @Test
    @Order(2)
    void webDavWritesTheSameBucketThroughEveryNode() throws Exception {
        byte[] content = new byte[1024 * 1024 + 3];
        new Random(3).nextBytes(content);
        Path up = tmp.resolve("dav-up.bin");
        Files.write(up, content);
        // a WebDAV PUT through the first node's HTTPS (its self-signed certificate), a GET through each other node
        String put = run(List.of("curl", "-sS", "-k", "-u", "alice:secret", "-o", "/dev/null", "-w", "%{http_code}",
                "-T", up.toString(), "https://127.0.0.1:" + nodes.get(0).https + "/dav/dav.bin"), null, 0, Map.of());
        assertThat(put).isIn("201", "204");
        for (Node n : nodes.subList(1, nodes.size())) {
            Path down = tmp.resolve("dav-" + n.name + ".bin");
            assertThat(run(List.of("curl", "-sS", "-k", "-u", "alice:secret", "-o", down.toString(), "-w",
                    "%{http_code}", "https://127.0.0.1:" + n.https + "/dav/dav.bin"), null, 0, Map.of()))
                    .isEqualTo("200");
            assertThat(sha256(Files.readAllBytes(down))).isEqualTo(sha256(content));
        }
        // and the SFTP side of another node sees it too
        Path viaSftp = tmp.resolve("dav-sftp.bin");
        sftp(nodes.get(2).ssh, "127.0.0.1", "get /dav.bin " + viaSftp + "\n");
        assertThat(sha256(Files.readAllBytes(viaSftp))).isEqualTo(sha256(content));
    }

    @Test
    @Order(3)
    void whoOnAnyNodeListsTheSessionsOfAllThree() throws Exception {
        try (SshClient client = client()) {
            List<ClientSession> sessions = new ArrayList<>();
            List<ClientChannel> shells = new ArrayList<>();
            try {
                for (Node n : nodes) {
                    ClientSession s = client.connect("alice", new InetSocketAddress("127.0.0.1", n.ssh),
                            new InetSocketAddress("127.0.0.1", 0)).verify(20_000).getSession();
                    s.addPasswordIdentity("secret");
                    s.auth().verify(20_000);
                    ClientChannel shell = s.createShellChannel();
                    shell.setOut(OutputStream.nullOutputStream());
                    shell.setErr(OutputStream.nullOutputStream());
                    shell.open().verify(20_000);
                    sessions.add(s);
                    shells.add(shell);
                }
                for (Node n : nodes) {
                    await("who on " + n.name + " lists every node's shell", Duration.ofSeconds(30), () -> {
                        String who;
                        try {
                            who = ssh(n.ssh, "who");
                        } catch (Exception e) {
                            return false;
                        }
                        return nodes.stream().filter(o -> o != n).allMatch(o -> who.contains("on " + o.name));
                    });
                }
            } finally {
                for (ClientSession s : sessions) {
                    s.close(true);
                }
            }
        }
    }

    @Test
    @Order(4)
    void aBruteForcerBannedThroughOneNodeIsRefusedByTheOthers() throws Exception {
        try (SshClient client = client()) {
            // the checks below can tell: every node lets an address in that did nothing wrong
            for (Node n : nodes) {
                assertThat(connects(client, n.ssh, "127.0.0.2")).as(n.name + " lets 127.0.0.2 in at first").isTrue();
            }
            // through HAProxy's frontend that leads to the first node only, from 127.0.0.2
            int attempts = 0;
            while (attempts < 10 && loginWorksOrFailsCleanly(client, lb.port("first"), "127.0.0.2", "wrong")) {
                attempts++;
            }
            assertThat(attempts).as("banned by the first node before 10 failures").isLessThan(10).isPositive();
            // every node learns of the ban (the bans builtin, as an administrator from another address) ...
            for (Node n : nodes) {
                await(n.name + " lists the ban", Duration.ofSeconds(20), () -> {
                    try {
                        return ssh(n.ssh, "bans").contains("127.0.0.2");
                    } catch (Exception e) {
                        return false;
                    }
                });
            }
            // ... and refuses the address straight away, before any login (one try each: a try strikes too)
            for (Node n : nodes) {
                assertThat(connects(client, n.ssh, "127.0.0.2")).as(n.name + " refuses the banned address").isFalse();
            }
            // another address still logs in through the balancer
            assertThat(login(client, lb.port("ssh"), "127.0.0.3", "secret")).isTrue();
        }
    }

    @Test
    @Order(5)
    void aNodeKilledMidUploadLosesNoCommittedFileAndLeavesNoPartialObject() throws Exception {
        Node victim = nodes.get(1);
        byte[] big = new byte[48 * 1024 * 1024];
        new Random(2).nextBytes(big);
        Path up = tmp.resolve("big.bin");
        Files.write(up, big);
        Path batch = tmp.resolve("big.batch");
        Files.writeString(batch, "put " + up + " /big.bin\n");
        // at 16 Mbit/s the upload takes about 24 s: long enough to kill the node in the middle
        Process upload = new ProcessBuilder(openSsh("sftp", victim.ssh, "-l", "16384", "-b", batch.toString(),
                "alice@127.0.0.1")).redirectErrorStream(true).redirectOutput(tmp.resolve("big.log").toFile()).start();
        await("the upload is under way (a multipart upload began)", Duration.ofSeconds(60), () ->
                !bucket.listMultipartUploads(b -> b.bucket("termlet")).uploads().isEmpty());
        victim.process.destroyForcibly();
        assertThat(victim.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(upload.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(upload.exitValue()).as("the client saw the upload fail").isNotZero();
        assertThat(bucket.listObjectsV2(b -> b.bucket("termlet").prefix("homes/alice/")).contents())
                .extracting(S3Object::key).doesNotContain("homes/alice/big.bin").contains("homes/alice/shared.bin");
        // the file committed before is whole through the surviving nodes
        for (Node n : List.of(nodes.get(0), nodes.get(2))) {
            Path down = tmp.resolve("after-" + n.name + ".bin");
            sftp(n.ssh, "127.0.0.1", "get /shared.bin " + down + "\n");
            byte[] expected = new byte[3 * 1024 * 1024 + 17];
            new Random(1).nextBytes(expected);
            assertThat(sha256(Files.readAllBytes(down))).isEqualTo(sha256(expected));
        }
        // the killed node's sessions leave who once it has been silent for the session timeout
        await("the killed node's sessions are gone from who", Duration.ofSeconds(60), () -> {
            try {
                return !ssh(nodes.get(0).ssh, "who").contains("on " + victim.name);
            } catch (Exception e) {
                return false;
            }
        });
    }

    private static SshClient client() {
        SshClient client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
        client.start();
        return client;
    }

    /** Tries a password login from a source address; true if the server answered (either way), false if refused. */
    private static boolean loginWorksOrFailsCleanly(SshClient client, int port, String from, String password) {
        try (ClientSession s = client.connect("alice", new InetSocketAddress("127.0.0.1", port),
                new InetSocketAddress(from, 0)).verify(20_000).getSession()) {
            s.addPasswordIdentity(password);
            try {
                s.auth().verify(20_000);
            } catch (IOException | RuntimeException e) {
                // a failed login: the server answered
            }
            return s.getServerVersion() != null;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static boolean login(SshClient client, int port, String from, String password) {
        try (ClientSession s = client.connect("alice", new InetSocketAddress("127.0.0.1", port),
                new InetSocketAddress(from, 0)).verify(20_000).getSession()) {
            s.addPasswordIdentity(password);
            s.auth().verify(20_000);
            return s.isAuthenticated();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Whether an SSH exchange starts: a banned address is closed before the server's identification. */
    private static boolean connects(SshClient client, int port, String from) {
        try (ClientSession s = client.connect("alice", new InetSocketAddress("127.0.0.1", port),
                new InetSocketAddress(from, 0)).verify(20_000).getSession()) {
            s.waitFor(List.of(org.apache.sshd.client.session.ClientSession.ClientSessionEvent.WAIT_AUTH,
                    org.apache.sshd.client.session.ClientSession.ClientSessionEvent.CLOSED), 20_000);
            return s.isOpen() && s.getServerVersion() != null;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static String ssh(int port, String command) throws Exception {
        return run(openSsh("ssh", port, "alice@127.0.0.1", command), null, 0, Map.of());
    }

    private static void sftp(int port, String from, String commands) throws Exception {
        Path batch = Files.createTempFile(tmp, "batch", ".txt");
        Files.writeString(batch, commands);
        run(openSsh("sftp", port, "-o", "BindAddress=" + from, "-b", batch.toString(), "alice@127.0.0.1"), null, 0,
                Map.of());
    }

    private static List<String> openSsh(String tool, int port, String... args) {
        List<String> cmd = new ArrayList<>(List.of(tool, tool.equals("ssh") ? "-p" : "-P", String.valueOf(port),
                "-i", key.toString(), "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o",
                "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static List<String> termlet(String... args) {
        List<String> cmd = new ArrayList<>(List.of(home.resolve("bin/termlet").toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static String run(List<String> cmd, String stdin, int expectedStatus, Map<String, String> env)
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

    private static void await(String what, Duration limit, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
