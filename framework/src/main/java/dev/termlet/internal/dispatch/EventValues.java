package dev.termlet.internal.dispatch;

import dev.termlet.event.EventType;
import java.util.Map;
import java.util.function.Supplier;

/** The values of one event occurrence, aligned with {@link EventType#values()}, plus its data map. */
public final class EventValues {
    final EventType type;
    final Object[] values;
    private final Supplier<Map<String, Object>> mapSupplier;
    private Map<String, Object> map;

    private EventValues(EventType type, Object[] values, Supplier<Map<String, Object>> mapSupplier) {
        if (values.length != type.values().size()) {
            throw new IllegalArgumentException("event " + type + " takes " + type.values().size() + " values, got "
                    + values.length);
        }
        this.type = type;
        this.values = values;
        this.mapSupplier = mapSupplier;
    }

    /**
     * Values for an event without a data map.
     *
     * @param type the event type
     * @param values the values, in the type's order
     * @return the values
     */
    public static EventValues of(EventType type, Object... values) {
        return new EventValues(type, values, null);
    }

    /**
     * Values for an event with a data map, built only if a handler asks for it.
     *
     * @param type the event type
     * @param map makes the PyserSSH-style map
     * @param values the values, in the type's order
     * @return the values
     */
    public static EventValues withMap(EventType type, Supplier<Map<String, Object>> map, Object... values) {
        return new EventValues(type, values, map);
    }

    /** @return the event type */
    public EventType type() {
        return type;
    }

    Map<String, Object> map() {
        if (map == null && mapSupplier != null) {
            map = mapSupplier.get();
        }
        return map;
    }
}
