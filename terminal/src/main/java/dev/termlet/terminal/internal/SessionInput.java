package dev.termlet.terminal.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;
import org.jline.utils.NonBlockingInputStream;

/**
 * The input side of a session terminal: bytes arrive from the transport with {@link #feed} (any thread,
 * never blocks) and are read by the session's own thread.
 *
 * <p>While the session thread waits for input it also runs the tasks handed to {@link #submit}, so that
 * events that arrive from outside (a window change, for example) run on the session thread, in order,
 * even while a line editor is waiting for a key. No pump thread is needed. A wait that passes the idle
 * limit ends with {@link IdleTimeoutException}. Consumed bytes are reported to a callback so the
 * transport can re-open its flow-control window.
 */
public final class SessionInput extends NonBlockingInputStream {

    /** Thrown by a read when no input arrived within the idle limit. */
    public static final class IdleTimeoutException extends InterruptedIOException {
        private static final long serialVersionUID = 1L;

        IdleTimeoutException(long millis) {
            super("no input for " + millis + " ms");
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private final IntConsumer consumed;
    private final int maxBuffered;
    private final ByteRing ring = new ByteRing(256);
    private boolean eof;
    private boolean idleExpired;
    private long idleMillis;
    private long lastInput = System.nanoTime();
    private int unreported;

    /**
     * Creates an input.
     *
     * @param consumed called on the reading thread with the number of bytes consumed since the last call
     * @param maxBuffered the most bytes held before {@link #feed} refuses more (the transport's window
     *     normally keeps the peer far below it)
     */
    public SessionInput(IntConsumer consumed, int maxBuffered) {
        this.consumed = consumed;
        this.maxBuffered = maxBuffered;
    }

    /**
     * Appends bytes from the transport. Never blocks.
     *
     * @param data the bytes
     * @param off first byte
     * @param len number of bytes
     * @return false if the input is closed or the bytes would exceed the buffer limit (the caller should
     *     drop the connection: the peer ignored flow control)
     */
    public boolean feed(byte[] data, int off, int len) {
        lock.lock();
        try {
            if (eof) {
                return false;
            }
            if (ring.size() + (long) len > maxBuffered) {
                return false;
            }
            ring.append(data, off, len);
            lastInput = System.nanoTime();
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Queues a task for the reading thread: it runs at the next read that has to wait, or when the owner
     * calls {@link #runTasks}.
     *
     * @param task the task
     */
    public void submit(Runnable task) {
        lock.lock();
        try {
            tasks.add(task);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Runs the queued tasks on the calling thread, in order. */
    public void runTasks() {
        while (true) {
            Runnable task;
            lock.lock();
            try {
                task = tasks.poll();
            } finally {
                lock.unlock();
            }
            if (task == null) {
                return;
            }
            task.run();
        }
    }

    /**
     * Sets the idle limit that a waiting read observes; 0 or less means none.
     *
     * @param millis the limit in milliseconds
     */
    public void idleTimeout(long millis) {
        lock.lock();
        try {
            idleMillis = millis;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether a read has ended with {@link IdleTimeoutException}.
     *
     * @return true once the idle limit was reached
     */
    public boolean idleExpired() {
        lock.lock();
        try {
            return idleExpired;
        } finally {
            lock.unlock();
        }
    }

    /** Marks the end of input: reads return EOF once the buffered bytes are consumed. */
    @Override
    public void close() {
        lock.lock();
        try {
            eof = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether the end of input was marked.
     *
     * @return true after {@link #close}
     */
    public boolean isClosed() {
        lock.lock();
        try {
            return eof;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int available() {
        lock.lock();
        try {
            return ring.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int read(long timeout, boolean isPeek) throws IOException {
        long deadline = timeout > 0 ? System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout) : 0;
        while (true) {
            runTasks();
            int released = 0;
            lock.lock();
            try {
                if (ring.size() > 0) {
                    int b = isPeek ? ring.peek() : ring.take();
                    if (!isPeek) {
                        unreported++;
                        if (unreported >= 1024 || ring.size() == 0) {
                            released = unreported;
                            unreported = 0;
                        }
                        if (ring.size() == 0 && ring.capacity() > 64 * 1024) {
                            ring.clear(); // a large paste is over: give the memory back
                        }
                    }
                    if (released == 0) {
                        return b;
                    }
                    reportLater(released);
                    return b;
                }
                if (eof) {
                    return EOF;
                }
                if (!tasks.isEmpty()) {
                    continue;
                }
                long now = System.nanoTime();
                if (timeout > 0 && now - deadline >= 0) {
                    return READ_EXPIRED;
                }
                long wait = timeout > 0 ? deadline - now : Long.MAX_VALUE;
                if (idleMillis > 0) {
                    long idleLeft = lastInput + TimeUnit.MILLISECONDS.toNanos(idleMillis) - now;
                    if (idleLeft <= 0) {
                        idleExpired = true;
                        throw new IdleTimeoutException(idleMillis);
                    }
                    wait = Math.min(wait, idleLeft);
                }
                try {
                    if (wait == Long.MAX_VALUE) {
                        changed.await();
                    } else {
                        changed.awaitNanos(wait);
                    }
                } catch (InterruptedException e) {
                    throw new InterruptedIOException("interrupted while waiting for input");
                }
            } finally {
                lock.unlock();
            }
        }
    }

    private void reportLater(int released) {
        // Called with the lock held; the callback may send a window adjustment, so run it unlocked.
        lock.unlock();
        try {
            consumed.accept(released);
        } finally {
            lock.lock();
        }
    }
}
