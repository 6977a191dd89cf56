package dev.termlet.web.internal.share;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The visitors who opened a share link (with its password, where it has one), each known by a random token in a
 * cookie scoped to the link. A visit lasts until it has been idle for {@link #IDLE}; it ends at once when its share
 * is gone or gets another password. Kept in memory only: after a restart visitors open the link again.
 */
final class Visits {
    /** How long a visit lasts without a request. */
    static final Duration IDLE = Duration.ofHours(1);
    private static final int MAX = 100_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private record Visit(String shareId, String passwordHash, long[] lastUsed) {}

    private final Map<String, Visit> visits = new ConcurrentHashMap<>();

    /**
     * Starts a visit.
     *
     * @param share the share opened
     * @return the visit's token, for the cookie
     */
    String start(Share share) {
        if (visits.size() >= MAX) {
            purge();
        }
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        visits.put(token, new Visit(share.id(), share.passwordHash(), new long[] {System.nanoTime()}));
        return token;
    }

    /**
     * Whether a cookie's token is a live visit of a share.
     *
     * @param token the token, or null
     * @param share the share
     * @return true if it is (and it is kept alive)
     */
    boolean valid(String token, Share share) {
        Visit v = token == null ? null : visits.get(token);
        if (v == null) {
            return false;
        }
        if (System.nanoTime() - v.lastUsed[0] > IDLE.toNanos()) {
            visits.remove(token, v);
            return false;
        }
        if (!v.shareId.equals(share.id()) || !Objects.equals(v.passwordHash, share.passwordHash())) {
            return false;
        }
        v.lastUsed[0] = System.nanoTime();
        return true;
    }

    private void purge() {
        long now = System.nanoTime();
        visits.values().removeIf(v -> now - v.lastUsed[0] > IDLE.toNanos());
        if (visits.size() >= MAX) {
            visits.clear(); // under a flood of visits: everyone opens the link again
        }
    }
}
