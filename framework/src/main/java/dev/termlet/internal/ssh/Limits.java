package dev.termlet.internal.ssh;

import dev.termlet.protector.Addresses;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Counts connections (SSH and FTP together) in all, per client address and per authenticated user, and those not
 * yet authenticated in all and per address, against their limits. Admission checks and counts in one step, so
 * that connections accepted at the same moment cannot all pass a check before any of them is counted.
 *
 * <p>Unauthenticated connections follow OpenSSH's {@code MaxStartups start:rate:full}: below {@code start} all
 * are admitted, from {@code start} a new one is dropped with probability {@code rate} %, rising linearly to 100 %
 * at {@code full}. Each address (an IPv6 client's network) has its own, smaller cap, so one address alone cannot
 * fill the shared slots.
 */
public final class Limits {
    private final int maxTotal;
    private final int maxPerAddress;
    private final int maxPerUser;
    private final int startupsBegin;
    private final int startupsRate;
    private final int maxUnauthenticated;
    private final int maxUnauthenticatedPerAddress;
    private final int ipv6Prefix;
    private final RandomGenerator random;
    private int total;
    private int unauthenticated;
    private final Map<String, int[]> perAddress = new HashMap<>();
    private final Map<String, int[]> unauthenticatedPerAddress = new HashMap<>();
    private final Map<String, int[]> perUser = new HashMap<>();

    /**
     * @param maxTotal the most connections in all
     * @param maxPerAddress the most connections per address
     * @param maxPerUser the most authenticated connections per user
     * @param startupsBegin the unauthenticated connections at which random early drop begins
     * @param startupsRate the drop probability at {@code startupsBegin}, in percent
     * @param maxUnauthenticated the unauthenticated connections at which every new one is refused
     * @param maxUnauthenticatedPerAddress the most unauthenticated connections per address
     * @param ipv6Prefix the IPv6 network length by which addresses are counted
     * @param random the source of the early-drop decisions
     */
    Limits(int maxTotal, int maxPerAddress, int maxPerUser, int startupsBegin, int startupsRate,
            int maxUnauthenticated, int maxUnauthenticatedPerAddress, int ipv6Prefix, RandomGenerator random) {
        this.maxTotal = maxTotal;
        this.maxPerAddress = maxPerAddress;
        this.maxPerUser = maxPerUser;
        this.startupsBegin = Math.min(startupsBegin, maxUnauthenticated);
        this.startupsRate = startupsRate;
        this.maxUnauthenticated = maxUnauthenticated;
        this.maxUnauthenticatedPerAddress = maxUnauthenticatedPerAddress;
        this.ipv6Prefix = ipv6Prefix;
        this.random = random;
    }

    /** The unit a connection is counted by: its IPv4 address, or its IPv6 network. */
    private String key(SocketAddress address) {
        if (address instanceof InetSocketAddress && ((InetSocketAddress) address).getAddress() != null) {
            return Addresses.clientKey(((InetSocketAddress) address).getAddress(), ipv6Prefix);
        }
        return String.valueOf(address);
    }

    /**
     * Admits a new connection and counts it as not yet authenticated, or refuses it.
     *
     * @param c the connection
     * @return null if it was admitted (and is now counted), else why not
     */
    synchronized String admit(Connection c) {
        String key = key(c.remote());
        if (total >= maxTotal) {
            return "too many connections (" + maxTotal + ")";
        }
        if (count(perAddress, key) >= maxPerAddress) {
            return "too many connections from " + key + " (" + maxPerAddress + ")";
        }
        if (count(unauthenticatedPerAddress, key) >= maxUnauthenticatedPerAddress) {
            return "too many connections not yet authenticated from " + key + " (" + maxUnauthenticatedPerAddress
                    + ")";
        }
        if (unauthenticated >= maxUnauthenticated) {
            return "too many connections not yet authenticated (" + maxUnauthenticated + ")";
        }
        if (unauthenticated >= startupsBegin && random.nextDouble() * 100 < dropPercent(unauthenticated)) {
            return "random early drop: " + unauthenticated + " connections not yet authenticated";
        }
        total++;
        unauthenticated++;
        add(perAddress, key, 1);
        add(unauthenticatedPerAddress, key, 1);
        c.limitKey(key);
        c.limitState(Connection.LimitState.UNAUTHENTICATED);
        return null;
    }

    /** The chance in percent that a new connection is dropped while {@code n} are unauthenticated. */
    double dropPercent(int n) {
        if (n < startupsBegin) {
            return 0;
        }
        if (n >= maxUnauthenticated) {
            return 100;
        }
        return startupsRate + (100.0 - startupsRate) * (n - startupsBegin) / (maxUnauthenticated - startupsBegin);
    }

    /**
     * Whether a user may have one more authenticated connection.
     *
     * @param user the user
     * @return true if so
     */
    synchronized boolean userHasRoom(String user) {
        return count(perUser, user) < maxPerUser;
    }

    /**
     * Moves an admitted connection from the unauthenticated count to its user's; once only.
     *
     * @param c the connection
     * @param user the authenticated user
     */
    synchronized void authenticated(Connection c, String user) {
        if (c.limitState() != Connection.LimitState.UNAUTHENTICATED) {
            return;
        }
        unauthenticated--;
        add(unauthenticatedPerAddress, c.limitKey(), -1);
        add(perUser, user, 1);
        c.limitUser(user);
        c.limitState(Connection.LimitState.AUTHENTICATED);
    }

    /**
     * Releases what a connection holds; idempotent.
     *
     * @param c the connection
     */
    synchronized void closed(Connection c) {
        Connection.LimitState state = c.limitState();
        if (state == Connection.LimitState.UNAUTHENTICATED) {
            unauthenticated--;
            add(unauthenticatedPerAddress, c.limitKey(), -1);
        } else if (state == Connection.LimitState.AUTHENTICATED) {
            add(perUser, c.limitUser(), -1);
        } else {
            return;
        }
        total--;
        add(perAddress, c.limitKey(), -1);
        c.limitState(Connection.LimitState.CLOSED);
    }

    /** @return the connections counted now */
    synchronized int total() {
        return total;
    }

    /** @return the connections not yet authenticated now */
    synchronized int unauthenticated() {
        return unauthenticated;
    }

    private static int count(Map<String, int[]> map, String key) {
        int[] n = map.get(key);
        return n == null ? 0 : n[0];
    }

    private static void add(Map<String, int[]> map, String key, int delta) {
        int[] n = map.computeIfAbsent(key, k -> new int[1]);
        n[0] += delta;
        if (n[0] <= 0) {
            map.remove(key);
        }
    }
}
