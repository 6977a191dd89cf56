package dev.termlet;

/**
 * The entry point of Termlet.
 *
 * <pre>{@code
 * TermletServer server = Termlet.server()
 *         .port(2222)
 *         .scan("com.example")      // or .register(new Hello())
 *         .start();
 * }</pre>
 */
public final class Termlet {
    private Termlet() {}

    /**
     * Starts configuring a server.
     *
     * @return a builder with the defaults described on {@link TermletServer.Builder}
     */
    public static TermletServer.Builder server() {
        return new TermletServer.Builder();
    }
}
