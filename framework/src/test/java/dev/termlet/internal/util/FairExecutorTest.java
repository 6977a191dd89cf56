package dev.termlet.internal.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FairExecutorTest {
    @Test
    void keysTakeTurnsWhateverTheirQueues() throws Exception {
        FairExecutor e = new FairExecutor(Threads.platformThreads("fair-test-"), 1, 1, 100, 100);
        CountDownLatch gate = new CountDownLatch(1);
        List<String> order = new ArrayList<>();
        e.execute("gate", () -> {
            try {
                gate.await();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        });
        for (String task : new String[] {"A1", "A2", "A3", "A4", "A5", "B1", "B2", "C1"}) {
            e.execute(task.substring(0, 1), () -> {
                synchronized (order) {
                    order.add(task);
                }
            });
        }
        gate.countDown();
        e.shutdown();
        assertThat(e.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        assertThat(order).containsExactly("A1", "B1", "C1", "A2", "B2", "A3", "A4", "A5");
    }

    @Test
    void oneKeyNeverHoldsEveryThread() throws Exception {
        FairExecutor e = new FairExecutor(Threads.platformThreads("fair-test-"), 3, 2, 100, 100);
        CountDownLatch release = new CountDownLatch(1);
        for (int i = 0; i < 20; i++) {
            e.execute("flood", () -> {
                try {
                    release.await();
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        CountDownLatch other = new CountDownLatch(1);
        e.execute("other", other::countDown);
        // runs while every flood task is still blocked
        assertThat(other.await(30, TimeUnit.SECONDS)).isTrue();
        release.countDown();
        e.shutdown();
        assertThat(e.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void queuesAreBoundedAndShutdownRefuses() throws Exception {
        FairExecutor e = new FairExecutor(Threads.platformThreads("fair-test-"), 1, 1, 5, 2);
        CountDownLatch release = new CountDownLatch(1);
        Runnable block = () -> {
            try {
                release.await();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        };
        CountDownLatch running = new CountDownLatch(1);
        e.execute("a", () -> {
            running.countDown();
            block.run();
        });
        assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
        CountDownLatch probe = new CountDownLatch(1);
        e.execute("probe", probe::countDown);
        e.execute("a", block);
        e.execute("a", block);
        assertThatThrownBy(() -> e.execute("a", block)).isInstanceOf(RejectedExecutionException.class);
        e.execute("b", block);
        e.execute("c", block);
        assertThatThrownBy(() -> e.execute("d", block)).isInstanceOf(RejectedExecutionException.class);
        release.countDown();
        assertThat(probe.await(30, TimeUnit.SECONDS)).isTrue();
        e.shutdown();
        assertThatThrownBy(() -> e.execute("a", block)).isInstanceOf(RejectedExecutionException.class);
        assertThat(e.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }
}
