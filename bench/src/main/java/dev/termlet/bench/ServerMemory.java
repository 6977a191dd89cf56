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
 * the server's own JDK. Values are -1 when they cannot be read (another OS, a non-Java server).
 *
 * @param rssKiB resident set size
 * @param heapKiB heap in use after a full GC
 * @param threads the process's threads
 */
record ServerMemory(long rssKiB, long heapKiB, long threads) {
    private static final Pattern USED = Pattern.compile("used (\\d+)K");

    static ServerMemory read(long pid) throws InterruptedException {
        if (pid <= 0) {
            return new ServerMemory(-1, -1, -1);
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
        long heap = -1;
        String jcmd = ProcessHandle.of(pid).flatMap(h -> h.info().command())
                .map(c -> Path.of(c).resolveSibling("jcmd").toString()).orElse("jcmd");
        try {
            run(List.of(jcmd, Long.toString(pid), "GC.run"));
            Matcher m = USED.matcher(run(List.of(jcmd, Long.toString(pid), "GC.heap_info")));
            if (m.find()) {
                heap = Long.parseLong(m.group(1));
            }
        } catch (IOException e) {
            // no jcmd: heap unknown
        }
        return new ServerMemory(rss, heap, threads);
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        return out;
    }
}
