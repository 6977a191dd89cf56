package dev.termlet.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server process's memory as the OS and the JVM see it: RSS and threads from {@code /proc/PID/status}, live heap
 * from {@code jcmd PID GC.heap_info} after {@code jcmd PID GC.run} (a full collection), using the {@code jcmd} of
 * the server's own JDK. For servers that fork per session (OpenSSH), {@code pssKiB} sums the proportional set size
 * ({@code /proc/PID/smaps_rollup}) of the process and all its descendants, so that pages shared after a fork count
 * once. Values are -1 when they cannot be read (another OS, a non-Java server).
 *
 * @param rssKiB resident set size of the process itself
 * @param heapKiB heap in use after a full GC
 * @param threads the threads of the process and its descendants
 * @param pssKiB proportional set size of the process and its descendants
 */
record ServerMemory(long rssKiB, long heapKiB, long threads, long pssKiB) {
    /**
     * The heap's used size in {@code GC.heap_info}: G1, ZGC and Parallel name the heap on one line; Serial (which the JVM
     * chooses on one processor, as for a server pinned to one core) names each generation: their sizes are summed.
     */
    private static final Pattern USED =
            Pattern.compile("(?:heap|generation|DefNew|Tenured|PSYoungGen|ParOldGen)\\s+total \\d+K, used (\\d+)K");

    /**
     * The sums over several processes (a cluster's nodes on one machine); a figure unknown for any of them is -1.
     * No process at all reads as unknown.
     */
    static ServerMemory read(List<Long> pids) throws InterruptedException {
        if (pids.isEmpty()) {
            return read(0);
        }
        long rss = 0;
        long heap = 0;
        long threads = 0;
        long pss = 0;
        for (long pid : pids) {
            ServerMemory m = read(pid);
            rss = sum(rss, m.rssKiB);
            heap = sum(heap, m.heapKiB);
            threads = sum(threads, m.threads);
            pss = sum(pss, m.pssKiB);
        }
        return new ServerMemory(rss, heap, threads, pss);
    }

    private static long sum(long a, long b) {
        return a < 0 || b < 0 ? -1 : a + b;
    }

    static ServerMemory read(long pid) throws InterruptedException {
        if (pid <= 0) {
            return new ServerMemory(-1, -1, -1, -1);
        }
        long rss = -1;
        long threads = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("\\D", ""));
                } else if (line.startsWith("Threads:")) {
                    threads = Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or the process is gone
        }
        long pss = 0;
        long treeThreads = 0;
        List<Long> tree = new java.util.ArrayList<>();
        tree.add(pid);
        ProcessHandle.of(pid).ifPresent(h -> h.descendants().forEach(d -> tree.add(d.pid())));
        for (long p : tree) {
            pss += field(Path.of("/proc", Long.toString(p), "smaps_rollup"), "Pss:");
            treeThreads += field(Path.of("/proc", Long.toString(p), "status"), "Threads:");
        }
        if (treeThreads > 0) {
            threads = treeThreads;
        }
        long heap = -1;
        // jcmd attaches by sending SIGQUIT, which ends a process that is not a JVM (sshd, Python): only for java.
        java.util.Optional<String> command = ProcessHandle.of(pid).flatMap(h -> h.info().command());
        if (command.isPresent() && Path.of(command.get()).getFileName().toString().equals("java")) {
            String jcmd = Path.of(command.get()).resolveSibling("jcmd").toString();
            try {
                run(List.of(jcmd, Long.toString(pid), "GC.run"));
                heap = usedHeapKiB(run(List.of(jcmd, Long.toString(pid), "GC.heap_info")));
            } catch (IOException e) {
                // no jcmd: heap unknown
            }
        }
        return new ServerMemory(rss, heap, threads, pss > 0 ? pss : -1);
    }

    /**
     * The used heap from {@code jcmd GC.heap_info}.
     *
     * @param heapInfo the command's output
     * @return KiB used, summed over the generations where the collector lists them apart; -1 if none is found
     */
    static long usedHeapKiB(String heapInfo) {
        Matcher m = USED.matcher(heapInfo);
        long used = -1;
        while (m.find()) {
            used = Math.max(used, 0) + Long.parseLong(m.group(1));
        }
        return used;
    }

    /** The number on the first line of a /proc file that starts with the key, or 0 if unreadable. */
    private static long field(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // the process is gone, or not Linux
        }
        return 0;
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        return out;
    }
}
