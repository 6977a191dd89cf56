package dev.termlet.config;

import java.util.Arrays;
import java.util.Objects;

/**
 * A password or other secret from the configuration, with where it came from; {@link #toString()} never shows it. In
 * {@code termlet.yaml} it is best given as {@code ${env:NAME}} or {@code ${file:/path}}; a secret written in the file
 * itself is accepted with a warning.
 */
public final class Secret {
    private final char[] value;
    private final String source;

    /**
     * @param value the secret
     * @param source where it came from, for example {@code environment variable FTP_KEYSTORE_PASSWORD}
     */
    public Secret(char[] value, String source) {
        this.value = value.clone();
        this.source = Objects.requireNonNull(source, "source");
    }

    /** @return a copy of the secret; wipe it when done */
    public char[] reveal() {
        return value.clone();
    }

    /** @return where the secret came from, never the secret */
    public String source() {
        return source;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret && Arrays.equals(((Secret) o).value, value);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(value);
    }

    /** @return {@code ****} and the source */
    @Override
    public String toString() {
        return "**** (from " + source + ")";
    }
}
