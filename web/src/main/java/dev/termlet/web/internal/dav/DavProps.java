package dev.termlet.web.internal.dav;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.termlet.io.PrivateFiles;
import dev.termlet.web.internal.Http;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The dead properties of WebDAV (those clients set with {@code PROPPATCH}), kept per user in
 * {@code DATA/web/dav-props/USER.json}: by virtual path, each property's name in Clark notation and its element as
 * standalone XML. Each change rewrites the user's file atomically (0600); a change that cannot be written is not
 * made. Moves, copies and deletes through WebDAV carry the properties along; a resource made anew starts without
 * any. Thread-safe.
 */
final class DavProps {
    /** The most bytes of one user's properties. */
    static final int MAX_BYTES = 8 << 20;
    private static final TypeReference<TreeMap<String, LinkedHashMap<String, String>>> TYPE =
            new TypeReference<>() {};

    private final Path dir;
    private final Map<String, TreeMap<String, LinkedHashMap<String, String>>> cache = new HashMap<>();

    /** The user's properties would be larger than {@link #MAX_BYTES}. */
    static final class Full extends IOException {
        private static final long serialVersionUID = 1L;

        Full() {
            super("too many dead properties");
        }
    }

    /** @param dir the directory of the files */
    DavProps(Path dir) {
        this.dir = dir;
    }

    private Path file(String user) {
        StringBuilder sb = new StringBuilder();
        for (char c : user.toCharArray()) {
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-') {
                sb.append(c);
            } else {
                sb.append('%').append(String.format("%04x", (int) c));
            }
        }
        return dir.resolve(sb + ".json");
    }

    private TreeMap<String, LinkedHashMap<String, String>> load(String user) throws IOException {
        TreeMap<String, LinkedHashMap<String, String>> m = cache.get(user);
        if (m == null) {
            Path f = file(user);
            m = Files.exists(f) ? Http.JSON.readValue(Files.readAllBytes(f), TYPE) : new TreeMap<>();
            cache.put(user, m);
        }
        return m;
    }

    private void save(String user, TreeMap<String, LinkedHashMap<String, String>> m) throws IOException {
        byte[] b = Http.JSON.writeValueAsBytes(m);
        if (b.length > MAX_BYTES) {
            throw new Full();
        }
        PrivateFiles.write(file(user), b);
        cache.put(user, m);
    }

    private static TreeMap<String, LinkedHashMap<String, String>> copyOf(
            TreeMap<String, LinkedHashMap<String, String>> m) {
        TreeMap<String, LinkedHashMap<String, String>> c = new TreeMap<>();
        m.forEach((k, v) -> c.put(k, new LinkedHashMap<>(v)));
        return c;
    }

    /**
     * @param user the user
     * @param path a virtual path
     * @return its properties, name to XML (a copy)
     */
    synchronized Map<String, String> get(String user, String path) throws IOException {
        Map<String, String> m = load(user).get(path);
        return m == null ? Map.of() : new LinkedHashMap<>(m);
    }

    /**
     * One change: set a property to an element's XML, or remove it (xml null).
     *
     * @param key the name
     * @param xml the element, or null to remove
     */
    record Change(String key, String xml) {}

    /** Applies changes in order, all or none. */
    synchronized void apply(String user, String path, List<Change> changes) throws IOException {
        TreeMap<String, LinkedHashMap<String, String>> m = copyOf(load(user));
        LinkedHashMap<String, String> p = m.computeIfAbsent(path, k -> new LinkedHashMap<>());
        for (Change c : changes) {
            if (c.xml() == null) {
                p.remove(c.key());
            } else {
                p.put(c.key(), c.xml());
            }
        }
        if (p.isEmpty()) {
            m.remove(path);
        }
        save(user, m);
    }

    private static List<String> within(TreeMap<String, ?> m, String path) {
        List<String> out = new ArrayList<>();
        for (String k : m.keySet()) {
            if (DavPaths.within(k, path)) {
                out.add(k);
            }
        }
        return out;
    }

    /** Forgets the properties of a path and all inside it. */
    synchronized void delete(String user, String path) throws IOException {
        TreeMap<String, LinkedHashMap<String, String>> m = load(user);
        if (within(m, path).isEmpty()) {
            return;
        }
        m = copyOf(m);
        for (String k : within(m, path)) {
            m.remove(k);
        }
        save(user, m);
    }

    /**
     * Copies (or moves) the properties of a path and all inside it, replacing the target's.
     *
     * @param deep whether those inside are copied too
     * @param move whether the source's are removed
     */
    synchronized void copy(String user, String from, String to, boolean deep, boolean move) throws IOException {
        TreeMap<String, LinkedHashMap<String, String>> m = copyOf(load(user));
        Map<String, LinkedHashMap<String, String>> taken = new HashMap<>();
        for (String k : within(m, from)) {
            if (k.equals(from) || deep) {
                taken.put(k, m.get(k));
            }
        }
        for (String k : within(m, to)) {
            m.remove(k);
        }
        if (move) {
            for (String k : taken.keySet()) {
                m.remove(k);
            }
        }
        for (Map.Entry<String, LinkedHashMap<String, String>> e : taken.entrySet()) {
            String rest = e.getKey().substring(from.equals("/") ? 0 : from.length());
            m.put(to.equals("/") ? rest : to + rest, new LinkedHashMap<>(e.getValue()));
        }
        save(user, m);
    }
}
