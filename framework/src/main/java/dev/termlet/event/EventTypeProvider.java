package dev.termlet.event;

import java.util.List;

/**
 * A module's contribution to the event registry, found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/dev.termlet.event.EventTypeProvider}).
 */
public interface EventTypeProvider {

    /** @return the event types this module defines */
    List<EventType> eventTypes();
}
