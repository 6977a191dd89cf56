package dev.termlet.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import dev.termlet.auth.Account;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPSClient;
import org.apache.commons.net.util.TrustManagerUtils;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server made from a termlet.yaml: two SSH listeners, SFTP and FTPS with the file's umask, real logins with MINA's
 * client and Commons Net; then users.json and blocklist.txt changed on disk are read again while it runs.
 */
class ConfiguredServerTest {
    @TempDir
    Path dir;

    private static ClientSession login(SshClient client, int port, String user, String password) throws Exception {
        ClientSession s = client.connect(user, "127.0.0.1", port).verify(Duration.ofSeconds(10)).getSession();
        s.addPasswordIdentity(password);
        s.auth().verify(Duration.ofSeconds(20));
        return s;
    }

    private static boolean canLogIn(SshClient client, int port, String user, String password) {
        try (ClientSession s = login(client, port, user, password)) {
            return s.isAuthenticated();
        } catch (Exception e) {
            return false;
        }
    }

    private static boolean within(Duration limit, Callable<Boolean> condition) throws Exception {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            if (condition.call()) {
                return true;
            }
            Thread.sleep(100);
        }
        return condition.call();
    }

    @Test
    void theWebSectionServesHttpsWithTheFileServersAccounts() throws Exception {
        Path data = dir.resolve("web-data");
        Path yaml = dir.resolve("web.yaml");
        Files.writeString(yaml, String.join("\n",
                "listeners: [{address: 127.0.0.1, port: 0}]",
                "data-dir: " + data,
                "fileops: {enabled: true}",
                "web:",
                "  enabled: true",
                "  port: 0",
                "  idle-timeout: 2m",
                "  admin-keys:",
                "    - name: ci",
                "      key: ${env:CI_ADMIN_KEY}",
                ""));
        String adminKey = dev.termlet.web.Web.newAdminKey();
        ServerSetup setup = TermletConfig.loader().file(yaml).environment(Map.of("CI_ADMIN_KEY", adminKey))
                .systemProperties(Map.of()).load().apply(Termlet.server());
        try (TermletServer server = setup.builder().build()) {
            server.accounts().save(Account.builder("alice").password("secret".toCharArray()).build());
            server.start();
            int port = setup.web().orElseThrow().port();
            assertThat(port).isPositive();
            java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
            try (java.io.InputStream in = Files.newInputStream(data.resolve("web/tls.p12"))) {
                ks.load(in, Files.readString(data.resolve("web/tls.p12.pass")).trim().toCharArray());
            }
            java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("web", ks.getCertificate(ks.aliases().nextElement()));
            javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                    javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            javax.net.ssl.SSLContext ssl = javax.net.ssl.SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newBuilder().sslContext(ssl).build().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("https://127.0.0.1:" + port
                            + "/api/session")).header("Content-Type", "application/json")
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                                    "{\"user\":\"alice\",\"password\":\"secret\"}")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.body()).contains("\"user\":\"alice\"");
            // the admin API, turned on by the key the configuration gives
            java.net.http.HttpResponse<String> accounts = java.net.http.HttpClient.newBuilder().sslContext(ssl).build()
                    .send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("https://127.0.0.1:" + port
                            + "/api/admin/v1/accounts")).header("Authorization", "Bearer " + adminKey).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(accounts.statusCode()).as(accounts.body()).isEqualTo(200);
            assertThat(accounts.body()).contains("alice");
        }
    }

    @Test
    void theWebSideNeedsTheFileServer() {
        assertThatThrownBy(() -> TermletConfig.from(Map.of("web", Map.of("enabled", true)), "test"))
                .hasMessageContaining("web.enabled").hasMessageContaining("fileops.enabled");
    }

    @Test
    void aServerFromTheFileServesSftpAndFtpsAndReloadsAccountsAndTheBlockList() throws Exception {
        Path data = dir.resolve("data");
        Path yaml = dir.resolve("termlet.yaml");
        Files.writeString(yaml, String.join("\n",
                "listeners:",
                "  - address: 127.0.0.1",
                "    port: 0",
                "  - address: 127.0.0.1",
                "    port: 0",
                "data-dir: " + data,
                "limits:",
                "  max-sessions-per-user: 5",
                "protector:",
                "  safe-list: [127.0.0.1]",
                "fileops:",
                "  enabled: true",
                "  umask: \"027\"",
                "  sync-uploads: false",
                "  ftp:",
                "    enabled: true",
                "    port: 0",
                "reload:",
                "  interval: 100ms",
                ""));
        TermletConfig config = TermletConfig.loader().file(yaml).environment(Map.of()).systemProperties(Map.of())
                .load();
        ServerSetup setup = config.apply(Termlet.server());
        try (TermletServer server = setup.builder().build(); SshClient client = SshClient.setUpDefaultClient()) {
            server.accounts().save(Account.builder("alice").password("secret".toCharArray()).build());
            server.accounts().save(Account.builder("bob").password("pw".toCharArray()).build());
            server.start();
            client.start();
            assertThat(server.addresses()).hasSize(2);

            // SFTP on both listeners
            for (InetSocketAddress a : server.addresses()) {
                try (ClientSession s = login(client, a.getPort(), "alice", "secret");
                        SftpClient sftp = SftpClientFactory.instance().createSftpClient(s)) {
                    try (OutputStream out = sftp.write("/sftp-" + a.getPort() + ".txt")) {
                        out.write("over sftp".getBytes(StandardCharsets.UTF_8));
                    }
                }
                assertThat(data.resolve("home/alice/sftp-" + a.getPort() + ".txt")).hasContent("over sftp");
            }

            assertThat(setup.fileOps().orElseThrow().syncsUploads()).isFalse();

            // FTPS on its own port, with the file's umask
            int ftpPort = setup.fileOps().orElseThrow().ftpPort();
            assertThat(ftpPort).isPositive();
            FTPSClient ftp = new FTPSClient(false);
            ftp.setTrustManager(TrustManagerUtils.getAcceptAllTrustManager());
            ftp.setConnectTimeout(10_000);
            ftp.setDefaultTimeout(20_000);
            ftp.connect("127.0.0.1", ftpPort);
            ftp.execPBSZ(0);
            ftp.execPROT("P");
            assertThat(ftp.login("alice", "secret")).as(ftp.getReplyString()).isTrue();
            ftp.enterLocalPassiveMode();
            ftp.setFileType(FTP.BINARY_FILE_TYPE);
            assertThat(ftp.storeFile("ftp.txt", new ByteArrayInputStream("over ftp".getBytes(StandardCharsets.UTF_8))))
                    .as(ftp.getReplyString()).isTrue();
            ftp.logout();
            ftp.disconnect();
            Path uploaded = data.resolve("home/alice/ftp.txt");
            assertThat(uploaded).hasContent("over ftp");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(uploaded))).isEqualTo("rw-r-----");

            // users.json changed by hand: alice removed; her open session ends and she can no longer log in
            ClientSession open = login(client, server.port(), "alice", "secret");
            ObjectMapper json = new ObjectMapper();
            ObjectNode users = (ObjectNode) json.readTree(data.resolve("users.json").toFile());
            ArrayNode list = (ArrayNode) users.get("users");
            for (int i = 0; i < list.size(); i++) {
                if (list.get(i).get("name").asText().equals("alice")) {
                    list.remove(i);
                    break;
                }
            }
            Path edited = dir.resolve("users.json.new");
            json.writeValue(edited.toFile(), users);
            Files.move(edited, data.resolve("users.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            assertThat(within(Duration.ofSeconds(10), () -> server.accounts().find("alice").isEmpty())).isTrue();
            open.waitFor(EnumSet.of(ClientSession.ClientSessionEvent.CLOSED), Duration.ofSeconds(10));
            assertThat(open.isOpen()).as("alice's session was closed").isFalse();
            assertThat(canLogIn(client, server.port(), "alice", "secret")).isFalse();
            assertThat(canLogIn(client, server.port(), "bob", "pw")).isTrue();

            // blocklist.txt changed by hand: the address is refused, then admitted again
            Files.writeString(data.resolve("blocklist.txt"), "127.0.0.1\n");
            assertThat(within(Duration.ofSeconds(10), () -> !canLogIn(client, server.port(), "bob", "pw"))).isTrue();
            Files.writeString(data.resolve("blocklist.txt"), "# emptied\n");
            assertThat(within(Duration.ofSeconds(10), () -> canLogIn(client, server.port(), "bob", "pw"))).isTrue();
        }
    }
}
