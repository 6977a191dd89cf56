package dev.termlet.internal.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class SessionThreadsTest {

    @Test
    void aCachedThreadRunsTheNextSessionAsItWasMade() throws Exception {
        SessionThreads threads = SessionThreads.platform("test-session-");
        BlockingQueue<Object[]> seen = new ArrayBlockingQueue<>(2);
        ClassLoader other = new ClassLoader() { };
        threads.start(() -> {
            Thread t = Thread.currentThread();
            seen.add(new Object[] {t, t.getName()});
            MDC.put("session", "first");
            t.setName("renamed by a handler");
            t.setPriority(Thread.MIN_PRIORITY);
            t.setContextClassLoader(other);
            t.setUncaughtExceptionHandler((th, e) -> { });
            t.interrupt();
        });
        Object[] first = seen.poll(10, TimeUnit.SECONDS);
        // the first session's thread waits in the cache once it has put itself back
        Thread firstThread = (Thread) first[0];
        for (int i = 0; i < 1000 && firstThread.getState() != Thread.State.TIMED_WAITING; i++) {
            Thread.sleep(10);
        }
        threads.start(() -> {
            Thread t = Thread.currentThread();
            seen.add(new Object[] {t, t.getName(), MDC.get("session"), t.isInterrupted(), t.getPriority(),
                t.getContextClassLoader(), t.isDaemon(), Threads.isVirtual(t), t.getUncaughtExceptionHandler()});
        });
        Object[] second = seen.poll(10, TimeUnit.SECONDS);
        assertThat(second[0]).as("the thread is reused").isSameAs(first[0]);
        assertThat(second[1]).isEqualTo(first[1]).asString().startsWith("test-session-");
        assertThat(second[2]).as("MDC").isNull();
        assertThat(second[3]).as("interrupted").isEqualTo(false);
        assertThat(second[4]).isEqualTo(Thread.NORM_PRIORITY);
        assertThat(second[5]).isNotSameAs(other);
        assertThat(second[6]).as("daemon").isEqualTo(true);
        assertThat(second[7]).as("virtual").isEqualTo(false);
        assertThat(second[8]).as("the group handles what the session does not").isSameAs(
                ((Thread) first[0]).getThreadGroup());
        threads.shutdown();
    }

    @Test
    void sessionsAtOnceEachHaveAThread() throws Exception {
        SessionThreads threads = SessionThreads.platform("test-session-");
        int n = 50;
        CountDownLatch all = new CountDownLatch(n);
        CountDownLatch release = new CountDownLatch(1);
        for (int i = 0; i < n; i++) {
            threads.start(() -> {
                all.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        assertThat(all.await(10, TimeUnit.SECONDS)).as("none waits for another to end").isTrue();
        assertThat(threads.cachedThreads()).isEqualTo(n);
        release.countDown();
        threads.shutdown();
        assertThatThrownBy(() -> threads.start(() -> { })).isInstanceOf(RejectedExecutionException.class);
    }

    @Test
    void virtualThreadsWhereTheJvmHasThem() throws Exception {
        SessionThreads threads = SessionThreads.create("test-session-");
        assertThat(threads.virtual()).isEqualTo(Runtime.version().feature() >= 21);
        BlockingQueue<Boolean> virtual = new ArrayBlockingQueue<>(1);
        threads.start(() -> virtual.add(Threads.isVirtual(Thread.currentThread())));
        assertThat(virtual.poll(10, TimeUnit.SECONDS)).isEqualTo(threads.virtual());
        threads.shutdown();
    }
}
