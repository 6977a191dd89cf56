package dev.termlet.config.internal;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsing of the scalar forms: durations, sizes, octal masks, whole numbers and booleans. */
public final class Values {
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KiB|MiB|GiB|TiB)?");
    private static final Pattern DECIMAL_SIZE = Pattern.compile("(\\d+)\\s*(k|K|KB|kB|M|MB|G|GB|T|TB)");

    /** The longest duration any key takes: ten years, well inside what milliseconds and nanoseconds can hold. */
    public static final Duration MAX_DURATION = Duration.ofDays(3650);

    private Values() {}

    /**
     * @param text {@code 30s}, {@code 5m}, {@code 1h30m}, {@code 250ms}, {@code 7d}, or {@code 0}
     * @return the duration, at most {@link #MAX_DURATION}
     * @throws IllegalArgumentException with the fix
     */
    public static Duration duration(String text) {
        String t = text.strip();
        if (t.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = DURATION_PART.matcher(t);
        Duration total = Duration.ZERO;
        int at = 0;
        boolean tooLong = false;
        while (at < t.length() && m.find(at) && m.start() == at) {
            at = m.end();
            if (tooLong) {
                continue;
            }
            try {
                long n = Long.parseLong(m.group(1));
                switch (m.group(2)) {
                    case "ms":
                        total = total.plusMillis(n);
                        break;
                    case "s":
                        total = total.plusSeconds(n);
                        break;
                    case "m":
                        total = total.plusMinutes(n);
                        break;
                    case "h":
                        total = total.plusHours(n);
                        break;
                    default:
                        total = total.plusDays(n);
                        break;
                }
                tooLong = total.compareTo(MAX_DURATION) > 0;
            } catch (NumberFormatException | ArithmeticException e) {
                tooLong = true;
            }
        }
        if (at == 0 || at != t.length()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration;write a number and a unit: 250ms, 30s,"
                    + " 5m, 1h30m, 7d");
        }
        if (tooLong) {
            throw new IllegalArgumentException("'" + text + "' is too long;write at most " + format(MAX_DURATION));
        }
        return total;
    }

    /**
     * @param d a duration
     * @return it as {@link #duration} reads it, in the largest unit that is exact
     */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0s";
        }
        long[] units = {86_400_000L, 3_600_000L, 60_000L, 1000L, 1L};
        String[] names = {"d", "h", "m", "s", "ms"};
        for (int i = 0; i < units.length; i++) {
            if (ms % units[i] == 0) {
                return ms / units[i] + names[i];
            }
        }
        return ms + "ms";
    }

    /**
     * @param text {@code 10GiB}, {@code 512MiB}, {@code 1024}
     * @return the bytes
     * @throws IllegalArgumentException with the fix
     */
    public static long size(String text) {
        String t = text.strip();
        Matcher m = SIZE.matcher(t);
        if (!m.matches()) {
            Matcher d = DECIMAL_SIZE.matcher(t);
            if (d.matches()) {
                throw new IllegalArgumentException("'" + text + "' is ambiguous (1000 or 1024?);write "
                        + d.group(1) + Character.toUpperCase(d.group(2).charAt(0)) + "iB, sizes are 1024-based");
            }
            throw new IllegalArgumentException("'" + text + "' is not a size;write a number of bytes, or a number and"
                    + " B, KiB, MiB, GiB or TiB: 10GiB");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "B" : m.group(2);
        int shift = "B".equals(unit) ? 0 : 10 * ("KMGT".indexOf(unit.charAt(0)) + 1);
        if (shift > 0 && n > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException("'" + text + "' is too large;write a smaller size");
        }
        return n << shift;
    }

    /**
     * @param text digits, optionally with {@code _} between them, and an optional sign
     * @return the number
     * @throws IllegalArgumentException with the fix
     */
    public static long whole(String text) {
        String t = text.strip();
        if (!t.matches("[-+]?\\d+(_\\d+)*")) {
            throw new IllegalArgumentException("'" + text + "' is not a whole number;write digits only");
        }
        try {
            return Long.parseLong(t.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is too large;write a smaller number");
        }
    }

    /**
     * @param text octal digits, {@code 022}, {@code 0o027}
     * @return the number
     * @throws IllegalArgumentException with the fix
     */
    public static int octal(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.startsWith("0o")) {
            t = t.substring(2);
        }
        if (!t.matches("[0-7]{1,4}")) {
            throw new IllegalArgumentException("'" + text + "' is not an octal mask;write up to four octal digits in"
                    + " quotes: \"022\"");
        }
        return Integer.parseInt(t, 8);
    }

    /**
     * @param text {@code true} or {@code false}, in any case
     * @return the value
     * @throws IllegalArgumentException with the fix
     */
    public static boolean bool(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.equals("true") || t.equals("false")) {
            return t.equals("true");
        }
        throw new IllegalArgumentException("'" + text + "' is not true or false;write true or false");
    }
}
