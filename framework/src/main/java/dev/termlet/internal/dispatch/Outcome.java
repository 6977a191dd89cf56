package dev.termlet.internal.dispatch;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** What the handlers of one event occurrence decided. */
public final class Outcome {
    /** The outcome when nothing listens. */
    static final Outcome NONE = new Outcome(false, null, null, List.of());

    private final boolean refused;
    private final String reason;
    private final Object result;
    private final List<HandlerFailure> failures;

    Outcome(boolean refused, String reason, Object result, List<HandlerFailure> failures) {
        this.refused = refused;
        this.reason = reason;
        this.result = result;
        this.failures = failures.isEmpty() ? List.of() : Collections.unmodifiableList(new ArrayList<>(failures));
    }

    /** @return whether a handler refused (returned false, threw a refusal, or failed on a refusable event) */
    public boolean refused() {
        return refused;
    }

    /** @return the refusal reason, or null */
    public String reason() {
        return reason;
    }

    /** @return the first decisive result a handler returned, or null */
    public Object result() {
        return result;
    }

    /** @return handlers that threw */
    public List<HandlerFailure> failures() {
        return failures;
    }

    /** A handler that threw. */
    public static final class HandlerFailure {
        private final String handler;
        private final Throwable error;

        HandlerFailure(String handler, Throwable error) {
            this.handler = handler;
            this.error = error;
        }

        /** @return {@code Class#method} of the handler */
        public String handler() {
            return handler;
        }

        /** @return what it threw */
        public Throwable error() {
            return error;
        }
    }
}
