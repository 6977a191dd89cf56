package dev.termlet.spi;

import dev.termlet.event.EventType;

/**
 * Code that a server extension attaches to an event with {@link ExtensionContext#on}: it runs after the
 * application's handlers and answers as a handler would.
 */
@FunctionalInterface
public interface EventListener {

    /**
     * Handles one occurrence.
     *
     * @param type the event type
     * @param values the values, in the type's order
     * @return what a handler would return: {@code false} refuses a refusable event, an {@code AuthResult}
     *     decides an auth event, null decides nothing
     * @throws Exception a failure: logged, and a refusal for refusable events (they fail closed)
     */
    Object onEvent(EventType type, Object[] values) throws Exception;
}
