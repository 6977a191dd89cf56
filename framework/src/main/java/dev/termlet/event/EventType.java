package dev.termlet.event;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One kind of event: its canonical name, the aliases it also answers to, the values a handler may
 * receive, what a handler may return, whether it can refuse, and when it runs.
 *
 * <p>Handlers receive values by type: a parameter of type {@code T} gets the event value whose declared
 * type is {@code T} or a subtype of it. A {@code Map<String, Object>} parameter gets the PyserSSH-style
 * data map when the event has one ({@link #mapKeys()}).
 */
public final class EventType {
    private final String name;
    private final List<String> aliases;
    private final Map<String, Narrowing> narrowed;
    private final List<Class<?>> values;
    private final List<String> mapKeys;
    private final Set<Class<?>> results;
    private final boolean refusable;
    private final EventKind kind;
    private final String description;
    /** {@code values.size()} and {@code name.hashCode()}, read on every dispatch. */
    private final int arity;
    private final int hash;

    private EventType(Builder b) {
        this.name = b.name;
        this.aliases = List.copyOf(b.aliases);
        this.narrowed = Map.copyOf(b.narrowed);
        this.values = List.copyOf(b.values);
        this.mapKeys = b.mapKeys == null ? null : List.copyOf(b.mapKeys);
        this.results = Collections.unmodifiableSet(new LinkedHashSet<>(b.results));
        this.refusable = b.refusable;
        this.kind = b.kind;
        this.description = b.description;
        this.arity = values.size();
        this.hash = name.hashCode();
    }

    /**
     * Starts a definition.
     *
     * @param name the canonical name: lower case, words joined by hyphens
     * @return a builder
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** @return the canonical name */
    public String name() {
        return name;
    }

    /** @return the other names this event answers to (PyserSSH, Syncplify, SFTPGo) */
    public List<String> aliases() {
        return aliases;
    }

    /**
     * What a narrowing alias matches: a handler registered under it runs only for the occurrences its test
     * accepts (Syncplify's {@code BeforeRenameDir} is {@code pre-rename} for directories only).
     *
     * @param name the alias, in any case, {@code _} for {@code -}
     * @return the test on the occurrence's values, or null when the name matches every occurrence
     */
    public Predicate<Object[]> aliasFilter(String name) {
        Narrowing n = name == null ? null : narrowed.get(EventRegistry.key(name));
        return n == null ? null : n.test;
    }

    /**
     * The condition of a narrowing alias, for the events reference.
     *
     * @param alias an alias
     * @return the condition in words ({@code "directories only"}), or null when the alias matches every occurrence
     */
    public String aliasCondition(String alias) {
        Narrowing n = alias == null ? null : narrowed.get(EventRegistry.key(alias));
        return n == null ? null : n.condition;
    }

    /** A narrowing alias's condition, in words and as a test. */
    private record Narrowing(String condition, Predicate<Object[]> test) {}

    /** @return the types of the values handlers may receive, in order */
    public List<Class<?>> values() {
        return values;
    }

    /** @return how many values an occurrence carries: {@code values().size()} */
    public int arity() {
        return arity;
    }

    /** @return the keys of the PyserSSH-style data map, or null when the event has no map */
    public List<String> mapKeys() {
        return mapKeys;
    }

    /** @return the return types a handler may use besides {@code void} (and {@code boolean} when refusable) */
    public Set<Class<?>> results() {
        return results;
    }

    /** @return whether a handler can refuse the operation (return {@code false} or throw {@code RefusedException}) */
    public boolean refusable() {
        return refusable;
    }

    /** @return when handlers run */
    public EventKind kind() {
        return kind;
    }

    /** @return one sentence on when the event fires */
    public String description() {
        return description;
    }

    /**
     * The index of the value a parameter of the given type receives.
     *
     * @param parameterType the parameter's type
     * @return the index into {@link #values()}, or -1 when no value fits, or -2 when several fit
     */
    public int valueIndexFor(Class<?> parameterType) {
        int exact = values.indexOf(parameterType);
        if (exact >= 0) {
            return exact == values.lastIndexOf(parameterType) ? exact : -2;
        }
        int found = -1;
        for (int i = 0; i < values.size(); i++) {
            if (parameterType.isAssignableFrom(values.get(i))) {
                if (found >= 0) {
                    return -2;
                }
                found = i;
            }
        }
        return found;
    }

    @Override
    public String toString() {
        return name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EventType && ((EventType) o).name.equals(name);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** Builds an {@link EventType}. */
    public static final class Builder {
        private final String name;
        private final List<String> aliases = new ArrayList<>();
        private final Map<String, Narrowing> narrowed = new LinkedHashMap<>();
        private final List<Class<?>> values = new ArrayList<>();
        private List<String> mapKeys;
        private final Set<Class<?>> results = new LinkedHashSet<>();
        private boolean refusable;
        private EventKind kind = EventKind.SESSION;
        private String description = "";

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name").toLowerCase(Locale.ROOT);
        }

        /**
         * Adds aliases.
         *
         * @param names other names for this event
         * @return this builder
         */
        public Builder aliases(String... names) {
            aliases.addAll(List.of(names));
            return this;
        }

        /**
         * Adds an alias that matches only some occurrences of the event: a handler registered under it runs only
         * when the test accepts the occurrence's values.
         *
         * @param alias the other name
         * @param condition the condition in words, for the events reference ({@code "directories only"})
         * @param test decides, from the values in {@link #values(Class[])} order, whether the alias matches
         * @return this builder
         */
        public Builder narrowingAlias(String alias, String condition, Predicate<Object[]> test) {
            aliases.add(alias);
            narrowed.put(EventRegistry.key(alias), new Narrowing(Objects.requireNonNull(condition, "condition"),
                    Objects.requireNonNull(test, "test")));
            return this;
        }

        /**
         * Declares the values handlers may receive, in order.
         *
         * @param types the value types
         * @return this builder
         */
        public Builder values(Class<?>... types) {
            values.addAll(List.of(types));
            return this;
        }

        /**
         * Gives the event a PyserSSH-style {@code Map<String, Object>} with these keys.
         *
         * @param keys the map's keys
         * @return this builder
         */
        public Builder map(String... keys) {
            mapKeys = List.of(keys);
            return this;
        }

        /**
         * Declares return types handlers may use.
         *
         * @param types the types
         * @return this builder
         */
        public Builder results(Class<?>... types) {
            results.addAll(List.of(types));
            return this;
        }

        /**
         * Makes handlers able to refuse the operation.
         *
         * @return this builder
         */
        public Builder refusable() {
            this.refusable = true;
            return this;
        }

        /**
         * Sets when handlers run.
         *
         * @param kind the kind
         * @return this builder
         */
        public Builder kind(EventKind kind) {
            this.kind = Objects.requireNonNull(kind, "kind");
            return this;
        }

        /**
         * Sets the description.
         *
         * @param text one sentence on when the event fires
         * @return this builder
         */
        public Builder description(String text) {
            this.description = text;
            return this;
        }

        /** @return the event type */
        public EventType build() {
            return new EventType(this);
        }
    }
}
