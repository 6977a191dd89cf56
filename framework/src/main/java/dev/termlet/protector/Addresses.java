package dev.termlet.protector;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * IP address literals in one canonical text form, so that an address typed by an administrator and the
 * address of a connection compare equal: IPv4 as a dotted quad, IPv6 as RFC 5952 text (lower case, leading
 * zeros dropped, the longest run of zero groups as {@code ::}); {@code ::1} and {@code 0:0:0:0:0:0:0:1} are
 * the same address. Only literals are accepted: a host name is never looked up.
 */
public final class Addresses {
    private static final Pattern IPV4 = Pattern.compile("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:][0-9a-fA-F:.]*");

    private Addresses() {}

    /**
     * Parses an IPv4 or IPv6 literal without any name lookup. IPv6 may be written in brackets; zone ids
     * ({@code %eth0}) and IPv4 parts with leading zeros are refused.
     *
     * @param text the literal
     * @return the address
     * @throws IllegalArgumentException if the text is no IP address literal
     */
    public static InetAddress parse(String text) {
        String t = text == null ? "" : text.strip();
        if (t.length() > 2 && t.charAt(0) == '[' && t.charAt(t.length() - 1) == ']') {
            t = t.substring(1, t.length() - 1);
        }
        try {
            if (IPV4.matcher(t).matches()) {
                String[] parts = t.split("\\.");
                byte[] b = new byte[4];
                for (int i = 0; i < 4; i++) {
                    int v = Integer.parseInt(parts[i]);
                    if (v > 255) {
                        throw new IllegalArgumentException("'" + text + "' is not an IP address");
                    }
                    b[i] = (byte) v;
                }
                return InetAddress.getByAddress(b);
            }
            if (t.indexOf(':') >= 0 && IPV6.matcher(t).matches()) {
                // a text with a colon that starts with a hex digit or colon is parsed as an IPv6 literal, never resolved
                return InetAddress.getByName(t);
            }
        } catch (UnknownHostException e) {
            // not a literal
        }
        throw new IllegalArgumentException("'" + text + "' is not an IP address");
    }

    /**
     * The canonical text of an address: a dotted quad for IPv4 (and IPv4-mapped IPv6), RFC 5952 for IPv6,
     * without a zone id.
     *
     * @param address the address
     * @return its canonical text
     */
    public static String canonical(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 4) {
            return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
        }
        return ipv6(b);
    }

    /**
     * The canonical text of an address literal.
     *
     * @param text an IPv4 or IPv6 literal
     * @return its canonical text
     * @throws IllegalArgumentException if the text is no IP address literal
     */
    public static String canonical(String text) {
        return canonical(parse(text));
    }

    /**
     * The network of an address, as canonical CIDR text ({@code 2001:db8:1:2::/64}); the address alone when the
     * prefix covers all of it.
     *
     * @param address the address
     * @param prefix the prefix length in bits
     * @return the network's text
     */
    public static String network(InetAddress address, int prefix) {
        byte[] b = address.getAddress();
        int bits = b.length * 8;
        if (prefix >= bits) {
            return canonical(address);
        }
        for (int i = 0; i < b.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            b[i] &= (byte) (0xff << (8 - keep));
        }
        return (b.length == 4 ? (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff)
                : ipv6(b)) + "/" + Math.max(0, prefix);
    }

    /**
     * The unit a client is counted and banned by: an IPv4 address itself, an IPv6 address's network of the
     * given length (one host commonly holds a whole /64).
     *
     * @param address the client's address
     * @param ipv6Prefix the IPv6 prefix length, 128 for single addresses
     * @return the key's text
     */
    public static String clientKey(InetAddress address, int ipv6Prefix) {
        return address instanceof Inet6Address ? network(address, ipv6Prefix) : canonical(address);
    }

    private static String ipv6(byte[] b) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8;) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        if (bestLen < 2) {
            bestStart = -1;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    /**
     * The IP address of a socket address, as canonical text ({@code ::1}, never
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
}
