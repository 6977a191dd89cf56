package dev.termlet.fileops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import dev.termlet.annotations.OnUser;
import dev.termlet.auth.Account;
import dev.termlet.auth.FilePermission;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-directory permissions, read-only accounts, quotas and listing filters, driven by the OpenSSH sftp program. */
class PermissionsQuotaTest {
    @TempDir
    Path data;

    @TempDir
    Path client;

    Fixture fx;
    TermletServer server;

    /** Records events; hides names starting with "secret" from listings. */
    public class Recorder {
        @OnUser({"upload", "upload-failed", "quota-exceeded", "delete", "rename", "mkdir"})
        void record(dev.termlet.event.EventType type, FileEvent e) {
            fx.add(Fixture.line(type.name(), e));
        }

        @OnUser("list-send")
        List<String> hide(FileEvent dir, List<String> names) {
            return names.stream().filter(n -> !n.startsWith("secret")).collect(Collectors.toList());
        }
    }

    @BeforeEach
    void start() throws Exception {
        fx = new Fixture(client);
        server = Termlet.server().port(0).dataDir(data).extension(FileOps.sftp()).register(new Recorder()).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private void account(Account.Builder b) throws Exception {
        server.accounts().save(b.addAuthorizedKey(fx.publicKey()).build());
    }

    @Test
    void permissionsApplyByDeepestDirectory() throws Exception {
        account(Account.builder("carol").filePermissions("/", List.of(FilePermission.LIST, FilePermission.DOWNLOAD))
                .filePermissions("/incoming", List.of(FilePermission.LIST, FilePermission.UPLOAD,
                        FilePermission.CREATE_DIRS)));
        Path home = data.resolve("home/carol");
        Files.createDirectories(home.resolve("incoming"));
        Files.writeString(home.resolve("readme.txt"), "read me");
        Files.writeString(client.resolve("up.txt"), "new data");
        String out = fx.sftp(server, "carol", String.join("\n", "-put up.txt up.txt", "put up.txt incoming/up.txt",
                "-put up.txt incoming/up.txt", "-mkdir newdir", "mkdir incoming/sub", "get readme.txt r.txt",
                "-get incoming/up.txt back.txt", "-rm readme.txt", "-rename readme.txt moved.txt", ""));
        assertThat(Files.exists(home.resolve("up.txt"))).isFalse();
        assertThat(home.resolve("incoming/up.txt")).as(out).hasContent("new data");
        assertThat(Files.isDirectory(home.resolve("newdir"))).isFalse();
        assertThat(Files.isDirectory(home.resolve("incoming/sub"))).isTrue();
        assertThat(client.resolve("r.txt")).as(out).hasContent("read me");
        assertThat(Files.exists(client.resolve("back.txt"))).as("no download permission in /incoming").isFalse();
        assertThat(Files.exists(home.resolve("readme.txt"))).isTrue();
        assertThat(out).contains("Permission denied");
        // the second put of incoming/up.txt would overwrite: not granted
        assertThat(fx.events().stream().filter(e -> e.startsWith("upload SFTP carol /incoming/up.txt"))).hasSize(1);
    }

    @Test
    void readOnlyAccountsCanOnlyListAndDownload() throws Exception {
        account(Account.builder("reader").readOnly());
        Path home = data.resolve("home/reader");
        Files.createDirectories(home);
        Files.writeString(home.resolve("a.txt"), "a");
        Files.writeString(client.resolve("b.txt"), "b");
        String out = fx.sftp(server, "reader", String.join("\n", "ls", "get a.txt got.txt", "-put b.txt b.txt",
                "-rm a.txt", "-mkdir d", "-chmod 600 a.txt", "-rename a.txt c.txt", "-symlink a.txt l.txt", ""));
        assertThat(out).contains("a.txt");
        assertThat(Files.readString(client.resolve("got.txt"))).isEqualTo("a");
        try (var files = Files.list(home)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("a.txt");
        }
    }

    @Test
    void byteQuotaStopsTheWriteThatCrossesItAndKeepsNothing() throws Exception {
        account(Account.builder("quota").quota(100_000, 0));
        Files.write(client.resolve("small.bin"), new byte[60_000]);
        Files.write(client.resolve("big.bin"), new byte[50_000]);
        String out = fx.sftp(server, "quota", String.join("\n", "put small.bin one.bin", "-put big.bin two.bin", ""));
        Path home = data.resolve("home/quota");
        assertThat(Files.size(home.resolve("one.bin"))).isEqualTo(60_000);
        assertThat(Files.exists(home.resolve("two.bin"))).isFalse();
        try (var files = Files.list(home)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no temporary file left")
                    .containsExactly("one.bin");
        }
        assertThat(out).contains("Failure");
        assertThat(fx.await("quota-exceeded SFTP quota /two.bin")).isTrue();
        assertThat(fx.await(e -> e.startsWith("upload-failed SFTP quota /two.bin") && e.endsWith("status=3"))).isTrue();
        // deleting frees the space: the same upload now fits
        String again = fx.sftp(server, "quota", String.join("\n", "rm one.bin", "put big.bin two.bin", ""));
        assertThat(again).doesNotContainIgnoringCase("quota");
        assertThat(Files.size(home.resolve("two.bin"))).isEqualTo(50_000);
    }

    @Test
    void fileQuotaRefusesTheFileBeyondIt() throws Exception {
        account(Account.builder("few").quota(0, 2));
        Files.writeString(client.resolve("x.txt"), "x");
        fx.sftp(server, "few", String.join("\n", "put x.txt 1.txt", "put x.txt 2.txt", "-put x.txt 3.txt",
                "put x.txt 1.txt", ""));
        Path home = data.resolve("home/few");
        assertThat(Files.exists(home.resolve("3.txt"))).isFalse();
        assertThat(Files.exists(home.resolve("1.txt"))).as("overwriting needs no new file").isTrue();
        assertThat(fx.await("quota-exceeded SFTP few /3.txt")).isTrue();
    }

    @Test
    void listSendFiltersTheListing() throws Exception {
        account(Account.builder("lister"));
        Path home = data.resolve("home/lister");
        Files.createDirectories(home);
        for (String n : new String[] {"public.txt", "secret.txt", ".public.txt.0b8a31c4-34a2-4a0e-9a53-3c0bd4e1c6f1.part"}) {
            Files.writeString(home.resolve(n), n);
        }
        String out = fx.sftp(server, "lister", "ls -la\n");
        assertThat(out).contains("public.txt").doesNotContain("secret.txt").doesNotContain(".part");
    }
}
