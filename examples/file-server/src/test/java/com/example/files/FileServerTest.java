package com.example.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.termlet.TermletServer;
import dev.termlet.test.TermletExtension;
import dev.termlet.test.TestClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class FileServerTest {
    // the app's file server, in this JVM, without the upload hook (FileServerJarIT runs the jar with it)
    @RegisterExtension
    static TermletExtension termlet = TermletExtension.builder()
            .configure(FileServer::configure)
            .account("alice", "secret")
            .build();

    private static void upload(SftpClient sftp, String path, String text) throws IOException {
        try (OutputStream out = sftp.write(path)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void anUploadLandsInTheUsersHome(TestClient client, TermletServer server) throws IOException {
        upload(client.sftp(), "/notes.txt", "hello");
        try (InputStream in = client.sftp().read("/notes.txt")) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello");
        }
        Path home = server.dataDir().resolve("home").resolve("alice");
        assertThat(home.resolve("notes.txt")).hasContent("hello");
    }

    @Test
    void executablesAreRefused(TestClient client, TermletServer server) {
        for (String name : new String[] {"/setup.exe", "/SETUP.EXE"}) {
            assertThatThrownBy(() -> upload(client.sftp(), name, "MZ"))
                    .isInstanceOfSatisfying(SftpException.class,
                            e -> assertThat(e.getStatus()).isEqualTo(SftpConstants.SSH_FX_PERMISSION_DENIED));
        }
        assertThat(server.dataDir().resolve("home/alice/setup.exe")).doesNotExist();
        assertThat(server.dataDir().resolve("home/alice/SETUP.EXE")).doesNotExist();
    }
}
