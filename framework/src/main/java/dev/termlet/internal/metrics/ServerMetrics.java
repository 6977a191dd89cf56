package dev.termlet.internal.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The server's meters on the application's Micrometer registry; with none supplied every method is a no-op and
 * nothing is measured. Meter names and tags are listed in docs/operations.md ("Metrics").
 */
public final class ServerMetrics {
    /** No registry: nothing is measured. */
    public static final ServerMetrics NONE = new ServerMetrics(null);

    private final MeterRegistry registry;
    private final Map<String, AtomicInteger> active = new ConcurrentHashMap<>();
    private final Map<String, Timer> handlerTimers = new ConcurrentHashMap<>();
    /** The gauges made here: they read this server's state, so they leave the registry with it. */
    private final java.util.List<io.micrometer.core.instrument.Meter> gauges =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * Meters on a registry.
     *
     * @param registry the application's registry, or null to measure nothing
     */
    public ServerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** @return whether a registry was supplied */
    public boolean enabled() {
        return registry != null;
    }

    /** @return the registry, or an empty composite (whose meters do nothing) when none was supplied */
    public MeterRegistry registry() {
        return registry != null ? registry : Empty.REGISTRY;
    }

    /** An empty composite registry, made only when an extension asks for a registry and none was supplied. */
    private static final class Empty {
        static final MeterRegistry REGISTRY = new CompositeMeterRegistry();
    }

    /**
     * Gauges the open connections.
     *
     * @param open how many connections are open now
     */
    public void connectionsOpen(Supplier<Number> open) {
        if (registry != null) {
            gauges.add(Gauge.builder("termlet.connections.open", open)
                    .description("connections open now, of every protocol").register(registry));
        }
    }

    /**
     * Removes the gauges from the registry (the server stopped): a server started later on the same registry
     * registers its own; counters and timers stay, as totals of the registry's life.
     */
    public void close() {
        if (registry != null) {
            gauges.forEach(registry::remove);
            gauges.clear();
            active.clear();
        }
    }

    /** @param protocol the protocol of a connection admitted */
    public void connectionAccepted(String protocol) {
        if (registry != null) {
            Counter.builder("termlet.connections.accepted").description("connections admitted")
                    .tag("protocol", protocol).register(registry).increment();
        }
    }

    /**
     * A connection was refused.
     *
     * @param protocol its protocol
     * @param reason {@code banned}, {@code limit}, {@code handler} or {@code stopping}
     */
    public void connectionRefused(String protocol, String reason) {
        if (registry != null) {
            Counter.builder("termlet.connections.refused").description("connections refused, by reason")
                    .tag("protocol", protocol).tag("reason", reason).register(registry).increment();
        }
    }

    /**
     * A session started: counted in {@code termlet.sessions.started} and, until the returned end runs, in
     * {@code termlet.sessions.active}.
     *
     * @param kind {@code shell}, {@code exec}, {@code sftp}, {@code scp}, {@code ftp} or an extension's own
     * @return the end of the session; running it more than once ends it once
     */
    public Runnable sessionStarted(String kind) {
        if (registry == null) {
            return () -> { };
        }
        AtomicInteger count = active.computeIfAbsent(kind, k -> {
            AtomicInteger n = new AtomicInteger();
            gauges.add(Gauge.builder("termlet.sessions.active", n, AtomicInteger::get)
                    .description("sessions running now").tag("kind", k).register(registry));
            return n;
        });
        Counter.builder("termlet.sessions.started").description("sessions started").tag("kind", kind)
                .register(registry).increment();
        count.incrementAndGet();
        AtomicBoolean ended = new AtomicBoolean();
        return () -> {
            if (ended.compareAndSet(false, true)) {
                count.decrementAndGet();
            }
        };
    }

    /**
     * A login attempt was decided.
     *
     * @param protocol {@code SSH} or {@code FTP}
     * @param method the method's wire name
     * @param success whether it succeeded
     */
    public void login(String protocol, String method, boolean success) {
        if (registry != null) {
            Counter.builder("termlet.logins").description("login attempts, by method and outcome")
                    .tag("protocol", protocol).tag("method", method).tag("outcome", success ? "success" : "failure")
                    .register(registry).increment();
        }
    }

    /** @param kind the kind of a protector strike */
    public void strike(String kind) {
        if (registry != null) {
            Counter.builder("termlet.protector.strikes").description("strikes the protector counted")
                    .tag("kind", kind).register(registry).increment();
        }
    }

    /** An address was banned. */
    public void banned() {
        if (registry != null) {
            Counter.builder("termlet.protector.bans").description("addresses banned").register(registry).increment();
        }
    }

    /** A connection of a banned or blocked address was refused. */
    public void banRefused() {
        if (registry != null) {
            Counter.builder("termlet.protector.refused").description("connections refused by a ban or the block-list")
                    .register(registry).increment();
        }
    }

    /**
     * The timer of an event's handlers, registered on the first call; the dispatcher keeps it per event type instead
     * of naming the event on every occurrence.
     *
     * @param event the event's name
     * @param async whether it times asynchronous handlers' runs (else the synchronous handlers together)
     * @return the timer, or null when nothing is measured
     */
    public Timer handlerTimer(String event, boolean async) {
        if (registry == null) {
            return null;
        }
        String key = async ? event + "\u0000async" : event;
        return handlerTimers.computeIfAbsent(key, k -> Timer.builder("termlet.handler.time")
                .description("time in handlers per event occurrence").tag("event", event)
                .tag("delivery", async ? "async" : "sync").register(registry));
    }
}
