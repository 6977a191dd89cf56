package dev.termlet.fileops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import dev.termlet.annotations.OnUser;
import dev.termlet.auth.Account;
import dev.termlet.event.EventType;
import dev.termlet.test.TestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OpenSSH's sftp in batch mode over the SFTP extensions it uses (df, cp, ln, reget/reput, ...), without errors. */
class SftpExtensionsTest {
    @TempDir
    Path data;

    @TempDir
    Path client;

    Fixture fx;
    TermletServer server;

    /** Records the file events. */
    public class Rules {
        @OnUser({"pre-upload", "upload", "pre-download", "download", "pre-settime", "settime", "pre-setattr",
            "setattr", "pre-copy", "copy", "pre-symlink", "symlink", "pre-rename", "rename", "space", "mkdir"})
        void record(EventType type, FileEvent e) {
            fx.add(Fixture.line(type.name(), e));
        }
    }

    @BeforeEach
    void start() throws Exception {
        fx = new Fixture(client);
        server = Termlet.server().port(0).dataDir(data).extension(FileOps.create()).register(new Rules()).start();
        server.accounts().save(Account.builder("alice").addAuthorizedKey(fx.publicKey()).password("pw".toCharArray())
                .build());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Path home() {
        return data.resolve("home/alice");
    }

    private static String mode(Path p) throws Exception {
        return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void batchCommandsOfOpenSshSftpRunWithoutErrors() throws Exception {
        fx.sftp(server, "alice", "ls\n");
        String alpha = "alpha ".repeat(50_000);
        Files.writeString(client.resolve("a.txt"), alpha);
        // every line must succeed: sftp -b stops at the first failing command and exits 1
        String out = fx.sftp(server, "alice", "put a.txt\ndf\ndf -h\ncp a.txt b.txt\nln a.txt hard.txt\n"
                + "ln -s a.txt soft.txt\nchmod 600 b.txt\nrename b.txt c.txt\nmkdir d\nrename c.txt d/c.txt\n"
                + "put -f a.txt synced.txt\nget -f synced.txt back.txt\nls -l\nbye\n");
        assertThat(out).doesNotContainIgnoringCase("not support").doesNotContainIgnoringCase("error")
                .doesNotContainIgnoringCase("failure").doesNotContain("No such").doesNotContain("Couldn't")
                .contains("sftp> bye");
        assertThat(home().resolve("d/c.txt")).hasContent(alpha);
        assertThat(home().resolve("synced.txt")).hasContent(alpha);
        assertThat(client.resolve("back.txt")).hasContent(alpha);
        assertThat(mode(home().resolve("d/c.txt"))).isEqualTo("rw-------");
        assertThat(Files.isSymbolicLink(home().resolve("soft.txt"))).isTrue();
        assertThat(home().resolve("soft.txt")).hasContent(alpha);
        assertThat(Files.isSameFile(home().resolve("a.txt"), home().resolve("hard.txt"))).isTrue();
        assertThat(fx.await("copy SFTP alice /a.txt -> /b.txt")).as(fx.events().toString()).isTrue();
        assertThat(fx.events()).anyMatch(e -> e.startsWith("pre-copy SFTP alice /a.txt -> /b.txt"))
                .anyMatch(e -> e.startsWith("space SFTP alice /"))
                .anyMatch(e -> e.startsWith("symlink SFTP alice /hard.txt"))
                .anyMatch(e -> e.startsWith("setattr SFTP alice /b.txt"))
                .anyMatch(e -> e.startsWith("rename SFTP alice /c.txt -> /d/c.txt"));

        // df reports the real file system of the root: its size in 1K blocks is the store's
        java.nio.file.FileStore store = Files.getFileStore(home());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)")
                .matcher(out);
        assertThat(m.find()).as(out).isTrue();
        assertThat(Long.parseLong(m.group(1))).isEqualTo(store.getTotalSpace() / 1024);
    }

    @Test
    void dfShowsTheQuotaOfAnAccountThatHasOne() throws Exception {
        server.accounts().save(Account.builder("alice").addAuthorizedKey(fx.publicKey()).quota(10L << 20, 50).build());
        fx.sftp(server, "alice", "ls\n");
        Files.write(home().resolve("one.bin"), new byte[1 << 20]);
        String out = fx.sftp(server, "alice", "df\ndf -i\n");
        // Size, Used, Avail in 1K blocks: 10 MiB of quota, 1 MiB used by one file of 50
        assertThat(out).containsPattern("(?m)^\\s+10240\\s+1024\\s+9216\\s")
                .containsPattern("(?m)^\\s+50\\s+1\\s+49\\s");
    }

    @Test
    void resumedTransfersCompleteTheFile() throws Exception {
        fx.sftp(server, "alice", "ls\n");
        byte[] data = new byte[3 << 20];
        new java.util.Random(7).nextBytes(data);
        Files.write(client.resolve("big.bin"), data);
        Files.write(home().resolve("big.bin"), java.util.Arrays.copyOf(data, 1 << 20));
        Files.write(home().resolve("down.bin"), data);
        Files.write(client.resolve("down.bin"), java.util.Arrays.copyOf(data, 1000));
        String out = fx.sftp(server, "alice", "reput big.bin\nreget down.bin\nbye\n");
        assertThat(out).contains("sftp> bye").doesNotContainIgnoringCase("error");
        assertThat(Files.readAllBytes(home().resolve("big.bin"))).isEqualTo(data);
        assertThat(Files.readAllBytes(client.resolve("down.bin"))).isEqualTo(data);
    }

    /** Makes a tree with modes and old times: a.txt (0640), sub/b.bin (0600), sub/deeper/c.txt (0644). */
    private static void tree(Path top) throws Exception {
        Files.createDirectories(top.resolve("sub/deeper"));
        Files.writeString(top.resolve("a.txt"), "a file");
        Files.write(top.resolve("sub/b.bin"), new byte[100_000]);
        Files.writeString(top.resolve("sub/deeper/c.txt"), "deep");
        Files.setPosixFilePermissions(top.resolve("a.txt"),
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
        Files.setPosixFilePermissions(top.resolve("sub/b.bin"),
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        for (String f : java.util.List.of("a.txt", "sub/b.bin", "sub/deeper/c.txt")) {
            Files.setLastModifiedTime(top.resolve(f), java.nio.file.attribute.FileTime.fromMillis(1_500_000_000_000L));
        }
    }

    private static void sameTree(Path copy) throws Exception {
        assertThat(copy.resolve("a.txt")).hasContent("a file");
        assertThat(copy.resolve("sub/b.bin")).hasBinaryContent(new byte[100_000]);
        assertThat(copy.resolve("sub/deeper/c.txt")).hasContent("deep");
        assertThat(mode(copy.resolve("a.txt"))).isEqualTo("rw-r-----");
        assertThat(mode(copy.resolve("sub/b.bin"))).isEqualTo("rw-------");
        for (String f : java.util.List.of("a.txt", "sub/b.bin", "sub/deeper/c.txt")) {
            assertThat(Files.getLastModifiedTime(copy.resolve(f)).toMillis()).as(f).isEqualTo(1_500_000_000_000L);
        }
    }

    @Test
    void scpRecursiveWithTimesAndModesInBothModes() throws Exception {
        fx.sftp(server, "alice", "ls\n");
        tree(client.resolve("t"));
        boolean[] classic = {false, true};
        for (boolean legacy : classic) {
            String name = legacy ? "classic" : "sftp";
            String remote = "alice@127.0.0.1:" + name;
            Fixture.Result up = legacy ? fx.scp(server, "-p", "-r", "t", remote)
                    : fx.scpSftp(server, "-p", "-r", "t", remote);
            assertThat(up.out()).as(name).isEmpty();
            assertThat(up.status()).as(name).isZero();
            sameTree(home().resolve(name));
            Fixture.Result down = legacy ? fx.scp(server, "-p", "-r", remote, "back-" + name)
                    : fx.scpSftp(server, "-p", "-r", remote, "back-" + name);
            assertThat(down.out()).as(name).isEmpty();
            assertThat(down.status()).as(name).isZero();
            sameTree(client.resolve("back-" + name));
            String proto = legacy ? "SCP" : "SFTP";
            assertThat(fx.await("settime " + proto + " alice /" + name + "/sub/b.bin")).as(fx.events().toString())
                    .isTrue();
            assertThat(fx.events()).as(name).anyMatch(l -> l.startsWith("pre-settime " + proto + " alice /" + name
                    + "/a.txt")).anyMatch(l -> l.startsWith("setattr " + proto + " alice /" + name + "/a.txt"))
                    .anyMatch(l -> l.startsWith("mkdir " + proto + " alice /" + name + "/sub/deeper"));
        }
        // a ~ path in SFTP mode goes through expand-path@openssh.com
        Fixture.Result tilde = fx.scpSftp(server, "alice@127.0.0.1:~/sftp/a.txt", "tilde.txt");
        assertThat(tilde.out()).isEmpty();
        assertThat(client.resolve("tilde.txt")).hasContent("a file");
    }

    /** Sends one extended request and returns the reply: its type and what follows the request id. */
    private static org.apache.sshd.common.util.buffer.Buffer extended(org.apache.sshd.sftp.client.SftpClient sftp,
            String name, String arg, int[] type) throws Exception {
        org.apache.sshd.common.util.buffer.Buffer b = new org.apache.sshd.common.util.buffer.ByteArrayBuffer();
        b.putString(name);
        b.putString(arg);
        org.apache.sshd.sftp.client.RawSftpClient raw = (org.apache.sshd.sftp.client.RawSftpClient) sftp;
        int id = raw.send(org.apache.sshd.sftp.common.SftpConstants.SSH_FXP_EXTENDED, b);
        org.apache.sshd.common.util.buffer.Buffer reply = raw.receive(id, java.time.Duration.ofSeconds(10));
        reply.getInt(); // length
        type[0] = reply.getUByte();
        assertThat(reply.getInt()).isEqualTo(id);
        return reply;
    }

    @Test
    void extensionsAnswerMinaClientsAndRefuseBadRequests() throws Exception {
        try (TestClient alice = Fixture.login(server, "alice", "pw")) {
            org.apache.sshd.sftp.client.SftpClient sftp = alice.sftp();
            sftp.mkdir("sub");
            var statvfs = sftp.getExtension(
                    org.apache.sshd.sftp.client.extensions.openssh.OpenSSHStatPathExtension.class);
            assertThat(statvfs.isSupported()).isTrue();
            var info = statvfs.stat("sub");
            java.nio.file.FileStore store = Files.getFileStore(home());
            assertThat(info.f_blocks * info.f_frsize).isEqualTo(store.getTotalSpace() / info.f_frsize
                    * info.f_frsize);
            assertThat(info.f_bavail).isPositive().isLessThanOrEqualTo(info.f_bfree);
            assertThat(info.f_namemax).isEqualTo(255);
            assertThat(fx.await(l -> l.startsWith("space SFTP alice /sub size=" + info.f_bavail * info.f_frsize)))
                    .as(fx.events().toString()).isTrue();
            assertThatIo(() -> statvfs.stat("missing")).hasMessageContaining("No such file");

            try (var h = sftp.open("f.txt", org.apache.sshd.sftp.client.SftpClient.OpenMode.Write,
                    org.apache.sshd.sftp.client.SftpClient.OpenMode.Create)) {
                var fstatvfs = sftp.getExtension(
                        org.apache.sshd.sftp.client.extensions.openssh.OpenSSHStatHandleExtension.class);
                assertThat(fstatvfs.isSupported()).isTrue();
                assertThat(fstatvfs.stat(h).f_blocks).isEqualTo(info.f_blocks);
            }

            var limits = sftp.getExtension(
                    org.apache.sshd.sftp.client.extensions.openssh.OpenSSHLimitsExtension.class);
            assertThat(limits.isSupported()).isTrue();
            assertThat(limits.limits().maxOpenHandles).isPositive();

            int[] type = new int[1];
            var home = extended(sftp, "home-directory", "alice", type);
            assertThat(type[0]).isEqualTo(org.apache.sshd.sftp.common.SftpConstants.SSH_FXP_NAME);
            assertThat(home.getInt()).isEqualTo(1);
            assertThat(home.getString()).isEqualTo("/");
            var other = extended(sftp, "home-directory", "bob", type);
            assertThat(type[0]).isEqualTo(org.apache.sshd.sftp.common.SftpConstants.SSH_FXP_STATUS);
            assertThat(other.getInt()).isEqualTo(org.apache.sshd.sftp.common.SftpConstants.SSH_FX_NO_SUCH_FILE);

            var expanded = extended(sftp, "expand-path@openssh.com", "~/sub/../sub", type);
            assertThat(type[0]).isEqualTo(org.apache.sshd.sftp.common.SftpConstants.SSH_FXP_NAME);
            assertThat(expanded.getInt()).isEqualTo(1);
            assertThat(expanded.getString()).isEqualTo("/sub");
            extended(sftp, "expand-path@openssh.com", "~alice", type);
            assertThat(type[0]).isEqualTo(org.apache.sshd.sftp.common.SftpConstants.SSH_FXP_NAME);
            var escape = extended(sftp, "expand-path@openssh.com", "~/../../..", type);
            assertThat(type[0]).isEqualTo(org.apache.sshd.sftp.common.SftpConstants.SSH_FXP_NAME);
            escape.getInt();
            assertThat(escape.getString()).isEqualTo("/");
            var bob = extended(sftp, "expand-path@openssh.com", "~bob/x", type);
            assertThat(type[0]).isEqualTo(org.apache.sshd.sftp.common.SftpConstants.SSH_FXP_STATUS);
            assertThat(bob.getInt()).isEqualTo(org.apache.sshd.sftp.common.SftpConstants.SSH_FX_NO_SUCH_FILE);
        }
    }

    /** Code that must fail with an IOException. */
    private interface IoCall {
        void call() throws Exception;
    }

    private static org.assertj.core.api.AbstractThrowableAssert<?, ? extends Throwable> assertThatIo(IoCall call) {
        return org.assertj.core.api.Assertions.assertThatThrownBy(call::call).isInstanceOf(java.io.IOException.class);
    }

    @Test
    void aRefusedCopyLeavesNoFileAndFiresNoCopy() throws Exception {
        server.close();
        server = Termlet.server().port(0).dataDir(data).extension(FileOps.create()).register(new Rules())
                .register(new Object() {
                    @OnUser("pre-copy")
                    boolean refuse(FileEvent e) {
                        return false;
                    }
                }).start();
        fx.sftp(server, "alice", "ls\n");
        Files.writeString(home().resolve("a.txt"), "data");
        String out = fx.sftp(server, "alice", "-cp a.txt b.txt\nbye\n");
        assertThat(out).contains("sftp> bye").containsIgnoringCase("permission denied");
        assertThat(home().resolve("b.txt")).doesNotExist();
        assertThat(fx.events()).noneMatch(l -> l.startsWith("copy "));
    }

    @Test
    void statvfsNeedsTheListPermissionAndShowsReadOnlyAccounts() throws Exception {
        server.accounts().save(Account.builder("alice").password("pw".toCharArray())
                .filePermissions("/", java.util.List.of(dev.termlet.auth.FilePermission.DOWNLOAD))
                .filePermissions("/open", java.util.List.of(dev.termlet.auth.FilePermission.LIST)).build());
        Files.createDirectories(home().resolve("open"));
        try (TestClient alice = Fixture.login(server, "alice", "pw")) {
            org.apache.sshd.sftp.client.SftpClient sftp = alice.sftp();
            var statvfs = sftp.getExtension(
                    org.apache.sshd.sftp.client.extensions.openssh.OpenSSHStatPathExtension.class);
            assertThatIo(() -> statvfs.stat("/")).hasMessageContaining("ermission");
            assertThat(statvfs.stat("/open").f_flag & 1).isZero();
        }
        server.accounts().save(Account.builder("alice").password("pw".toCharArray()).readOnly(true).build());
        try (TestClient alice = Fixture.login(server, "alice", "pw")) {
            org.apache.sshd.sftp.client.SftpClient sftp = alice.sftp();
            var statvfs = sftp.getExtension(
                    org.apache.sshd.sftp.client.extensions.openssh.OpenSSHStatPathExtension.class);
            assertThat(statvfs.stat("/").f_flag & 1).as("ST_RDONLY").isEqualTo(1);
        }
    }

    @Test
    void aCopyPastTheQuotaFailsAndLeavesNothing() throws Exception {
        server.accounts().save(Account.builder("alice").addAuthorizedKey(fx.publicKey()).quota(1000, 10).build());
        Files.createDirectories(home());
        Files.writeString(home().resolve("a.txt"), "x".repeat(600));
        String out = fx.sftp(server, "alice", "-cp a.txt b.txt\nbye\n");
        assertThat(out).contains("sftp> bye").containsIgnoringCase("failure");
        assertThat(home().resolve("b.txt")).doesNotExist();
        try (java.util.stream.Stream<Path> left = Files.list(home())) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("a.txt");
        }
        assertThat(fx.await("copy SFTP alice /a.txt -> /b.txt size=600 status=3")).as(fx.events().toString())
                .isTrue();
    }
}
