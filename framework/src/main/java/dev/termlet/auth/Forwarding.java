package dev.termlet.auth;

import java.util.Locale;

/**
 * A kind of SSH TCP forwarding an account may use; none is allowed unless the account lists it
 * ({@code "forwarding": ["local", "remote"]} in {@code users.json}).
 */
public enum Forwarding {
    /** {@code ssh -L}: the client asks the server to connect to a host and port ({@code direct-tcpip}). */
    LOCAL,
    /** {@code ssh -R}: the client asks the server to listen on a port for it ({@code tcpip-forward}). */
    REMOTE;

    /** @return the name in {@code users.json}: {@code local} or {@code remote} */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Reads a name from {@code users.json}.
     *
     * @param name {@code local} or {@code remote}, in any case
     * @return the kind
     * @throws IllegalArgumentException for any other name
     */
    public static Forwarding parse(String name) {
        for (Forwarding f : values()) {
            if (f.wireName().equalsIgnoreCase(name.trim())) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown forwarding '" + name + "': use \"local\" or \"remote\"");
    }
}
