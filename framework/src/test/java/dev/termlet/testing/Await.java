package dev.termlet.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition that the server reaches asynchronously (a session leaves its list after its last event). */
public final class Await {
    private Await() {}

    /**
     * Waits up to ten seconds for a condition.
     *
     * @param what the condition, for the failure message
     * @param condition the condition
     * @throws AssertionError if it does not hold in time
     */
    public static void until(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(10);
        }
    }
}
