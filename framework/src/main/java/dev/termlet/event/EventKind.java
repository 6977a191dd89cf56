package dev.termlet.event;

/** When an event's handlers run relative to the operation that raised it. */
public enum EventKind {
    /** Before an operation, synchronously; a handler can refuse the operation. */
    PRE,
    /** In a session's own flow, on the session's thread, in order with the session's other events. */
    SESSION,
    /** After an operation, asynchronously by default (ordered per connection); a handler can ask to run synchronously. */
    POST
}
