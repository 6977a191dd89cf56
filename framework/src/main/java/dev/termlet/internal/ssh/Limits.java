package dev.termlet.internal.ssh;

import dev.termlet.protector.Addresses;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts connections in all, per remote address and per authenticated user, against their limits. */
public final class Limits {
    private final int maxTotal;
    private final int maxPerAddress;
    private final int maxPerUser;
    private final int maxUnauthenticated;
    private final AtomicInteger total = new AtomicInteger();
    private final AtomicInteger unauthenticated = new AtomicInteger();
    private final ConcurrentHashMap<String, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicInteger> perUser = new ConcurrentHashMap<>();

    Limits(int maxTotal, int maxPerAddress, int maxPerUser, int maxUnauthenticated) {
        this.maxTotal = maxTotal;
        this.maxPerAddress = maxPerAddress;
        this.maxPerUser = maxPerUser;
        this.maxUnauthenticated = maxUnauthenticated;
    }

    /**
     * The IP address of a socket address, as canonical text ({@link Addresses}: {@code ::1}, never
     * {@code 0:0:0:0:0:0:0:1}), the form the protector, the limits and the events all use.
     *
     * @param address the address
     * @return the host part
     */
    public static String host(SocketAddress address) {
        if (address instanceof InetSocketAddress) {
            InetSocketAddress a = (InetSocketAddress) address;
            return a.getAddress() != null ? Addresses.canonical(a.getAddress()) : a.getHostString();
        }
        return String.valueOf(address);
    }

    /**
     * Whether a new connection from an address fits.
     *
     * @param remote the address
     * @return null if it fits, else why not
     */
    String admit(SocketAddress remote) {
        if (maxTotal > 0 && total.get() >= maxTotal) {
            return "too many connections (" + maxTotal + ")";
        }
        if (maxUnauthenticated > 0 && unauthenticated.get() >= maxUnauthenticated) {
            return "too many connections not yet authenticated (" + maxUnauthenticated + ")";
        }
        AtomicInteger n = perAddress.get(host(remote));
        if (maxPerAddress > 0 && n != null && n.get() >= maxPerAddress) {
            return "too many connections from " + host(remote) + " (" + maxPerAddress + ")";
        }
        return null;
    }

    void opened(SocketAddress remote) {
        total.incrementAndGet();
        unauthenticated.incrementAndGet();
        perAddress.computeIfAbsent(host(remote), k -> new AtomicInteger()).incrementAndGet();
    }

    void closed(SocketAddress remote, boolean authenticated) {
        total.decrementAndGet();
        if (!authenticated) {
            unauthenticated.decrementAndGet();
        }
        perAddress.computeIfPresent(host(remote), (k, v) -> v.decrementAndGet() <= 0 ? null : v);
    }

    boolean userHasRoom(String user) {
        AtomicInteger n = perUser.get(user);
        return maxPerUser <= 0 || n == null || n.get() < maxPerUser;
    }

    void userIn(String user) {
        unauthenticated.decrementAndGet();
        perUser.computeIfAbsent(user, k -> new AtomicInteger()).incrementAndGet();
    }

    void userOut(String user) {
        perUser.computeIfPresent(user, (k, v) -> v.decrementAndGet() <= 0 ? null : v);
    }

    int total() {
        return total.get();
    }
}
