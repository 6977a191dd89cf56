package dev.termlet.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** A thread-safe list of events that tests wait on. */
public final class Recorder {
    private final List<String> events = new ArrayList<>();

    /**
     * Records an event.
     *
     * @param event a description
     */
    public synchronized void add(String event) {
        events.add(event);
        notifyAll();
    }

    /** @return a copy of the events so far */
    public synchronized List<String> all() {
        return new ArrayList<>(events);
    }

    /**
     * Counts events that match.
     *
     * @param p the test
     * @return how many match
     */
    public synchronized long count(Predicate<String> p) {
        return events.stream().filter(p).count();
    }

    /**
     * Waits until an event that matches is recorded.
     *
     * @param p the test
     * @param timeout how long to wait
     * @return the first matching event
     * @throws AssertionError if none appears in time
     */
    public synchronized String await(Predicate<String> p, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (String e : events) {
                if (p.test(e)) {
                    return e;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no matching event in time; events: " + events);
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
    }

    /**
     * Waits with a 10 second limit for an event starting with a prefix.
     *
     * @param prefix the prefix
     * @return the event
     */
    public String await(String prefix) {
        return await(e -> e.startsWith(prefix), Duration.ofSeconds(10));
    }
}
