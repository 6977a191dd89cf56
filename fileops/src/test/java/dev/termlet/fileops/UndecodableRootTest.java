package dev.termlet.fileops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import dev.termlet.auth.Account;
import dev.termlet.test.TestClient;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPReply;
import org.apache.sshd.sftp.client.SftpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data directory whose name on disk is not valid UTF-8 (a directory named in Latin-1, reached here as the JDK
 * lists it; a server started in such a working directory, or with its data directory behind a link to one, gets the
 * same): the path resolver's one-call check ({@code openat2}) looked up the root's text, in which U+FFFD stands for
 * the byte, so another directory, and took every path for its own real path. Links on disk that lead out were then
 * looked through by FTP ({@code SIZE}, {@code MDTM}, {@code MLST}, {@code CWD}) and SFTP's {@code stat}, links inside
 * stopped working, and a FIFO in a directory's place hung a server thread. Real server on 127.0.0.1, ephemeral ports.
 */
class UndecodableRootTest {
    @TempDir
    Path tmp;

    TermletServer server;
    FileOps files;
    Path alice;
    Path outside;

    @BeforeEach
    void start() throws Exception {
        Assumptions.assumeTrue("UTF-8".equalsIgnoreCase(System.getProperty("sun.jnu.encoding")));
        Process p = new ProcessBuilder("sh", "-c", "mkdir \"$(printf 'data\\377')\"").directory(tmp.toFile()).start();
        Assumptions.assumeTrue(p.waitFor() == 0, "a directory with a name that is not UTF-8");
        Path data;
        try (var s = Files.newDirectoryStream(tmp, e -> e.getFileName().toString().equals("data\ufffd"))) {
            data = s.iterator().next();
        }
        outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "top secret");
        files = FileOps.create().ftp(0).ftpAllowPlain(true);
        server = Termlet.server().port(0).dataDir(data).extension(files).build();
        server.accounts().save(Account.builder("alice").password("pw".toCharArray()).build());
        server.start();
        alice = Files.createDirectories(data.resolve("home/alice/sub")).getParent();
        Files.writeString(alice.resolve("sub/f"), "mine");
        // left on disk by someone else: a link that leads out, and one inside
        Files.createSymbolicLink(alice.resolve("out"), outside);
        Files.createSymbolicLink(alice.resolve("in"), alice.toRealPath().resolve("sub"));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void sftpNeitherLooksThroughALinkThatLeadsOutNorLosesOnesInside() throws Exception {
        try (TestClient client = Fixture.login(server, "alice", "pw")) {
            SftpClient sftp = client.sftp();
            assertThatThrownBy(() -> sftp.stat("/out/secret")).hasMessageContaining("denied");
            assertThatThrownBy(() -> sftp.stat("/out")).hasMessageContaining("denied");
            assertThatThrownBy(() -> sftp.read("/out/secret").close()).isInstanceOf(java.io.IOException.class);
            assertThatThrownBy(() -> sftp.write("/out/new").close()).isInstanceOf(java.io.IOException.class);
            // a link inside the root still leads where it points
            try (InputStream in = sftp.read("/in/f")) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("mine");
            }
            assertThat(sftp.stat("/in/f").getSize()).isEqualTo(4);
        }
        assertThat(Files.exists(outside.resolve("new"))).isFalse();
    }

    @Test
    void ftpTellsNothingOfAFileOutside() throws Exception {
        FTPClient ftp = new FTPClient();
        ftp.setDefaultTimeout(20_000);
        ftp.connect("127.0.0.1", files.ftpPort());
        try {
            assertThat(ftp.login("alice", "pw")).isTrue();
            for (String cmd : new String[] {"SIZE /out/secret", "MDTM /out/secret", "MLST /out/secret"}) {
                int code = ftp.sendCommand(cmd);
                assertThat(FTPReply.isPositiveCompletion(code)).as(cmd + ": " + ftp.getReplyString()).isFalse();
            }
            assertThat(ftp.changeWorkingDirectory("/out")).isFalse();
            assertThat(ftp.sendCommand("SIZE /in/f")).isEqualTo(213);
            assertThat(ftp.getReplyString()).contains("213 4");
        } finally {
            ftp.disconnect();
        }
    }
}
