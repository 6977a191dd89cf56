package dev.termlet.internal.ssh;

import dev.termlet.event.Events;
import dev.termlet.event.Outcome;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The server's SSH identification, as {@code software-id} handlers may change it for one connection. */
final class SoftwareId {
    private static final Logger LOG = LoggerFactory.getLogger(SoftwareId.class);
    private static final String PREFIX = "SSH-2.0-";

    private SoftwareId() {}

    /**
     * The identification line to send (without CR LF).
     *
     * @param runtime the server
     * @param c the connection
     * @param standard the line MINA would send ({@code SSH-2.0-Termlet})
     * @return the line a handler chose, or the standard one
     */
    static String resolve(ServerRuntime runtime, Connection c, String standard) {
        if (c == null || !runtime.dispatcher().has(Events.SOFTWARE_ID)) {
            return standard;
        }
        String version = standard.startsWith(PREFIX) ? standard.substring(PREFIX.length()) : standard;
        InetSocketAddress inet = c.remote() instanceof InetSocketAddress ? (InetSocketAddress) c.remote() : null;
        Outcome o;
        try {
            o = runtime.fireBeforeSession(c, Events.SOFTWARE_ID, inet, version);
        } catch (IOException e) {
            LOG.warn("software-id: {}; sending the standard identification", e.getMessage());
            return standard;
        }
        if (!(o.result() instanceof String)) {
            return standard;
        }
        String chosen = (String) o.result();
        if (chosen.startsWith(PREFIX)) {
            chosen = chosen.substring(PREFIX.length());
        }
        if (!valid(chosen)) {
            LOG.warn("software-id handler returned an invalid software version; sending the standard identification");
            return standard;
        }
        return PREFIX + chosen;
    }

    /**
     * RFC 4253 section 4.2: printable US-ASCII, the software version without spaces or '-', optional comments after
     * one space, the whole line at most 255 characters with CR LF.
     */
    static boolean valid(String version) {
        if (version.isEmpty() || PREFIX.length() + version.length() > 253) {
            return false;
        }
        int space = version.indexOf(' ');
        String word = space < 0 ? version : version.substring(0, space);
        if (word.isEmpty() || word.indexOf('-') >= 0) {
            return false;
        }
        for (int i = 0; i < version.length(); i++) {
            char ch = version.charAt(i);
            if (ch < 0x20 || ch > 0x7e || (ch == ' ' && i < word.length())) {
                return false;
            }
        }
        return true;
    }
}
