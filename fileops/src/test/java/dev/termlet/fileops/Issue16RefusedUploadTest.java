package dev.termlet.fileops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import dev.termlet.annotations.Delivery;
import dev.termlet.annotations.OnUser;
import dev.termlet.auth.Account;
import dev.termlet.test.TestClient;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.sshd.sftp.client.SftpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A synchronous {@code upload} handler judges a file after it is in place (a virus scanner, a content check) and
 * refuses it: the file is removed by its path when the handler returns. Meanwhile the file is the client's to rename,
 * link or copy, so the refused content survives under another name.
 */
class Issue16RefusedUploadTest {
    @TempDir
    Path data;

    TermletServer server;

    /** Takes its time and refuses every file whose name ends in .bad. */
    public static class Scanner {
        @OnUser(value = "upload", delivery = Delivery.SYNC)
        boolean upload(FileEvent e) throws InterruptedException {
            Thread.sleep(1500);
            return !e.path().endsWith(".bad");
        }
    }

    @BeforeEach
    void start() throws Exception {
        server = Termlet.server().port(0).dataDir(data).extension(FileOps.create()).register(new Scanner()).build();
        server.accounts().save(Account.builder("alice").password("pw".toCharArray()).build());
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aRefusedUploadCannotBeRenamedAwayWhileItIsJudged() throws Exception {
        try (TestClient uploader = Fixture.login(server, "alice", "pw");
                TestClient other = Fixture.login(server, "alice", "pw")) {
            SftpClient up = uploader.sftp();
            SftpClient mover = other.sftp();
            CompletableFuture<Void> upload = CompletableFuture.runAsync(() -> {
                try (OutputStream out = up.write("/a.bad")) {
                    out.write("MALWARE".getBytes(StandardCharsets.UTF_8));
                } catch (IOException refused) {
                    // the refusal may reach the client
                }
            });
            while (!upload.isDone()) {
                try {
                    mover.rename("/a.bad", "/kept.txt");
                    break;
                } catch (IOException notYet) {
                    Thread.sleep(10);
                }
            }
            upload.get(30, TimeUnit.SECONDS);
        }
        try (Stream<Path> all = Files.walk(data.resolve("home/alice"))) {
            assertThat(all.filter(Files::isRegularFile).filter(p -> {
                try {
                    return Files.readString(p).contains("MALWARE");
                } catch (IOException e) {
                    return false;
                }
            })).as("refused content kept in alice's home").isEmpty();
        }
    }

    /** The same with a hard link and a server-side copy in place of the rename. */
    @Test
    void aRefusedUploadCannotBeLinkedOrCopiedWhileItIsJudged() throws Exception {
        try (TestClient uploader = Fixture.login(server, "alice", "pw");
                TestClient other = Fixture.login(server, "alice", "pw")) {
            SftpClient up = uploader.sftp();
            SftpClient mover = other.sftp();
            CompletableFuture<Void> upload = CompletableFuture.runAsync(() -> {
                try (OutputStream out = up.write("/a.bad")) {
                    out.write("MALWARE".getBytes(StandardCharsets.UTF_8));
                } catch (IOException refused) {
                    // the refusal may reach the client
                }
            });
            int i = 0;
            while (!upload.isDone()) {
                i++;
                try {
                    org.apache.sshd.common.util.buffer.Buffer b = new org.apache.sshd.common.util.buffer.ByteArrayBuffer();
                    b.putString("hardlink@openssh.com");
                    b.putString("/a.bad");
                    b.putString("/link" + i);
                    org.apache.sshd.sftp.client.RawSftpClient raw = (org.apache.sshd.sftp.client.RawSftpClient) mover;
                    raw.receive(raw.send(org.apache.sshd.sftp.common.SftpConstants.SSH_FXP_EXTENDED, b));
                    mover.getExtension(org.apache.sshd.sftp.client.extensions.CopyFileExtension.class)
                            .copyFile("/a.bad", "/copy" + i, false);
                } catch (IOException notYet) {
                    Thread.sleep(10);
                }
            }
            upload.get(30, TimeUnit.SECONDS);
        }
        try (Stream<Path> all = Files.walk(data.resolve("home/alice"))) {
            assertThat(all.filter(Files::isRegularFile).filter(p -> {
                try {
                    return Files.readString(p).contains("MALWARE");
                } catch (IOException e) {
                    return false;
                }
            })).as("refused content kept in alice's home").isEmpty();
        }
    }
}
