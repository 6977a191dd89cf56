package dev.termlet.auth;

import java.util.Locale;

/** The SSH authentication methods Termlet serves ({@code none} is never offered). */
public enum AuthMethod {
    /** {@code password}. */
    PASSWORD("password"),
    /** {@code publickey}. */
    PUBLICKEY("publickey"),
    /** {@code keyboard-interactive}. */
    KEYBOARD_INTERACTIVE("keyboard-interactive");

    private final String wireName;

    AuthMethod(String wireName) {
        this.wireName = wireName;
    }

    /** @return the method's name in the SSH protocol */
    public String wireName() {
        return wireName;
    }

    /**
     * Reads a method name: {@code password}, {@code publickey} ({@code public-key}, {@code key}),
     * {@code keyboard-interactive} ({@code interactive}), ignoring case.
     *
     * @param name the name
     * @return the method
     * @throws IllegalArgumentException for any other name (or null); the message lists the valid ones
     */
    public static AuthMethod parse(String name) {
        switch (name == null ? "" : name.trim().toLowerCase(Locale.ROOT)) {
            case "password":
                return PASSWORD;
            case "publickey":
            case "public-key":
            case "key":
                return PUBLICKEY;
            case "keyboard-interactive":
            case "interactive":
                return KEYBOARD_INTERACTIVE;
            default:
                throw new IllegalArgumentException("unknown auth method '" + name
                        + "'; use password, publickey or keyboard-interactive");
        }
    }
}
