package dev.termlet.event;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

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
    private final List<Class<?>> values;
    private final List<String> mapKeys;
    private final Set<Class<?>> results;
    private final boolean refusable;
    private final EventKind kind;
    private final String description;

    private EventType(Builder b) {
        this.name = b.name;
        this.aliases = List.copyOf(b.aliases);
        this.values = List.copyOf(b.values);
        this.mapKeys = b.mapKeys == null ? null : List.copyOf(b.mapKeys);
        this.results = Collections.unmodifiableSet(new LinkedHashSet<>(b.results));
        this.refusable = b.refusable;
        this.kind = b.kind;
        this.description = b.description;
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

    /** @return the types of the values handlers may receive, in order */
    public List<Class<?>> values() {
        return values;
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
        return name.hashCode();
    }

    /** Builds an {@link EventType}. */
    public static final class Builder {
        private final String name;
        private final List<String> aliases = new ArrayList<>();
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
