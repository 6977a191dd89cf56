package dev.termlet.protector;

/**
 * A mark against a client address, as {@code protector-strike} handlers see it.
 *
 * @param address the client's IP address
 * @param kind what the client did
 * @param points the points this strike added
 * @param score the address's score within the observation window, this strike included
 * @param user the user name involved, or null
 */
public record Strike(String address, Kind kind, int points, int score, String user) {

    /** What earns a strike. */
    public enum Kind {
        /** A wrong password, key or answer for a known user. */
        FAILED_LOGIN,
        /** A login attempt for a user the server does not know. */
        UNKNOWN_USER,
        /** A connection that closed or timed out without ever authenticating (idle TCP probes included). */
        NO_AUTH,
        /** Bytes that are not SSH, or a protocol error. */
        PROTOCOL,
        /** A command line nothing took (only when its score is above 0). */
        UNKNOWN_COMMAND
    }
}
