package dev.termlet.web.internal.client;

/** One byte range of a {@code Range} header (RFC 9110 section 14); several ranges are not served. */
final class Ranges {
    /** The answer for a range that lies wholly past the end. */
    static final long[] UNSATISFIABLE = new long[0];

    private Ranges() {}

    /**
     * @param header the {@code Range} header
     * @param size the file's size
     * @return {first, last} (inclusive), {@link #UNSATISFIABLE}, or null to send the whole file (a header that is not
     *     one byte range, as RFC 9110 allows)
     */
    static long[] single(String header, long size) {
        String h = header.strip();
        if (!h.regionMatches(true, 0, "bytes=", 0, 6) || h.indexOf(',') >= 0) {
            return null;
        }
        String spec = h.substring(6).strip();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        try {
            String a = spec.substring(0, dash).strip();
            String b = spec.substring(dash + 1).strip();
            if (a.isEmpty()) {
                long suffix = Long.parseLong(b);
                if (suffix <= 0) {
                    return suffix == 0 ? UNSATISFIABLE : null;
                }
                return size == 0 ? UNSATISFIABLE : new long[] {Math.max(0, size - suffix), size - 1};
            }
            long first = Long.parseLong(a);
            long last = b.isEmpty() ? Long.MAX_VALUE : Long.parseLong(b);
            if (first < 0 || last < first) {
                return null;
            }
            if (first >= size) {
                return UNSATISFIABLE;
            }
            return new long[] {first, Math.min(last, size - 1)};
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
