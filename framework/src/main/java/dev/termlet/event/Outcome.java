package dev.termlet.event;

import java.util.List;

/**
 * What the synchronous handlers of one event occurrence decided: the one result type of firing an event, for the
 * framework and for extensions ({@link dev.termlet.spi.ExtensionContext#fire}).
 *
 * @param refused whether a handler refused (returned false, threw a refusal, or failed on a refusable event)
 * @param reason the refusal reason, or null
 * @param result the first decisive result a handler returned, or null
 * @param failures the handlers that threw, in the order they ran
 */
public record Outcome(boolean refused, String reason, Object result, List<Failure> failures) {
    /** The outcome when nothing listens or every handler let the event pass. */
    public static final Outcome NONE = new Outcome(false, null, null, List.of());

    /**
     * Copies the failures, so the outcome cannot change afterwards.
     *
     * @param refused whether a handler refused
     * @param reason the refusal reason, or null
     * @param result the first decisive result, or null
     * @param failures the handlers that threw
     */
    public Outcome {
        failures = List.copyOf(failures);
    }

    /**
     * A handler that threw.
     *
     * @param handler {@code Class#method} of the handler
     * @param error what it threw
     */
    public record Failure(String handler, Throwable error) {}
}
