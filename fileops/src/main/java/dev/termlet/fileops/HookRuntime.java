package dev.termlet.fileops;

import dev.termlet.event.EventType;
import dev.termlet.internal.util.Threads;
import dev.termlet.spi.EventListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
 */
final class HookRuntime {
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
    private final Outbox outbox;
    private final HttpSender http;
    private final ThreadPoolExecutor pool;
    private final ScheduledExecutorService sweeper;
    private final Set<Path> inFlight = ConcurrentHashMap.newKeySet();
    private final Set<String> unknownHooks = ConcurrentHashMap.newKeySet();
    private volatile boolean stopped;

    private final Path homes;

    HookRuntime(Hooks.Settings settings, Map<String, HookTarget> targets, Path outboxDir) throws IOException {
        this.settings = settings;
        this.targets = Map.copyOf(targets);
        this.outbox = new Outbox(outboxDir);
        // DATA/hooks/outbox -> DATA/home, FileOps' default homes
        Path data = outboxDir.toAbsolutePath().getParent() == null ? null : outboxDir.toAbsolutePath().getParent().getParent();
        this.homes = data == null ? null : data.resolve("home");
        this.http = new HttpSender(settings.timeout());
        this.pool = new ThreadPoolExecutor(settings.workers(), settings.workers(), 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(settings.queueLimit()), Threads.platformThreads("termlet-hook-"));
        pool.allowCoreThreadTimeOut(true);
        this.sweeper = Executors.newSingleThreadScheduledExecutor(Threads.platformThreads("termlet-hook-outbox-"));
    }

    /** Starts the sweeper: it re-sends what the outbox holds now, then again every retry interval. */
    void start() {
        sweeper.scheduleWithFixedDelay(this::sweep, 0, settings.retryInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops delivering; what is not delivered stays in the outbox for the next start. */
    void shutdown() {
        stopped = true;
        sweeper.shutdownNow();
        pool.shutdownNow();
    }

    // ---- listeners ----

    /**
     * A listener that runs the hook in the event's flow; a failure refuses a refusable event.
     *
     * @param target the hook
     * @param type the event
     * @return the listener
     */
    EventListener synchronous(HookTarget target, EventType type) {
        return new HookListener(target, type, true);
    }

    /**
     * A listener that puts a notification in the outbox and hands it to the delivery pool.
     *
     * @param target the hook
     * @param type the event
     * @return the listener
     */
    EventListener asynchronous(HookTarget target, EventType type) {
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
            HookCall call = SftpgoForms.render(target, type, values, Instant.now(), homes);
            if (!sync) {
                enqueue(call);
                return null;
            }
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

    private void enqueue(HookCall call) {
        Path file;
        try {
            file = outbox.write(call);
        } catch (IOException e) {
            LOG.warn("cannot write the '{}' notification to the hook outbox ({}); sending it without keeping it",
                    call.event(), e.toString());
            try {
                pool.execute(() -> {
                    try {
                        deliver(call, targets.get(call.hook()));
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                    }
                });
            } catch (RejectedExecutionException re) {
                LOG.warn("'{}' notification for {} dropped: hook queue full and outbox not writable", call.event(),
                        HookTarget.describeId(call.hook()));
            }
            return;
        }
        submit(file, call);
    }

    private void submit(Path file, HookCall call) {
        if (stopped || !inFlight.add(file)) {
            return;
        }
        try {
            pool.execute(() -> process(file, call));
        } catch (RejectedExecutionException e) {
            inFlight.remove(file);
            LOG.debug("hook queue full: {} stays in the outbox", file.getFileName());
        }
    }

    private void process(Path file, HookCall call) {
        try {
            if (!Files.exists(file)) {
                return;
            }
            HookTarget target = targets.get(call.hook());
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
                HookCall call;
                try {
                    call = outbox.read(file);
                } catch (NoSuchFileException e) {
                    continue;
                } catch (IOException | RuntimeException e) {
                    LOG.warn("unreadable hook outbox file {} set aside as .bad ({})", file.getFileName(),
                            e.toString());
                    try {
                        Files.move(file, file.resolveSibling(file.getFileName() + ".bad"),
                                StandardCopyOption.REPLACE_EXISTING);
                    } catch (IOException moveFailed) {
                        LOG.warn("cannot set {} aside: {}", file.getFileName(), moveFailed.toString());
                    }
                    continue;
                }
                if (!targets.containsKey(call.hook())) {
                    if (unknownHooks.add(call.hook())) {
                        LOG.warn("the hook outbox holds notifications for {}, which is no longer configured; they"
                                + " stay in {}", HookTarget.describeId(call.hook()), outbox.dir());
                    }
                    continue;
                }
                submit(file, call);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot read the hook outbox {}: {}", outbox.dir(), e.toString());
        }
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
}
