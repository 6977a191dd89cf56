package dev.termlet.internal.util;

import java.lang.reflect.Method;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes threads: virtual threads when the JVM has them (Java 21 and newer, found by reflection so the code stays
 * Java 17 bytecode) and named daemon platform threads. Sessions take theirs from {@link SessionThreads}.
 */
public final class Threads {
    private Threads() {}

    /**
     * A factory of virtual threads, if this JVM has them.
     *
     * @param prefix thread name prefix
     * @return the factory, or null before Java 21
     */
    public static ThreadFactory virtualThreads(String prefix) {
        try {
            Method ofVirtual = Thread.class.getMethod("ofVirtual");
            Object builder = ofVirtual.invoke(null);
            Class<?> builderType = Class.forName("java.lang.Thread$Builder");
            builder = builderType.getMethod("name", String.class, long.class).invoke(builder, prefix, 0L);
            return (ThreadFactory) builderType.getMethod("factory").invoke(builder);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /**
     * A factory of named daemon platform threads.
     *
     * @param prefix thread name prefix
     * @return the factory
     */
    public static ThreadFactory platformThreads(String prefix) {
        AtomicLong counter = new AtomicLong();
        return r -> {
            Thread t = new Thread(r, prefix + counter.getAndIncrement());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * Whether a thread is virtual.
     *
     * @param t the thread
     * @return true for a virtual thread
     */
    public static boolean isVirtual(Thread t) {
        try {
            return (Boolean) Thread.class.getMethod("isVirtual").invoke(t);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }
}
