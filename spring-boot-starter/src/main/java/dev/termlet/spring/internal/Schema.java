package dev.termlet.spring.internal;

import dev.termlet.config.ConfigKey;
import dev.termlet.config.ServerConfig;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;

/**
 * The keys of Termlet's configuration model ({@link ServerConfig} and its records), read from the records: what the
 * Spring binding walks and what the configuration metadata lists.
 */
public final class Schema {
    /** The keys of {@link ServerConfig}, by name. */
    public static final Map<String, Key> ROOT = keys(ServerConfig.class);

    private Schema() {}

    /** What a key holds. */
    public enum Kind {
        /** One value. */
        SCALAR,
        /** A list of values. */
        LIST,
        /** A map of names to values or to lists of values. */
        MAP,
        /** A section: a record of more keys. */
        SECTION,
        /** A list of records. */
        RECORDS
    }

    /**
     * One key of the model.
     *
     * @param name the key's name, kebab-case ({@code max-sessions})
     * @param kind what it holds
     * @param type the record component's type
     * @param info its {@link ConfigKey}
     * @param children the keys of a section, or of each item of a list of records; empty otherwise
     */
    public record Key(String name, Kind kind, Type type, ConfigKey info, Map<String, Key> children) {
        /** @return whether the values of a {@link Kind#MAP} are lists */
        public boolean mapOfLists() {
            return kind == Kind.MAP && raw(((ParameterizedType) type).getActualTypeArguments()[1]) == List.class;
        }
    }

    /**
     * @param record a record of the model
     * @return its keys, in the record's order
     */
    public static Map<String, Key> keys(Class<?> record) {
        Map<String, Key> keys = new LinkedHashMap<>();
        for (RecordComponent c : record.getRecordComponents()) {
            String name = DataObjectPropertyName.toDashedForm(c.getName());
            Type type = c.getGenericType();
            Class<?> raw = raw(type);
            ConfigKey info = c.getAnnotation(ConfigKey.class);
            if (raw.isRecord()) {
                keys.put(name, new Key(name, Kind.SECTION, type, info, keys(raw)));
            } else if (raw == List.class && raw(((ParameterizedType) type).getActualTypeArguments()[0]).isRecord()) {
                Class<?> item = raw(((ParameterizedType) type).getActualTypeArguments()[0]);
                keys.put(name, new Key(name, Kind.RECORDS, type, info, keys(item)));
            } else if (raw == List.class) {
                keys.put(name, new Key(name, Kind.LIST, type, info, Map.of()));
            } else if (raw == Map.class) {
                keys.put(name, new Key(name, Kind.MAP, type, info, Map.of()));
            } else {
                keys.put(name, new Key(name, Kind.SCALAR, type, info, Map.of()));
            }
        }
        return Collections.unmodifiableMap(keys);
    }

    /**
     * @param type a type
     * @return its class, without type arguments
     */
    public static Class<?> raw(Type type) {
        return type instanceof ParameterizedType ? (Class<?>) ((ParameterizedType) type).getRawType() : (Class<?>) type;
    }

    /**
     * The key with this name in Spring's relaxed sense: {@code maxSessions}, {@code max_sessions} and
     * {@code MAX-SESSIONS} all name {@code max-sessions}.
     *
     * @param keys the keys of a record
     * @param written the name as written
     * @return the key, or null
     */
    public static Key find(Map<String, Key> keys, String written) {
        String uniform = uniform(written);
        for (Key k : keys.values()) {
            if (uniform(k.name()).equals(uniform)) {
                return k;
            }
        }
        return null;
    }

    /**
     * @param name a name
     * @return its letters and digits, lower-case: how Spring compares names
     */
    public static String uniform(String name) {
        return name.replaceAll("[^A-Za-z0-9]", "").toLowerCase(Locale.ROOT);
    }
}
