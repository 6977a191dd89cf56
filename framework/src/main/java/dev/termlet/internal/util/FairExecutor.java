package dev.termlet.internal.util;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks on a bounded set of threads, taking turns between keys (client addresses): each key has its own
 * queue, keys with work are served round-robin, and one key runs at most {@code perKey} tasks at once. A key
 * that floods it therefore waits behind its own tasks only, while another key's task runs at its next turn, at
 * the latest when one running task ends. Threads start on demand and stay until {@link #shutdown()}.
 */
public final class FairExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(FairExecutor.class);

    /** The tasks of one key. */
    private static final class Lane {
        final String key;
        final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
        int running;
        boolean ready;

        Lane(String key) {
            this.key = key;
        }
    }

    private final ThreadFactory factory;
    private final int threads;
    private final int perKey;
    private final int maxQueued;
    private final int maxQueuedPerKey;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final Condition finished = lock.newCondition();
    private final Map<String, Lane> lanes = new HashMap<>();
    private final ArrayDeque<Lane> ready = new ArrayDeque<>();
    private int started;
    private int idle;
    private int queued;
    private boolean shutdown;

    /**
     * Creates an executor; no thread starts before the first task.
     *
     * @param factory makes the worker threads
     * @param threads the most worker threads
     * @param perKey the most tasks of one key running at once
     * @param maxQueued the most tasks waiting in all
     * @param maxQueuedPerKey the most tasks of one key waiting
     */
    public FairExecutor(ThreadFactory factory, int threads, int perKey, int maxQueued, int maxQueuedPerKey) {
        if (threads < 1 || perKey < 1 || maxQueued < 1 || maxQueuedPerKey < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
        this.factory = factory;
        this.threads = threads;
        this.perKey = Math.min(perKey, threads);
        this.maxQueued = maxQueued;
        this.maxQueuedPerKey = maxQueuedPerKey;
    }

    /**
     * Queues a task under a key.
     *
     * @param key the key whose turn it takes, for example a client address
     * @param task the task
     * @throws RejectedExecutionException if the executor is shut down, or the queue or the key's queue is full
     */
    public void execute(String key, Runnable task) {
        lock.lock();
        try {
            if (shutdown) {
                throw new RejectedExecutionException("shut down");
            }
            if (queued >= maxQueued) {
                throw new RejectedExecutionException(queued + " tasks waiting");
            }
            Lane lane = lanes.computeIfAbsent(key, Lane::new);
            if (lane.tasks.size() >= maxQueuedPerKey) {
                throw new RejectedExecutionException(lane.tasks.size() + " tasks of " + key + " waiting");
            }
            lane.tasks.addLast(task);
            queued++;
            if (!lane.ready) {
                lane.ready = true;
                ready.addLast(lane);
            }
            if (idle > 0) {
                work.signal();
            } else if (started < threads) {
                Thread t = factory.newThread(this::work);
                started++;
                t.start();
            }
        } finally {
            lock.unlock();
        }
    }

    /** The first lane in turn that may run one more task, taken off the ready queue; null if none. */
    private Lane next() {
        for (Iterator<Lane> it = ready.iterator(); it.hasNext();) {
            Lane lane = it.next();
            if (lane.running < perKey) {
                it.remove();
                lane.ready = false;
                return lane;
            }
        }
        return null;
    }

    private void work() {
        while (true) {
            Lane lane;
            Runnable task;
            lock.lock();
            try {
                while ((lane = next()) == null) {
                    if (shutdown && queued == 0) {
                        started--;
                        finished.signalAll();
                        return;
                    }
                    idle++;
                    try {
                        work.awaitUninterruptibly();
                    } finally {
                        idle--;
                    }
                }
                task = lane.tasks.pollFirst();
                queued--;
                lane.running++;
                if (!lane.tasks.isEmpty()) {
                    lane.ready = true;
                    ready.addLast(lane);
                }
            } finally {
                lock.unlock();
            }
            try {
                task.run();
            } catch (Throwable t) {
                LOG.warn("a task of {} failed", lane.key, t);
            } finally {
                lock.lock();
                try {
                    lane.running--;
                    if (lane.running == 0 && lane.tasks.isEmpty() && !lane.ready) {
                        lanes.remove(lane.key);
                    }
                    if (!ready.isEmpty() || shutdown) {
                        work.signal();
                    }
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    /** Refuses new tasks; those queued still run, then the threads end. */
    public void shutdown() {
        lock.lock();
        try {
            shutdown = true;
            work.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits for the threads to end after {@link #shutdown()}.
     *
     * @param time how long to wait
     * @param unit its unit
     * @return true if they ended
     * @throws InterruptedException if interrupted
     */
    public boolean awaitTermination(long time, TimeUnit unit) throws InterruptedException {
        long left = unit.toNanos(time);
        lock.lock();
        try {
            while (started > 0) {
                if (left <= 0) {
                    return false;
                }
                left = finished.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }
}
