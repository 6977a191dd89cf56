package dev.termlet.internal.util;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs tasks one at a time, in submission order, on a shared executor: asynchronous events of one
 * connection stay in order without a thread of their own. The queue is bounded; past the bound, tasks are
 * refused so that a flood costs the flooder.
 */
public final class SerialExecutor implements Executor {
    private final Executor delegate;
    private final int limit;
    // small at first: most connections queue a few events at a time (it grows as needed)
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>(4);
    private boolean running;

    /**
     * Creates a serial executor.
     *
     * @param delegate where tasks run
     * @param limit the most tasks waiting
     */
    public SerialExecutor(Executor delegate, int limit) {
        this.delegate = delegate;
        this.limit = limit;
    }

    @Override
    public void execute(Runnable task) {
        synchronized (queue) {
            if (queue.size() >= limit) {
                throw new RejectedExecutionException("event queue full (" + limit + ")");
            }
            queue.add(task);
            if (running) {
                return;
            }
            running = true;
        }
        try {
            delegate.execute(this::drain);
        } catch (RejectedExecutionException e) {
            synchronized (queue) {
                running = false;
                queue.clear();
            }
            throw e;
        }
    }

    private void drain() {
        while (true) {
            Runnable next;
            synchronized (queue) {
                next = queue.poll();
                if (next == null) {
                    running = false;
                    return;
                }
            }
            try {
                next.run();
            } catch (RuntimeException e) {
                // tasks log their own failures
            }
        }
    }
}
