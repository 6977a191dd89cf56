package dev.termlet.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelShell;
import org.apache.sshd.client.session.ClientSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code load handshake|echo|idle}: drives a server from many sessions in one JVM (MINA's {@code SshClient}) and
 * prints one result line per run, as {@code key=value} pairs.
 * <ul>
 * <li>{@code handshake}: connect, password login, PTY shell, wait for the prompt, close; sessions per second at a
 * concurrency and, with {@code --server-pid}, the server's CPU time per session (which does not depend on how fast the
 * client is).</li>
 * <li>{@code echo}: N interactive sessions, each typing one key every interval and timing its echo; p50/p99/max
 * latency and failures.</li>
 * <li>{@code idle}: N shells held open; the server's RSS, heap after a full GC, and threads, read from its
 * process ({@code --server-pid}) before and with the sessions; with the option repeated (the nodes of a cluster),
 * the sums over those processes.</li>
 * </ul>
 */
@Command(name = "load", mixinStandardHelpOptions = true, description = "Drives a server: handshake, echo or idle.")
final class Load implements Callable<Integer> {
    @Parameters(index = "0", description = "handshake, echo or idle")
    String scenario;

    @Option(names = "--prompt", description = "What the shell prints when ready (default: '${DEFAULT-VALUE}').")
    String prompt = "$ ";

    @Option(names = "--concurrency", description = "handshake: parallel workers (default: ${DEFAULT-VALUE}).")
    int concurrency = 1;

    @Option(names = "--sessions", description = "echo, idle: sessions (default: ${DEFAULT-VALUE}).")
    int sessions = 100;

    @Option(names = "--duration", description = "handshake, echo: how long to measure (default: ${DEFAULT-VALUE}).")
    Duration duration = Duration.ofSeconds(20);

    @Option(names = "--interval", description = "echo: time between one session's keys (default: ${DEFAULT-VALUE}).")
    Duration interval = Duration.ofSeconds(1);

    @Option(names = "--hold", description = "idle: how long the sessions stay open before measuring (default: ${DEFAULT-VALUE}).")
    Duration hold = Duration.ofSeconds(5);

    @Option(names = "--server-pid", description = "idle: the server's process id, to read its memory; repeat it for"
            + " several processes (a cluster's nodes): their figures are summed. handshake: to read its CPU time.")
    List<Long> serverPids = new ArrayList<>();

    @Mixin
    SshLogin login = new SshLogin();

    private SshClient client;

    @Override
    public Integer call() throws Exception {
        try {
            client = login.client();
        } catch (IllegalArgumentException e) {
            System.err.println("load: " + e.getMessage());
            return 2;
        }
        try {
            switch (scenario) {
                case "handshake":
                    handshake();
                    return 0;
                case "echo":
                    echo();
                    return 0;
                case "idle":
                    idle();
                    return 0;
                default:
                    System.err.println("load: handshake, echo or idle, not " + scenario);
                    return 2;
            }
        } finally {
            client.stop();
        }
    }

    /** An open PTY shell that has shown its prompt. */
    private final class Shell implements AutoCloseable {
        final ClientSession session;
        final ChannelShell channel;
        final InputStream in;
        final OutputStream out;

        Shell() throws IOException {
            session = login.login(client);
            try {
                channel = session.createShellChannel();
                channel.setPtyType("xterm");
                channel.setPtyColumns(80);
                channel.setPtyLines(24);
                channel.open().verify(Duration.ofSeconds(30));
                in = channel.getInvertedOut();
                out = channel.getInvertedIn();
                awaitText(prompt);
            } catch (IOException | RuntimeException e) {
                session.close(true);
                throw e;
            }
        }

        /** Reads until the text has arrived. */
        void awaitText(String text) throws IOException {
            byte[] want = text.getBytes(StandardCharsets.UTF_8);
            int matched = 0;
            while (matched < want.length) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("the server closed the shell before '" + text + "'");
                }
                matched = b == (want[matched] & 0xff) ? matched + 1 : (b == (want[0] & 0xff) ? 1 : 0);
            }
        }

        @Override
        public void close() {
            session.close(true);
        }
    }

    private void handshake() throws Exception {
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long end = System.nanoTime() + duration.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        long start = System.nanoTime();
        long cpuBefore = cpuTicks();
        for (int i = 0; i < concurrency; i++) {
            pool.execute(() -> {
                while (System.nanoTime() < end) {
                    try (Shell s = new Shell()) {
                        done.incrementAndGet();
                    } catch (IOException | RuntimeException e) {
                        failed.incrementAndGet();
                    }
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(duration.toMillis() + 120_000, TimeUnit.MILLISECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        long cpu = cpuTicks() - cpuBefore;
        String cpuPerSession = serverPids.isEmpty() || done.get() == 0 ? ""
                : String.format(Locale.ROOT, " serverCpuMs=%.2f", cpu * 10.0 / done.get());
        System.out.printf(Locale.ROOT, "scenario=handshake label=%s auth=%s kex=%s concurrency=%d sessions=%d failed=%d"
                + " seconds=%.1f rate=%.1f/s%s%n", login.label, login.identity == null ? "password" : "key",
                login.kex == null ? "default" : login.kex, concurrency, done.get(), failed.get(), seconds,
                done.get() / seconds, cpuPerSession);
    }

    /**
     * The CPU time the servers have used, in Linux's clock ticks of 10 ms: user and system time of each process and
     * of its children that have ended (OpenSSH's per-connection processes).
     */
    private long cpuTicks() throws IOException {
        long ticks = 0;
        for (long pid : serverPids) {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the fields after the command name, which is in parentheses and may hold spaces
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // utime, stime, cutime, cstime: fields 14 to 17 of proc(5), 12 to 15 counted from the state
            for (int i = 11; i <= 14; i++) {
                ticks += Long.parseLong(f[i]);
            }
        }
        return ticks;
    }

    private List<Shell> open(int n) throws InterruptedException {
        List<Shell> shells = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(16, Math.max(1, n)));
        AtomicLong failed = new AtomicLong();
        for (int i = 0; i < n; i++) {
            pool.execute(() -> {
                try {
                    shells.add(new Shell());
                } catch (IOException | RuntimeException e) {
                    if (failed.incrementAndGet() <= 3) {
                        System.err.println("session failed: " + e);
                    }
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(30, TimeUnit.MINUTES);
        if (failed.get() > 0) {
            System.err.println(failed.get() + " sessions could not be opened");
        }
        return new ArrayList<>(shells);
    }

    private void echo() throws Exception {
        List<Shell> shells = open(sessions);
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicLong failures = new AtomicLong();
        long end = System.nanoTime() + duration.toNanos();
        CountDownLatch finished = new CountDownLatch(shells.size());
        for (Shell s : shells) {
            Thread t = new Thread(() -> {
                try {
                    Thread.sleep(ThreadLocalRandom.current().nextLong(Math.max(1, interval.toMillis())));
                    while (System.nanoTime() < end) {
                        char c = (char) ('a' + ThreadLocalRandom.current().nextInt(26));
                        long t0 = System.nanoTime();
                        s.out.write(c);
                        s.out.flush();
                        int b;
                        do {
                            b = s.in.read();
                        } while (b >= 0 && b != c);
                        if (b < 0) {
                            failures.incrementAndGet();
                            return;
                        }
                        long took = System.nanoTime() - t0;
                        latencies.add(took);
                        long sleep = interval.toNanos() - took;
                        if (sleep > 0) {
                            TimeUnit.NANOSECONDS.sleep(sleep);
                        }
                    }
                } catch (IOException e) {
                    failures.incrementAndGet();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    finished.countDown();
                }
            }, "typist");
            t.setDaemon(true);
            t.start();
        }
        finished.await(duration.toMillis() + 60_000, TimeUnit.MILLISECONDS);
        long[] all = latencies.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(all);
        System.out.printf(Locale.ROOT, "scenario=echo label=%s sessions=%d opened=%d keys=%d failures=%d p50=%.2fms"
                + " p99=%.2fms max=%.2fms%n", login.label, sessions, shells.size(), all.length, failures.get(),
                pct(all, 50), pct(all, 99), all.length == 0 ? 0 : all[all.length - 1] / 1e6);
        shells.forEach(Shell::close);
    }

    private static double perSession(long before, long with, int n) {
        return n == 0 || before < 0 || with < 0 ? -1 : (with - before) / (double) n;
    }

    private static double pct(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }

    private void idle() throws Exception {
        ServerMemory before = ServerMemory.read(serverPids);
        List<Shell> shells = open(sessions);
        Thread.sleep(hold.toMillis());
        ServerMemory with = ServerMemory.read(serverPids);
        int n = shells.size();
        System.out.printf(Locale.ROOT, "scenario=idle label=%s servers=%d sessions=%d opened=%d rssBefore=%dKiB rssWith=%dKiB"
                + " rssPerSession=%.1fKiB pssPerSession=%.1fKiB heapBefore=%dKiB heapWith=%dKiB heapPerSession=%.1fKiB"
                + " threadsBefore=%d threadsWith=%d%n", login.label, serverPids.size(), sessions, n, before.rssKiB(), with.rssKiB(),
                perSession(before.rssKiB(), with.rssKiB(), n), perSession(before.pssKiB(), with.pssKiB(), n),
                before.heapKiB(), with.heapKiB(), perSession(before.heapKiB(), with.heapKiB(), n), before.threads(),
                with.threads());
        shells.forEach(Shell::close);
    }
}
