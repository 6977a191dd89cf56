package dev.termlet.internal.dispatch;

import dev.termlet.annotations.Delivery;
import dev.termlet.annotations.OnUser;
import dev.termlet.event.EventKind;
import dev.termlet.event.EventRegistry;
import dev.termlet.event.EventType;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Collects {@link OnUser} methods from handler objects, validates each against the event registry, and
 * compiles it to a method handle. All problems are collected and reported together by {@link #validate()},
 * each naming {@code Class#method} and the fix.
 */
public final class HandlerRegistry {
    private final EventRegistry events;
    private final Map<EventType, List<HandlerMethod>> handlers = new HashMap<>();
    private final List<String> problems = new ArrayList<>();
    private long sequence;

    /**
     * Creates a registry.
     *
     * @param events the known event types
     */
    public HandlerRegistry(EventRegistry events) {
        this.events = events;
    }

    /** @return the event types */
    public EventRegistry events() {
        return events;
    }

    /**
     * Registers every {@link OnUser} method of an object (instance and static methods, any visibility,
     * inherited ones included).
     *
     * @param handler the object
     * @return the number of handler methods found
     */
    public synchronized int register(Object handler) {
        int found = 0;
        List<Method> methods = new ArrayList<>();
        Class<?> start = handler instanceof HandlerScanner.StaticHolder
                ? ((HandlerScanner.StaticHolder) handler).type : handler.getClass();
        for (Class<?> c = start; c != null && c != Object.class; c = c.getSuperclass()) {
            Method[] declared = c.getDeclaredMethods();
            Arrays.sort(declared, Comparator.comparing(Method::getName).thenComparing(Method::toString));
            methods.addAll(Arrays.asList(declared));
        }
        for (Method m : methods) {
            OnUser on = m.getAnnotation(OnUser.class);
            if (on != null && !m.isBridge() && !m.isSynthetic()) {
                found++;
                for (String name : on.value()) {
                    add(handler, m, on, name);
                }
            }
        }
        return found;
    }

    static String describe(Method m) {
        return m.getDeclaringClass().getName() + "#" + m.getName();
    }

    private void add(Object target, Method m, OnUser on, String eventName) {
        String where = describe(m);
        EventType type = events.find(eventName).orElse(null);
        if (type == null) {
            String hint = events.suggest(eventName).map(s -> " Did you mean '" + s + "'?").orElse("");
            problems.add(where + ": unknown event '" + eventName + "' in @OnUser." + hint
                    + " Use a name from the events reference (docs/events.md).");
            return;
        }
        boolean async;
        if (on.delivery() == Delivery.ASYNC && type.kind() != EventKind.POST) {
            problems.add(where + ": delivery = ASYNC is only for post-events, and '" + type.name() + "' is a "
                    + type.kind().name().toLowerCase(java.util.Locale.ROOT) + " event. Remove the delivery attribute.");
            return;
        }
        async = type.kind() == EventKind.POST && on.delivery() != Delivery.SYNC;
        int[] binders = new int[m.getParameterCount()];
        Class<?>[] params = m.getParameterTypes();
        Type[] generic = m.getGenericParameterTypes();
        for (int i = 0; i < params.length; i++) {
            int b = bind(type, params[i], generic[i]);
            if (b == -2) {
                problems.add(where + ": parameter " + (i + 1) + " of type " + params[i].getSimpleName()
                        + " is ambiguous for event '" + type.name() + "'. Use one of " + supplied(type) + ".");
                return;
            }
            if (b == -3) {
                problems.add(where + ": parameter " + (i + 1) + " of type " + params[i].getSimpleName()
                        + " cannot be supplied by event '" + type.name() + "'. It supplies " + supplied(type)
                        + "; change or remove the parameter.");
                return;
            }
            binders[i] = b;
        }
        Class<?> ret = m.getReturnType();
        if (!returnAllowed(type, ret)) {
            problems.add(where + ": returns " + ret.getSimpleName() + ", which event '" + type.name()
                    + "' cannot use. " + allowedReturns(type) + ".");
            return;
        }
        MethodHandle invoker;
        try {
            m.setAccessible(true);
            MethodHandle mh = MethodHandles.lookup().unreflect(m);
            if (!Modifier.isStatic(m.getModifiers())) {
                if (target instanceof HandlerScanner.StaticHolder) {
                    throw new IllegalArgumentException("no instance for a non-static handler");
                }
                mh = mh.bindTo(target);
            }
            invoker = mh.asSpreader(Object[].class, params.length)
                    .asType(MethodType.methodType(Object.class, Object[].class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            problems.add(where + ": cannot be called (" + e.getMessage() + "). Make the method and class"
                    + " accessible, or open the package to Termlet.");
            return;
        }
        HandlerMethod h = new HandlerMethod(type, where, on.order(), sequence++, async, invoker, binders,
                Invokers.spin(m, target, binders), type.aliasFilter(eventName));
        List<HandlerMethod> list = handlers.computeIfAbsent(type, k -> new ArrayList<>());
        list.add(h);
        list.sort(Comparator.comparingInt((HandlerMethod x) -> x.order).thenComparingLong(x -> x.sequence));
    }

    private static int bind(EventType type, Class<?> param, Type generic) {
        if (param == EventType.class) {
            return HandlerMethod.TYPE;
        }
        if (param == Map.class && type.mapKeys() != null) {
            if (generic instanceof ParameterizedType) {
                Type[] args = ((ParameterizedType) generic).getActualTypeArguments();
                if (args.length == 2 && args[0] != String.class) {
                    return -3;
                }
            }
            return HandlerMethod.MAP;
        }
        if (param.isPrimitive()) {
            return -3;
        }
        int idx = type.valueIndexFor(param);
        return idx == -1 ? -3 : idx;
    }

    private static String supplied(EventType type) {
        List<String> names = type.values().stream().map(Class::getSimpleName).collect(Collectors.toList());
        if (type.mapKeys() != null) {
            names.add("Map<String, Object> " + type.mapKeys());
        }
        names.add("EventType (the event itself)");
        return names.isEmpty() ? "no values" : String.join(", ", names);
    }

    private static boolean returnAllowed(EventType type, Class<?> ret) {
        if (ret == void.class) {
            return true;
        }
        if (type.refusable() && (ret == boolean.class || ret == Boolean.class)) {
            return true;
        }
        for (Class<?> allowed : type.results()) {
            if (allowed == ret || allowed.isAssignableFrom(ret) || boxed(ret) == allowed) {
                return true;
            }
        }
        return false;
    }

    private static Class<?> boxed(Class<?> c) {
        if (c == int.class) {
            return Integer.class;
        }
        if (c == boolean.class) {
            return Boolean.class;
        }
        return c;
    }

    private static String allowedReturns(EventType type) {
        List<String> names = new ArrayList<>();
        names.add("void");
        if (type.refusable()) {
            names.add("boolean (false refuses)");
        }
        type.results().forEach(r -> names.add(r.getSimpleName()));
        return "Declare it to return " + String.join(" or ", names);
    }

    /**
     * Throws if any registered method was invalid.
     *
     * @throws IllegalStateException listing every problem, one per line
     */
    public synchronized void validate() {
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Invalid @OnUser handlers:\n  " + String.join("\n  ", problems));
        }
    }

    /** @return the problems found so far */
    public synchronized List<String> problems() {
        return List.copyOf(problems);
    }

    synchronized List<HandlerMethod> handlersOf(EventType type) {
        List<HandlerMethod> list = handlers.get(type);
        return list == null ? List.of() : List.copyOf(list);
    }

    /**
     * Freezes the registry into a dispatcher.
     *
     * @return a dispatcher over the handlers registered so far
     */
    public synchronized Dispatcher toDispatcher() {
        validate();
        Map<EventType, HandlerMethod[]> frozen = new HashMap<>();
        handlers.forEach((k, v) -> frozen.put(k, v.toArray(new HandlerMethod[0])));
        return new Dispatcher(frozen);
    }
}
