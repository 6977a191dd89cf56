package dev.termlet.fileops.internal.hooks;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a hook goes: an external program or an HTTP URL, as SFTPGo's {@code hook} setting allows.
 *
 * @param program the program, or null
 * @param url the URL, or null
 * @param provider whether account changes go to it in SFTPGo's current data-provider form
 *     ({@code SFTPGO_PROVIDER_*}) rather than the older user-action form ({@code SFTPGO_USER_ACTION})
 */
public record HookTarget(Path program, URI url, boolean provider) {
    private static final String PROVIDER = "provider:";

    public HookTarget {
        if ((program == null) == (url == null)) {
            throw new IllegalArgumentException("a hook is a program or a URL");
        }
    }

    HookTarget(Path program, URI url) {
        this(program, url, false);
    }

    /** @return the same hook, given account changes in SFTPGo's data-provider form */
    public HookTarget asProvider() {
        return new HookTarget(program, url, true);
    }

    /**
     * A program hook.
     *
     * @param program the absolute path of the program
     * @return the target
     * @throws IllegalArgumentException if the path is not absolute
     */
    public static HookTarget program(Path program) {
        Objects.requireNonNull(program, "program");
        if (!program.isAbsolute()) {
            throw new IllegalArgumentException("a hook program needs an absolute path, not '" + program + "'");
        }
        return new HookTarget(program.normalize(), null);
    }

    /**
     * An HTTP hook.
     *
     * @param url an http or https URL
     * @return the target
     * @throws IllegalArgumentException for another scheme
     */
    public static HookTarget http(URI url) {
        Objects.requireNonNull(url, "url");
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
            throw new IllegalArgumentException("a hook URL must be http:// or https:// with a host, not '" + url + "'");
        }
        return new HookTarget(null, url);
    }

    boolean isProgram() {
        return program != null;
    }

    /**
     * A stable name, kept in outbox files to find the configured hook again after a restart: {@code program:PATH}
     * for a program; for a URL, {@code http:} with the scheme, host and port and a SHA-256 of the whole URL, so
     * that a token in its user info, path or query is never written to disk; {@code provider:} before either for
     * the data-provider form.
     *
     * @return the name
     */
    public String id() {
        return provider ? PROVIDER + baseId() : baseId();
    }

    private String baseId() {
        if (isProgram()) {
            return "program:" + program;
        }
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(url.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "http:" + url.getScheme() + "://" + url.getHost() + (url.getPort() >= 0 ? ":" + url.getPort() : "")
                    + " sha256:" + java.util.HexFormat.of().formatHex(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JDK", e);
        }
    }

    /** @return the target for logs: the program, or the URL without user info and query */
    public String describe() {
        if (isProgram()) {
            return program.toString();
        }
        // the path is not shown: webhooks (Slack, Teams, Discord) carry their token in it; a short digest tells
        // two hooks of one host apart
        String path = url.getRawPath() == null ? "" : url.getRawPath();
        return url.getScheme() + "://" + url.getHost() + (url.getPort() >= 0 ? ":" + url.getPort() : "")
                + (path.isEmpty() || path.equals("/") ? path : "/... (path " + shortDigest(path) + ")");
    }

    private static String shortDigest(String s) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(d, 0, 4);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final java.util.regex.Pattern HTTP_ID =
            java.util.regex.Pattern.compile("http:[a-z]+://[^/?#@\\s]+ sha256:[0-9a-f]{64}");

    /**
     * A hook id as it may be logged.
     *
     * @param id a {@link #id()}, or text that claims to be one
     * @return the id; for a URL hook, only in the form {@link #id()} writes (which holds no secret)
     */
    static String describeId(String id) {
        String base = id != null && id.startsWith(PROVIDER) ? id.substring(PROVIDER.length()) : id;
        if (base != null && base.startsWith("http:") && !HTTP_ID.matcher(base).matches()) {
            return "(an unrecognised URL hook)";
        }
        return String.valueOf(id);
    }
}
