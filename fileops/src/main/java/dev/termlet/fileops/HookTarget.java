package dev.termlet.fileops;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/** Where a hook goes: an external program or an HTTP URL, as SFTPGo's {@code hook} setting allows. */
record HookTarget(Path program, URI url) {

    HookTarget {
        if ((program == null) == (url == null)) {
            throw new IllegalArgumentException("a hook is a program or a URL");
        }
    }

    /**
     * A program hook.
     *
     * @param program the absolute path of the program
     * @return the target
     * @throws IllegalArgumentException if the path is not absolute
     */
    static HookTarget program(Path program) {
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
    static HookTarget http(URI url) {
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

    /** @return a stable name, kept in outbox files to find the hook again after a restart */
    String id() {
        return isProgram() ? "program:" + program : "http:" + url;
    }

    /** @return the target for logs: the program, or the URL without user info and query */
    String describe() {
        if (isProgram()) {
            return program.toString();
        }
        return url.getScheme() + "://" + url.getHost() + (url.getPort() >= 0 ? ":" + url.getPort() : "")
                + (url.getRawPath() == null ? "" : url.getRawPath());
    }

    /**
     * A hook id as it may be logged: for a URL, without user info and query (they may hold tokens).
     *
     * @param id a {@link #id()}
     * @return the text for logs
     */
    static String describeId(String id) {
        if (id != null && id.startsWith("http:")) {
            try {
                return http(URI.create(id.substring(5))).describe();
            } catch (IllegalArgumentException e) {
                return "(an unreadable URL)";
            }
        }
        return String.valueOf(id);
    }
}
