package dev.termlet.bench.jmh;

import dev.termlet.annotations.OnUser;
import dev.termlet.event.EventRegistry;
import dev.termlet.event.Events;
import dev.termlet.internal.dispatch.Dispatcher;
import dev.termlet.internal.dispatch.EventValues;
import dev.termlet.internal.dispatch.HandlerRegistry;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The cost of firing an event through Termlet's registry to one synchronous handler, against calling the same
 * handler method directly: the difference is the dispatch overhead (target: within 3 ns). The event is
 * {@code command} with a null client (the handler does not use it) and a fixed line.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DispatchBenchmark {

    /** A handler whose work is trivial, so that the call itself is measured. */
    public static final class Handler {
        Blackhole sink;

        /**
         * Consumes the line.
         *
         * @param line the line
         */
        @OnUser("command")
        public void command(String line) {
            sink.consume(line);
        }
    }

    private Handler handler;
    private Dispatcher dispatcher;
    private final String line = "hello";

    /**
     * Registers the handler and freezes the registry, as the server does at start.
     *
     * @param bh JMH's blackhole, which the handler consumes into
     */
    @Setup
    public void setUp(Blackhole bh) {
        handler = new Handler();
        handler.sink = bh;
        HandlerRegistry registry = new HandlerRegistry(EventRegistry.standard());
        registry.register(handler);
        dispatcher = registry.toDispatcher();
    }

    /** The handler called directly. */
    @Benchmark
    public void direct() {
        handler.command(line);
    }

    /**
     * The handler called through the dispatcher (values object, handler lookup, method handle, outcome).
     *
     * @return the outcome, so that it is not optimised away
     */
    @Benchmark
    public Object dispatched() {
        return dispatcher.fire(EventValues.of(Events.COMMAND, null, line), null);
    }
}
