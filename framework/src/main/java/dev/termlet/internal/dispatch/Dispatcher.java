package dev.termlet.internal.dispatch;

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

    private volatile Map<EventType, HandlerMethod[]> handlers;

    Dispatcher(Map<EventType, HandlerMethod[]> handlers) {
        this.handlers = Map.copyOf(handlers);
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
        Map<EventType, HandlerMethod[]> next = new HashMap<>(handlers);
        HandlerMethod[] old = next.getOrDefault(type, new HandlerMethod[0]);
        HandlerMethod[] list = Arrays.copyOf(old, old.length + 1);
        list[old.length] = h;
        next.put(type, list);
        handlers = Map.copyOf(next);
    }

    /**
     * Whether any handler listens to an event.
     *
     * @param type the event type
     * @return true if at least one does
     */
    public boolean has(EventType type) {
        return handlers.containsKey(type);
    }

    /**
     * Fires an event.
     *
     * @param values the occurrence
     * @param async where asynchronous handlers run (ordered per connection); null runs them inline
     * @return what the synchronous handlers decided
     */
    public Outcome fire(EventValues values, Executor async) {
        HandlerMethod[] list = handlers.get(values.type);
        if (list == null) {
            return Outcome.NONE;
        }
        EventType type = values.type;
        List<Outcome.HandlerFailure> failures = new ArrayList<>(0);
        for (HandlerMethod h : list) {
            if (h.async && async != null) {
                Map<String, String> mdc = MDC.getCopyOfContextMap();
                try {
                    async.execute(() -> runAsync(h, values, mdc));
                } catch (RejectedExecutionException e) {
                    LOG.warn("{}: asynchronous handler dropped, the event queue is full", h.name);
                }
                continue;
            }
            Object r;
            try {
                r = h.invoke(values);
            } catch (RefusedException e) {
                if (type.refusable()) {
                    LOG.info("{} refused '{}': {}", h.name, type.name(), e.reason());
                    return new Outcome(true, e.reason(), null, failures);
                }
                failures.add(fail(h, e));
                continue;
            } catch (Throwable t) {
                failures.add(fail(h, t));
                if (type.refusable()) {
                    return new Outcome(true, null, null, failures);
                }
                continue;
            }
            if (r == null) {
                continue;
            }
            if (type.refusable() && Boolean.FALSE.equals(r)) {
                LOG.debug("{} refused '{}'", h.name, type.name());
                return new Outcome(true, null, null, failures);
            }
            if (r == AuthResult.DEFER || (r instanceof Boolean && !type.results().contains(Boolean.class))) {
                continue;
            }
            return new Outcome(false, null, r, failures);
        }
        return new Outcome(false, null, null, failures);
    }

    private static void runAsync(HandlerMethod h, EventValues values, Map<String, String> mdc) {
        Map<String, String> previous = MDC.getCopyOfContextMap();
        if (mdc != null) {
            MDC.setContextMap(mdc);
        }
        try {
            h.invoke(values);
        } catch (Throwable t) {
            fail(h, t);
        } finally {
            if (previous != null) {
                MDC.setContextMap(previous);
            } else {
                MDC.clear();
            }
        }
    }

    private static Outcome.HandlerFailure fail(HandlerMethod h, Throwable t) {
        LOG.warn("handler {} of '{}' threw {}", h.name, h.type.name(), t.toString(), t);
        return new Outcome.HandlerFailure(h.name, t);
    }
}
