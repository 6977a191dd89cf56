package dev.termlet.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code report RESULTS}: turns the {@code key=value} lines that {@code load} and {@code transfer} print into one
 * markdown table: a row per scenario, a column per server, and Termlet's ratio to each peer. A figure measured in
 * several runs shows its median with the lowest and highest run beside it, and ratios are taken between medians. A
 * higher-is-better
 * figure (rates) gives Termlet / peer; a lower-is-better one (latency, memory) gives peer / Termlet, so that above
 * 1 always means Termlet does better.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Prints a markdown table with ratios from the result lines of a run.")
final class Report implements Callable<Integer> {
    @Parameters(index = "0", description = "The file of result lines (other lines are ignored).")
    Path results;

    @Option(names = "--servers", split = ",", description = "Column order (default: ${DEFAULT-VALUE}).")
    List<String> servers = List.of("termlet-j17", "termlet-j25", "mina", "openssh", "pyserssh", "vsftpd");

    @Option(names = "--base", description = "The server the ratios are taken for (default: ${DEFAULT-VALUE}).")
    String base = "termlet-j17";

    /** One figure to show from a result line. */
    private static final class Metric {
        final String key;
        final String unit;
        final boolean higherIsBetter;

        Metric(String key, String unit, boolean higherIsBetter) {
            this.key = key;
            this.unit = unit;
            this.higherIsBetter = higherIsBetter;
        }
    }

    @Override
    public Integer call() throws IOException {
        Map<String, Map<String, List<Double>>> rows = new LinkedHashMap<>();
        Map<String, Metric> metrics = new LinkedHashMap<>();
        for (String line : Files.readAllLines(results)) {
            if (!line.startsWith("scenario=")) {
                continue;
            }
            Map<String, String> kv = parse(line);
            String label = kv.get("label");
            for (Map.Entry<String, Metric> e : rowsOf(kv).entrySet()) {
                String value = kv.get(e.getValue().key);
                if (value == null) {
                    continue;
                }
                double v = Double.parseDouble(value.replaceAll("[^0-9.\\-]", ""));
                if (v < 0) {
                    continue;
                }
                metrics.put(e.getKey(), e.getValue());
                rows.computeIfAbsent(e.getKey(), k -> new LinkedHashMap<>())
                        .computeIfAbsent(label, k -> new ArrayList<>()).add(v);
            }
        }
        List<String> present = new ArrayList<>();
        for (String s : servers) {
            if (rows.values().stream().anyMatch(r -> r.containsKey(s))) {
                present.add(s);
            }
        }
        StringBuilder out = new StringBuilder("| Scenario |");
        present.forEach(s -> out.append(' ').append(s).append(" |"));
        present.stream().filter(s -> !s.equals(base)).forEach(s -> out.append(' ').append(base).append(" vs ")
                .append(s).append(" |"));
        out.append("\n|---|");
        present.forEach(s -> out.append("---|"));
        present.stream().filter(s -> !s.equals(base)).forEach(s -> out.append("---|"));
        out.append('\n');
        for (Map.Entry<String, Map<String, List<Double>>> row : rows.entrySet()) {
            Metric m = metrics.get(row.getKey());
            out.append("| ").append(row.getKey()).append(m.unit.isEmpty() ? "" : " (" + m.unit + ")").append(" |");
            for (String s : present) {
                List<Double> v = row.getValue().get(s);
                out.append(' ').append(v == null ? "" : withSpread(v)).append(" |");
            }
            Double mine = median(row.getValue().get(base));
            for (String s : present) {
                if (s.equals(base)) {
                    continue;
                }
                Double theirs = median(row.getValue().get(s));
                String ratio = "";
                if (mine != null && theirs != null && mine > 0 && theirs > 0) {
                    ratio = String.format(Locale.ROOT, "%.2f", m.higherIsBetter ? mine / theirs : theirs / mine);
                }
                out.append(' ').append(ratio).append(" |");
            }
            out.append('\n');
        }
        System.out.print(out);
        return 0;
    }

    /**
     * The median of a figure's runs, or null without any.
     *
     * @param runs the figures, one per run
     * @return the median (the mean of the middle two for an even count)
     */
    static Double median(List<Double> runs) {
        if (runs == null || runs.isEmpty()) {
            return null;
        }
        List<Double> sorted = new ArrayList<>(runs);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** One run's figure as it is; several as their median with the lowest and highest beside it. */
    private static String withSpread(List<Double> runs) {
        if (runs.size() == 1) {
            return format(runs.get(0));
        }
        double lo = runs.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        double hi = runs.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        return format(median(runs)) + " (" + format(lo) + "–" + format(hi) + ")";
    }

    private static String format(double v) {
        return v >= 100 || v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v)
                : String.format(Locale.ROOT, "%.2f", v);
    }

    static Map<String, String> parse(String line) {
        Map<String, String> kv = new LinkedHashMap<>();
        for (String part : line.trim().split("\\s+")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                kv.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        return kv;
    }

    /** The table rows one result line contributes to, each with the figure it shows. */
    private static Map<String, Metric> rowsOf(Map<String, String> kv) {
        Map<String, Metric> rows = new LinkedHashMap<>();
        String auth = kv.getOrDefault("auth", "password");
        switch (kv.get("scenario")) {
            case "handshake":
                rows.put("handshake, " + auth + ", concurrency " + kv.get("concurrency"),
                        new Metric("rate", "sessions/s", true));
                rows.put("handshake, " + auth + ", concurrency " + kv.get("concurrency") + ", server CPU per session",
                        new Metric("serverCpuMs", "ms", false));
                break;
            case "echo":
                rows.put("echo, " + kv.get("sessions") + " typists, p50", new Metric("p50", "ms", false));
                rows.put("echo, " + kv.get("sessions") + " typists, p99", new Metric("p99", "ms", false));
                break;
            case "idle":
                rows.put("idle, " + kv.get("sessions") + " shells, heap per session",
                        new Metric("heapPerSession", "KiB", false));
                rows.put("idle, " + kv.get("sessions") + " shells, memory (PSS) per session",
                        new Metric("pssPerSession", "KiB", false));
                rows.put("idle, " + kv.get("sessions") + " shells, threads", new Metric("threadsWith", "", false));
                break;
            case "transfer":
                String what = kv.get("what").equals("big")
                        ? String.format(Locale.ROOT, "%d MiB file", Long.parseLong(kv.get("bytes")) >> 20)
                        : kv.get("files") + " small files";
                // figures from another client (bench/clients/openssh_transfer.sh: client=openssh) get rows of their own
                String name = kv.get("protocol") + " " + kv.get("direction") + ", " + what
                        + (kv.containsKey("client") ? ", " + kv.get("client") + " client" : "");
                rows.put(name, kv.get("what").equals("big") ? new Metric("rate", "MiB/s", true)
                        : new Metric("filesPerSecond", "files/s", true));
                break;
            case "asyncssh-echo":
                rows.put("asyncssh: keystroke echo, one session, p50", new Metric("p50", "ms", false));
                rows.put("asyncssh: keystroke echo, one session, p99", new Metric("p99", "ms", false));
                break;
            case "asyncssh-logins":
                rows.put("asyncssh: logins, " + auth + ", concurrency " + kv.get("concurrency"),
                        new Metric("rate", "logins/s", true));
                rows.put("asyncssh: connect to prompt, " + auth + ", concurrency " + kv.get("concurrency") + ", p50",
                        new Metric("connectP50", "ms", false));
                break;
            case "asyncssh-mixed":
                rows.put("asyncssh: keystroke echo while " + kv.get("concurrency") + " log in, p50",
                        new Metric("p50", "ms", false));
                rows.put("asyncssh: keystroke echo while " + kv.get("concurrency") + " log in, p99",
                        new Metric("p99", "ms", false));
                break;
            default:
                break;
        }
        return rows;
    }
}
