package dev.termlet.fileops;

import dev.termlet.fileops.internal.core.Quotas;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import dev.termlet.auth.Account;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The common FTPS clients against the FTP side over explicit TLS (TLS 1.3 is what they negotiate; some tests insist on
 * it): lftp (GnuTLS) {@code mirror} both ways and put/get, rclone's ftp backend with its default concurrency (copy,
 * check, sync), curl uploads, and names up to 255 bytes. Every transfer must succeed, byte for byte, and the clients
 * must print nothing: a data connection that ends with anything but {@code close_notify}, a session ticket the client
 * never reads, or a 226 sent before the file is in place shows up here as an error or a failed transfer.
 */
class FtpClientsTest {
    @TempDir
    Path data;
    @TempDir
    Path local;

    TermletServer server;
    FileOps files;

    @BeforeEach
    void start() {
        files = FileOps.create().ftp(0);
        // rclone's default concurrency (8 checkers, 4 transfers) opens more connections at once from one address
        // than the 5 not yet authenticated that the server admits by default (and than MaxStartups' 10, where
        // random drops begin): allowed here, as a deployment serving rclone users would
        server = Termlet.server().port(0).dataDir(data).extension(files).maxUnauthenticated(32)
                .maxUnauthenticatedPerAddress(32).build();
        server.accounts().save(Account.builder("alice").password("secret".toCharArray()).build());
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Path home() {
        return data.resolve("home/alice");
    }

    /** Files from empty to 1 MB (most of 7 to 210 KB, where the faults showed) in three nested directories. */
    private static void makeTree(Path dir, int files) throws IOException {
        Random r = new Random(16);
        for (int i = 0; i < files; i++) {
            Path f = dir.resolve(i % 8 == 7 ? "sub/deep/f" + i + ".bin" : i % 4 == 3 ? "sub/f" + i + ".bin"
                    : "f" + i + ".bin");
            Files.createDirectories(f.getParent());
            byte[] b = new byte[i == 0 ? 0 : i == 1 ? 1 << 20 : i * 7000];
            r.nextBytes(b);
            Files.write(f, b);
        }
    }

    /** Every regular file under a directory, by relative path. */
    private static Map<String, Path> tree(Path dir) throws IOException {
        Map<String, Path> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            s.filter(Files::isRegularFile).forEach(p -> out.put(dir.relativize(p).toString(), p));
        }
        return out;
    }

    private static void assertSameTree(Path expected, Path actual) throws IOException {
        Map<String, Path> e = tree(expected);
        Map<String, Path> a = tree(actual);
        assertThat(a.keySet()).isEqualTo(e.keySet());
        for (String k : e.keySet()) {
            assertThat(Files.readAllBytes(a.get(k))).as(k).isEqualTo(Files.readAllBytes(e.get(k)));
        }
    }

    /** What a client program did. */
    private record Run(int status, String out) {}

    /**
     * Runs a client program in the local directory with no input and a UTF-8 locale; one that has not ended after
     * 120 s is killed and fails the test.
     */
    private Run run(Map<String, String> env, String... cmd) throws Exception {
        Path log = Files.createTempFile(local, "client", ".out");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(local.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("LC_ALL", "C.UTF-8");
        pb.environment().putAll(env);
        Process p = pb.start();
        boolean ended = p.waitFor(120, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        Files.delete(log);
        assertThat(ended).as("%s ended within 120 s; it printed: %s", String.join(" ", cmd), out).isTrue();
        return new Run(p.exitValue(), out);
    }

    private Run lftp(String commands) throws Exception {
        String script = "set cmd:fail-exit yes; set net:max-retries 1; set net:timeout 30; "
                + "set ftp:ssl-force true; set ftp:ssl-protect-data true; set ssl:verify-certificate no; "
                + "open -u alice,secret -p " + files.ftpPort() + " 127.0.0.1; " + commands;
        return run(Map.of("HOME", local.toString()), "lftp", "-c", script);
    }

    /** Runs a client that must succeed and print nothing. */
    private void quietly(Run r, String what) {
        assertThat(r.out()).as(what).isBlank();
        assertThat(r.status()).as(what + ": " + r.out()).isZero();
    }

    @Test
    void lftpMirrorsBothWaysOverFtpsWithoutErrors() throws Exception {
        Path up = Files.createDirectories(local.resolve("up"));
        makeTree(up, 32);
        quietly(lftp("mirror -R up tree"), "lftp mirror -R");
        assertSameTree(up, home().resolve("tree"));
        quietly(lftp("mirror tree down"), "lftp mirror");
        assertSameTree(up, local.resolve("down"));
        // again, after changes: only what changed moves, both ways
        byte[] b = new byte[200 * 1024];
        new Random(2).nextBytes(b);
        Files.write(up.resolve("sub/deep/f7.bin"), b);
        Files.write(up.resolve("sub/deep/added.bin"), b);
        quietly(lftp("mirror -R up tree"), "lftp mirror -R, again");
        assertSameTree(up, home().resolve("tree"));
        quietly(lftp("mirror tree down"), "lftp mirror, again");
        assertSameTree(up, local.resolve("down"));
        assertNoTemporaries();
    }

    private Map<String, String> rcloneEnv() throws Exception {
        Run obscured = run(Map.of(), "rclone", "obscure", "secret");
        assertThat(obscured.status()).isZero();
        Path config = Files.writeString(local.resolve("rclone.conf"), "");
        return Map.of("RCLONE_CONFIG", config.toString(),
                "RCLONE_CONFIG_T_TYPE", "ftp",
                "RCLONE_CONFIG_T_HOST", "127.0.0.1",
                "RCLONE_CONFIG_T_PORT", Integer.toString(files.ftpPort()),
                "RCLONE_CONFIG_T_USER", "alice",
                "RCLONE_CONFIG_T_PASS", obscured.out().trim(),
                "RCLONE_CONFIG_T_EXPLICIT_TLS", "true",
                "RCLONE_CONFIG_T_NO_CHECK_CERTIFICATE", "true");
    }

    /**
     * rclone's ftp backend with its default concurrency: several connections, and MFMT on one as soon as 226 came on
     * another, which finds the file only if the server put it in place before answering. Copy up, check (by
     * content: the ftp backend has no hash), sync back and check, in rounds that change, add and remove files.
     */
    @Test
    void rcloneCopiesChecksAndSyncsOverExplicitTlsWithSeveralConnections() throws Exception {
        Path up = Files.createDirectories(local.resolve("up"));
        Path down = local.resolve("down");
        makeTree(up, 30);
        Map<String, String> env = rcloneEnv();
        Random r = new Random(60);
        for (int round = 0; round < 3; round++) {
            if (round > 0) {
                byte[] b = new byte[150 * 1024 + round];
                r.nextBytes(b);
                Files.write(up.resolve("f" + (round * 5) + ".bin"), b);
                Files.write(up.resolve("sub/deep/new" + round + ".bin"), b);
                Files.deleteIfExists(up.resolve("f" + (round * 5 + 1) + ".bin"));
            }
            quietly(run(env, "rclone", "copy", "-q", "--retries", "1", "--low-level-retries", "1", "up", "t:tree"),
                    "rclone copy up, round " + round);
            quietly(run(env, "rclone", "check", "-q", "--download", "--one-way", "--retries", "1",
                    "--low-level-retries", "1", "up", "t:tree"),
                    "rclone check up, round " + round);
            quietly(run(env, "rclone", "sync", "-q", "--retries", "1", "--low-level-retries", "1", "t:tree", "down"),
                    "rclone sync down, round " + round);
            quietly(run(env, "rclone", "check", "-q", "--download", "--retries", "1", "--low-level-retries", "1",
                    "t:tree", "down"),
                    "rclone check down, round " + round);
            // copy never removes: what is gone from up stays in the tree, and sync brings it down too
            assertSameTree(home().resolve("tree"), down);
            for (Map.Entry<String, Path> f : tree(up).entrySet()) {
                assertThat(Files.readAllBytes(home().resolve("tree").resolve(f.getKey()))).as(f.getKey())
                        .isEqualTo(Files.readAllBytes(f.getValue()));
            }
        }
        assertNoTemporaries();
    }

    @Test
    void curlUploadsOf150KbSucceedEveryTimeOverTls13() throws Exception {
        byte[] b = new byte[150 * 1024];
        new Random(150).nextBytes(b);
        Path f = Files.write(local.resolve("big.bin"), b);
        for (int i = 0; i < 10; i++) {
            quietly(run(Map.of(), "curl", "-sS", "--ssl-reqd", "--tlsv1.3", "-k", "--ftp-create-dirs", "-T",
                    f.toString(), "ftp://alice:secret@127.0.0.1:" + files.ftpPort() + "/up/big" + i + ".bin"),
                    "curl upload " + i);
            assertThat(Files.readAllBytes(home().resolve("up/big" + i + ".bin"))).isEqualTo(b);
        }
    }

    /** lftp (GnuTLS) held to TLS 1.3: a 150 KB file up and back down, ten times, every data connection clean. */
    @Test
    void lftpMovesA150KbFileBothWaysTenTimesOverTls13() throws Exception {
        byte[] b = new byte[150 * 1024];
        new Random(13).nextBytes(b);
        Files.write(local.resolve("big.bin"), b);
        for (int i = 0; i < 10; i++) {
            quietly(lftp("set ssl:priority NORMAL:-VERS-ALL:+VERS-TLS1.3; put big.bin -o big" + i + ".bin; "
                    + "get big" + i + ".bin -o back" + i + ".bin"), "lftp put and get " + i);
            assertThat(Files.readAllBytes(home().resolve("big" + i + ".bin"))).isEqualTo(b);
            assertThat(Files.readAllBytes(local.resolve("back" + i + ".bin"))).isEqualTo(b);
        }
    }

    /**
     * Names of 213 to 255 bytes (the longest Linux takes; é is two bytes) upload over STOR and APPE (Commons Net),
     * rclone and lftp: the server's temporary names stay within 255 bytes whatever the name.
     */
    @Test
    void namesUpTo255BytesUploadOverEveryFtpClient() throws Exception {
        List<String> names = List.of("a".repeat(213), "b".repeat(240), "c".repeat(255), "é".repeat(127) + "d");
        Path up = Files.createDirectories(local.resolve("long"));
        for (String name : names) {
            Files.writeString(up.resolve(name), "data of " + name.length());
        }
        org.apache.commons.net.ftp.FTPSClient c = new org.apache.commons.net.ftp.FTPSClient(false);
        c.setTrustManager(org.apache.commons.net.util.TrustManagerUtils.getAcceptAllTrustManager());
        c.setControlEncoding("UTF-8");
        c.setDefaultTimeout(20_000);
        c.connect("127.0.0.1", files.ftpPort());
        try {
            c.execPBSZ(0);
            c.execPROT("P");
            assertThat(c.login("alice", "secret")).isTrue();
            c.enterLocalPassiveMode();
            c.setFileType(org.apache.commons.net.ftp.FTP.BINARY_FILE_TYPE);
            assertThat(c.makeDirectory("stor")).isTrue();
            assertThat(c.makeDirectory("appe")).isTrue();
            for (String name : names) {
                byte[] half = ("data of " + name.length()).getBytes(StandardCharsets.UTF_8);
                assertThat(c.storeFile("stor/" + name, new java.io.ByteArrayInputStream(half)))
                        .as("STOR " + name + ": " + c.getReplyString()).isTrue();
                // APPE makes the file (through a temporary), then appends to it in place
                assertThat(c.appendFile("appe/" + name, new java.io.ByteArrayInputStream(half, 0, 4)))
                        .as("APPE " + name + ": " + c.getReplyString()).isTrue();
                assertThat(c.appendFile("appe/" + name, new java.io.ByteArrayInputStream(half, 4, half.length - 4)))
                        .as("APPE " + name + ": " + c.getReplyString()).isTrue();
            }
            c.logout();
        } finally {
            c.disconnect();
        }
        quietly(run(rcloneEnv(), "rclone", "copy", "-q", "--retries", "1", "--low-level-retries", "1", "long",
                "t:rclone"), "rclone copy of long names");
        StringBuilder puts = new StringBuilder("mkdir lftp; cd lftp; lcd long; ");
        for (String name : names) {
            puts.append("put '").append(name).append("'; ");
        }
        quietly(lftp(puts.toString()), "lftp put of long names");
        for (String dir : List.of("stor", "appe", "rclone", "lftp")) {
            for (String name : names) {
                assertThat(home().resolve(dir).resolve(name)).as(dir + "/" + name)
                        .hasContent("data of " + name.length());
            }
            try (Stream<Path> s = Files.list(home().resolve(dir))) {
                assertThat(s.map(p -> p.getFileName().toString())).as(dir)
                        .containsExactlyInAnyOrderElementsOf(names);
            }
        }
    }

    /** No temporary file of the server's is left anywhere in the home. */
    private void assertNoTemporaries() throws IOException {
        try (Stream<Path> s = Files.walk(home())) {
            assertThat(s.map(p -> p.getFileName().toString()).filter(n -> Quotas.TEMP.matcher(n).matches()))
                    .isEmpty();
        }
    }
}
