package dev.termlet.internal.dispatch;

import dev.termlet.event.EventType;
import java.lang.invoke.MethodHandle;
import java.util.Map;

/** One validated handler of one event, compiled once to a method handle. */
final class HandlerMethod {
    /** Binder code: the event's data map. */
    static final int MAP = -1;
    /** Binder code: the event type (for one method handling several events). */
    static final int TYPE = -10;

    final EventType type;
    final String name;
    final int order;
    final long sequence;
    final boolean async;
    private final MethodHandle invoker;
    private final int[] binders;

    HandlerMethod(EventType type, String name, int order, long sequence, boolean async, MethodHandle invoker,
            int[] binders) {
        this.type = type;
        this.name = name;
        this.order = order;
        this.sequence = sequence;
        this.async = async;
        this.invoker = invoker;
        this.binders = binders;
    }

    Object invoke(EventValues values) throws Throwable {
        Object[] args = new Object[binders.length];
        for (int i = 0; i < binders.length; i++) {
            int b = binders[i];
            if (b == MAP) {
                Map<String, Object> map = values.map();
                args[i] = map;
            } else if (b == TYPE) {
                args[i] = values.type;
            } else {
                args[i] = values.values[b];
            }
        }
        return (Object) invoker.invokeExact(args);
    }

    @Override
    public String toString() {
        return name;
    }
}
