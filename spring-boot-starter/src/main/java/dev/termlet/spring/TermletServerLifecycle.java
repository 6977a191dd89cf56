package dev.termlet.spring;

import dev.termlet.TermletServer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the {@link TermletServer} when the application context has refreshed and stops it gracefully when the
 * context closes: new connections are refused, every session is told and closed (each fires {@code disconnected}),
 * and the transport closes once they ended or the grace period passed. The stop runs on a thread of its own, so
 * Spring's {@code spring.lifecycle.timeout-per-shutdown-phase} bounds it; it is in the phase of Spring Boot's web
 * server's graceful shutdown, {@link #PHASE}.
 */
public final class TermletServerLifecycle implements SmartLifecycle, DisposableBean {
    /** The lifecycle phase: that of Spring Boot's graceful shutdown of web servers (started late, stopped early). */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1024;

    private static final Logger LOG = LoggerFactory.getLogger(TermletServerLifecycle.class);

    private final TermletServer server;
    private final Duration grace;
    private final AtomicBoolean stopped = new AtomicBoolean();

    /**
     * @param server the server, built and not started
     * @param grace how long sessions get to end when the context closes
     */
    public TermletServerLifecycle(TermletServer server, Duration grace) {
        this.server = Objects.requireNonNull(server, "server");
        this.grace = Objects.requireNonNull(grace, "grace");
    }

    /** @return the server */
    public TermletServer server() {
        return server;
    }

    /** @return how long sessions get to end when the context closes */
    public Duration grace() {
        return grace;
    }

    /** Opens the server's ports. */
    @Override
    public void start() {
        server.start();
        LOG.info("Termlet is listening on {}", server.addresses());
    }

    /** Stops the server gracefully, waiting until it has stopped. */
    @Override
    public void stop() {
        stopServer(grace);
    }

    /**
     * Stops the server gracefully on a thread of its own, and then runs the callback.
     *
     * @param callback what Spring runs next
     */
    @Override
    public void stop(Runnable callback) {
        if (!isRunning()) {
            callback.run();
            return;
        }
        Thread t = new Thread(() -> {
            try {
                stopServer(grace);
            } finally {
                callback.run();
            }
        }, "termlet-stop");
        t.start();
    }

    /** @return whether the server accepts connections */
    @Override
    public boolean isRunning() {
        return server.isRunning();
    }

    /** @return {@link #PHASE} */
    @Override
    public int getPhase() {
        return PHASE;
    }

    /** Releases the server's threads if it was never stopped (the context failed before it started). */
    @Override
    public void destroy() {
        stopServer(Duration.ZERO);
    }

    private void stopServer(Duration wait) {
        if (stopped.compareAndSet(false, true)) {
            if (server.isRunning()) {
                LOG.info("Stopping Termlet: {} open session(s) get up to {} to end", server.sessionCount(), wait);
            }
            server.stop(wait);
        }
    }
}
