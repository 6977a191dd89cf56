package dev.termlet.fileops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.TermletServer;
import dev.termlet.test.TermletExtension;
import dev.termlet.test.TestClient;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.sshd.sftp.client.SftpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * termlet-test's {@link TestClient#sftp()} against a server with {@link FileOps}, as users test their file servers
 * (termlet-test's own tests have no file server: termlet-fileops depends on termlet-test for its tests).
 */
class TestClientSftpTest {
    @RegisterExtension
    static TermletExtension termlet = TermletExtension.builder()
            .account("alice", "secret")
            .configure(b -> b.extension(FileOps.sftp()))
            .build();

    @Test
    void sftpOnTheSameConnection(TestClient client, TermletServer server) throws Exception {
        SftpClient sftp = client.sftp();
        try (OutputStream out = sftp.write("note.txt")) {
            out.write("hi".getBytes(StandardCharsets.UTF_8));
        }
        ByteArrayOutputStream back = new ByteArrayOutputStream();
        try (InputStream in = sftp.read("note.txt")) {
            in.transferTo(back);
        }
        assertThat(back.toString(StandardCharsets.UTF_8)).isEqualTo("hi");
        assertThat(server.dataDir().resolve("home/alice/note.txt")).hasContent("hi");
    }
}
