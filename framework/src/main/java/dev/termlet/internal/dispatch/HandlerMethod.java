package dev.termlet.internal.dispatch;

import dev.termlet.event.EventType;
import java.lang.invoke.MethodHandle;
import java.util.Map;

/**
 * One validated handler of one event, compiled once. Handlers with up to four parameters are called through a
 * small class spun for them ({@link Invokers}), which the JIT can inline like a direct call; others through a
 * spreading method handle.
 */
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
    /** For a handler registered under a narrowing alias: the occurrences it runs for; else null. */
    final java.util.function.Predicate<Object[]> filter;
    private final MethodHandle invoker;
    private final int[] binders;
    private final Invokers.Call call;

    HandlerMethod(EventType type, String name, int order, long sequence, boolean async, MethodHandle invoker,
            int[] binders) {
        this(type, name, order, sequence, async, invoker, binders, null);
    }

    HandlerMethod(EventType type, String name, int order, long sequence, boolean async, MethodHandle invoker,
            int[] binders, Invokers.Call call) {
        this(type, name, order, sequence, async, invoker, binders, call, null);
    }

    HandlerMethod(EventType type, String name, int order, long sequence, boolean async, MethodHandle invoker,
            int[] binders, Invokers.Call call, java.util.function.Predicate<Object[]> filter) {
        this.type = type;
        this.filter = filter;
        this.name = name;
        this.order = order;
        this.sequence = sequence;
        this.async = async;
        this.invoker = invoker;
        this.binders = binders;
        this.call = call;
    }

    /**
     * The value a parameter binds to.
     *
     * @param values the occurrence
     * @param binder an index into the values, {@link #MAP} or {@link #TYPE}
     * @return the argument
     */
    static Object arg(EventValues values, int binder) {
        if (binder >= 0) {
            return values.get(binder);
        }
        return binder == MAP ? values.map() : values.type;
    }

    /** @return whether this handler runs for the occurrence (always, unless it came from a narrowing alias) */
    boolean matches(EventValues v) {
        return filter == null || filter.test(v.array());
    }

    Object invoke(EventValues v) throws Throwable {
        if (call != null) {
            return call.invoke(v);
        }
        Object[] args = new Object[binders.length];
        for (int i = 0; i < binders.length; i++) {
            args[i] = arg(v, binders[i]);
        }
        return (Object) invoker.invokeExact(args);
    }

    /**
     * @return the spun call when this handler runs for every occurrence on the firing thread (no narrowing filter,
     *     not asynchronous); else null
     */
    Invokers.Call plainCall() {
        return filter == null && !async ? call : null;
    }

    /** @return whether this handler is called through a spun class rather than a method handle */
    boolean spun() {
        return call != null;
    }

    @Override
    public String toString() {
        return name;
    }
}
