package dev.termlet.fileops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import dev.termlet.auth.Account;
import dev.termlet.test.TestClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPSClient;
import org.apache.commons.net.util.TrustManagerUtils;
import org.apache.sshd.sftp.client.SftpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** File operations, transferred bytes, file sessions and hook deliveries on the application's registry. */
class FileMetricsTest {
    @TempDir
    Path data;

    @Test
    void sftpAndFtpTransfersSessionsAndHookDeliveriesAreMeasured() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Path hook = data.resolve("hook.sh");
        Files.writeString(hook, "#!/bin/sh\nexit 0\n");
        hook.toFile().setExecutable(true);
        FileOps files = FileOps.create().ftp(0);
        byte[] content = new byte[10_000];
        new java.util.Random(1).nextBytes(content);
        try (TermletServer server = Termlet.server().port(0).dataDir(data.resolve("server")).meterRegistry(registry)
                .extension(files).extension(Hooks.builder().program(hook, "upload").build()).build()) {
            server.accounts().save(Account.builder("alice").password("pw".toCharArray()).build());
            server.start();
            try (TestClient alice = Fixture.login(server, "alice", "pw")) {
                SftpClient sftp = alice.sftp();
                try (OutputStream out = sftp.write("/a.bin")) {
                    out.write(content);
                }
                try (InputStream in = sftp.read("/a.bin")) {
                    assertThat(in.readAllBytes()).isEqualTo(content);
                }
                assertThat(registry.get("termlet.sessions.active").tag("kind", "sftp").gauge().value())
                        .isEqualTo(1);
            }
            FTPSClient ftp = new FTPSClient(false);
            ftp.setTrustManager(TrustManagerUtils.getAcceptAllTrustManager());
            ftp.setDefaultTimeout(20_000);
            ftp.connect("127.0.0.1", files.ftpPort());
            try {
                ftp.execPBSZ(0);
                ftp.execPROT("P");
                assertThat(ftp.login("alice", "pw")).isTrue();
                ftp.enterLocalPassiveMode();
                ftp.setFileType(FTP.BINARY_FILE_TYPE);
                assertThat(ftp.storeFile("b.bin", new ByteArrayInputStream(content))).isTrue();
                ByteArrayOutputStream back = new ByteArrayOutputStream();
                assertThat(ftp.retrieveFile("b.bin", back)).isTrue();
                assertThat(back.toByteArray()).isEqualTo(content);
                ftp.logout();
            } finally {
                ftp.disconnect();
            }
            await(() -> registry.find("termlet.hooks.deliveries")
                    .tags("kind", "program", "outcome", "done").counter() != null
                    && registry.find("termlet.hooks.deliveries").tags("kind", "program", "outcome", "done")
                            .counter().count() == 2);
            await(() -> registry.get("termlet.sessions.active").tag("kind", "ftp").gauge().value() == 0
                    && registry.get("termlet.sessions.active").tag("kind", "sftp").gauge().value() == 0);
            await(() -> registry.get("termlet.hooks.queue").gauge().value() == 0
                    && registry.get("termlet.hooks.outbox").gauge().value() == 0);
        }
        // the gauges read the running server: they leave the registry with it; counters stay
        assertThat(registry.find("termlet.hooks.queue").gauge()).isNull();
        assertThat(registry.find("termlet.sessions.active").gauge()).isNull();
        for (String protocol : new String[] {"SFTP", "FTP"}) {
            assertThat(registry.get("termlet.file.operations").tags("protocol", protocol, "operation", "upload",
                    "outcome", "success").counter().count()).as(protocol).isEqualTo(1);
            assertThat(registry.get("termlet.file.operations").tags("protocol", protocol, "operation", "download",
                    "outcome", "success").counter().count()).as(protocol).isEqualTo(1);
            assertThat(registry.get("termlet.file.bytes").tags("protocol", protocol, "direction", "in").counter()
                    .count()).as(protocol).isEqualTo(content.length);
            assertThat(registry.get("termlet.file.bytes").tags("protocol", protocol, "direction", "out").counter()
                    .count()).as(protocol).isEqualTo(content.length);
        }
        assertThat(registry.get("termlet.sessions.started").tag("kind", "sftp").counter().count()).isEqualTo(1);
        assertThat(registry.get("termlet.sessions.started").tag("kind", "ftp").counter().count()).isEqualTo(1);
        assertThat(registry.get("termlet.connections.accepted").tag("protocol", "FTP").counter().count())
                .isEqualTo(1);
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("in time").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
