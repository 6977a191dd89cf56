package dev.termlet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The report turns result lines into rows with the ratio oriented so that above 1 means Termlet does better. */
class ReportTest {
    @TempDir
    Path dir;

    @Test
    void ratiosFollowWhetherHigherOrLowerIsBetter() throws Exception {
        Path results = dir.resolve("results.txt");
        Files.write(results, List.of(
                "== a log line the report ignores",
                "scenario=handshake label=termlet-j17 auth=key kex=x concurrency=16 sessions=10 failed=0 seconds=1"
                        + " rate=30.0/s serverCpuMs=2.00",
                "scenario=handshake label=mina auth=key kex=x concurrency=16 sessions=10 failed=0 seconds=1 rate=40.0/s"
                        + " serverCpuMs=1.50",
                "scenario=echo label=termlet-j17 sessions=200 opened=200 keys=1 failures=0 p50=0.50ms p99=4.00ms max=9ms",
                "scenario=echo label=mina sessions=200 opened=200 keys=1 failures=0 p50=0.40ms p99=8.00ms max=9ms",
                "scenario=transfer protocol=sftp label=termlet-j17 what=big direction=upload bytes=1073741824 files=1"
                        + " seconds=10 rate=102.4MiB/s filesPerSecond=0 ok=true",
                "scenario=transfer protocol=scp label=termlet-j17 what=small direction=download bytes=40960000"
                        + " files=10000 seconds=20 rate=1.9MiB/s filesPerSecond=500 ok=true client=openssh",
                "scenario=transfer protocol=scp label=mina what=small direction=download bytes=40960000"
                        + " files=10000 seconds=40 rate=1.0MiB/s filesPerSecond=250 ok=true client=openssh",
                "scenario=idle label=termlet-j17 sessions=2000 opened=2000 rssPerSession=111.9KiB"
                        + " pssPerSession=111.9KiB heapPerSession=71.8KiB threadsBefore=20 threadsWith=28"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertThat(new CommandLine(new Report()).execute(results.toString(), "--servers", "termlet-j17,mina"))
                    .isZero();
        } finally {
            System.setOut(old);
        }
        String table = out.toString(StandardCharsets.UTF_8);
        assertThat(table).contains("| Scenario | termlet-j17 | mina | termlet-j17 vs mina |");
        // whole numbers print without decimals; ratios always with two
        assertThat(table).contains("| handshake, key, concurrency 16 (sessions/s) | 30 | 40 | 0.75 |");
        assertThat(table).contains("| handshake, key, concurrency 16, server CPU per session (ms) | 2 | 1.50 | 0.75 |");
        assertThat(table).contains("| echo, 200 typists, p99 (ms) | 4 | 8 | 2.00 |");
        assertThat(table).contains("| echo, 200 typists, p50 (ms) | 0.50 | 0.40 | 0.80 |");
        assertThat(table).contains("| sftp upload, 1024 MiB file (MiB/s) | 102 |  |");
        // another client's figures get rows of their own
        assertThat(table).contains("| scp download, 10000 small files, openssh client (files/s) | 500 | 250 | 2.00 |");
        assertThat(table).contains("| idle, 2000 shells, heap per session (KiB) | 71.80 |  |");
        assertThat(table).contains("| idle, 2000 shells, threads | 28 |  |"); // a count has no unit to show
        assertThat(table).doesNotContain("a log line");
    }

    @Test
    void severalRunsShowTheirMedianAndSpreadAndRatiosUseMedians() throws Exception {
        Path results = dir.resolve("runs.txt");
        Files.write(results, List.of(
                "scenario=asyncssh-echo label=termlet-j17 keys=500 p50=0.40ms p99=1.50ms max=3ms mean=0.5ms",
                "scenario=asyncssh-echo label=termlet-j17 keys=500 p50=0.60ms p99=1.90ms max=3ms mean=0.5ms",
                "scenario=asyncssh-echo label=termlet-j17 keys=500 p50=0.45ms p99=1.70ms max=3ms mean=0.5ms",
                "scenario=asyncssh-echo label=openssh keys=500 p50=0.90ms p99=3.40ms max=5ms mean=1ms",
                "scenario=asyncssh-logins label=termlet-j17 concurrency=20 auth=password rate=50.00/s"
                        + " connectP50=30.0ms connectP99=80.0ms failed=0",
                "scenario=asyncssh-logins label=openssh concurrency=20 auth=password rate=25.00/s"
                        + " connectP50=60.0ms connectP99=90.0ms failed=0"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertThat(new CommandLine(new Report()).execute(results.toString(), "--servers", "termlet-j17,openssh"))
                    .isZero();
        } finally {
            System.setOut(old);
        }
        String table = out.toString(StandardCharsets.UTF_8);
        assertThat(table).contains(
                "| asyncssh: keystroke echo, one session, p50 (ms) | 0.45 (0.40–0.60) | 0.90 | 2.00 |");
        assertThat(table).contains(
                "| asyncssh: keystroke echo, one session, p99 (ms) | 1.70 (1.50–1.90) | 3.40 | 2.00 |");
        assertThat(table).contains("| asyncssh: logins, password, concurrency 20 (logins/s) | 50 | 25 | 2.00 |");
        assertThat(Report.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
    }
}
