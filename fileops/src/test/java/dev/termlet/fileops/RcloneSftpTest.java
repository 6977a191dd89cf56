package dev.termlet.fileops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import dev.termlet.annotations.OnUser;
import dev.termlet.auth.Account;
import dev.termlet.event.EventType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** rclone's sftp backend: copy, check with hashes, sync back, about, md5sum and sha1sum, without errors. */
class RcloneSftpTest {
    @TempDir
    Path data;

    @TempDir
    Path client;

    Fixture fx;
    TermletServer server;

    /** Records the events rclone causes. */
    public class Rules {
        @OnUser({"upload", "download", "space", "hash", "setattr", "settime"})
        void record(EventType type, FileEvent e) {
            fx.add(Fixture.line(type.name(), e));
        }

        @OnUser("ssh-cmd")
        void command(EventType type, FileEvent e, String command) {
            fx.add(Fixture.line(type.name(), e) + " cmd=" + command);
        }
    }

    @BeforeEach
    void start() throws Exception {
        fx = new Fixture(client);
        server = Termlet.server().port(0).dataDir(data).extension(FileOps.create()).register(new Rules()).start();
        server.accounts().save(Account.builder("alice").addAuthorizedKey(fx.publicKey()).quota(1L << 30, 1000)
                .build());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Fixture.Result rclone(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("rclone", "--config", client.resolve("rclone.conf").toString(),
                "--low-level-retries", "1", "--retries", "1"));
        cmd.addAll(List.of(args));
        return fx.run(Map.of("RCLONE_CONFIG_T_TYPE", "sftp", "RCLONE_CONFIG_T_HOST", "127.0.0.1",
                "RCLONE_CONFIG_T_PORT", Integer.toString(server.port()), "RCLONE_CONFIG_T_USER", "alice",
                "RCLONE_CONFIG_T_KEY_FILE", fx.key.toString()), cmd);
    }

    private static String hex(String algorithm, byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data));
    }

    @Test
    void copyCheckSyncAboutAndHashes() throws Exception {
        Path src = Files.createDirectories(client.resolve("src/sub"));
        byte[] one = "first file\n".repeat(1000).getBytes(StandardCharsets.UTF_8);
        byte[] two = new byte[200_000];
        new java.util.Random(5).nextBytes(two);
        Files.write(client.resolve("src/one.txt"), one);
        Files.write(src.resolve("two.bin"), two);

        Fixture.Result copy = rclone("copy", client.resolve("src").toString(), "t:dst");
        assertThat(copy.status()).as(copy.out()).isZero();
        assertThat(copy.out()).doesNotContain("ERROR");
        assertThat(data.resolve("home/alice/dst/one.txt")).hasBinaryContent(one);
        assertThat(data.resolve("home/alice/dst/sub/two.bin")).hasBinaryContent(two);

        // check compares hashes the server computes (rclone probes md5sum first, over exec, with empty input)
        Fixture.Result check = rclone("check", client.resolve("src").toString(), "t:dst");
        assertThat(check.status()).as(check.out()).isZero();
        assertThat(check.out()).doesNotContain("hashes could not be checked").doesNotContain("ERROR")
                .contains("0 differences found").contains("2 matching files");
        assertThat(fx.await(l -> l.startsWith("hash SSH alice /dst/sub/two.bin"))).as(fx.events().toString())
                .isTrue();
        assertThat(fx.events()).anyMatch(l -> l.startsWith("ssh-cmd SSH alice / size=0 status=1 cmd=md5sum"));

        // a changed file is found by its hash (same size, same time)
        byte[] changed = one.clone();
        changed[0] = 'F';
        java.nio.file.attribute.FileTime time = Files.getLastModifiedTime(data.resolve("home/alice/dst/one.txt"));
        Files.write(data.resolve("home/alice/dst/one.txt"), changed);
        Files.setLastModifiedTime(data.resolve("home/alice/dst/one.txt"), time);
        Fixture.Result differs = rclone("check", client.resolve("src").toString(), "t:dst");
        assertThat(differs.status()).as(differs.out()).isNotZero();
        assertThat(differs.out()).contains("1 differences found");
        Files.write(data.resolve("home/alice/dst/one.txt"), one);

        Fixture.Result md5 = rclone("md5sum", "t:dst");
        assertThat(md5.status()).as(md5.out()).isZero();
        assertThat(md5.out()).contains(hex("MD5", one) + "  one.txt").contains(hex("MD5", two) + "  sub/two.bin");
        Fixture.Result sha1 = rclone("sha1sum", "t:dst");
        assertThat(sha1.status()).as(sha1.out()).isZero();
        assertThat(sha1.out()).contains(hex("SHA-1", one) + "  one.txt")
                .contains(hex("SHA-1", two) + "  sub/two.bin");

        Fixture.Result sync = rclone("sync", "t:dst", client.resolve("back").toString());
        assertThat(sync.status()).as(sync.out()).isZero();
        assertThat(sync.out()).doesNotContain("ERROR");
        assertThat(client.resolve("back/one.txt")).hasBinaryContent(one);
        assertThat(client.resolve("back/sub/two.bin")).hasBinaryContent(two);

        Fixture.Result about = rclone("about", "t:", "--json");
        assertThat(about.status()).as(about.out()).isZero();
        // the quota is 1 GiB: total and free come from it
        assertThat(about.out()).contains("\"total\": 1073741824");
        assertThat(fx.events()).anyMatch(l -> l.startsWith("space SFTP alice /"));
    }
}
