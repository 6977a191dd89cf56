package dev.termlet.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import dev.termlet.annotations.OnUser;
import dev.termlet.auth.Account;
import dev.termlet.auth.FilePermission;
import dev.termlet.event.EventType;
import dev.termlet.fileops.FileEvent;
import dev.termlet.fileops.FileOps;
import dev.termlet.test.TestClient;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.sshd.sftp.client.SftpClient;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The file server on a real S3 server: s3proxy (jclouds' in-memory blob store) in this JVM on 127.0.0.1, driven by
 * OpenSSH sftp and scp, MINA's SFTP client and Commons Net's FTP client, and looked at with the AWS SDK.
 */
class S3StorageTest {
    private static final String ACCESS = "test-access";
    private static final String SECRET = "test-secret-not-logged";
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    static S3Proxy proxy;
    static URI endpoint;
    static S3Client s3;

    @TempDir
    Path data;

    @TempDir
    Path client;

    String bucket;
    FileOps files;
    TermletServer server;
    Path key;
    final List<String> events = new ArrayList<>();

    /** Records every file event. */
    public class Rules {
        @OnUser({"upload", "upload-failed", "download", "delete", "rename", "mkdir", "rmdir", "quota-exceeded"})
        void record(EventType type, FileEvent e) {
            synchronized (events) {
                events.add(type.name() + " " + e.protocol() + " " + e.user() + " " + e.path()
                        + (e.target() != null ? " -> " + e.target() : "") + " size=" + e.size() + " status="
                        + e.status());
                events.notifyAll();
            }
        }
    }

    @BeforeAll
    static void startS3() throws Exception {
        // jclouds' in-memory store: S3's flat keys (its file-system store turns prefixes into directories)
        BlobStoreContext ctx = ContextBuilder.newBuilder("transient").build(BlobStoreContext.class);
        proxy = S3Proxy.builder().blobStore(ctx.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS, SECRET).build();
        proxy.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!proxy.getState().equals("STARTED") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(proxy.getState()).isEqualTo("STARTED");
        endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
        s3 = S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, SECRET)))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @AfterAll
    static void stopS3() throws Exception {
        s3.close();
        proxy.stop();
    }

    S3Storage storage() {
        return S3Storage.bucket(bucket).endpoint(endpoint).region("us-east-1")
                .credentials(ACCESS, SECRET.toCharArray()).prefix("homes/").pathStyle(true).partSize(5 * 1024 * 1024);
    }

    @BeforeEach
    void start() throws Exception {
        bucket = "files" + BUCKETS.incrementAndGet();
        s3.createBucket(b -> b.bucket(bucket));
        key = client.resolve("id");
        Process kg = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString()).start();
        assertThat(kg.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String pub = Files.readString(client.resolve("id.pub")).trim();
        files = FileOps.create().ftp(0).ftpAllowPlain(true).storage(storage());
        server = Termlet.server().port(0).dataDir(data).extension(files).register(new Rules()).build();
        server.accounts().save(Account.builder("alice").addAuthorizedKey(pub).password("pw".toCharArray()).build());
        server.accounts().save(Account.builder("bob").password("pw".toCharArray()).build());
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    // ---- helpers ----

    List<String> keys() {
        return s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream().map(S3Object::key).sorted()
                .collect(Collectors.toList());
    }

    String object(String k) {
        return s3.getObjectAsBytes(b -> b.bucket(bucket).key(k)).asUtf8String();
    }

    int pendingUploads() {
        return s3.listMultipartUploads(b -> b.bucket(bucket)).uploads().size();
    }

    void put(String k, String content) {
        s3.putObject(b -> b.bucket(bucket).key(k), software.amazon.awssdk.core.sync.RequestBody.fromString(content));
    }

    boolean event(String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        synchronized (events) {
            while (events.stream().noneMatch(e -> e.startsWith(prefix)) && System.nanoTime() < deadline) {
                events.wait(100);
            }
            return events.stream().anyMatch(e -> e.startsWith(prefix));
        }
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(condition.getAsBoolean()).as(what).isTrue();
    }

    record Run(int status, String out) {}

    Run run(List<String> cmd) throws Exception {
        Path log = Files.createTempFile(client, "out", ".txt");
        Process p = new ProcessBuilder(cmd).directory(client.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        boolean ended = p.waitFor(120, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        assertThat(ended).as("%s ended", cmd.get(0)).isTrue();
        return new Run(p.exitValue(), Files.readString(log));
    }

    List<String> ssh() {
        return List.of("-F", "/dev/null", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                "-o", "LogLevel=ERROR", "-o", "BatchMode=yes", "-i", key.toString());
    }

    Run sftp(String batch) throws Exception {
        Path b = client.resolve("batch.txt");
        Files.writeString(b, batch);
        List<String> cmd = new ArrayList<>(List.of("sftp"));
        cmd.addAll(ssh());
        cmd.addAll(List.of("-b", b.toString(), "-P", Integer.toString(server.port()), "alice@127.0.0.1"));
        return run(cmd);
    }

    Run scp(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("scp", "-O"));
        cmd.addAll(ssh());
        cmd.addAll(List.of("-P", Integer.toString(server.port())));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    FTPClient ftp(String user) throws Exception {
        FTPClient c = new FTPClient();
        c.setControlEncoding("UTF-8");
        c.setConnectTimeout(10_000);
        c.setDefaultTimeout(20_000);
        c.connect("127.0.0.1", files.ftpPort());
        c.setSoTimeout(20_000);
        assertThat(c.login(user, "pw")).as(c.getReplyString()).isTrue();
        c.enterLocalPassiveMode();
        c.setFileType(FTP.BINARY_FILE_TYPE);
        return c;
    }

    // ---- tests ----

    @Test
    void openSshSftpAndScpWorkOnTheBucket() throws Exception {
        byte[] big = new byte[12 * 1024 * 1024 + 123];
        new java.util.Random(1).nextBytes(big);
        Files.write(client.resolve("big.bin"), big);
        Files.writeString(client.resolve("a.txt"), "hello s3");
        Run r = sftp("mkdir docs\nput a.txt docs/a.txt\nput big.bin docs/big.bin\nls -l docs\n"
                + "rename docs/a.txt docs/b.txt\nget docs/b.txt got.txt\nget docs/big.bin got.bin\n"
                + "mkdir empty\n-rmdir docs\n-ln -s docs/b.txt link\nrmdir empty\n");
        assertThat(r.status()).as(r.out()).isZero();
        assertThat(r.out()).contains("big.bin").contains("a.txt").contains(" user ");
        assertThat(Files.readString(client.resolve("got.txt"))).isEqualTo("hello s3");
        assertThat(Files.readAllBytes(client.resolve("got.bin"))).isEqualTo(big);
        assertThat(keys()).containsExactly("homes/alice/", "homes/alice/docs/", "homes/alice/docs/b.txt",
                "homes/alice/docs/big.bin");
        assertThat(object("homes/alice/docs/b.txt")).isEqualTo("hello s3");
        assertThat(s3.headObject(b -> b.bucket(bucket).key("homes/alice/docs/big.bin")).contentLength())
                .isEqualTo(big.length);
        assertThat(pendingUploads()).isZero();
        assertThat(event("upload SFTP alice /docs/a.txt size=8 status=1")).isTrue();
        assertThat(event("upload SFTP alice /docs/big.bin size=" + big.length + " status=1")).isTrue();
        assertThat(event("rename SFTP alice /docs/a.txt -> /docs/b.txt")).isTrue();
        assertThat(event("mkdir SFTP alice /empty")).isTrue();
        assertThat(event("rmdir SFTP alice /empty size=-1 status=1")).isTrue();
        // refusals: a non-empty directory, a link, a mode
        assertThat(r.out()).contains("remote rmdir \"/docs\"");
        assertThat(r.out()).containsPattern("(?i)symlink.*(unsupported|not supported)");

        Files.writeString(client.resolve("c.txt"), "via scp");
        Run up = scp(client.resolve("c.txt").toString(), "alice@127.0.0.1:docs/c.txt");
        assertThat(up.status()).as(up.out()).isZero();
        assertThat(object("homes/alice/docs/c.txt")).isEqualTo("via scp");
        Run down = scp("alice@127.0.0.1:docs/big.bin", client.resolve("scp.bin").toString());
        assertThat(down.status()).as(down.out()).isZero();
        assertThat(Files.readAllBytes(client.resolve("scp.bin"))).isEqualTo(big);
        assertThat(event("upload SCP alice /docs/c.txt size=7 status=1")).isTrue();
        // resuming into an existing object is refused
        Run again = sftp("reput a.txt docs/c.txt\n");
        assertThat(again.status()).isNotZero();
        assertThat(object("homes/alice/docs/c.txt")).isEqualTo("via scp");
    }

    @Test
    void anUploadAppearsOnlyWhenTheClientFinishesAndAnAbandonedOneLeavesNothing() throws Exception {
        byte[] part = new byte[6 * 1024 * 1024];
        try (TestClient alice = TestClient.password("127.0.0.1", server.port(), "alice", "pw")) {
            SftpClient sftp = alice.sftp();
            SftpClient.CloseableHandle h = sftp.open("slow.bin", EnumSet.of(SftpClient.OpenMode.Write,
                    SftpClient.OpenMode.Create, SftpClient.OpenMode.Truncate));
            sftp.write(h, 0, part);
            // one part is up: the multipart upload exists, the object does not
            await("a multipart upload in progress", () -> pendingUploads() == 1);
            assertThatThrownBy(() -> s3.headObject(b -> b.bucket(bucket).key("homes/alice/slow.bin")))
                    .isInstanceOf(NoSuchKeyException.class);
            sftp.write(h, part.length, "end".getBytes(StandardCharsets.UTF_8));
            h.close();
            assertThat(s3.headObject(b -> b.bucket(bucket).key("homes/alice/slow.bin")).contentLength())
                    .isEqualTo(part.length + 3L);
            assertThat(pendingUploads()).isZero();

            // the same again, but the client goes away before closing the file
            SftpClient.CloseableHandle h2 = sftp.open("lost.bin", EnumSet.of(SftpClient.OpenMode.Write,
                    SftpClient.OpenMode.Create, SftpClient.OpenMode.Truncate));
            sftp.write(h2, 0, part);
            await("a multipart upload in progress", () -> pendingUploads() == 1);
        }
        assertThat(event("upload-failed SFTP alice /lost.bin")).isTrue();
        await("the abandoned multipart upload aborted", () -> pendingUploads() == 0);
        assertThat(keys()).containsExactly("homes/alice/", "homes/alice/slow.bin");
        assertThat(events).noneMatch(e -> e.startsWith("upload SFTP alice /lost.bin"));
    }

    @Test
    void ftpWorksAndAKilledUploadLeavesNoObject() throws Exception {
        FTPClient c = ftp("alice");
        assertThat(c.makeDirectory("in")).isTrue();
        assertThat(c.storeFile("in/x.txt", new ByteArrayInputStream("ftp data".getBytes(StandardCharsets.UTF_8))))
                .as(c.getReplyString()).isTrue();
        assertThat(object("homes/alice/in/x.txt")).isEqualTo("ftp data");
        assertThat(c.listNames("in")).containsExactly("x.txt");
        ByteArrayOutputStream back = new ByteArrayOutputStream();
        assertThat(c.retrieveFile("in/x.txt", back)).isTrue();
        assertThat(back.toString(StandardCharsets.UTF_8)).isEqualTo("ftp data");
        assertThat(c.rename("in/x.txt", "in/y.txt")).isTrue();
        // refused: removing a non-empty directory, appending, resuming at an offset
        assertThat(c.removeDirectory("in")).isFalse();
        assertThat(c.getReplyCode()).as(c.getReplyString()).isBetween(450, 559);
        assertThat(c.appendFile("in/y.txt", new ByteArrayInputStream("more".getBytes(StandardCharsets.UTF_8))))
                .isFalse();
        assertThat(c.getReplyCode()).isBetween(450, 559);
        c.setRestartOffset(3);
        assertThat(c.storeFile("in/y.txt", new ByteArrayInputStream("zz".getBytes(StandardCharsets.UTF_8))))
                .isFalse();
        c.setRestartOffset(0);
        assertThat(object("homes/alice/in/y.txt")).isEqualTo("ftp data");
        assertThat(event("upload FTP alice /in/x.txt size=8 status=1")).isTrue();
        assertThat(event("rename FTP alice /in/x.txt -> /in/y.txt")).isTrue();

        // a client that dies mid-upload: its connections reset after more than a part
        java.net.Socket d = openData(c, "STOR", "dead.bin");
        OutputStream out = d.getOutputStream();
        out.write(new byte[6 * 1024 * 1024]);
        out.flush();
        await("a multipart upload in progress", () -> pendingUploads() == 1);
        d.setSoLinger(true, 0);
        d.close();
        c.disconnect();
        assertThat(event("upload-failed FTP alice /dead.bin")).isTrue();
        await("the multipart upload aborted", () -> pendingUploads() == 0);
        assertThat(keys()).containsExactly("homes/alice/", "homes/alice/in/", "homes/alice/in/y.txt");
    }

    /** Opens a passive data connection for a command, as a client that will crash does. */
    private static java.net.Socket openData(FTPClient c, String command, String arg) throws Exception {
        assertThat(c.pasv()).isEqualTo(227);
        String reply = c.getReplyString();
        String[] n = reply.substring(reply.indexOf('(') + 1, reply.indexOf(')')).split(",");
        int port = Integer.parseInt(n[4].trim()) * 256 + Integer.parseInt(n[5].trim());
        java.net.Socket s = new java.net.Socket("127.0.0.1", port);
        c.sendCommand(command, arg);
        return s;
    }

    @Test
    void quotasPermissionsAndHostilePathsHoldOnTheBucket() throws Exception {
        put("homes/bob/secret.txt", "bob's");
        server.accounts().save(server.accounts().find("alice").orElseThrow().toBuilder().quota(1000, 0)
                .filePermissions("/", EnumSet.allOf(FilePermission.class))
                .filePermissions("/ro", EnumSet.of(FilePermission.LIST, FilePermission.DOWNLOAD)).build());
        put("homes/alice/ro/", "");
        try (TestClient alice = TestClient.password("127.0.0.1", server.port(), "alice", "pw")) {
            SftpClient sftp = alice.sftp();
            // the quota: 2000 bytes do not fit in 1000
            assertThatThrownBy(() -> {
                try (OutputStream o = sftp.write("big.bin")) {
                    o.write(new byte[2000]);
                }
            }).satisfies(e -> assertThat(e.getMessage()).containsIgnoringCase("quota"));
            assertThat(event("quota-exceeded SFTP alice /big.bin")).isTrue();
            // a permission: no upload in /ro
            assertThatThrownBy(() -> {
                try (OutputStream o = sftp.write("ro/x.txt")) {
                    o.write(1);
                }
            }).hasMessageContaining("ermission");
            // hostile paths stay in alice's root or are refused
            for (String p : List.of("../bob/evil.txt", "/../../bob/evil.txt", "..\\bob\\evil.txt",
                    "%2e%2e/bob/evil.txt")) {
                try (OutputStream o = sftp.write(p)) {
                    o.write('x');
                } catch (java.io.IOException refused) {
                    // refused is fine too
                }
            }
            assertThatThrownBy(() -> sftp.read("../bob/secret.txt").close()).isInstanceOf(java.io.IOException.class);
            String longName = "n".repeat(300);
            assertThatThrownBy(() -> {
                try (OutputStream o = sftp.write(longName)) {
                    o.write(1);
                }
            }).isInstanceOf(java.io.IOException.class);
        }
        FTPClient c = ftp("alice");
        c.storeFile("../../bob/ftp-evil.txt", new ByteArrayInputStream(new byte[] {1}));
        c.disconnect();
        List<String> bob = keys().stream().filter(k -> k.startsWith("homes/bob/")).collect(Collectors.toList());
        assertThat(bob).containsExactly("homes/bob/secret.txt");
        assertThat(object("homes/bob/secret.txt")).isEqualTo("bob's");
        assertThat(keys()).noneMatch(k -> k.contains("big.bin") || k.contains("ro/x.txt") || k.contains("nnnn"));
        assertThat(pendingUploads()).isZero();
    }

    @Test
    void uploadsHeldOpenCannotTakeMoreMemoryThanTheBudget() throws Exception {
        FileOps tight = FileOps.create().storage(storage().maxBufferedBytes(6 * 1024 * 1024));
        try (TermletServer s = Termlet.server().port(0).dataDir(data.resolve("tight")).extension(tight).build()) {
            s.accounts().save(Account.builder("carol").password("pw".toCharArray()).build());
            s.start();
            try (TestClient carol = TestClient.password("127.0.0.1", s.port(), "carol", "pw")) {
                SftpClient sftp = carol.sftp();
                EnumSet<SftpClient.OpenMode> create = EnumSet.of(SftpClient.OpenMode.Write, SftpClient.OpenMode.Create,
                        SftpClient.OpenMode.Truncate);
                // the first upload holds almost one 5 MiB part in memory, not yet sent
                SftpClient.CloseableHandle first = sftp.open("first.bin", create);
                sftp.write(first, 0, new byte[5 * 1024 * 1024 - 1]);
                // a second one cannot take 2 MiB more: it fails cleanly (SFTP v3 has no code for it: a failure), the
                // first goes on
                SftpClient.CloseableHandle second = sftp.open("second.bin", create);
                assertThatThrownBy(() -> sftp.write(second, 0, new byte[2 * 1024 * 1024]))
                        .isInstanceOf(java.io.IOException.class);
                // and its close says the upload failed: nothing of it is committed
                assertThatThrownBy(second::close).isInstanceOf(java.io.IOException.class);
                sftp.write(first, 5 * 1024 * 1024 - 1, new byte[] {1});
                first.close();
                // the first gave its room back: another upload fits again
                try (OutputStream o = sftp.write("third.bin")) {
                    o.write(new byte[2 * 1024 * 1024]);
                }
            }
            assertThat(keys()).contains("homes/carol/first.bin", "homes/carol/third.bin")
                    .doesNotContain("homes/carol/second.bin");
        }
    }

    @Test
    void aStoreThatGoesAwayGivesCleanErrorsAndTheServerGoesOn() throws Exception {
        S3Proxy own = S3Proxy.builder()
                .blobStore(ContextBuilder.newBuilder("transient").build(BlobStoreContext.class).getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:0")).awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS,
                        SECRET).build();
        own.start();
        await("s3proxy started", () -> own.getState().equals("STARTED"));
        URI ownEndpoint = URI.create("http://127.0.0.1:" + own.getPort());
        try (S3Client c = S3Client.builder().endpointOverride(ownEndpoint).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, SECRET)))
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            c.createBucket(b -> b.bucket("gone"));
        }
        FileOps other = FileOps.create().storage(S3Storage.bucket("gone").endpoint(ownEndpoint)
                .credentials(ACCESS, SECRET.toCharArray()).pathStyle(true).timeout(java.time.Duration.ofSeconds(5)));
        try (TermletServer s = Termlet.server().port(0).dataDir(data.resolve("other")).extension(other).build()) {
            s.accounts().save(Account.builder("carol").password("pw".toCharArray()).build());
            s.start();
            try (TestClient carol = TestClient.password("127.0.0.1", s.port(), "carol", "pw")) {
                SftpClient sftp = carol.sftp();
                try (OutputStream o = sftp.write("before.txt")) {
                    o.write('1');
                }
                own.stop();
                long t0 = System.nanoTime();
                assertThatThrownBy(() -> {
                    try (OutputStream o = sftp.write("during.txt")) {
                        o.write('2');
                    }
                }).isInstanceOf(java.io.IOException.class);
                assertThatThrownBy(() -> sftp.readDir("/").forEach(e -> { }))
                        .isInstanceOfAny(java.io.IOException.class, java.io.UncheckedIOException.class);
                // refused within the configured request limits, not hung
                assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(60));
                // the session and the server go on: a request that needs no store still answers
                assertThat(sftp.canonicalPath(".")).isEqualTo("/");
            }
        } finally {
            if (!own.getState().equals("STOPPED")) {
                own.stop();
            }
        }
        Path log = Path.of("target/surefire-reports/dev.termlet.s3.S3StorageTest-output.txt");
        if (Files.exists(log)) {
            assertThat(Files.readString(log)).doesNotContain(SECRET);
        }
    }

    @Test
    void usageIsCountedFromTheBucketAndARelativeAccountHomeStaysBelowThePrefix() throws Exception {
        put("homes/alice/old.bin", "x".repeat(900));
        put("homes/team/shared/", "");
        server.accounts().save(server.accounts().find("alice").orElseThrow().toBuilder().quota(1000, 0).build());
        server.accounts().save(server.accounts().find("bob").orElseThrow().toBuilder().home("team/shared").build());
        FTPClient c = ftp("alice");
        assertThat(c.storeFile("more.bin", new ByteArrayInputStream(new byte[200]))).isFalse();
        assertThat(c.getReplyCode()).as(c.getReplyString()).isBetween(450, 559);
        assertThat(c.storeFile("fits.bin", new ByteArrayInputStream(new byte[50]))).as(c.getReplyString()).isTrue();
        c.disconnect();
        FTPClient b = ftp("bob");
        // climbing out of a home is refused over FTP (SFTP keeps such a path inside the root)
        assertThat(b.storeFile("../../alice/from-bob.bin", new ByteArrayInputStream(new byte[] {1}))).isFalse();
        assertThat(b.storeFile("from-bob.bin", new ByteArrayInputStream(new byte[] {1}))).isTrue();
        b.disconnect();
        // alice's directory exists through her objects: no marker is needed
        assertThat(keys()).containsExactly("homes/alice/fits.bin", "homes/alice/old.bin", "homes/team/shared/",
                "homes/team/shared/from-bob.bin");
        assertThat(event("quota-exceeded FTP alice /more.bin")).isTrue();
    }

    @Test
    void anUnreachableStoreFailsTheStartCleanly() {
        FileOps broken = FileOps.create().storage(S3Storage.bucket("nope").endpoint(URI.create("http://127.0.0.1:1"))
                .credentials(ACCESS, SECRET.toCharArray()).pathStyle(true));
        assertThatThrownBy(() -> Termlet.server().port(0).dataDir(data.resolve("other")).extension(broken).build()
                .start()).hasStackTraceContaining("the bucket nope cannot be used").satisfies(e -> assertThat(
                        String.valueOf(e.getMessage())).doesNotContain(SECRET));
    }
}
