package dev.termlet.internal.proxy;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The header deadlines of every listener: one daemon thread that closes a trusted connection which has not sent its
 * whole PROXY header in time. A deadline is cancelled (and dropped at once) when the header is complete.
 */
public final class Deadlines {
    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private Deadlines() {}

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread th = new Thread(r, "termlet-proxy-header-deadlines");
            th.setDaemon(true);
            return th;
        });
        t.setRemoveOnCancelPolicy(true);
        return t;
    }

    /**
     * Runs an action after a delay, unless cancelled first.
     *
     * @param delay the delay
     * @param action what to do (close the connection); it must not block
     * @return the handle that cancels it
     */
    public static ScheduledFuture<?> after(Duration delay, Runnable action) {
        return TIMER.schedule(action, delay.toMillis(), TimeUnit.MILLISECONDS);
    }
}
