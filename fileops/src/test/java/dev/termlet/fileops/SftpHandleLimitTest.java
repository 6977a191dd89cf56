package dev.termlet.fileops;

import dev.termlet.fileops.internal.sftp.SftpHandleLimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import dev.termlet.auth.Account;
import dev.termlet.test.TestClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClient.CloseableHandle;
import org.apache.sshd.sftp.client.SftpClient.OpenMode;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One SFTP connection cannot hold more than its share of open handles; others log in and work meanwhile. */
class SftpHandleLimitTest {
    @TempDir
    Path data;

    TermletServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void start(FileOps files) throws IOException {
        server = Termlet.server().port(0).dataDir(data).extension(files).build();
        server.accounts().save(Account.builder("alice").password("pw".toCharArray()).build());
        server.accounts().save(Account.builder("bob").password("pw".toCharArray()).build());
        server.start();
        Files.createDirectories(data.resolve("home/alice"));
        Files.writeString(data.resolve("home/alice/f.txt"), "hello");
    }

    private TestClient login(String user) {
        return Fixture.login(server, user, "pw");
    }

    private static void assertRefused(ThrowingOpen open) {
        assertThatThrownBy(open::run).isInstanceOfSatisfying(SftpException.class, e -> {
            assertThat(e.getStatus()).isEqualTo(SftpConstants.SSH_FX_FAILURE);
            assertThat(e.getMessage()).contains("too many open handles");
        });
    }

    /** An SFTP request that may fail. */
    interface ThrowingOpen {
        void run() throws IOException;
    }

    /** Another user logs in, uploads, lists and reads while alice is at her cap. */
    private void bobWorks() throws IOException {
        try (TestClient bob = login("bob")) {
            SftpClient sftp = bob.sftp();
            HookTests.upload(sftp, "b.txt", "bob".getBytes(StandardCharsets.UTF_8));
            assertThat(sftp.readDir("/")).extracting(SftpClient.DirEntry::getFilename).contains("b.txt");
            try (var in = sftp.read("b.txt")) {
                assertThat(in.readAllBytes()).isEqualTo("bob".getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void aConnectionGetsAFailureWithAMessagePastItsCapOverAllItsChannelsAndGoesOn() throws Exception {
        start(FileOps.sftp().maxOpenHandles(5));
        try (TestClient alice = login("alice")) {
            SftpClient sftp = alice.sftp();
            List<CloseableHandle> open = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                open.add(sftp.open("f.txt", EnumSet.of(OpenMode.Read)));
            }
            open.add(sftp.openDir("/"));
            assertRefused(() -> sftp.open("f.txt", EnumSet.of(OpenMode.Read)));
            assertRefused(() -> sftp.openDir("/"));
            assertRefused(() -> sftp.open("new.txt", EnumSet.of(OpenMode.Write, OpenMode.Create)));
            // a second SFTP channel of the same connection shares the cap
            try (SftpClient second = SftpClientFactory.instance().createSftpClient(alice.session())) {
                assertRefused(() -> second.open("f.txt", EnumSet.of(OpenMode.Read)));
                assertThat(second.stat("f.txt").getSize()).isEqualTo(5);
            }
            // the session goes on, and so do other users
            assertThat(sftp.stat("f.txt").getSize()).isEqualTo(5);
            byte[] buf = new byte[5];
            assertThat(sftp.read(open.get(0), 0, buf, 0, 5)).isEqualTo(5);
            bobWorks();
            // a closed handle makes room again
            open.remove(0).close();
            open.add(sftp.open("f.txt", EnumSet.of(OpenMode.Read)));
            assertRefused(() -> sftp.open("f.txt", EnumSet.of(OpenMode.Read)));
            for (CloseableHandle h : open) {
                h.close();
            }
            HookTests.upload(sftp, "after.txt", "ok".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(data.resolve("home/alice/after.txt")).hasContent("ok");
        assertThat(data.resolve("home/alice/new.txt")).doesNotExist();
    }

    @Test
    void theDefaultCapIsEnforced() throws Exception {
        start(FileOps.sftp());
        int opened = 0;
        int refused = 0;
        try (TestClient alice = login("alice")) {
            SftpClient sftp = alice.sftp();
            List<CloseableHandle> open = new ArrayList<>();
            for (int i = 0; i < SftpHandleLimit.DEFAULT + 10; i++) {
                try {
                    open.add(sftp.open("f.txt", EnumSet.of(OpenMode.Read)));
                    opened++;
                } catch (SftpException e) {
                    assertThat(e.getStatus()).isEqualTo(SftpConstants.SSH_FX_FAILURE);
                    refused++;
                }
            }
            assertThat(opened).isEqualTo(512);
            assertThat(refused).isEqualTo(10);
            assertThat(sftp.stat("f.txt").getSize()).isEqualTo(5);
            bobWorks();
            for (CloseableHandle h : open) {
                h.close();
            }
            try (var in = sftp.read("f.txt")) {
                assertThat(in.readAllBytes()).hasSize(5);
            }
        }
    }
}
