package dev.termlet.fileops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import dev.termlet.auth.Account;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.commons.net.ftp.FTPSClient;
import org.apache.commons.net.util.TrustManagerUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many FTPS logins of one user from one address at the same moment, each with the right password, must all be
 * answered 230: the password check and FtpServer's login that follows it must not mix up one connection's approval
 * with another's.
 */
class FtpConcurrentLoginTest {
    private static final int LOGINS = 200;

    @TempDir
    Path data;

    TermletServer server;
    FileOps files;

    @BeforeEach
    void start() {
        files = FileOps.create().ftp(0);
        server = Termlet.server().port(0).dataDir(data).extension(files)
                .maxSessions(LOGINS + 50).maxSessionsPerAddress(LOGINS + 50).maxSessionsPerUser(LOGINS + 50)
                .maxUnauthenticatedPerAddress(LOGINS + 50).maxUnauthenticated(LOGINS + 50)
                .authTimeout(java.time.Duration.ofMinutes(3)).build();
        server.accounts().save(Account.builder("alice").password("secret".toCharArray()).build());
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void twoHundredSimultaneousLoginsWithTheRightPasswordAllSucceed() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(LOGINS);
        CountDownLatch connected = new CountDownLatch(LOGINS);
        CountDownLatch done = new CountDownLatch(LOGINS);
        List<Future<String>> replies = new ArrayList<>();
        try {
            for (int i = 0; i < LOGINS; i++) {
                replies.add(pool.submit(() -> {
                    FTPSClient c = new FTPSClient(false);
                    c.setTrustManager(TrustManagerUtils.getAcceptAllTrustManager());
                    c.setConnectTimeout(60_000);
                    c.setDefaultTimeout(180_000);
                    try {
                        c.connect("127.0.0.1", files.ftpPort());
                        c.setSoTimeout(180_000);
                        connected.countDown();
                        // every connection is up and secured before the first password goes out
                        connected.await(120, TimeUnit.SECONDS);
                        c.login("alice", "secret");
                        String reply = c.getReplyString().trim();
                        done.countDown();
                        // all stay logged in until every login has been answered
                        done.await(180, TimeUnit.SECONDS);
                        return reply;
                    } finally {
                        connected.countDown();
                        done.countDown();
                        if (c.isConnected()) {
                            c.disconnect();
                        }
                    }
                }));
            }
            int ok = 0;
            List<String> failed = new ArrayList<>();
            for (Future<String> f : replies) {
                String r = f.get(5, TimeUnit.MINUTES);
                if (r.startsWith("230")) {
                    ok++;
                } else {
                    failed.add(r);
                }
            }
            assertThat(failed).isEmpty();
            assertThat(ok).isEqualTo(LOGINS);
        } finally {
            pool.shutdownNow();
        }
    }
}
