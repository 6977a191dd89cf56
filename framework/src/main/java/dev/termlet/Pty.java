package dev.termlet;

import java.util.Map;

/**
 * What the client asked for in its pseudo-terminal request.
 *
 * @param term the terminal type ({@code TERM}), sanitised
 * @param size the initial size
 * @param modes the terminal modes by RFC 4254 name ({@code ECHO}, {@code VINTR}, ...)
 */
public record Pty(String term, WindowSize size, Map<String, Integer> modes) {

    /**
     * Creates a pty description; the modes map is copied.
     *
     * @param term terminal type
     * @param size initial size
     * @param modes terminal modes
     */
    public Pty {
        modes = Map.copyOf(modes);
    }
}
