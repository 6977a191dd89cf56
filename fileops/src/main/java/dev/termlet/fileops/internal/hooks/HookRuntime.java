package dev.termlet.fileops.internal.hooks;

import dev.termlet.fileops.FileOps;
import dev.termlet.fileops.Hooks;

import dev.termlet.event.EventType;
import dev.termlet.spi.EventListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hooks of one running server: the listeners attached to events, delivery with time limits and
 * retries, the outbox and its sweeper, and a bounded pool of delivery threads.
 *
 * <p>What is delivered always comes from the configuration this server started with: an outbox entry names a
 * configured hook and carries an event's data, and the call (program or URL, arguments, environment, JSON) is
 * rebuilt from that hook. An entry for a hook or event not configured now, or that cannot be read, is moved to
 * the quarantine directory and never delivered.
 */
public final class HookRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(Hooks.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(60);

    /** How a delivery ended. */
    enum Delivery {
        /** Delivered. */
        DONE,
        /** Failed for good: a program failed, or the endpoint answered with a client error. */
        FAILED,
        /** Not delivered yet (no answer, a server error): worth trying again later. */
        RETRY_LATER
    }

    private final Hooks.Settings settings;
    private final Map<String, HookTarget> targets;
    /** For each configured hook (by id), the events it gets through the outbox, by canonical name. */
    private final Map<String, Map<String, EventType>> queued;
    private final Outbox outbox;
    private final HttpSender http;
    private final ThreadPoolExecutor pool;
    private final ScheduledExecutorService sweeper;
    private final Set<Path> inFlight = ConcurrentHashMap.newKeySet();
    /** Where deliveries are counted; null until {@link #measure} is called. */
    private volatile io.micrometer.core.instrument.MeterRegistry meters;
    private final java.util.List<io.micrometer.core.instrument.Meter> gauges =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean stopped;

    private final Path homes;
    private final java.util.function.Function<String, java.util.Optional<dev.termlet.auth.Account>> accounts;

    /**
     * Sets up the hooks of a server.
     *
     * @param settings the delivery settings
     * @param queued each configured hook with the events it gets as notifications (through the outbox); hooks
     *     that only run in the event's flow may be given with no events
     * @param outboxDir the outbox directory
     * @throws IOException if the outbox directory cannot be made
     */
    public HookRuntime(Hooks.Settings settings, Map<HookTarget, Set<EventType>> queued, Path outboxDir) throws IOException {
        this(settings, queued, outboxDir, SftpgoForms.NO_ACCOUNTS);
    }

    /**
     * Sets up the hooks of a server.
     *
     * @param settings the delivery settings
     * @param queued each configured hook with the events it gets as notifications
     * @param outboxDir the outbox directory
     * @param accounts finds an account by name, for the user JSON of logins
     * @throws IOException if the outbox directory cannot be made
     */
    public HookRuntime(Hooks.Settings settings, Map<HookTarget, Set<EventType>> queued, Path outboxDir,
            java.util.function.Function<String, java.util.Optional<dev.termlet.auth.Account>> accounts)
            throws IOException {
        this.settings = settings;
        this.accounts = accounts;
        Map<String, HookTarget> t = new java.util.HashMap<>();
        Map<String, Map<String, EventType>> q = new java.util.HashMap<>();
        queued.forEach((target, types) -> {
            t.put(target.id(), target);
            Map<String, EventType> byName = new java.util.HashMap<>();
            types.forEach(type -> byName.put(type.name(), type));
            q.put(target.id(), Map.copyOf(byName));
        });
        this.targets = Map.copyOf(t);
        this.queued = Map.copyOf(q);
        this.outbox = new Outbox(outboxDir);
        // DATA/hooks/outbox -> DATA/home, FileOps' default homes
        Path data = outboxDir.toAbsolutePath().getParent() == null ? null : outboxDir.toAbsolutePath().getParent().getParent();
        this.homes = data == null ? null : data.resolve("home");
        this.http = new HttpSender(settings.timeout());
        this.pool = new ThreadPoolExecutor(settings.workers(), settings.workers(), 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(settings.queueLimit()), daemonThreads("termlet-hook-"));
        pool.allowCoreThreadTimeOut(true);
        this.sweeper = Executors.newSingleThreadScheduledExecutor(daemonThreads("termlet-hook-outbox-"));
    }

    /** Starts the sweeper: it re-sends what the outbox holds now, then again every retry interval. */
    public void start() {
        sweeper.scheduleWithFixedDelay(this::sweep, 0, settings.retryInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops delivering; what is not delivered stays in the outbox for the next start. */
    public void shutdown() {
        stopped = true;
        sweeper.shutdownNow();
        pool.shutdownNow();
        io.micrometer.core.instrument.MeterRegistry m = meters;
        if (m != null) {
            gauges.forEach(m::remove);
        }
    }

    // ---- listeners ----

    /**
     * A listener that runs the hook in the event's flow; a failure refuses a refusable event.
     *
     * @param target the hook
     * @param type the event
     * @return the listener
     */
    public EventListener synchronous(HookTarget target, EventType type) {
        return new HookListener(target, type, true);
    }

    /**
     * A listener that puts a notification in the outbox and hands it to the delivery pool.
     *
     * @param target the hook
     * @param type the event
     * @return the listener
     */
    public EventListener asynchronous(HookTarget target, EventType type) {
        return new HookListener(target, type, false);
    }

    /** Hooks one target to one event. */
    private final class HookListener implements EventListener {
        private final HookTarget target;
        private final EventType type;
        private final boolean sync;

        HookListener(HookTarget target, EventType type, boolean sync) {
            this.target = target;
            this.type = type;
            this.sync = sync;
        }

        @Override
        public Object onEvent(EventType t, Object[] values) throws InterruptedException {
            Instant now = Instant.now();
            if (!sync) {
                enqueue(target, type, new OutboxEntry(target.id(), type.name(), now.toEpochMilli(),
                        SftpgoForms.capture(type, values, now, homes, accounts)));
                return null;
            }
            HookCall call = SftpgoForms.render(target, type, values, now, homes, accounts);
            Delivery d = deliver(call, target);
            if (d == Delivery.DONE) {
                return null;
            }
            if (type.refusable()) {
                LOG.info("'{}' refused: hook {} failed", type.name(), target.describe());
                return Boolean.FALSE;
            }
            return null;
        }

        @Override
        public String toString() {
            return "hook " + target.describe() + " on " + type.name();
        }
    }

    // ---- the outbox ----

    private void enqueue(HookTarget target, EventType type, OutboxEntry entry) {
        HookCall call = SftpgoForms.render(target, type, entry.createdMillis(), entry.data());
        Path file;
        try {
            file = outbox.write(entry);
        } catch (IOException e) {
            LOG.warn("cannot write the '{}' notification to the hook outbox ({}); sending it without keeping it",
                    call.event(), e.toString());
            try {
                pool.execute(() -> {
                    try {
                        deliver(call, target);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                    }
                });
            } catch (RejectedExecutionException re) {
                LOG.warn("'{}' notification for {} dropped: hook queue full and outbox not writable", call.event(),
                        target.describe());
            }
            return;
        }
        submit(file, target, call);
    }

    private void submit(Path file, HookTarget target, HookCall call) {
        if (stopped || !inFlight.add(file)) {
            return;
        }
        try {
            pool.execute(() -> process(file, target, call));
        } catch (RejectedExecutionException e) {
            inFlight.remove(file);
            LOG.debug("hook queue full: {} stays in the outbox", file.getFileName());
        }
    }

    private void process(Path file, HookTarget target, HookCall call) {
        try {
            if (!Files.exists(file)) {
                return;
            }
            Delivery d = deliver(call, target);
            if (d == Delivery.DONE) {
                outbox.remove(file);
            } else if (d == Delivery.FAILED) {
                LOG.warn("'{}' notification for {} given up", call.event(), target.describe());
                outbox.remove(file);
            } else if (Duration.ofMillis(System.currentTimeMillis() - call.createdMillis())
                    .compareTo(settings.keepFor()) > 0) {
                LOG.warn("'{}' notification for {} given up: undelivered for longer than {}", call.event(),
                        target.describe(), settings.keepFor());
                outbox.remove(file);
            } else {
                LOG.info("'{}' notification for {} kept in the outbox; next try within {}", call.event(),
                        target.describe(), settings.retryInterval());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            inFlight.remove(file);
        }
    }

    /** Hands every waiting notification not already in flight to the pool. */
    void sweep() {
        if (stopped) {
            return;
        }
        try {
            for (Path file : outbox.pending()) {
                if (stopped || pool.getQueue().remainingCapacity() == 0) {
                    return;
                }
                if (inFlight.contains(file)) {
                    continue;
                }
                OutboxEntry entry;
                try {
                    entry = outbox.read(file);
                } catch (NoSuchFileException e) {
                    continue;
                } catch (IOException | RuntimeException e) {
                    setAside(file, "unreadable: " + e.getMessage());
                    continue;
                }
                HookTarget target = targets.get(entry.hook());
                EventType type = queued.getOrDefault(entry.hook(), Map.of()).get(entry.event());
                if (target == null || type == null) {
                    setAside(file, target == null ? "its hook is not configured: " + safe(entry.hook())
                            : "hook " + target.describe() + " is not configured for '" + safe(entry.event()) + "'");
                    continue;
                }
                HookCall call;
                try {
                    call = SftpgoForms.render(target, type, entry.createdMillis(), entry.data());
                } catch (RuntimeException e) {
                    setAside(file, "malformed '" + type.name() + "' data");
                    continue;
                }
                submit(file, target, call);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot read the hook outbox {}: {}", outbox.dir(), e.toString());
        }
    }

    private void setAside(Path file, String why) {
        Path to = outbox.setAside(file);
        LOG.warn("hook outbox file {} not delivered ({}){}", printable(file.getFileName().toString()), why,
                to == null ? "" : "; set aside in " + outbox.quarantine());
    }

    /** A hook id or event name from an outbox file, fit for a log line: URLs without secrets, printable, short. */
    private static String safe(String text) {
        return printable(HookTarget.describeId(text));
    }

    private static String printable(String text) {
        String t = text.replaceAll("\\p{Cntrl}", "?");
        return t.length() > 200 ? t.substring(0, 200) + "..." : t;
    }

    // ---- delivery ----

    /**
     * Delivers one call: a program once, an HTTP request with retries and exponential back-off.
     *
     * @param call the call
     * @param target its hook
     * @return how it ended
     * @throws InterruptedException if the thread was interrupted (the call is then not delivered)
     */
    Delivery deliver(HookCall call, HookTarget target) throws InterruptedException {
        Delivery d = attempt(call, target);
        io.micrometer.core.instrument.MeterRegistry m = meters;
        if (m != null) {
            m.counter("termlet.hooks.deliveries", "kind", target.isProgram() ? "program" : "http", "outcome",
                    d.name().toLowerCase(java.util.Locale.ROOT)).increment();
        }
        return d;
    }

    /**
     * Gauges the delivery queue and the outbox, and counts deliveries by outcome, on a registry.
     *
     * @param registry the server's registry
     */
    public void measure(io.micrometer.core.instrument.MeterRegistry registry) {
        gauges.add(io.micrometer.core.instrument.Gauge.builder("termlet.hooks.queue", pool, p -> p.getQueue().size())
                .description("hook notifications waiting for a delivery thread").register(registry));
        gauges.add(io.micrometer.core.instrument.Gauge.builder("termlet.hooks.outbox", outbox, o -> {
            try {
                return o.pending().size();
            } catch (IOException e) {
                return Double.NaN;
            }
        }).description("hook notifications kept in the outbox, not yet delivered").register(registry));
        this.meters = registry;
    }

    private Delivery attempt(HookCall call, HookTarget target) throws InterruptedException {
        if (target.isProgram()) {
            ProgramRunner.Result r = ProgramRunner.run(target.program(), call.args(), call.env(), settings.timeout(),
                    true);
            if (r.ok()) {
                LOG.debug("hook {} ran for '{}'", target.describe(), call.event());
                return Delivery.DONE;
            }
            LOG.warn("hook {} for '{}' failed: {}", target.describe(), call.event(), r.describe());
            return Delivery.FAILED;
        }
        Duration backoff = settings.backoff();
        for (int attempt = 0; ; attempt++) {
            HttpSender.Result r = http.send(call.method(), call.url(), call.body(), settings.timeout(), false);
            if (r.ok()) {
                LOG.debug("hook {} answered {} for '{}'", target.describe(), r.status(), call.event());
                return Delivery.DONE;
            }
            boolean again = r.transientFailure() && attempt < settings.retries() && !stopped;
            LOG.warn("hook {} for '{}' failed: {}{}", target.describe(), call.event(), r.describe(),
                    again ? "; retrying in " + backoff.toMillis() + " ms" : "");
            if (!again) {
                return r.transientFailure() ? Delivery.RETRY_LATER : Delivery.FAILED;
            }
            Thread.sleep(backoff.toMillis());
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }

    /** Named daemon threads for the hook pools. */
    private static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
        java.util.concurrent.atomic.AtomicLong n = new java.util.concurrent.atomic.AtomicLong();
        return r -> {
            Thread t = new Thread(r, prefix + n.getAndIncrement());
            t.setDaemon(true);
            return t;
        };
    }
}
