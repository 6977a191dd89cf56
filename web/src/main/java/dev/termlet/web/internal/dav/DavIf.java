package dev.termlet.web.internal.dav;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code If} header of RFC 4918 (10.4): lists of conditions (lock tokens and entity tags, each may be negated
 * with {@code Not}), untagged (about the request's resource) or tagged with the resource they are about. A list holds
 * when all its conditions do; the header holds when any list does.
 */
final class DavIf {
    /** The most lists, and conditions in all, a header may have. */
    static final int MAX_CONDITIONS = 64;

    /**
     * One condition.
     *
     * @param not whether it is negated
     * @param token a lock token (state token), or null
     * @param etag an entity tag with its quotes (and {@code W/} if weak), or null
     */
    record Condition(boolean not, String token, String etag) {}

    /**
     * One list.
     *
     * @param tag the resource it is about (as sent), or null for the request's resource
     * @param conditions its conditions, all of which must hold
     */
    record Clause(String tag, List<Condition> conditions) {}

    private DavIf() {}

    /**
     * Parses a header.
     *
     * @param h the header's value
     * @return its lists
     * @throws IllegalArgumentException when it is malformed or has too many conditions
     */
    static List<Clause> parse(String h) {
        List<Clause> out = new ArrayList<>();
        int i = 0;
        int n = h.length();
        String tag = null;
        boolean tagged = false;
        int count = 0;
        while (true) {
            i = skip(h, i);
            if (i >= n) {
                break;
            }
            char c = h.charAt(i);
            if (c == '<') {
                if (!out.isEmpty() && !tagged) {
                    throw new IllegalArgumentException("a tagged list after an untagged one");
                }
                int end = h.indexOf('>', i);
                if (end < 0) {
                    throw new IllegalArgumentException("an unterminated resource tag");
                }
                tag = h.substring(i + 1, end);
                tagged = true;
                i = end + 1;
                i = skip(h, i);
                if (i >= n || h.charAt(i) != '(') {
                    throw new IllegalArgumentException("a resource tag without a list");
                }
                continue;
            }
            if (c != '(') {
                throw new IllegalArgumentException("a list is expected");
            }
            if (tagged && tag == null) {
                throw new IllegalArgumentException("mixed tagged and untagged lists");
            }
            i++;
            List<Condition> conds = new ArrayList<>();
            while (true) {
                i = skip(h, i);
                if (i >= n) {
                    throw new IllegalArgumentException("an unterminated list");
                }
                c = h.charAt(i);
                if (c == ')') {
                    i++;
                    break;
                }
                boolean not = false;
                if (h.regionMatches(true, i, "Not", 0, 3)) {
                    not = true;
                    i = skip(h, i + 3);
                    if (i >= n) {
                        throw new IllegalArgumentException("Not without a condition");
                    }
                    c = h.charAt(i);
                }
                if (c == '<') {
                    int end = h.indexOf('>', i);
                    if (end < 0) {
                        throw new IllegalArgumentException("an unterminated state token");
                    }
                    conds.add(new Condition(not, h.substring(i + 1, end).strip(), null));
                    i = end + 1;
                } else if (c == '[') {
                    int q = h.indexOf('"', i);
                    int q2 = q < 0 ? -1 : h.indexOf('"', q + 1);
                    int end = q2 < 0 ? -1 : h.indexOf(']', q2);
                    if (end < 0) {
                        throw new IllegalArgumentException("an unterminated entity tag");
                    }
                    conds.add(new Condition(not, null, h.substring(i + 1, end).strip()));
                    i = end + 1;
                } else {
                    throw new IllegalArgumentException("a condition is expected");
                }
                if (++count > MAX_CONDITIONS) {
                    throw new IllegalArgumentException("too many conditions");
                }
            }
            if (conds.isEmpty()) {
                throw new IllegalArgumentException("an empty list");
            }
            out.add(new Clause(tagged ? tag : null, conds));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no list");
        }
        return out;
    }

    private static int skip(String h, int i) {
        while (i < h.length() && (h.charAt(i) == ' ' || h.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    /**
     * Compares entity tags, weakly (RFC 9110 8.8.3.2).
     *
     * @param a one
     * @param b another
     * @return whether their opaque parts are equal
     */
    static boolean sameEtag(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return strip(a).equals(strip(b));
    }

    private static String strip(String t) {
        String s = t.strip();
        return s.startsWith("W/") ? s.substring(2) : s;
    }
}
