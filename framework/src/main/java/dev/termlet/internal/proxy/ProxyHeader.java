package dev.termlet.internal.proxy;

import dev.termlet.protector.Addresses;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

/**
 * One PROXY protocol header (HAProxy's specification, version 1 text or version 2 binary), parsed from the first
 * bytes of a connection. {@link #source()} is the client the load balancer accepted; it is null when the header
 * names no client ({@code LOCAL} command of a health check, {@code UNKNOWN}, {@code UNSPEC} or {@code UNIX}
 * families), and the connection then keeps the balancer's own address. Version 2 TLVs are skipped.
 *
 * @param source the client's address and port, or null to keep the connection's own
 * @param destination the address the client connected to, or null
 * @param length the header's length in bytes: what follows belongs to the protocol behind it
 * @param version 1 or 2
 * @param command what the header says: {@code PROXY}, {@code LOCAL} or {@code UNKNOWN}
 */
public record ProxyHeader(InetSocketAddress source, InetSocketAddress destination, int length, int version,
        String command) {

    /** The longest version 1 header, {@code CRLF} included (the specification's 107 bytes). */
    public static final int MAX_V1 = 107;
    /**
     * The longest version 2 header accepted: the 16 fixed bytes and at most 2032 of addresses and TLVs (a UNIX
     * address pair takes 216; HAProxy's TLVs, SSL details included, fit easily).
     */
    public static final int MAX_V2 = 2048;

    private static final byte[] V1 = "PROXY ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] V2 = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    /** A header that breaks the specification (or Termlet's size limits). */
    public static final class MalformedException extends IOException {
        private static final long serialVersionUID = 1L;

        /** @param message what is wrong */
        public MalformedException(String message) {
            super(message);
        }
    }

    /**
     * Parses a header from the first bytes of a connection.
     *
     * @param data the bytes received so far, from the connection's first byte
     * @param count how many of them are valid
     * @return the header, or null if it is valid so far but incomplete
     * @throws MalformedException if the bytes cannot start a valid header, or the header is too long
     */
    public static ProxyHeader parse(byte[] data, int count) throws MalformedException {
        if (count <= 0) {
            return null;
        }
        if (data[0] == 'P') {
            return v1(data, count);
        }
        if (data[0] == 0x0D) {
            return v2(data, count);
        }
        throw new MalformedException("no PROXY protocol header (first byte 0x" + Integer.toHexString(data[0] & 0xff)
                + ")");
    }

    /**
     * Whether the first bytes of a connection start (or may start, when there are few) a PROXY protocol header:
     * what a client that is not trusted to send one is refused for.
     *
     * @param data the bytes received so far
     * @param count how many of them are valid
     * @return true if they match the start of a version 1 or version 2 signature
     */
    public static boolean looksLikeHeader(byte[] data, int count) {
        return startsWith(data, count, V1) || startsWith(data, count, V2);
    }

    private static boolean startsWith(byte[] data, int count, byte[] prefix) {
        int n = Math.min(count, prefix.length);
        if (n == 0) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (data[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static ProxyHeader v1(byte[] data, int count) throws MalformedException {
        int n = Math.min(count, V1.length);
        for (int i = 0; i < n; i++) {
            if (data[i] != V1[i]) {
                throw new MalformedException("not a PROXY protocol header");
            }
        }
        int end = -1;
        int limit = Math.min(count, MAX_V1);
        for (int i = V1.length; i < limit; i++) {
            byte b = data[i];
            if (b == '\n') {
                if (data[i - 1] != '\r') {
                    throw new MalformedException("PROXY v1 line ends without CRLF");
                }
                end = i + 1;
                break;
            }
            if (b != '\r' && (b < 0x20 || b > 0x7e)) {
                throw new MalformedException("PROXY v1 line holds a control or non-ASCII byte");
            }
        }
        if (end < 0) {
            if (count >= MAX_V1) {
                throw new MalformedException("PROXY v1 line longer than " + MAX_V1 + " bytes");
            }
            return null;
        }
        String line = new String(data, V1.length, end - 2 - V1.length, StandardCharsets.US_ASCII);
        if (line.indexOf('\r') >= 0) {
            throw new MalformedException("PROXY v1 line holds a CR");
        }
        if (line.equals("UNKNOWN") || line.startsWith("UNKNOWN ")) {
            return new ProxyHeader(null, null, end, 1, "UNKNOWN");
        }
        String[] parts = line.split(" ", -1);
        if (parts.length != 5) {
            throw new MalformedException("PROXY v1 line has " + parts.length + " fields, not 5");
        }
        boolean four;
        if (parts[0].equals("TCP4")) {
            four = true;
        } else if (parts[0].equals("TCP6")) {
            four = false;
        } else {
            throw new MalformedException("PROXY v1 protocol '" + printable(parts[0]) + "' is not TCP4, TCP6 or UNKNOWN");
        }
        InetAddress src = v1Address(parts[1], four);
        InetAddress dst = v1Address(parts[2], four);
        int srcPort = v1Port(parts[3]);
        int dstPort = v1Port(parts[4]);
        return new ProxyHeader(new InetSocketAddress(src, srcPort), new InetSocketAddress(dst, dstPort), end, 1,
                "PROXY");
    }

    private static InetAddress v1Address(String text, boolean four) throws MalformedException {
        InetAddress a;
        try {
            if (!four && (text.startsWith("[") || text.indexOf(':') < 0)) {
                throw new IllegalArgumentException();
            }
            a = Addresses.parse(text);
        } catch (IllegalArgumentException e) {
            throw new MalformedException("PROXY v1 address '" + printable(text) + "' is not an IP"
                    + (four ? "v4" : "v6") + " literal");
        }
        if (four && !(a instanceof Inet4Address)) {
            throw new MalformedException("PROXY v1 TCP4 address '" + printable(text) + "' is not IPv4");
        }
        return a;
    }

    private static int v1Port(String text) throws MalformedException {
        if (text.isEmpty() || text.length() > 5 || (text.length() > 1 && text.charAt(0) == '0')) {
            throw new MalformedException("PROXY v1 port '" + printable(text) + "' is not a port");
        }
        int port = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new MalformedException("PROXY v1 port '" + printable(text) + "' is not a port");
            }
            port = port * 10 + (c - '0');
        }
        if (port > 65535) {
            throw new MalformedException("PROXY v1 port " + port + " is above 65535");
        }
        return port;
    }

    private static ProxyHeader v2(byte[] data, int count) throws MalformedException {
        int n = Math.min(count, V2.length);
        for (int i = 0; i < n; i++) {
            if (data[i] != V2[i]) {
                throw new MalformedException("not a PROXY protocol v2 signature");
            }
        }
        if (count < 13) {
            return null;
        }
        int verCmd = data[12] & 0xff;
        if ((verCmd >> 4) != 2) {
            throw new MalformedException("PROXY v2 version " + (verCmd >> 4) + " is not 2");
        }
        int cmd = verCmd & 0x0f;
        if (cmd > 1) {
            throw new MalformedException("PROXY v2 command " + cmd + " is neither LOCAL nor PROXY");
        }
        if (count < 16) {
            return null;
        }
        int famProto = data[13] & 0xff;
        int family = famProto >> 4;
        int transport = famProto & 0x0f;
        int len = ((data[14] & 0xff) << 8) | (data[15] & 0xff);
        int total = 16 + len;
        if (total > MAX_V2) {
            throw new MalformedException("PROXY v2 header of " + total + " bytes is longer than " + MAX_V2);
        }
        if (family > 3 || transport > 2) {
            throw new MalformedException("PROXY v2 family/transport 0x" + Integer.toHexString(famProto)
                    + " is not defined");
        }
        if (count < total) {
            return null;
        }
        if (cmd == 0) {
            // LOCAL: the balancer's own connection (a health check); the address block, if any, is ignored
            return new ProxyHeader(null, null, total, 2, "LOCAL");
        }
        if (family == 0 || family == 3) {
            // UNSPEC or UNIX: no IP client to report; the connection keeps its own address
            if (family == 3 && len < 216) {
                throw new MalformedException("PROXY v2 UNIX address block of " + len + " bytes is shorter than 216");
            }
            return new ProxyHeader(null, null, total, 2, "PROXY");
        }
        if (transport != 1) {
            throw new MalformedException("PROXY v2 transport " + transport + " is not STREAM on a TCP listener");
        }
        int addr = family == 1 ? 4 : 16;
        if (len < 2 * addr + 4) {
            throw new MalformedException("PROXY v2 address block of " + len + " bytes is too short for "
                    + (family == 1 ? "IPv4" : "IPv6"));
        }
        byte[] src = new byte[addr];
        byte[] dst = new byte[addr];
        System.arraycopy(data, 16, src, 0, addr);
        System.arraycopy(data, 16 + addr, dst, 0, addr);
        int p = 16 + 2 * addr;
        int srcPort = ((data[p] & 0xff) << 8) | (data[p + 1] & 0xff);
        int dstPort = ((data[p + 2] & 0xff) << 8) | (data[p + 3] & 0xff);
        try {
            InetAddress s = address(src);
            InetAddress d = address(dst);
            return new ProxyHeader(new InetSocketAddress(s, srcPort), new InetSocketAddress(d, dstPort), total, 2,
                    "PROXY");
        } catch (UnknownHostException e) {
            throw new MalformedException("PROXY v2 address cannot be read");
        }
    }

    private static InetAddress address(byte[] raw) throws UnknownHostException {
        // never a lookup: getByAddress makes the address from its bytes (an IPv4-mapped IPv6 address becomes IPv4)
        return InetAddress.getByAddress(raw);
    }

    private static String printable(String s) {
        String t = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        return t.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
