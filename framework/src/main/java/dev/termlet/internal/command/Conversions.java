package dev.termlet.internal.command;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** Converters picocli lacks: {@link Duration} as {@code 90s}, {@code 5m}, {@code 1h30m}, {@code 250ms} or ISO-8601. */
final class Conversions {
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private Conversions() {}

    static void register(CommandLine cl) {
        cl.registerConverter(Duration.class, Conversions::duration);
    }

    static Duration duration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith("p")) {
            try {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            } catch (RuntimeException e) {
                throw new CommandLine.TypeConversionException("'" + text + "' is not a duration");
            }
        }
        Matcher m = PART.matcher(t);
        Duration d = Duration.ZERO;
        int pos = 0;
        while (m.find() && m.start() == pos) {
            long v = Long.parseLong(m.group(1));
            switch (m.group(2)) {
                case "ms":
                    d = d.plusMillis(v);
                    break;
                case "s":
                    d = d.plusSeconds(v);
                    break;
                case "m":
                    d = d.plusMinutes(v);
                    break;
                case "h":
                    d = d.plusHours(v);
                    break;
                default:
                    d = d.plusDays(v);
            }
            pos = m.end();
        }
        if (pos == 0 || pos != t.length()) {
            throw new CommandLine.TypeConversionException("'" + text + "' is not a duration (try 90s, 5m, 1h30m)");
        }
        return d;
    }
}
