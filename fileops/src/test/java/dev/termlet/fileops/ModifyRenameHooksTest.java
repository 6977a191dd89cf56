package dev.termlet.fileops;

import static dev.termlet.fileops.HookTests.await;
import static dev.termlet.fileops.HookTests.lines;
import static dev.termlet.fileops.HookTests.script;
import static dev.termlet.fileops.HookTests.upload;
import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import dev.termlet.auth.Account;
import dev.termlet.test.TestClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import org.apache.sshd.sftp.client.SftpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SFTPGo-style hooks see a write into an existing file as SFTPGo reports it, {@code pre-upload} and
 * {@code upload}; a hook bound by a narrowing Syncplify alias ({@code AfterRenameDir}) gets only what it names.
 */
class ModifyRenameHooksTest {
    @TempDir
    Path data;

    @TempDir
    Path dir;

    TermletServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void modifiesReachUploadHooksAsUploadsAndDirectoryRenameHooksOnlyDirectories() throws Exception {
        Path log = dir.resolve("hook.log");
        Path hook = script(dir, "hook.sh", "echo \"$1 $SFTPGO_ACTION_VIRTUAL_PATH $SFTPGO_ACTION_STATUS\" >> \""
                + log + "\"\n");
        Path renames = dir.resolve("renames.log");
        Path dirHook = script(dir, "dirs.sh", "echo \"$1 $SFTPGO_ACTION_VIRTUAL_PATH\" >> \"" + renames + "\"\n");
        server = Termlet.server().port(0).dataDir(data).extension(FileOps.sftp())
                .extension(Hooks.builder().program(hook, "pre-upload", "upload")
                        .program(dirHook, "AfterRenameDir").build())
                .build();
        server.accounts().save(Account.builder("alice").password("pw".toCharArray()).build());
        server.start();
        try (TestClient alice = Fixture.login(server, "alice", "pw")) {
            SftpClient sftp = alice.sftp();
            upload(sftp, "a.txt", "one\n".getBytes(StandardCharsets.UTF_8));
            await("upload notified", () -> lines(log).contains("upload /a.txt 1"));
            try (SftpClient.CloseableHandle h = sftp.open("a.txt",
                    EnumSet.of(SftpClient.OpenMode.Write, SftpClient.OpenMode.Append))) {
                sftp.write(h, 0, "two\n".getBytes(StandardCharsets.UTF_8));
            }
            sftp.mkdir("d1");
            sftp.rename("d1", "d2");
            sftp.rename("a.txt", "b.txt");
        }
        assertThat(data.resolve("home/alice/b.txt")).hasContent("one\ntwo\n");
        await("the append notified as an upload",
                () -> lines(log).stream().filter(l -> l.equals("upload /a.txt 1")).count() == 2);
        assertThat(lines(log)).containsExactly("pre-upload /a.txt 1", "upload /a.txt 1", "pre-upload /a.txt 1",
                "upload /a.txt 1");
        await("the directory rename notified", () -> lines(renames).contains("rename /d1"));
        Thread.sleep(500); // a file rename, had it been sent, would have come by now
        assertThat(Files.readAllLines(renames)).containsExactly("rename /d1");
    }
}
