package dev.termlet.annotations;

/** How a handler is delivered relative to the flow that raised its event. */
public enum Delivery {
    /** Whatever the event type declares (synchronous for pre-events and session events). */
    DEFAULT,
    /** In the event's own flow: the operation waits for the handler. */
    SYNC,
    /** On the session's ordered executor, after the operation; only for post-events. */
    ASYNC
}
