package dev.termlet.config;

/**
 * One thing wrong with a configuration.
 *
 * @param key the key ({@code limits.max-sessions}, {@code listeners[1].port}); empty for the whole file
 * @param where where the value was written: {@code termlet.yaml:12:5}, {@code environment variable TERMLET_PORT},
 *     {@code system property termlet.port}
 * @param message what is wrong
 * @param fix how to fix it
 */
public record ConfigProblem(String key, String where, String message, String fix) {
    /** @return one line: the key, where, what is wrong and the fix */
    @Override
    public String toString() {
        return (key.isEmpty() ? "" : key + " ") + "(" + where + "): " + message + ". Fix: " + fix;
    }
}
