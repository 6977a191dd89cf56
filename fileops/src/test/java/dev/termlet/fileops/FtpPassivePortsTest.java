package dev.termlet.fileops;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import dev.termlet.auth.Account;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPSClient;
import org.apache.commons.net.util.TrustManagerUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Passive data ports: with "any free port" (the default) transfers log no warning; with a range, each transfer gives
 * its port back, so more transfers than ports run one after another. A client's QUIT and close log no warning either.
 */
class FtpPassivePortsTest {
    @TempDir
    Path data;

    TermletServer server;
    FileOps files;
    final ListAppender<ILoggingEvent> log = new ListAppender<>();
    final Logger ftpserver = (Logger) LoggerFactory.getLogger("org.apache.ftpserver");

    private void start(FileOps f) {
        files = f;
        server = Termlet.server().port(0).dataDir(data).extension(files).build();
        server.accounts().save(Account.builder("alice").password("secret".toCharArray()).build());
        server.start();
        log.start();
        ftpserver.addAppender(log);
    }

    @AfterEach
    void stop() {
        ftpserver.detachAppender(log);
        if (server != null) {
            server.close();
        }
    }

    private FTPSClient login() throws Exception {
        FTPSClient c = new FTPSClient(false);
        c.setTrustManager(TrustManagerUtils.getAcceptAllTrustManager());
        c.setConnectTimeout(10_000);
        c.setDefaultTimeout(20_000);
        c.connect("127.0.0.1", files.ftpPort());
        c.setSoTimeout(20_000);
        c.execPBSZ(0);
        c.execPROT("P");
        assertThat(c.login("alice", "secret")).as(c.getReplyString()).isTrue();
        c.enterLocalPassiveMode();
        c.setFileType(FTP.BINARY_FILE_TYPE);
        return c;
    }

    /**
     * What was logged so far: a copy taken under the appender's lock, since server threads may still be logging
     * (a connection closing) while the test reads.
     */
    private java.util.List<ILoggingEvent> logged() {
        synchronized (log) {
            return new java.util.ArrayList<>(log.list);
        }
    }

    /** Stores, lists and reads back {@code n} files, each transfer on its own passive data connection. */
    private static void transfers(FTPSClient c, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            byte[] body = ("file " + i).getBytes(StandardCharsets.UTF_8);
            assertThat(c.storeFile("f" + i + ".txt", new ByteArrayInputStream(body))).as(c.getReplyString()).isTrue();
            assertThat(c.listNames()).as(c.getReplyString()).contains("f" + i + ".txt");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertThat(c.retrieveFile("f" + i + ".txt", out)).as(c.getReplyString()).isTrue();
            assertThat(out.toByteArray()).isEqualTo(body);
        }
    }

    @Test
    void anyFreePortTransfersLogNoWarning() throws Exception {
        start(FileOps.create().ftp(0));
        FTPSClient c = login();
        transfers(c, 3);
        c.logout();
        c.disconnect();
        assertThat(logged()).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .extracting(ILoggingEvent::getFormattedMessage).isEmpty();
    }

    @Test
    void aRangeOfTwoPortsServesMoreTransfersThanPorts() throws Exception {
        int first = twoFreePortsBelowTheEphemeralRange();
        start(FileOps.create().ftp(0).ftpPassivePorts(first + "-" + (first + 1)));
        FTPSClient c = login();
        transfers(c, 4);
        c.logout();
        c.disconnect();
        assertThat(logged()).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .extracting(ILoggingEvent::getFormattedMessage).isEmpty();
    }

    /**
     * Two free ports in a row, below Linux's ephemeral range (32768 and up): a port in that range can be taken by any
     * outgoing connection meanwhile (the test's own FTP client's among them), which the server would then find in use.
     */
    private static int twoFreePortsBelowTheEphemeralRange() throws java.io.IOException {
        java.util.Random random = new java.util.Random();
        for (int attempt = 0; attempt < 200; attempt++) {
            int first = 20000 + random.nextInt(12000);
            try (ServerSocket a = new ServerSocket(first); ServerSocket b = new ServerSocket(first + 1)) {
                return first;
            } catch (java.io.IOException taken) {
                // try another pair
            }
        }
        throw new java.io.IOException("no two free ports in a row between 20000 and 32000");
    }
}
