package dev.termlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.annotations.OnUser;
import dev.termlet.auth.Account;
import dev.termlet.protector.ProtectorSettings;
import dev.termlet.testing.HostKeyCache;
import dev.termlet.testing.Ssh;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Soak and churn: sessions open and close in a loop for a set time with a mix of good and bad clients,
 * then threads, file descriptors, heap and sessions are compared with before. Not part of the normal suite:
 * {@code mvn -B -pl framework -am test -Dtest=SoakTest -Dtermlet.excludedGroups=none -Dsoak.seconds=300
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("soak")
class SoakTest {
    @TempDir
    Path data;

    /** Echoes lines. */
    public static class Echo {
        @OnUser("command")
        void command(Client c, String line) {
            c.println("echo " + line);
        }
    }

    private static long fds() {
        String[] list = new File("/proc/self/fd").list();
        return list == null ? -1 : list.length;
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Test
    void churnLeavesNothingBehind() throws Exception {
        int seconds = Integer.getInteger("soak.seconds", 60);
        try (TermletServer server = Termlet.server().port(0).dataDir(HostKeyCache.seed(data)).register(new Echo())
                .protector(new ProtectorSettings().safe("127.0.0.0/8").failureDelay(Duration.ZERO)).start()) {
            server.accounts().save(Account.builder("alice").password("secret".toCharArray()).build());
            // warm up, so class loading and pools are not counted as growth
            runMix(server, 3);
            long threads0 = ManagementFactory.getThreadMXBean().getThreadCount();
            long fds0 = fds();
            long heap0 = heapAfterGc();
            AtomicLong[] counts = runMix(server, seconds);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while ((server.sessionCount() > 0 || server.connectionCount() > 0) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            Thread.sleep(2000);
            long threads1 = ManagementFactory.getThreadMXBean().getThreadCount();
            long fds1 = fds();
            long heap1 = heapAfterGc();
            System.out.printf("soak %ds: %d good, %d bad, %d errors%n", seconds, counts[0].get(), counts[1].get(),
                    counts[2].get());
            System.out.printf("threads %d -> %d, fds %d -> %d, heap %d KiB -> %d KiB, sessions %d, connections %d%n",
                    threads0, threads1, fds0, fds1, heap0 / 1024, heap1 / 1024, server.sessionCount(),
                    server.connectionCount());
            assertThat(server.sessionCount()).isZero();
            assertThat(server.connectionCount()).isZero();
            assertThat(threads1).isLessThanOrEqualTo(threads0 + 8);
            assertThat(fds1).isLessThanOrEqualTo(fds0 + 16);
            assertThat(heap1).isLessThan(heap0 + 64L * 1024 * 1024);
            assertThat(counts[0].get()).isPositive();
        }
    }

    private static AtomicLong[] runMix(TermletServer server, int seconds) throws InterruptedException {
        AtomicLong good = new AtomicLong();
        AtomicLong bad = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        for (int t = 0; t < 8; t++) {
            int worker = t;
            pool.execute(() -> {
                Random r = new Random(worker);
                while (System.nanoTime() < end) {
                    try {
                        switch (r.nextInt(5)) {
                            case 0:
                            case 1:
                                try (Ssh ssh = Ssh.password(server.port(), "alice", "secret");
                                        Ssh.Shell shell = ssh.shell(80, 24)) {
                                    shell.out().await("> ");
                                    shell.send("hi\r");
                                    shell.out().await("echo hi");
                                }
                                good.incrementAndGet();
                                break;
                            case 2:
                                try (Ssh ssh = Ssh.password(server.port(), "alice", "wrong")) {
                                    errors.incrementAndGet();
                                } catch (Exception expected) {
                                    bad.incrementAndGet();
                                }
                                break;
                            case 3:
                                try (Socket s = new Socket("127.0.0.1", server.port())) {
                                    s.getOutputStream().write("garbage\r\n\u0000\u0001".getBytes(StandardCharsets.ISO_8859_1));
                                }
                                bad.incrementAndGet();
                                break;
                            default:
                                Ssh ssh = Ssh.password(server.port(), "alice", "secret");
                                Ssh.Shell shell = ssh.shell(80, 24);
                                shell.send("half a li");
                                ssh.session().close(true);
                                ssh.close();
                                bad.incrementAndGet();
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(seconds + 60L, TimeUnit.SECONDS);
        return new AtomicLong[] {good, bad, errors};
    }
}
