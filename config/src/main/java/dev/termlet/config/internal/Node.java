package dev.termlet.config.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One value of a configuration tree before it is typed: a scalar's text, a list or a map of keys, each with where it
 * came from. Every source (YAML, a map, environment variables, system properties) becomes such a tree.
 */
public abstract class Node {
    private final Origin origin;

    Node(Origin origin) {
        this.origin = origin;
    }

    /** @return where the value came from */
    public Origin origin() {
        return origin;
    }

    /** @return what the node is, for messages: "a value", "a list", "a map" */
    public abstract String kind();

    /** A scalar: its text, or null for an empty value ({@code key:} or {@code ~}), which means the default. */
    public static final class Scalar extends Node {
        private final String text;

        /**
         * @param text the text, or null
         * @param origin where it came from
         */
        public Scalar(String text, Origin origin) {
            super(origin);
            this.text = text;
        }

        /** @return the text, or null */
        public String text() {
            return text;
        }

        @Override
        public String kind() {
            return "a value";
        }
    }

    /** A list. */
    public static final class Seq extends Node {
        private final List<Node> items = new ArrayList<>();

        /** @param origin where it starts */
        public Seq(Origin origin) {
            super(origin);
        }

        /** @return the items, in order (mutable while the tree is built) */
        public List<Node> items() {
            return items;
        }

        @Override
        public String kind() {
            return "a list";
        }
    }

    /** A map of keys, in the order they were written. */
    public static final class Obj extends Node {
        private final Map<String, Node> entries = new LinkedHashMap<>();
        private final Map<String, Origin> keyOrigins = new LinkedHashMap<>();

        /** @param origin where it starts */
        public Obj(Origin origin) {
            super(origin);
        }

        /** @return the entries (mutable while the tree is built) */
        public Map<String, Node> entries() {
            return entries;
        }

        /**
         * Where a key was written.
         *
         * @param key the key
         * @return its origin, or the map's if unknown
         */
        public Origin keyOrigin(String key) {
            return keyOrigins.getOrDefault(key, origin());
        }

        /**
         * Sets an entry.
         *
         * @param key the key
         * @param keyOrigin where the key was written
         * @param value the value
         */
        public void put(String key, Origin keyOrigin, Node value) {
            entries.put(key, value);
            keyOrigins.put(key, keyOrigin);
        }

        @Override
        public String kind() {
            return "a map";
        }
    }
}
