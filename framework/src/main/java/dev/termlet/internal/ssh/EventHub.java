package dev.termlet.internal.ssh;

import dev.termlet.event.EventType;
import dev.termlet.event.Events;
import dev.termlet.event.Outcome;
import dev.termlet.internal.Settings;
import dev.termlet.internal.dispatch.Dispatcher;
import dev.termlet.internal.dispatch.EventValues;
import dev.termlet.internal.util.FairExecutor;
import dev.termlet.internal.util.SerialExecutor;
import dev.termlet.internal.util.Threads;
import dev.termlet.protector.Ban;
import dev.termlet.protector.Protector;
import dev.termlet.protector.Strike;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the server's events are fired: synchronous handlers on the firing thread, asynchronous ones on a
 * connection's ordered queue or, for events of no connection, the shared event pool.
 */
final class EventHub {
    private static final Logger LOG = LoggerFactory.getLogger(EventHub.class);

    private final Dispatcher dispatcher;
    private final int queueLimit;
    private final ThreadPoolExecutor pool;
    private final FairExecutor authPool;

    /**
     * @param settings the configuration (the per-connection queue limit)
     * @param dispatcher the handlers
     * @param authPool the pool that runs events fired before a session exists, by client address
     */
    EventHub(Settings settings, Dispatcher dispatcher, FairExecutor authPool) {
        this.dispatcher = dispatcher;
        this.queueLimit = settings.eventQueueLimit();
        this.authPool = authPool;
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        this.pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(10_000),
                Threads.platformThreads("termlet-event-"));
        pool.allowCoreThreadTimeOut(true);
    }

    /** @return the handlers */
    Dispatcher dispatcher() {
        return dispatcher;
    }

    /** @return whether any handler listens to an event */
    boolean listens(EventType type) {
        return dispatcher.has(type);
    }

    /** @return the shared pool of events that belong to no connection (no order kept) */
    Executor pool() {
        return pool;
    }

    /** @return a new ordered queue on the event pool, for one connection */
    SerialExecutor newQueue() {
        return new SerialExecutor(pool, queueLimit);
    }

    /**
     * Fires an event.
     *
     * @param type the event type
     * @param queue where asynchronous handlers run, or null for the shared pool
     * @param values the values, in the type's order
     * @return what the synchronous handlers decided
     */
    Outcome fire(EventType type, Executor queue, Object... values) {
        if (!dispatcher.has(type)) {
            return Outcome.NONE;
        }
        return dispatcher.fire(EventValues.of(type, values), queue != null ? queue : pool);
    }

    /**
     * Queues every handler of an event on an executor, after the work already queued there; a full queue drops the
     * event with a warning.
     *
     * @param queue the executor, or null for the shared pool
     * @param type the event type
     * @param values the values, in the type's order
     */
    void queue(Executor queue, EventType type, Object... values) {
        if (!dispatcher.has(type)) {
            return;
        }
        EventValues v = EventValues.of(type, values);
        try {
            (queue != null ? queue : pool).execute(() -> dispatcher.fire(v, null));
        } catch (RejectedExecutionException e) {
            LOG.warn("{} dropped: event queue full", type.name());
        }
    }

    /**
     * Fires an event of a connection that has no SSH session yet, on the auth pool (never on the I/O thread that
     * waits for it), for at most five seconds.
     *
     * @throws IOException if the handlers failed or took too long
     */
    Outcome fireBeforeSession(Connection c, EventType type, Object... values) throws IOException {
        FutureTask<Outcome> f = new FutureTask<>(() -> dispatcher.fire(EventValues.of(type, values), pool));
        authPool.execute(AuthBridge.key(c), f);
        try {
            return f.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new IOException(type.name() + " handlers were interrupted", e);
        } catch (Exception e) {
            f.cancel(true);
            throw new IOException(type.name() + " handlers failed or took too long", e);
        }
    }

    /** @return a listener that fires the protector's events on the shared pool */
    Protector.Listener protectorEvents() {
        return new Protector.Listener() {
            @Override
            public void strike(Strike strike) {
                queue(null, Events.PROTECTOR_STRIKE, strike);
            }

            @Override
            public void banned(Ban ban) {
                queue(null, Events.BLOCKLIST_ADD, ban);
            }

            @Override
            public void refused(Ban ban) {
                queue(null, Events.BLOCKLIST_HIT, ban);
            }
        };
    }

    /**
     * Stops taking events and waits for those queued, up to a grace period.
     *
     * @param grace the longest wait
     */
    void shutdown(Duration grace) {
        pool.shutdown();
        try {
            pool.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
