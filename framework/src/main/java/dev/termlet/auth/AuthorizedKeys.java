package dev.termlet.auth;

import java.io.IOException;
import java.io.StringReader;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads OpenSSH {@code authorized_keys} lines (options prefix and comments allowed) into public keys. */
public final class AuthorizedKeys {
    private static final Logger LOG = LoggerFactory.getLogger(AuthorizedKeys.class);

    private AuthorizedKeys() {}

    /**
     * Parses one line.
     *
     * @param line an {@code authorized_keys} line
     * @return its key
     * @throws IllegalArgumentException if the line holds no valid key
     */
    public static PublicKey parseLine(String line) {
        if (line == null || line.isBlank() || line.trim().startsWith("#")) {
            throw new IllegalArgumentException("not an authorized_keys line: it is empty or a comment");
        }
        try {
            List<AuthorizedKeyEntry> entries = AuthorizedKeyEntry.readAuthorizedKeys(new StringReader(line), true);
            if (entries.size() != 1) {
                throw new IllegalArgumentException("an authorized_keys line must hold exactly one key");
            }
            PublicKey key = entries.get(0).resolvePublicKey(null, PublicKeyEntryResolver.FAILING);
            if (key == null) {
                throw new IllegalArgumentException("unsupported key type in authorized_keys line");
            }
            return key;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            if (e instanceof IllegalArgumentException && e.getMessage() != null
                    && e.getMessage().startsWith("an authorized_keys")) {
                throw (IllegalArgumentException) e;
            }
            throw new IllegalArgumentException("malformed authorized_keys line: " + e.getMessage(), e);
        }
    }

    /**
     * Parses many lines, skipping blank lines, comments and (with a log line, without key material) lines
     * that do not parse.
     *
     * @param lines the lines
     * @return the keys
     */
    public static List<PublicKey> parse(Collection<String> lines) {
        List<PublicKey> keys = new ArrayList<>();
        int n = 0;
        for (String line : lines) {
            n++;
            if (line == null || line.isBlank() || line.trim().startsWith("#")) {
                continue;
            }
            try {
                keys.add(parseLine(line));
            } catch (IllegalArgumentException e) {
                LOG.warn("authorized key {} skipped: {}", n, e.getMessage());
            }
        }
        return keys;
    }

    /**
     * Whether a key is among the lines.
     *
     * @param lines the lines
     * @param key the key offered
     * @return true if one line holds the same key
     */
    public static boolean matches(Collection<String> lines, PublicKey key) {
        for (PublicKey k : parse(lines)) {
            if (KeyUtils.compareKeys(k, key)) {
                return true;
            }
        }
        return false;
    }
}
