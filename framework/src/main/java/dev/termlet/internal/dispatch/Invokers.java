package dev.termlet.internal.dispatch;

import java.lang.invoke.CallSite;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spins one small class per handler method with {@link LambdaMetafactory}, as {@code javac} does for a method
 * reference, so that a handler call through the registry costs about what a direct call costs: the call site
 * is an ordinary interface call that the JIT can inline, and no argument array is allocated. Handlers with
 * more than four parameters, or in a module that does not open its package to Termlet, keep the method
 * handle path.
 */
public final class Invokers {
    private static final Logger LOG = LoggerFactory.getLogger(Invokers.class);

    /** The most parameters a spun invoker takes. */
    static final int MAX_ARITY = 4;

    private static final Class<?>[] CALLS = {Call0.class, Call1.class, Call2.class, Call3.class, Call4.class};
    private static final Class<?>[] RUNS = {Run0.class, Run1.class, Run2.class, Run3.class, Run4.class};

    private Invokers() {
    }

    /** A handler with no parameters that returns a value. */
    @FunctionalInterface
    public interface Call0 {
        /** @return the handler's result @throws Throwable what the handler threw */
        Object call() throws Throwable;
    }

    /** A handler with one parameter that returns a value. */
    @FunctionalInterface
    public interface Call1 {
        /** @param a first argument @return the result @throws Throwable what the handler threw */
        Object call(Object a) throws Throwable;
    }

    /** A handler with two parameters that returns a value. */
    @FunctionalInterface
    public interface Call2 {
        /** @param a first @param b second @return the result @throws Throwable what the handler threw */
        Object call(Object a, Object b) throws Throwable;
    }

    /** A handler with three parameters that returns a value. */
    @FunctionalInterface
    public interface Call3 {
        /** @param a first @param b second @param c third @return the result @throws Throwable thrown */
        Object call(Object a, Object b, Object c) throws Throwable;
    }

    /** A handler with four parameters that returns a value. */
    @FunctionalInterface
    public interface Call4 {
        /** @param a 1st @param b 2nd @param c 3rd @param d 4th @return the result @throws Throwable thrown */
        Object call(Object a, Object b, Object c, Object d) throws Throwable;
    }

    /** A void handler with no parameters. */
    @FunctionalInterface
    public interface Run0 {
        /** @throws Throwable what the handler threw */
        void run() throws Throwable;
    }

    /** A void handler with one parameter. */
    @FunctionalInterface
    public interface Run1 {
        /** @param a first argument @throws Throwable what the handler threw */
        void run(Object a) throws Throwable;
    }

    /** A void handler with two parameters. */
    @FunctionalInterface
    public interface Run2 {
        /** @param a first @param b second @throws Throwable what the handler threw */
        void run(Object a, Object b) throws Throwable;
    }

    /** A void handler with three parameters. */
    @FunctionalInterface
    public interface Run3 {
        /** @param a first @param b second @param c third @throws Throwable what the handler threw */
        void run(Object a, Object b, Object c) throws Throwable;
    }

    /** A void handler with four parameters. */
    @FunctionalInterface
    public interface Run4 {
        /** @param a 1st @param b 2nd @param c 3rd @param d 4th @throws Throwable what the handler threw */
        void run(Object a, Object b, Object c, Object d) throws Throwable;
    }

    /**
     * Calls one spun handler with its arguments taken from an occurrence: one small class per shape, so that a
     * call site that sees one handler inlines all the way to it.
     */
    abstract static class Call {
        /** Where each argument comes from (see {@link HandlerMethod#arg}), in fields rather than an array. */
        final int b0;
        final int b1;
        final int b2;
        final int b3;

        Call(int[] binders) {
            this.b0 = binders.length > 0 ? binders[0] : 0;
            this.b1 = binders.length > 1 ? binders[1] : 0;
            this.b2 = binders.length > 2 ? binders[2] : 0;
            this.b3 = binders.length > 3 ? binders[3] : 0;
        }

        abstract Object invoke(EventValues v) throws Throwable;

        static Call of(Object fn, boolean isVoid, int[] b) {
            switch ((isVoid ? 10 : 0) + b.length) {
                case 0: return new C0((Call0) fn, b);
                case 1: return new C1((Call1) fn, b);
                case 2: return new C2((Call2) fn, b);
                case 3: return new C3((Call3) fn, b);
                case 4: return new C4((Call4) fn, b);
                case 10: return new R0((Run0) fn, b);
                case 11: return new R1((Run1) fn, b);
                case 12: return new R2((Run2) fn, b);
                case 13: return new R3((Run3) fn, b);
                case 14: return new R4((Run4) fn, b);
                default: throw new IllegalArgumentException("arity " + b.length);
            }
        }
    }

    private static final class C0 extends Call {
        private final Call0 fn;

        C0(Call0 fn, int[] b) {
            super(b);
            this.fn = fn;
        }

        @Override
        Object invoke(EventValues v) throws Throwable {
            return fn.call();
        }
    }

    private static final class C1 extends Call {
        private final Call1 fn;

        C1(Call1 fn, int[] b) {
            super(b);
            this.fn = fn;
        }

        @Override
        Object invoke(EventValues v) throws Throwable {
            return fn.call(HandlerMethod.arg(v, b0));
        }
    }

    private static final class C2 extends Call {
        private final Call2 fn;

        C2(Call2 fn, int[] b) {
            super(b);
            this.fn = fn;
        }

        @Override
        Object invoke(EventValues v) throws Throwable {
            return fn.call(HandlerMethod.arg(v, b0), HandlerMethod.arg(v, b1));
        }
    }

    private static final class C3 extends Call {
        private final Call3 fn;

        C3(Call3 fn, int[] b) {
            super(b);
            this.fn = fn;
        }

        @Override
        Object invoke(EventValues v) throws Throwable {
            return fn.call(HandlerMethod.arg(v, b0), HandlerMethod.arg(v, b1), HandlerMethod.arg(v, b2));
        }
    }

    private static final class C4 extends Call {
        private final Call4 fn;

        C4(Call4 fn, int[] b) {
            super(b);
            this.fn = fn;
        }

        @Override
        Object invoke(EventValues v) throws Throwable {
            return fn.call(HandlerMethod.arg(v, b0), HandlerMethod.arg(v, b1), HandlerMethod.arg(v, b2),
                    HandlerMethod.arg(v, b3));
        }
    }

    private static final class R0 extends Call {
        private final Run0 fn;

        R0(Run0 fn, int[] b) {
            super(b);
            this.fn = fn;
        }

        @Override
        Object invoke(EventValues v) throws Throwable {
            fn.run();
            return null;
        }
    }

    private static final class R1 extends Call {
        private final Run1 fn;

        R1(Run1 fn, int[] b) {
            super(b);
            this.fn = fn;
        }

        @Override
        Object invoke(EventValues v) throws Throwable {
            fn.run(HandlerMethod.arg(v, b0));
            return null;
        }
    }

    private static final class R2 extends Call {
        private final Run2 fn;

        R2(Run2 fn, int[] b) {
            super(b);
            this.fn = fn;
        }

        @Override
        Object invoke(EventValues v) throws Throwable {
            fn.run(HandlerMethod.arg(v, b0), HandlerMethod.arg(v, b1));
            return null;
        }
    }

    private static final class R3 extends Call {
        private final Run3 fn;

        R3(Run3 fn, int[] b) {
            super(b);
            this.fn = fn;
        }

        @Override
        Object invoke(EventValues v) throws Throwable {
            fn.run(HandlerMethod.arg(v, b0), HandlerMethod.arg(v, b1), HandlerMethod.arg(v, b2));
            return null;
        }
    }

    private static final class R4 extends Call {
        private final Run4 fn;

        R4(Run4 fn, int[] b) {
            super(b);
            this.fn = fn;
        }

        @Override
        Object invoke(EventValues v) throws Throwable {
            fn.run(HandlerMethod.arg(v, b0), HandlerMethod.arg(v, b1), HandlerMethod.arg(v, b2),
                    HandlerMethod.arg(v, b3));
            return null;
        }
    }

    /**
     * Spins an invoker for a handler method.
     *
     * @param m the method (already validated)
     * @param target the receiver for an instance method, ignored for a static one
     * @param binders where each parameter's argument comes from
     * @return the invoker, or null where the method handle path must be used
     */
    static Call spin(Method m, Object target, int[] binders) {
        int arity = m.getParameterCount();
        if (arity > MAX_ARITY) {
            return null;
        }
        boolean isVoid = m.getReturnType() == void.class;
        Class<?> iface = isVoid ? RUNS[arity] : CALLS[arity];
        String sam = isVoid ? "run" : "call";
        try {
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(m.getDeclaringClass(), MethodHandles.lookup());
            MethodHandle impl = lookup.unreflect(m);
            boolean isStatic = Modifier.isStatic(m.getModifiers());
            MethodType generic = MethodType.genericMethodType(arity);
            if (isVoid) {
                generic = generic.changeReturnType(void.class);
            }
            MethodType instantiated = MethodType.methodType(m.getReturnType(), m.getParameterTypes());
            if (!isVoid && m.getReturnType().isPrimitive()) {
                instantiated = instantiated.changeReturnType(instantiated.wrap().returnType());
            }
            MethodType factory = isStatic ? MethodType.methodType(iface)
                    : MethodType.methodType(iface, m.getDeclaringClass());
            CallSite site = LambdaMetafactory.metafactory(lookup, sam, factory, generic, impl, instantiated);
            Object fn = isStatic ? site.getTarget().invoke() : site.getTarget().invoke(target);
            return Call.of(fn, isVoid, binders);
        } catch (Throwable e) {
            LOG.debug("{}#{}: calling through a method handle ({})", m.getDeclaringClass().getName(), m.getName(),
                    e.toString());
            return null;
        }
    }
}
