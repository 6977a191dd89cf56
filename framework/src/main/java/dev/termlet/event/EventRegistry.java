package dev.termlet.event;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * All event types a server knows, by canonical name and alias. Names are matched ignoring case, and
 * {@code _} matches {@code -}, so {@code ssh_cmd}, {@code SSH-CMD} and {@code ssh-cmd} are one name.
 */
public final class EventRegistry {
    private final Map<String, EventType> byName = new LinkedHashMap<>();
    private final List<EventType> types = new ArrayList<>();

    /** Creates an empty registry. */
    public EventRegistry() {}

    /**
     * A registry with the framework's events and those of every {@link EventTypeProvider} on the class
     * path.
     *
     * @return a new registry
     */
    public static EventRegistry standard() {
        EventRegistry registry = new EventRegistry();
        registry.registerAll(Events.all());
        for (EventTypeProvider provider : ServiceLoader.load(EventTypeProvider.class)) {
            registry.registerAll(provider.eventTypes());
        }
        return registry;
    }

    /**
     * Normalises a name for lookup.
     *
     * @param name an event name or alias
     * @return the lookup key
     */
    static String key(String name) {
        return name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Adds event types.
     *
     * @param eventTypes the types
     * @throws IllegalArgumentException if a name or alias is already taken
     */
    public synchronized void registerAll(Collection<EventType> eventTypes) {
        for (EventType type : eventTypes) {
            register(type);
        }
    }

    /**
     * Adds one event type.
     *
     * @param type the type
     * @throws IllegalArgumentException if its name or an alias is already taken
     */
    public synchronized void register(EventType type) {
        List<String> names = new ArrayList<>();
        names.add(type.name());
        names.addAll(type.aliases());
        for (String n : names) {
            EventType other = byName.get(key(n));
            if (other != null) {
                throw new IllegalArgumentException(
                        "event name '" + n + "' of '" + type.name() + "' is already taken by '" + other.name() + "'");
            }
        }
        for (String n : names) {
            byName.put(key(n), type);
        }
        types.add(type);
    }

    /**
     * Finds an event type by canonical name or alias.
     *
     * @param name the name
     * @return the type, if known
     */
    public synchronized Optional<EventType> find(String name) {
        return Optional.ofNullable(byName.get(key(name)));
    }

    /** @return every registered type in registration order */
    public synchronized List<EventType> all() {
        return Collections.unmodifiableList(new ArrayList<>(types));
    }

    /**
     * The known name closest to an unknown one, for "did you mean" messages.
     *
     * @param name the unknown name
     * @return the closest canonical name or alias, if one is close enough
     */
    public synchronized Optional<String> suggest(String name) {
        String k = key(name);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (Map.Entry<String, EventType> e : byName.entrySet()) {
            int d = distance(k, e.getKey());
            if (d < bestDistance) {
                bestDistance = d;
                best = e.getKey();
            }
        }
        return best != null && bestDistance <= Math.max(2, k.length() / 3) ? Optional.of(best) : Optional.empty();
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
