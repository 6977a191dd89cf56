package dev.termlet.web.internal.dav;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * URLs and virtual paths: a request path (or a {@code Destination}, or an {@code If} header's resource tag) is
 * percent-decoded one segment at a time (strict UTF-8), and a segment that decodes to {@code .}, {@code ..} or holds a
 * slash, a backslash or NUL is refused; hrefs in answers are percent-encoded, collections with a trailing slash.
 */
final class DavPaths {
    private DavPaths() {}

    /** A URL the server does not serve or cannot read, with the status to answer. */
    static final class BadPath extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        BadPath(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /**
     * The virtual path of a raw (percent-encoded) request path under the prefix.
     *
     * @param prefix the route's prefix, such as {@code /dav}
     * @param raw the raw path
     * @return the virtual path, {@code /} for the root
     * @throws BadPath 400 for a malformed path, 404 for one outside the prefix
     */
    static String virtual(String prefix, String raw) throws BadPath {
        if (raw == null || !(raw.equals(prefix) || raw.startsWith(prefix + "/"))) {
            throw new BadPath(404, "not under " + prefix + "/");
        }
        String rest = raw.substring(prefix.length());
        StringBuilder out = new StringBuilder();
        for (String seg : rest.split("/")) {
            if (seg.isEmpty()) {
                continue;
            }
            String d = decode(seg);
            if (d.equals(".") || d.equals("..") || d.indexOf('/') >= 0 || d.indexOf('\\') >= 0
                    || d.indexOf('\0') >= 0) {
                throw new BadPath(400, "a path segment that is not a name");
            }
            out.append('/').append(d);
        }
        return out.length() == 0 ? "/" : out.toString();
    }

    /**
     * Percent-decodes a path segment as UTF-8.
     *
     * @param s the segment
     * @return the decoded text
     * @throws BadPath 400 when an escape or the UTF-8 is malformed
     */
    static String decode(String s) throws BadPath {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    throw new BadPath(400, "a malformed percent escape");
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new BadPath(400, "a malformed percent escape");
                }
                b.write(hi * 16 + lo);
                i += 2;
            } else {
                byte[] u = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
                    u = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                b.write(u, 0, u.length);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new BadPath(400, "a path that is not UTF-8");
        }
    }

    /**
     * The href of a virtual path: the prefix, each name percent-encoded, a trailing slash for a collection.
     *
     * @param prefix the route's prefix
     * @param virtual the virtual path
     * @param collection whether it is a collection
     * @return the href
     */
    static String href(String prefix, String virtual, boolean collection) {
        StringBuilder sb = new StringBuilder(prefix);
        if (virtual.equals("/")) {
            return sb.append('/').toString();
        }
        for (String seg : virtual.substring(1).split("/")) {
            sb.append('/');
            for (byte x : seg.getBytes(StandardCharsets.UTF_8)) {
                int c = x & 0xff;
                if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
                        || c == '.' || c == '_' || c == '~') {
                    sb.append((char) c);
                } else {
                    sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                            .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
                }
            }
        }
        if (collection) {
            sb.append('/');
        }
        return sb.toString();
    }

    /**
     * The virtual path a {@code Destination} header or an {@code If} resource tag names: an absolute URL on this
     * server (same host and port) or an absolute path, under the prefix.
     *
     * @param prefix the route's prefix
     * @param value the header's value
     * @param host the request's host
     * @param port the request's port
     * @return the virtual path
     * @throws BadPath 400 when malformed, 502 for another server, 403 for a path outside the prefix
     */
    static String target(String prefix, String value, String host, int port) throws BadPath {
        if (value == null || value.isBlank()) {
            throw new BadPath(400, "no destination");
        }
        URI u;
        try {
            u = new URI(value.strip());
        } catch (URISyntaxException e) {
            throw new BadPath(400, "a malformed URL");
        }
        if (u.getRawQuery() != null || u.getRawFragment() != null) {
            throw new BadPath(400, "a URL with a query or a fragment");
        }
        if (u.isAbsolute()) {
            String scheme = u.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new BadPath(502, "another scheme");
            }
            if (u.getHost() == null || !sameHost(u.getHost(), host)) {
                throw new BadPath(502, "another server");
            }
            int p = u.getPort() >= 0 ? u.getPort() : scheme.equals("https") ? 443 : 80;
            if (p != port) {
                throw new BadPath(502, "another server");
            }
        } else if (u.getRawAuthority() != null) {
            throw new BadPath(502, "another server");
        }
        String raw = u.getRawPath();
        if (raw == null || !raw.startsWith("/")) {
            throw new BadPath(400, "not an absolute path");
        }
        if (!(raw.equals(prefix) || raw.startsWith(prefix + "/"))) {
            throw new BadPath(403, "outside " + prefix + "/");
        }
        return virtual(prefix, raw);
    }

    private static boolean sameHost(String a, String b) {
        String x = a.startsWith("[") ? a.substring(1, a.length() - 1) : a;
        String y = b == null ? "" : b.startsWith("[") ? b.substring(1, b.length() - 1) : b;
        return x.equalsIgnoreCase(y);
    }

    /** @return whether {@code path} is {@code ancestor} or inside it */
    static boolean within(String path, String ancestor) {
        return ancestor.equals("/") || path.equals(ancestor) || path.startsWith(ancestor + "/");
    }

    /** @return the parent of a virtual path ({@code /} for the root) */
    static String parent(String virtual) {
        int slash = virtual.lastIndexOf('/');
        return slash <= 0 ? "/" : virtual.substring(0, slash);
    }

    /** @return the last name of a virtual path, empty for the root */
    static String name(String virtual) {
        return virtual.substring(virtual.lastIndexOf('/') + 1);
    }
}
