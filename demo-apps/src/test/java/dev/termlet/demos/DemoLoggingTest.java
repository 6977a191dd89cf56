package dev.termlet.demos;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.termlet.TermletServer;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.net.ftp.FTPSClient;
import org.apache.commons.net.util.TrustManagerUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * The demos' logback.xml (on this module's test class path too): Termlet at INFO, MINA SSHD and FtpServer at WARN;
 * the ports actually bound are logged; an FTP session logs no line per command and nothing at WARN.
 */
class DemoLoggingTest {
    @TempDir
    Path data;

    private static Level level(String logger) {
        return ((Logger) LoggerFactory.getLogger(logger)).getEffectiveLevel();
    }

    @Test
    void librariesLogAtWarnAndTermletAtInfo() {
        assertThat(level("dev.termlet.internal.ssh.ServerRuntime")).isEqualTo(Level.INFO);
        assertThat(level("org.apache.sshd.server.session.ServerSessionImpl")).isEqualTo(Level.WARN);
        assertThat(level("org.apache.ftpserver.impl.DefaultFtpHandler")).isEqualTo(Level.WARN);
        assertThat(level("org.apache.mina.filter.logging.LoggingFilter")).isEqualTo(Level.WARN);
    }

    @Test
    void theBoundPortsAreLoggedAndAnFtpSessionIsQuiet() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        root.addAppender(log);
        FilesDemo demo = new FilesDemo();
        new CommandLine(demo).parseArgs("--port", "0", "--ftp-port", "0", "--https-port", "0", "--data", data.toString(), "--user",
                "alice:secret");
        try (TermletServer server = demo.start()) {
            FTPSClient ftp = new FTPSClient(false);
            ftp.setTrustManager(TrustManagerUtils.getAcceptAllTrustManager());
            ftp.setDefaultTimeout(20_000);
            ftp.connect("127.0.0.1", demo.ftpPort());
            try {
                ftp.execPBSZ(0);
                ftp.execPROT("P");
                assertThat(ftp.login("alice", "secret")).isTrue();
                ftp.enterLocalPassiveMode();
                assertThat(ftp.listNames()).isNotNull();
                ftp.logout();
            } finally {
                ftp.disconnect();
            }
            List<String> lines;
            synchronized (log) {
                lines = log.list.stream().map(e -> e.getLevel() + " " + e.getLoggerName() + " " + e.getFormattedMessage())
                        .toList();
            }
            assertThat(lines).anyMatch(l -> l.startsWith("INFO dev.termlet.internal.ssh.ServerRuntime SSH listening on "
                    + "127.0.0.1:" + server.port() + " "));
            assertThat(lines).contains("INFO dev.termlet.fileops.FileOps FTP listening on 127.0.0.1:" + demo.ftpPort());
            assertThat(lines).noneMatch(l -> l.contains("org.apache.ftpserver") || l.contains("org.apache.mina"));
            assertThat(lines).noneMatch(l -> l.startsWith("WARN ") || l.startsWith("ERROR "));
        } finally {
            root.detachAppender(log);
        }
    }
}
