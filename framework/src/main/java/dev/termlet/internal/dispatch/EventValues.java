package dev.termlet.internal.dispatch;

import dev.termlet.event.EventType;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The values of one event occurrence, aligned with {@link EventType#values()}, plus its data map.
 *
 * <p>The first four values are held in fields, so that an occurrence built with one of the fixed-arity factories
 * and dispatched to handlers the JIT inlines needs no array and, once escape analysis has removed this object,
 * no allocation at all. An array of the values is made only when something asks for one (a narrowing alias's
 * filter, an extension's listener) or when there are more than four.
 */
public final class EventValues {
    /** The most values held in fields. */
    private static final int FIELDS = 4;

    final EventType type;
    private final int size;
    private final Object v0;
    private final Object v1;
    private final Object v2;
    private final Object v3;
    /** Every value: the caller's array, one made on demand, or (above four values) the only place of the rest. */
    private Object[] array;
    private final Supplier<Map<String, Object>> mapSupplier;
    private Map<String, Object> map;

    private EventValues(EventType type, int size, Object v0, Object v1, Object v2, Object v3, Object[] array,
            Supplier<Map<String, Object>> mapSupplier) {
        if (size != type.arity()) {
            throw new IllegalArgumentException("event " + type + " takes " + type.arity() + " values, got " + size);
        }
        this.type = type;
        this.size = size;
        this.v0 = v0;
        this.v1 = v1;
        this.v2 = v2;
        this.v3 = v3;
        this.array = array;
        this.mapSupplier = mapSupplier;
    }

    private static EventValues ofArray(EventType type, Supplier<Map<String, Object>> map, Object[] values) {
        int n = values.length;
        return new EventValues(type, n, n > 0 ? values[0] : null, n > 1 ? values[1] : null,
                n > 2 ? values[2] : null, n > 3 ? values[3] : null, values, map);
    }

    /**
     * Values for an event without a data map.
     *
     * @param type the event type
     * @param values the values, in the type's order
     * @return the values
     */
    public static EventValues of(EventType type, Object... values) {
        return ofArray(type, null, values);
    }

    /**
     * Values for an event without values or data map.
     *
     * @param type the event type
     * @return the values
     */
    public static EventValues of(EventType type) {
        return new EventValues(type, 0, null, null, null, null, null, null);
    }

    /**
     * Values for an event of one value without a data map; no array is made.
     *
     * @param type the event type
     * @param a the value
     * @return the values
     */
    public static EventValues of(EventType type, Object a) {
        return new EventValues(type, 1, a, null, null, null, null, null);
    }

    /**
     * Values for an event of two values without a data map; no array is made.
     *
     * @param type the event type
     * @param a the first value
     * @param b the second value
     * @return the values
     */
    public static EventValues of(EventType type, Object a, Object b) {
        return new EventValues(type, 2, a, b, null, null, null, null);
    }

    /**
     * Values for an event of three values without a data map; no array is made.
     *
     * @param type the event type
     * @param a the first value
     * @param b the second value
     * @param c the third value
     * @return the values
     */
    public static EventValues of(EventType type, Object a, Object b, Object c) {
        return new EventValues(type, 3, a, b, c, null, null, null);
    }

    /**
     * Values for an event of four values without a data map; no array is made.
     *
     * @param type the event type
     * @param a the first value
     * @param b the second value
     * @param c the third value
     * @param d the fourth value
     * @return the values
     */
    public static EventValues of(EventType type, Object a, Object b, Object c, Object d) {
        return new EventValues(type, 4, a, b, c, d, null, null);
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
        return ofArray(type, map, values);
    }

    /** @return the event type */
    public EventType type() {
        return type;
    }

    /**
     * One value.
     *
     * @param i its index in the type's values
     * @return the value
     */
    Object get(int i) {
        switch (i) {
            case 0: return v0;
            case 1: return v1;
            case 2: return v2;
            case 3: return v3;
            default: return array[i];
        }
    }

    /** @return every value as an array (made on the first call when the occurrence was built without one) */
    Object[] array() {
        Object[] a = array;
        if (a == null) {
            a = new Object[size];
            for (int i = 0; i < Math.min(size, FIELDS); i++) {
                a[i] = get(i);
            }
            array = a;
        }
        return a;
    }

    Map<String, Object> map() {
        if (map == null && mapSupplier != null) {
            map = mapSupplier.get();
        }
        return map;
    }
}
