package dev.termlet.internal.util;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.MDC;

/**
 * Runs each session on a thread of its own. On Java 21 and newer that is a new virtual thread per session. On
 * Java 17 it is a platform thread taken from a cache: starting and ending a platform thread cost about half a
 * millisecond of CPU per login on a two-core VM (a quarter of a key login's whole cost), so a thread that ended a
 * session waits up to a minute for the next one, as a servlet container's request threads do. Before a cached
 * thread runs the next session it is put back as it was made: the logging MDC cleared, the interrupt flag
 * cleared, its name, priority, context class loader and uncaught-exception handler restored. A handler's own
 * {@link ThreadLocal} values are not reachable from here: a handler that sets one removes it, as in any pooled
 * server.
 */
public final class SessionThreads {
    private static final long KEEP_IDLE_SECONDS = 60;

    private final ThreadFactory virtual;
    private final ThreadPoolExecutor cache;

    private SessionThreads(ThreadFactory virtual, ThreadPoolExecutor cache) {
        this.virtual = virtual;
        this.cache = cache;
    }

    /**
     * Session threads for this JVM: virtual ones if it has them, cached platform threads otherwise.
     *
     * @param prefix the threads' name prefix
     * @return the session threads
     */
    public static SessionThreads create(String prefix) {
        ThreadFactory v = Threads.virtualThreads(prefix);
        return v != null ? new SessionThreads(v, null) : platform(prefix);
    }

    /**
     * Cached platform threads, whatever the JVM.
     *
     * @param prefix the threads' name prefix
     * @return the session threads
     */
    public static SessionThreads platform(String prefix) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, KEEP_IDLE_SECONDS, TimeUnit.SECONDS,
                new SynchronousQueue<>(), Threads.platformThreads(prefix));
        return new SessionThreads(null, pool);
    }

    /**
     * Runs a session's work on a thread of its own, started now.
     *
     * @param work the session's work; it should not throw
     * @throws RejectedExecutionException on Java 17, after {@link #shutdown()} (virtual threads are always made)
     */
    public void start(Runnable work) {
        if (virtual != null) {
            virtual.newThread(work).start();
            return;
        }
        cache.execute(() -> runAndRestore(work));
    }

    /** @return whether sessions run on virtual threads */
    public boolean virtual() {
        return virtual != null;
    }

    /** @return the cached platform threads alive now, busy or idle (0 with virtual threads) */
    public int cachedThreads() {
        return cache == null ? 0 : cache.getPoolSize();
    }

    /** Lets cached threads end once idle; sessions running go on. */
    public void shutdown() {
        if (cache != null) {
            cache.shutdown();
        }
    }

    private static void runAndRestore(Runnable work) {
        Thread t = Thread.currentThread();
        String name = t.getName();
        int priority = t.getPriority();
        ClassLoader loader = t.getContextClassLoader();
        Thread.UncaughtExceptionHandler uncaught = t.getUncaughtExceptionHandler();
        try {
            work.run();
        } finally {
            // the interrupt flag needs nothing here: the pool clears it before each task
            MDC.clear();
            if (!t.getName().equals(name)) {
                t.setName(name);
            }
            if (t.getPriority() != priority) {
                t.setPriority(priority);
            }
            if (t.getContextClassLoader() != loader) {
                t.setContextClassLoader(loader);
            }
            if (t.getUncaughtExceptionHandler() != uncaught) {
                // none was set when the thread was made: its group's applies again
                t.setUncaughtExceptionHandler(null);
            }
        }
    }
}
