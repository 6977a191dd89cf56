package dev.termlet;

import dev.termlet.protector.Cidr;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which load balancers may put a PROXY protocol header (HAProxy's version 1 or 2, told apart by their first bytes)
 * in front of a connection, so that the server sees the client's real address on every listener: SSH, FTP and
 * HTTPS. A connection from a trusted address must start with a valid header, or it is closed; a connection from any
 * other address is served as it is, and closed if it starts with a header (no client can name its own address).
 *
 * <pre>{@code
 * Termlet.server().proxyProtocol(ProxyProtocol.trusting("10.0.0.5", "10.1.0.0/24"))
 * }</pre>
 */
public final class ProxyProtocol {
    /** How long a trusted connection may take to send its header unless set otherwise: 10 seconds. */
    public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(10);

    private final List<Cidr> trusted;
    private final Duration headerTimeout;

    private ProxyProtocol(List<Cidr> trusted, Duration headerTimeout) {
        this.trusted = trusted;
        this.headerTimeout = headerTimeout;
    }

    /**
     * Trusts the given load balancers.
     *
     * @param ranges IP addresses or CIDR ranges ({@code 10.0.0.5}, {@code 10.1.0.0/24}, {@code fd00::/8}); at
     *     least one
     * @return the settings, with the default header timeout
     * @throws IllegalArgumentException if a range is not an address literal or CIDR range, or none is given
     */
    public static ProxyProtocol trusting(String... ranges) {
        return trusting(List.of(ranges));
    }

    /**
     * Trusts the given load balancers.
     *
     * @param ranges IP addresses or CIDR ranges; at least one
     * @return the settings, with the default header timeout
     * @throws IllegalArgumentException if a range is not an address literal or CIDR range, or none is given
     */
    public static ProxyProtocol trusting(List<String> ranges) {
        Objects.requireNonNull(ranges, "ranges");
        if (ranges.isEmpty()) {
            throw new IllegalArgumentException("the PROXY protocol needs at least one trusted load balancer address");
        }
        List<Cidr> out = new ArrayList<>();
        for (String r : ranges) {
            out.add(Cidr.parse(Objects.requireNonNull(r, "range")));
        }
        return new ProxyProtocol(List.copyOf(out), DEFAULT_HEADER_TIMEOUT);
    }

    /**
     * Sets how long a trusted connection may take, from its accept, to send its whole header; then it is closed.
     *
     * @param timeout a positive duration
     * @return new settings with this timeout
     */
    public ProxyProtocol headerTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the PROXY header timeout must be positive");
        }
        return new ProxyProtocol(trusted, timeout);
    }

    /** @return how long a trusted connection may take to send its header */
    public Duration headerTimeout() {
        return headerTimeout;
    }

    /** @return the trusted ranges */
    public List<Cidr> trusted() {
        return trusted;
    }

    /**
     * Whether an address belongs to a trusted load balancer.
     *
     * @param address the address
     * @return true if a trusted range holds it
     */
    public boolean trusts(InetAddress address) {
        if (address == null) {
            return false;
        }
        for (Cidr c : trusted) {
            if (c.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the peer of a connection is a trusted load balancer.
     *
     * @param peer the connection's remote address
     * @return true if it is an IP socket address a trusted range holds
     */
    public boolean trusts(SocketAddress peer) {
        return peer instanceof InetSocketAddress && trusts(((InetSocketAddress) peer).getAddress());
    }

    @Override
    public String toString() {
        return "ProxyProtocol[trusted=" + trusted + ", headerTimeout=" + headerTimeout + "]";
    }
}
