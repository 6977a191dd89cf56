package dev.termlet.demos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.termlet.TermletServer;
import dev.termlet.test.TestClient;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPSClient;
import org.apache.commons.net.util.TrustManagerUtils;
import org.apache.sshd.sftp.client.SftpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The files demo as a user starts it: SFTP and FTPS uploads, the .exe refusal and DATA/events.log (private). */
class FilesDemoTest {
    @TempDir
    Path data;

    private List<JsonNode> events() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        Path log = data.resolve("events.log");
        if (Files.exists(log)) {
            for (String line : Files.readAllLines(log)) {
                out.add(new ObjectMapper().readTree(line));
            }
        }
        return out;
    }

    private boolean logged(String event, String protocol, String path) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode e : events()) {
                if (e.get("event").asText().equals(event) && e.get("protocol").asText().equals(protocol)
                        && e.get("path").asText().equals(path)) {
                    return true;
                }
            }
            Thread.sleep(50);
        }
        return false;
    }

    @Test
    void sftpAndFtpsUploadsAreLoggedAndExecutablesRefused() throws Exception {
        FilesDemo demo = new FilesDemo();
        new CommandLine(demo).parseArgs("--port", "0", "--ftp-port", "0", "--https-port", "0", "--data", data.toString(), "--user",
                "alice:secret");
        try (TermletServer server = demo.start()) {
            try (TestClient client = TestClient.password("127.0.0.1", server.port(), "alice", "secret")) {
                SftpClient sftp = client.sftp();
                try (OutputStream out = sftp.write("/report.txt")) {
                    out.write("quarterly".getBytes(StandardCharsets.UTF_8));
                }
                assertThatThrownBy(() -> {
                    try (OutputStream out = sftp.write("/setup.exe")) {
                        out.write(new byte[] {'M', 'Z'});
                    }
                }).hasMessageContaining("denied");
            }
            FTPSClient ftp = new FTPSClient(false);
            ftp.setTrustManager(TrustManagerUtils.getAcceptAllTrustManager());
            ftp.setDefaultTimeout(20_000);
            ftp.connect("127.0.0.1", demo.ftpPort());
            try {
                ftp.execPBSZ(0);
                ftp.execPROT("P");
                assertThat(ftp.login("alice", "secret")).isTrue();
                ftp.enterLocalPassiveMode();
                ftp.setFileType(FTP.BINARY_FILE_TYPE);
                assertThat(ftp.storeFile("notes.txt", new ByteArrayInputStream("n".getBytes(StandardCharsets.UTF_8))))
                        .isTrue();
                assertThat(ftp.storeFile("tool.EXE", new ByteArrayInputStream(new byte[] {1}))).isFalse();
                ftp.logout();
            } finally {
                ftp.disconnect();
            }
            assertThat(logged("upload", "SFTP", "/report.txt")).isTrue();
            assertThat(logged("upload", "FTP", "/notes.txt")).isTrue();
            assertThat(logged("pre-upload", "SFTP", "/setup.exe")).isTrue();
        }
        Path home = data.resolve("home/alice");
        assertThat(home.resolve("report.txt")).hasContent("quarterly");
        assertThat(home.resolve("notes.txt")).hasContent("n");
        assertThat(Files.exists(home.resolve("setup.exe"))).isFalse();
        assertThat(Files.exists(home.resolve("tool.EXE"))).isFalse();
        JsonNode upload = events().stream().filter(e -> e.get("event").asText().equals("upload")
                && e.get("path").asText().equals("/report.txt")).findFirst().orElseThrow();
        assertThat(upload.get("user").asText()).isEqualTo("alice");
        assertThat(upload.get("size").asLong()).isEqualTo(9);
        assertThat(upload.get("status").asInt()).isEqualTo(1);
        assertThat(upload.has("target")).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("events.log"))))
                .as("the log names users and paths: private").isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home))).isEqualTo("rwx------");
    }
}
