package dev.termlet.web.internal.dav;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The WebDAV write locks, in memory (they are gone when the server restarts; clients see their locks expire).
 * Each user's locks are apart, as each user has a root of their own. Expired locks are dropped as they are met.
 * Thread-safe.
 */
final class DavLocks {
    /** The longest a lock lasts without a refresh (and what {@code Infinite} gets). */
    static final long MAX_SECONDS = 7L * 24 * 3600;
    /** How long a lock lasts when the client does not say. */
    static final long DEFAULT_SECONDS = 3600;
    /** The most locks a user may hold at once. */
    static final int MAX_PER_USER = 1000;

    /** One lock. */
    static final class Lock {
        final String token;
        final String root;
        final boolean deep;
        final boolean exclusive;
        final String owner;
        volatile long seconds;
        volatile long expires;

        Lock(String token, String root, boolean deep, boolean exclusive, String owner, long seconds) {
            this.token = token;
            this.root = root;
            this.deep = deep;
            this.exclusive = exclusive;
            this.owner = owner;
            refresh(seconds);
        }

        void refresh(long s) {
            this.seconds = s;
            this.expires = System.nanoTime() + s * 1_000_000_000L;
        }

        boolean expired() {
            return System.nanoTime() - expires > 0;
        }

        long left() {
            return Math.max(0, (expires - System.nanoTime() + 999_999_999L) / 1_000_000_000L);
        }

        /** @return whether the lock applies to a path */
        boolean covers(String path) {
            return root.equals(path) || (deep && DavPaths.within(path, root));
        }
    }

    /** A lock that cannot be taken: the locks in its way. */
    static final class Conflict extends Exception {
        private static final long serialVersionUID = 1L;
        final transient List<Lock> with;

        Conflict(List<Lock> with) {
            super("locked");
            this.with = with;
        }
    }

    private final Map<String, List<Lock>> byUser = new HashMap<>();

    private List<Lock> live(String user) {
        List<Lock> l = byUser.computeIfAbsent(user, u -> new ArrayList<>());
        l.removeIf(Lock::expired);
        return l;
    }

    /** @return the locks that apply to a path */
    synchronized List<Lock> covering(String user, String path) {
        List<Lock> out = new ArrayList<>();
        for (Lock k : live(user)) {
            if (k.covers(path)) {
                out.add(k);
            }
        }
        return out;
    }

    /** @return the locks rooted strictly inside a path */
    synchronized List<Lock> inside(String user, String path) {
        List<Lock> out = new ArrayList<>();
        for (Lock k : live(user)) {
            if (!k.root.equals(path) && DavPaths.within(k.root, path)) {
                out.add(k);
            }
        }
        return out;
    }

    /** @return the live lock with a token, or null */
    synchronized Lock byToken(String user, String token) {
        for (Lock k : live(user)) {
            if (k.token.equals(token)) {
                return k;
            }
        }
        return null;
    }

    /**
     * Takes a lock, unless another is in its way (an exclusive lock conflicts with any, a shared one with an
     * exclusive one).
     *
     * @throws Conflict when another lock is in the way
     * @throws IllegalStateException when the user holds too many locks
     */
    synchronized Lock take(String user, String root, boolean deep, boolean exclusive, String owner, long seconds)
            throws Conflict {
        List<Lock> mine = live(user);
        List<Lock> in = new ArrayList<>();
        for (Lock k : mine) {
            boolean overlaps = k.covers(root) || (deep && DavPaths.within(k.root, root));
            if (overlaps && (exclusive || k.exclusive)) {
                in.add(k);
            }
        }
        if (!in.isEmpty()) {
            throw new Conflict(in);
        }
        if (mine.size() >= MAX_PER_USER) {
            throw new IllegalStateException("too many locks");
        }
        Lock k = new Lock("urn:uuid:" + UUID.randomUUID(), root, deep, exclusive, owner, seconds);
        mine.add(k);
        return k;
    }

    /** Removes a lock. */
    synchronized void remove(String user, Lock k) {
        live(user).remove(k);
    }

    /** Removes the locks rooted at a path or inside it (the resources are gone). */
    synchronized void removeWithin(String user, String path) {
        live(user).removeIf(k -> DavPaths.within(k.root, path));
    }

    /** Removes the locks rooted strictly inside a path. */
    synchronized void removeInside(String user, String path) {
        live(user).removeIf(k -> !k.root.equals(path) && DavPaths.within(k.root, path));
    }

    /**
     * Whether the tokens a request submitted satisfy locks: each exclusive lock's own token, and for shared locks
     * the token of one of the shared locks on the same resource.
     *
     * @param locks the locks that apply
     * @param submitted the tokens submitted
     * @return the locks not satisfied
     */
    static List<Lock> unsatisfied(List<Lock> locks, Set<String> submitted) {
        List<Lock> out = new ArrayList<>();
        for (Lock k : locks) {
            if (submitted.contains(k.token)) {
                continue;
            }
            boolean ok = false;
            if (!k.exclusive) {
                for (Lock o : locks) {
                    if (!o.exclusive && o.root.equals(k.root) && submitted.contains(o.token)) {
                        ok = true;
                        break;
                    }
                }
            }
            if (!ok) {
                out.add(k);
            }
        }
        return out;
    }
}
