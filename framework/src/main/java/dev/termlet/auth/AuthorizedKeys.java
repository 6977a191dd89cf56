package dev.termlet.auth;

import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads OpenSSH {@code authorized_keys} text into public keys with MINA SSHD's parser: one key per line,
 * {@code [options] keytype base64-key [comment]}, with blank lines and {@code #} comments allowed. Options
 * such as {@code from="..."} are accepted but not enforced. Error and log messages never repeat key data.
 */
public final class AuthorizedKeys {
    private static final Logger LOG = LoggerFactory.getLogger(AuthorizedKeys.class);
    private static final Pattern LINE_BREAK = Pattern.compile("\r\n|\r|\n");
    private static final Pattern SAFE_TYPE = Pattern.compile("[A-Za-z0-9@._+-]{1,64}");
    private static final String FORMAT = "expected [options] key-type base64-key [comment]";

    private AuthorizedKeys() {}

    /**
     * Parses one key line.
     *
     * @param line an {@code authorized_keys} line
     * @return its key
     * @throws IllegalArgumentException if the line is blank, a comment, holds more than one line, or does not
     *     hold a valid key of a supported type; the message says why without repeating the key
     */
    public static PublicKey parseLine(String line) {
        if (line == null || line.isBlank()) {
            throw new IllegalArgumentException("authorized_keys line is empty");
        }
        String trimmed = line.strip();
        if (trimmed.startsWith("#")) {
            throw new IllegalArgumentException("authorized_keys line is a comment, not a key");
        }
        if (LINE_BREAK.matcher(trimmed).find()) {
            throw new IllegalArgumentException("authorized_keys entry spans several lines; give one key per line");
        }
        AuthorizedKeyEntry entry;
        try {
            entry = AuthorizedKeyEntry.parseAuthorizedKeyEntry(trimmed);
        } catch (RuntimeException e) { // MINA's messages repeat the line: do not pass them on
            throw new IllegalArgumentException("malformed authorized_keys line (" + FORMAT + ")");
        }
        if (entry == null) {
            throw new IllegalArgumentException("malformed authorized_keys line (" + FORMAT + ")");
        }
        String type = describeType(entry.getKeyType());
        PublicKey key;
        try {
            key = entry.resolvePublicKey(null, Map.of(), PublicKeyEntryResolver.FAILING);
        } catch (Exception e) {
            if (KeyUtils.getPublicKeyEntryDecoder(entry.getKeyType()) == null) {
                throw new IllegalArgumentException("unsupported key type " + type + " in authorized_keys line");
            }
            throw new IllegalArgumentException("corrupt " + type + " key data in authorized_keys line");
        }
        if (key == null) {
            throw new IllegalArgumentException("unsupported key type " + type + " in authorized_keys line");
        }
        return key;
    }

    /**
     * Parses {@code authorized_keys} text. Each element may be one line or a whole file's text; blank lines
     * and comments are skipped, and lines that do not parse are skipped with a warning that names the line
     * number and the reason but no key material.
     *
     * @param lines the lines or texts; null elements are skipped
     * @return the keys, in order
     */
    public static List<PublicKey> parse(Collection<String> lines) {
        List<PublicKey> keys = new ArrayList<>();
        int n = 0;
        for (String text : lines) {
            if (text == null) {
                n++;
                continue;
            }
            for (String line : LINE_BREAK.split(text, -1)) {
                n++;
                if (line.isBlank() || line.strip().startsWith("#")) {
                    continue;
                }
                try {
                    keys.add(parseLine(line));
                } catch (IllegalArgumentException e) {
                    LOG.warn("authorized key on line {} skipped: {}", n, e.getMessage());
                }
            }
        }
        return keys;
    }

    /**
     * Whether a key is among the lines.
     *
     * @param lines {@code authorized_keys} lines, as for {@link #parse}
     * @param key the key offered
     * @return true if one line holds the same key (compared with {@link KeyUtils#compareKeys})
     */
    public static boolean matches(Collection<String> lines, PublicKey key) {
        return key != null && matchesAny(parse(lines), key);
    }

    /**
     * Whether a key is among parsed keys.
     *
     * @param keys the keys, as {@link #parse} returns them
     * @param key the key offered
     * @return true if one of them is the same key (compared with {@link KeyUtils#compareKeys})
     */
    static boolean matchesAny(List<PublicKey> keys, PublicKey key) {
        if (key == null) {
            return false;
        }
        for (PublicKey k : keys) {
            if (KeyUtils.compareKeys(k, key)) {
                return true;
            }
        }
        return false;
    }

    private static String describeType(String type) {
        return type != null && SAFE_TYPE.matcher(type).matches() ? "'" + type + "'" : "(unreadable type)";
    }
}
