package dev.termlet.internal.dispatch;

import dev.termlet.event.Outcome;
import dev.termlet.internal.metrics.ServerMetrics;
import dev.termlet.AuthResult;
import dev.termlet.RefusedException;
import dev.termlet.event.EventType;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs the handlers of an event occurrence in their order and sums up what they decided.
 *
 * <p>Refusable events stop at the first refusal ({@code false}, {@link RefusedException}, or a handler that
 * throws: refusable events fail closed). Events with results stop at the first decisive result
 * ({@link AuthResult#DEFER} is not decisive). Asynchronous handlers of post-events are handed to the given
 * executor. A handler that throws is logged with its {@code Class#method} and reported in the outcome.
 */
public final class Dispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

    /** The handlers and the meters, replaced as a whole (one read per occurrence). */
    private volatile Table table;

    Dispatcher(Map<EventType, HandlerMethod[]> handlers) {
        this.table = new Table(handlers, null);
    }

    /**
     * The handlers by event type, frozen: an open-addressed table (a power of two in size, at most half full) keyed
     * by the type, so that finding an event's handlers is a hash, a mask and an identity check; with the meters
     * and each event's timers, made on first use.
     */
    private static final class Table {
        final Map<EventType, HandlerMethod[]> map;
        final EventType[] keys;
        final HandlerMethod[][] lists;
        /**
         * By slot, the spun call of an event's only handler when that handler runs for every occurrence, on the
         * firing thread; else null. Such an event is fired through one array read and one interface call.
         */
        final Invokers.Call[] only;
        final int mask;
        /** Null when nothing is measured. */
        final ServerMetrics metrics;
        final Timer[] syncTimers;
        final Timer[] asyncTimers;

        Table(Map<EventType, HandlerMethod[]> handlers, ServerMetrics metrics) {
            this.map = Map.copyOf(handlers);
            int capacity = Integer.highestOneBit(Math.max(2, map.size()) * 2 - 1) << 1;
            this.keys = new EventType[capacity];
            this.lists = new HandlerMethod[capacity][];
            this.only = new Invokers.Call[capacity];
            this.mask = capacity - 1;
            this.metrics = metrics;
            this.syncTimers = metrics == null ? null : new Timer[capacity];
            this.asyncTimers = metrics == null ? null : new Timer[capacity];
            map.forEach((type, list) -> {
                int i = spread(type.hashCode()) & mask;
                while (keys[i] != null) {
                    i = (i + 1) & mask;
                }
                keys[i] = type;
                lists[i] = list;
                if (list.length == 1) {
                    only[i] = list[0].plainCall();
                }
            });
        }

        private static int spread(int h) {
            return h ^ (h >>> 16);
        }

        /** @return the slot of an event type, or -1 when it has no handlers */
        int slot(EventType type) {
            EventType[] k = keys;
            int i = spread(type.hashCode()) & mask;
            for (EventType e; (e = k[i]) != null; i = (i + 1) & mask) {
                if (e == type || e.equals(type)) {
                    return i;
                }
            }
            return -1;
        }

        /** @return the timer of a slot's synchronous or asynchronous runs (metrics are on) */
        Timer timer(int slot, boolean async) {
            Timer[] timers = async ? asyncTimers : syncTimers;
            Timer t = timers[slot];
            if (t == null) {
                t = metrics.handlerTimer(keys[slot].name(), async);
                timers[slot] = t;
            }
            return t;
        }
    }

    /**
     * Adds a listener after the event's handlers; for server extensions, while the server is built.
     *
     * @param type the event type
     * @param name a name for logs
     * @param async whether it runs on the connection's event executor instead of the firing thread
     * @param listener the listener
     */
    public synchronized void add(EventType type, String name, boolean async, dev.termlet.spi.EventListener listener) {
        MethodHandle invoker;
        try {
            invoker = MethodHandles.publicLookup().findVirtual(dev.termlet.spi.EventListener.class, "onEvent",
                    MethodType.methodType(Object.class, EventType.class, Object[].class)).bindTo(listener)
                    .bindTo(type).asType(MethodType.methodType(Object.class, Object[].class));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        int[] binders = new int[type.values().size()];
        for (int i = 0; i < binders.length; i++) {
            binders[i] = i;
        }
        HandlerMethod h = new HandlerMethod(type, name, Integer.MAX_VALUE, Long.MAX_VALUE, async, invoker, binders);
        Table t = table;
        Map<EventType, HandlerMethod[]> next = new HashMap<>(t.map);
        HandlerMethod[] old = next.getOrDefault(type, new HandlerMethod[0]);
        HandlerMethod[] list = Arrays.copyOf(old, old.length + 1);
        list[old.length] = h;
        next.put(type, list);
        table = new Table(next, t.metrics);
    }

    /**
     * Whether any handler listens to an event.
     *
     * @param type the event type
     * @return true if at least one does
     */
    public boolean has(EventType type) {
        return table.slot(type) >= 0;
    }

    /**
     * Fires an event.
     *
     * @param values the occurrence
     * @param async where asynchronous handlers run (ordered per connection); null runs them inline
     * @return what the synchronous handlers decided
     */
    public Outcome fire(EventValues values, Executor async) {
        Table t = table;
        int slot = t.slot(values.type);
        if (slot < 0) {
            return Outcome.NONE;
        }
        if (t.metrics == null) {
            Invokers.Call only = t.only[slot];
            return only != null ? runOnly(t, slot, only, values) : run(t, slot, values, async);
        }
        long start = System.nanoTime();
        try {
            return run(t, slot, values, async);
        } finally {
            t.timer(slot, false).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Measures the handlers' time from now on.
     *
     * @param m the server's meters
     */
    public synchronized void metrics(ServerMetrics m) {
        table = new Table(table.map, m.enabled() ? m : null);
    }

    /** {@link #run} for an event whose only handler is plain (see {@link Table#only}), with the same outcomes. */
    private static Outcome runOnly(Table table, int slot, Invokers.Call only, EventValues values) {
        Object r;
        try {
            r = only.invoke(values);
        } catch (Throwable t) {
            return onlyFailed(table.lists[slot][0], values.type, t);
        }
        if (r == null) {
            return Outcome.NONE;
        }
        Outcome decided = decide(table.lists[slot][0], values.type, r, null);
        return decided != null ? decided : Outcome.NONE;
    }

    private static Outcome onlyFailed(HandlerMethod h, EventType type, Throwable t) {
        if (type.refusable()) {
            return refusal(h, t, null);
        }
        return new Outcome(false, null, null, failed(null, h, t));
    }

    private static Outcome run(Table table, int slot, EventValues values, Executor async) {
        // Kept small so that the JIT inlines it into the firing code; the rare paths are methods of their own.
        List<Outcome.Failure> failures = null;
        for (HandlerMethod h : table.lists[slot]) {
            if (h.filter != null && !h.matches(values)) {
                continue;
            }
            if (h.async && async != null) {
                queue(table, slot, h, values, async);
                continue;
            }
            Object r;
            try {
                r = h.invoke(values);
            } catch (Throwable t) {
                if (values.type.refusable()) {
                    return refusal(h, t, failures);
                }
                failures = failed(failures, h, t);
                continue;
            }
            if (r != null) {
                Outcome decided = decide(h, values.type, r, failures);
                if (decided != null) {
                    return decided;
                }
            }
        }
        return failures == null ? Outcome.NONE : new Outcome(false, null, null, failures);
    }

    private static void queue(Table t, int slot, HandlerMethod h, EventValues values, Executor async) {
        Map<String, String> mdc = MDC.getCopyOfContextMap();
        try {
            async.execute(() -> runAsync(t, slot, h, values, mdc));
        } catch (RejectedExecutionException e) {
            LOG.warn("{}: asynchronous handler dropped, the event queue is full", h.name);
        }
    }

    private static Outcome refusal(HandlerMethod h, Throwable t, List<Outcome.Failure> failures) {
        if (t instanceof RefusedException) {
            RefusedException e = (RefusedException) t;
            LOG.info("{} refused '{}': {}", h.name, h.type.name(), e.reason());
            return new Outcome(true, e.reason(), null, orEmpty(failures));
        }
        return new Outcome(true, null, null, failed(failures, h, t));
    }

    /** What a handler's non-null result means: an outcome that ends the event, or null to go on. */
    private static Outcome decide(HandlerMethod h, EventType type, Object r, List<Outcome.Failure> failures) {
        if (type.refusable() && Boolean.FALSE.equals(r)) {
            LOG.debug("{} refused '{}'", h.name, type.name());
            return new Outcome(true, null, null, orEmpty(failures));
        }
        if (r == AuthResult.DEFER || (r instanceof Boolean && !type.results().contains(Boolean.class))) {
            return null;
        }
        return new Outcome(false, null, r, orEmpty(failures));
    }

    private static List<Outcome.Failure> failed(List<Outcome.Failure> failures, HandlerMethod h,
            Throwable t) {
        List<Outcome.Failure> list = failures == null ? new ArrayList<>(1) : failures;
        list.add(fail(h, t));
        return list;
    }

    private static List<Outcome.Failure> orEmpty(List<Outcome.Failure> failures) {
        return failures == null ? List.of() : failures;
    }

    private static void runAsync(Table table, int slot, HandlerMethod h, EventValues values, Map<String, String> mdc) {
        Map<String, String> previous = MDC.getCopyOfContextMap();
        if (mdc != null) {
            MDC.setContextMap(mdc);
        }
        boolean timed = table.metrics != null;
        long start = timed ? System.nanoTime() : 0;
        try {
            h.invoke(values);
        } catch (Throwable t) {
            fail(h, t);
        } finally {
            if (timed) {
                table.timer(slot, true).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            }
            if (previous != null) {
                MDC.setContextMap(previous);
            } else {
                MDC.clear();
            }
        }
    }

    private static Outcome.Failure fail(HandlerMethod h, Throwable t) {
        LOG.warn("handler {} of '{}' threw {}", h.name, h.type.name(), t.toString(), t);
        return new Outcome.Failure(h.name, t);
    }
}
