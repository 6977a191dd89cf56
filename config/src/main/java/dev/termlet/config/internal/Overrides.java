package dev.termlet.config.internal;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Environment variables ({@code TERMLET_LIMITS_MAX_SESSIONS}) and system properties
 * ({@code termlet.limits.max-sessions}) laid over a tree: each name is matched against the model's keys, so a name is
 * read the only way the model allows. A system property that matches no key is a problem with a "did you mean"; an
 * environment variable that matches none is only a warning, since the environment is not all the operator's: Kubernetes
 * sets {@code TERMLET_SERVICE_HOST}, {@code TERMLET_PORT} and the like for a service named termlet.
 */
public final class Overrides {
    /** Names with the prefix that are not keys: where the file is, the installation (bin/termlet), the docs switch. */
    public static final Set<String> RESERVED = Set.of("TERMLET_CONFIG", "TERMLET_HOME", "termlet.config",
            "termlet.updateDocs");

    private Overrides() {}

    /**
     * Lays environment variables over a tree.
     *
     * @param root the tree (changed)
     * @param model the root record type
     * @param environment the variables; those starting with {@code TERMLET_} are read
     * @param problems where problems go
     * @param warnings where a variable that names no key goes
     */
    public static void environment(Node.Obj root, Class<? extends Record> model, Map<String, String> environment,
            List<Problem> problems, List<String> warnings) {
        environment.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            String name = e.getKey();
            if (!name.startsWith("TERMLET_") || RESERVED.contains(name)) {
                return;
            }
            Origin origin = Origin.outside("environment variable " + name);
            List<String> path = envPath(model, name.substring("TERMLET_".length()));
            if (path == null) {
                warnings.add("the environment variable " + name + " names no key and is ignored; "
                        + suggestEnv(model, name).map(s -> "did you mean " + s + "?")
                                .orElse("the variables are TERMLET_ and a key in capitals with _ for . and -, e.g."
                                        + " TERMLET_LIMITS_MAX_SESSIONS (Kubernetes sets TERMLET_SERVICE_HOST,"
                                        + " TERMLET_PORT and the like for a service named termlet unless the pod has"
                                        + " enableServiceLinks: false)"));
                return;
            }
            set(root, path, new Node.Scalar(e.getValue(), origin), origin, problems);
        });
    }

    /**
     * Lays system properties over a tree.
     *
     * @param root the tree (changed)
     * @param model the root record type
     * @param properties the properties; those starting with {@code termlet.} are read
     * @param problems where problems go
     */
    public static void properties(Node.Obj root, Class<? extends Record> model, Map<String, String> properties,
            List<Problem> problems) {
        properties.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            String name = e.getKey();
            if (!name.startsWith("termlet.") || RESERVED.contains(name)) {
                return;
            }
            Origin origin = Origin.outside("system property " + name);
            List<String> path = propertyPath(model, name.substring("termlet.".length()), problems, origin);
            if (path != null) {
                set(root, path, new Node.Scalar(e.getValue(), origin), origin, problems);
            }
        });
    }

    /** The key path of a variable's rest ({@code LIMITS_MAX_SESSIONS}), or null. */
    static List<String> envPath(Type type, String rest) {
        Class<?> raw = raw(type);
        if (raw.isRecord()) {
            List<RecordComponent> cs = new ArrayList<>(List.of(raw.getRecordComponents()));
            // longest key first, so MAX_STARTUPS is not read as MAX then STARTUPS
            cs.sort(Comparator.comparingInt((RecordComponent c) -> -c.getName().length()));
            for (RecordComponent c : cs) {
                String key = Names.kebab(c.getName());
                String env = Names.env(key);
                if (rest.equals(env)) {
                    return new ArrayList<>(List.of(key));
                }
                if (rest.startsWith(env + "_")) {
                    List<String> sub = envPath(c.getGenericType(), rest.substring(env.length() + 1));
                    if (sub != null) {
                        sub.add(0, key);
                        return sub;
                    }
                }
            }
            return null;
        }
        if (raw == List.class) {
            int us = rest.indexOf('_');
            String index = us < 0 ? rest : rest.substring(0, us);
            if (!index.matches("\\d+")) {
                return null;
            }
            Type item = ((ParameterizedType) type).getActualTypeArguments()[0];
            if (us < 0) {
                return raw(item).isRecord() ? null : new ArrayList<>(List.of("[" + index + "]"));
            }
            List<String> sub = envPath(item, rest.substring(us + 1));
            if (sub != null) {
                sub.add(0, "[" + index + "]");
            }
            return sub;
        }
        if (raw == Map.class) {
            // a map's key from a variable: lower case, _ for . (logger names)
            return rest.isEmpty() ? null : new ArrayList<>(List.of(rest.toLowerCase(Locale.ROOT).replace('_', '.')));
        }
        return null;
    }

    private static java.util.Optional<String> suggestEnv(Class<? extends Record> model, String name) {
        List<String> all = new ArrayList<>();
        allEnv(model, "TERMLET", all);
        return Names.suggest(name, all);
    }

    private static void allEnv(Type type, String prefix, List<String> out) {
        Class<?> raw = raw(type);
        if (raw.isRecord()) {
            for (RecordComponent c : raw.getRecordComponents()) {
                String name = prefix + "_" + Names.env(Names.kebab(c.getName()));
                if (raw(c.getGenericType()).isRecord()) {
                    allEnv(c.getGenericType(), name, out);
                } else {
                    out.add(name);
                }
            }
        }
    }

    /** The key path of a property's rest ({@code limits.max-sessions}, {@code listeners[0].port}), or null. */
    private static List<String> propertyPath(Type type, String rest, List<Problem> problems, Origin origin) {
        List<String> path = new ArrayList<>();
        Type at = type;
        String r = rest;
        String where = "";
        while (!r.isEmpty()) {
            Class<?> raw = raw(at);
            if (raw.isRecord()) {
                int end = indexOfAny(r);
                String key = end < 0 ? r : r.substring(0, end);
                RecordComponent found = null;
                List<String> keys = new ArrayList<>();
                for (RecordComponent c : raw.getRecordComponents()) {
                    keys.add(Names.kebab(c.getName()));
                    if (Names.kebab(c.getName()).equals(key)) {
                        found = c;
                    }
                }
                where = where.isEmpty() ? key : where + "." + key;
                if (found == null) {
                    problems.add(new Problem(where, origin, "unknown key '" + key + "'", Names.suggest(key, keys)
                            .map(s -> "did you mean '" + s + "'?").orElse("the keys here are " + Names.list(keys))));
                    return null;
                }
                path.add(key);
                at = found.getGenericType();
                r = end < 0 ? "" : r.charAt(end) == '.' ? r.substring(end + 1) : r.substring(end);
            } else if (raw == List.class) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(?:\\[(\\d+)]|(\\d+))\\.?").matcher(r);
                if (!m.find()) {
                    problems.add(new Problem(where, origin, "expected an index after '" + where + "'",
                            "write termlet." + where + "[0]..."));
                    return null;
                }
                String index = m.group(1) != null ? m.group(1) : m.group(2);
                path.add("[" + index + "]");
                where = where + "[" + index + "]";
                at = ((ParameterizedType) at).getActualTypeArguments()[0];
                r = r.substring(m.end());
            } else if (raw == Map.class) {
                path.add(r);
                return path;
            } else {
                problems.add(new Problem(where, origin, "'" + where + "' takes a value, not keys below it",
                        "write termlet." + where + "=VALUE"));
                return null;
            }
        }
        return path;
    }

    private static int indexOfAny(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '.' || s.charAt(i) == '[') {
                return i;
            }
        }
        return -1;
    }

    private static Class<?> raw(Type type) {
        return type instanceof ParameterizedType ? (Class<?>) ((ParameterizedType) type).getRawType() : (Class<?>) type;
    }

    /** Sets a value at a path, making the maps and lists on the way. */
    private static void set(Node.Obj root, List<String> path, Node value, Origin origin, List<Problem> problems) {
        Node at = root;
        for (int i = 0; i < path.size(); i++) {
            String seg = path.get(i);
            boolean last = i == path.size() - 1;
            boolean nextIsIndex = !last && path.get(i + 1).startsWith("[");
            if (seg.startsWith("[")) {
                int index = Integer.parseInt(seg.substring(1, seg.length() - 1));
                if (!(at instanceof Node.Seq)) {
                    problems.add(new Problem(String.join(".", path.subList(0, i)), origin,
                            "an index where there is no list", "set the list in the file first"));
                    return;
                }
                List<Node> items = ((Node.Seq) at).items();
                if (index > items.size()) {
                    problems.add(new Problem(String.join(".", path), origin, "index " + index + " skips items: the"
                            + " list has " + items.size(), "use an index from 0 to " + items.size()));
                    return;
                }
                if (last) {
                    if (index == items.size()) {
                        items.add(value);
                    } else {
                        items.set(index, value);
                    }
                    return;
                }
                if (index == items.size()) {
                    items.add(nextIsIndex ? new Node.Seq(origin) : new Node.Obj(origin));
                }
                Node next = items.get(index);
                if (next instanceof Node.Scalar && ((Node.Scalar) next).text() == null) {
                    next = nextIsIndex ? new Node.Seq(origin) : new Node.Obj(origin);
                    items.set(index, next);
                }
                at = next;
            } else {
                if (!(at instanceof Node.Obj)) {
                    problems.add(new Problem(String.join(".", path.subList(0, i)), origin,
                            "the file has a value where the override needs keys", "fix the file's value there"));
                    return;
                }
                Node.Obj obj = (Node.Obj) at;
                if (last) {
                    obj.put(seg, origin, value);
                    return;
                }
                Node next = obj.entries().get(seg);
                if (next == null || (next instanceof Node.Scalar && ((Node.Scalar) next).text() == null)) {
                    next = nextIsIndex ? new Node.Seq(origin) : new Node.Obj(origin);
                    obj.put(seg, origin, next);
                }
                at = next;
            }
        }
    }
}
