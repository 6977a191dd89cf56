package dev.termlet.config.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Key names: the kebab-case of a component, environment variable forms, and "did you mean". */
public final class Names {
    private Names() {}

    /**
     * @param component a record component name, {@code maxSessions}
     * @return its key, {@code max-sessions}
     */
    public static String kebab(String component) {
        StringBuilder sb = new StringBuilder();
        for (char c : component.toCharArray()) {
            if (Character.isUpperCase(c)) {
                sb.append('-').append(Character.toLowerCase(c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * @param key a key, {@code max-sessions}
     * @return its environment form, {@code MAX_SESSIONS}
     */
    public static String env(String key) {
        return key.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
    }

    /**
     * The known key closest to an unknown one: the same letters in another case or with other separators
     * ({@code maxSessions}, {@code max_sessions}), or a few edits away.
     *
     * @param unknown the key written
     * @param known the keys allowed there
     * @return the suggestion, if one is close enough
     */
    public static Optional<String> suggest(String unknown, Collection<String> known) {
        String bare = squash(unknown);
        for (String k : known) {
            if (squash(k).equals(bare)) {
                return Optional.of(k);
            }
        }
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(unknown.toLowerCase(Locale.ROOT), k.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        int allowed = Math.max(2, Math.min(4, unknown.length() / 3));
        return best != null && bestDistance <= allowed ? Optional.of(best) : Optional.empty();
    }

    private static String squash(String s) {
        return s.replaceAll("[-_.\\s]", "").toLowerCase(Locale.ROOT);
    }

    /** Levenshtein distance, with a swap of two neighbours counted as one edit. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    /**
     * @param keys keys
     * @return them quoted and joined, for messages
     */
    public static String list(Collection<String> keys) {
        List<String> out = new ArrayList<>();
        keys.forEach(k -> out.add("'" + k + "'"));
        return String.join(", ", out);
    }
}
