package dev.termlet.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** rclone's webdav backend against {@code /dav/} over HTTPS (trusting the server's certificate): copy, check, sync. */
class DavRcloneTest {
    @TempDir
    Path data;
    @TempDir
    Path work;

    @Test
    void rcloneCopiesChecksAndSyncsATree() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/rclone")),
                "rclone is not installed (apt-get install rclone); CI installs it through .ci/run");
        try (WebFixture f = WebFixture.start(data, w -> w)) {
            Path pem = DavTools.pemFile(f, work);
            Path src = work.resolve("src");
            Files.createDirectories(src.resolve("sub/deeper"));
            Files.createDirectories(src.resolve("other dir"));
            byte[] big = new byte[700_000];
            new Random(42).nextBytes(big);
            Files.writeString(src.resolve("a.txt"), "alpha\n");
            Files.write(src.resolve("sub/big.bin"), big);
            Files.writeString(src.resolve("sub/deeper/c.txt"), "gamma\n");
            Files.writeString(src.resolve("other dir/naïve & 100%.txt"), "unicode and reserved characters\n");
            Files.writeString(src.resolve("other dir/keep.txt"), "kept\n");

            String obscured = DavTools.run(Map.of(), work, "rclone", "obscure", "pw").out().strip();
            Path conf = Files.writeString(work.resolve("rclone.conf"), "");
            Map<String, String> env = new HashMap<>();
            env.put("RCLONE_CONFIG_DAV_TYPE", "webdav");
            env.put("RCLONE_CONFIG_DAV_URL", f.base() + "/dav/");
            env.put("RCLONE_CONFIG_DAV_VENDOR", "other");
            env.put("RCLONE_CONFIG_DAV_USER", "alice");
            env.put("RCLONE_CONFIG_DAV_PASS", obscured);

            DavTools.Run copy = rclone(env, conf, pem, "copy", src.toString(), "dav:tree");
            assertThat(copy.exit()).as(copy.out()).isZero();
            Path home = f.home("alice").resolve("tree");
            assertThat(home.resolve("a.txt")).hasContent("alpha");
            assertThat(Files.readAllBytes(home.resolve("sub/big.bin"))).isEqualTo(big);
            assertThat(home.resolve("sub/deeper/c.txt")).hasContent("gamma");
            assertThat(home.resolve("other dir/naïve & 100%.txt")).hasContent("unicode and reserved characters");

            DavTools.Run check = rclone(env, conf, pem, "check", "--download", src.toString(), "dav:tree");
            assertThat(check.exit()).as(check.out()).isZero();

            // changed locally (sizes change: this backend keeps no modification times), then synced
            Files.writeString(src.resolve("a.txt"), "alpha, second version\n");
            Files.delete(src.resolve("sub/deeper/c.txt"));
            Files.writeString(src.resolve("sub/new.txt"), "new\n");
            Files.delete(src.resolve("other dir/naïve & 100%.txt"));
            DavTools.Run sync = rclone(env, conf, pem, "sync", src.toString(), "dav:tree");
            assertThat(sync.exit()).as(sync.out()).isZero();
            assertThat(home.resolve("a.txt")).hasContent("alpha, second version");
            assertThat(home.resolve("sub/new.txt")).hasContent("new");
            assertThat(home.resolve("sub/deeper/c.txt")).doesNotExist();
            assertThat(home.resolve("other dir/naïve & 100%.txt")).doesNotExist();
            assertThat(home.resolve("other dir/keep.txt")).hasContent("kept");
            assertThat(Files.readAllBytes(home.resolve("sub/big.bin"))).isEqualTo(big);

            DavTools.Run again = rclone(env, conf, pem, "check", "--download", src.toString(), "dav:tree");
            assertThat(again.exit()).as(again.out()).isZero();
            DavTools.Run ls = rclone(env, conf, pem, "lsf", "-R", "dav:tree");
            assertThat(ls.out().lines()).contains("a.txt", "sub/", "sub/big.bin", "sub/new.txt", "other dir/keep.txt")
                    .doesNotContain("sub/deeper/c.txt");
            // the wrong password is refused
            env.put("RCLONE_CONFIG_DAV_PASS", DavTools.run(Map.of(), work, "rclone", "obscure", "nope").out().strip());
            DavTools.Run refused = rclone(env, conf, pem, "lsf", "dav:tree");
            assertThat(refused.exit()).isNotZero();
            assertThat(new String(Files.readAllBytes(home.resolve("a.txt")), StandardCharsets.UTF_8))
                    .isEqualTo("alpha, second version\n");
        }
    }

    private DavTools.Run rclone(Map<String, String> env, Path conf, Path pem, String... args) throws Exception {
        String[] cmd = new String[args.length + 9];
        cmd[0] = "rclone";
        cmd[1] = "--config";
        cmd[2] = conf.toString();
        cmd[3] = "--ca-cert";
        cmd[4] = pem.toString();
        cmd[5] = "--low-level-retries";
        cmd[6] = "1";
        cmd[7] = "--retries";
        cmd[8] = "1";
        System.arraycopy(args, 0, cmd, 9, args.length);
        return DavTools.run(env, work, cmd);
    }
}
