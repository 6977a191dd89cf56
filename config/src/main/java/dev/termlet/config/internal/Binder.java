package dev.termlet.config.internal;

import dev.termlet.config.ConfigKey;
import dev.termlet.config.Secret;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Binds a {@link Node} tree to the model's records: each component's key in kebab-case, its default from
 * {@link ConfigKey#dflt()} where the tree has none, its value converted by the component's type and checked against the
 * key's bounds. Every problem is collected, with the key, where it was written and a fix; an unknown key gets a "did
 * you mean". {@code ${env:NAME}} and {@code ${file:/path}} in a value are replaced by the variable or the file's
 * content.
 */
public final class Binder {
    private static final Pattern REFERENCE = Pattern.compile("\\$(\\$?)\\{(env|file):([^}]*)}");

    private final List<Problem> problems;
    private final List<String> warnings;
    private final Function<String, String> environment;
    private final Map<String, Origin> origins = new TreeMap<>();
    private final Map<String, Reference> references = new LinkedHashMap<>();

    /**
     * @param problems where problems go
     * @param warnings where warnings go
     * @param environment the environment variables {@code ${env:NAME}} reads
     */
    public Binder(List<Problem> problems, List<String> warnings, Function<String, String> environment) {
        this.problems = problems;
        this.warnings = warnings;
        this.environment = environment;
    }

    /** @return where each key set in a source was set, by key path */
    public Map<String, Origin> origins() {
        return origins;
    }

    /**
     * Binds a record.
     *
     * @param type the record type
     * @param node the map of its keys, or null for all defaults
     * @param path the record's key path, empty for the root
     * @param <T> the type
     * @return the record, with defaults where values were missing or wrong
     */
    public <T extends Record> T record(Class<T> type, Node node, String path) {
        RecordComponent[] components = type.getRecordComponents();
        Map<String, RecordComponent> byKey = new LinkedHashMap<>();
        for (RecordComponent c : components) {
            byKey.put(Names.kebab(c.getName()), c);
        }
        Node.Obj obj = null;
        if (node instanceof Node.Obj) {
            obj = (Node.Obj) node;
        } else if (node != null && !(node instanceof Node.Scalar && ((Node.Scalar) node).text() == null)) {
            problems.add(new Problem(path, node.origin(), "expected a map of keys, found " + node.kind(),
                    "write the keys below it, indented: " + Names.list(byKey.keySet())));
        }
        if (obj != null) {
            for (Map.Entry<String, Node> e : obj.entries().entrySet()) {
                if (!byKey.containsKey(e.getKey())) {
                    String where = join(path, e.getKey());
                    String fix = Names.suggest(e.getKey(), byKey.keySet())
                            .map(s -> "did you mean '" + s + "'?")
                            .orElse("remove it; the keys here are " + Names.list(byKey.keySet()));
                    problems.add(new Problem(where, obj.keyOrigin(e.getKey()), "unknown key '" + e.getKey() + "'",
                            fix));
                }
            }
        }
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            String key = Names.kebab(c.getName());
            Node value = obj == null ? null : obj.entries().get(key);
            args[i] = component(c, value, join(path, key));
            types[i] = c.getType();
        }
        try {
            Constructor<T> ctor = type.getDeclaredConstructor(types);
            return ctor.newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot make " + type.getName(), e);
        }
    }

    private Object component(RecordComponent c, Node value, String path) {
        ConfigKey key = c.getAnnotation(ConfigKey.class);
        if (key == null) {
            throw new IllegalStateException(c.getDeclaringRecord().getName() + "." + c.getName() + " has no @ConfigKey");
        }
        boolean unset = value == null || (value instanceof Node.Scalar && ((Node.Scalar) value).text() == null);
        if (!unset) {
            origins.put(path, value.origin());
            Object v = convert(c.getGenericType(), key, value, path);
            if (v != null) {
                return v;
            }
        }
        return defaultOf(c.getGenericType(), key, path);
    }

    /**
     * The default of a key: its {@link ConfigKey#dflt()} read as YAML would be, a record of defaults, or null.
     *
     * @param type the component type
     * @param key the key's description
     * @param path the key path
     * @return the default
     */
    public Object defaultOf(Type type, ConfigKey key, String path) {
        if (type instanceof Class && ((Class<?>) type).isRecord()) {
            @SuppressWarnings("unchecked")
            Class<? extends Record> r = (Class<? extends Record>) type;
            return record(r, null, path);
        }
        if (ConfigKey.UNSET.equals(key.dflt())) {
            return null;
        }
        Node node;
        if (type == String.class) {
            node = new Node.Scalar(key.dflt(), Origin.DEFAULT);
        } else {
            List<Problem> own = new ArrayList<>();
            Node.Obj holder = YamlReader.read("x: " + key.dflt(), "default", own);
            if (!own.isEmpty() || holder == null) {
                throw new IllegalStateException("the default of " + path + " does not parse: " + own);
            }
            node = holder.entries().get("x");
        }
        int before = problems.size();
        Object v = convert(type, key, node, path);
        if (problems.size() != before) {
            throw new IllegalStateException("the default of " + path + " is wrong: " + problems.get(before));
        }
        return v;
    }

    private Object convert(Type type, ConfigKey key, Node node, String path) {
        Class<?> raw = type instanceof ParameterizedType ? (Class<?>) ((ParameterizedType) type).getRawType()
                : (Class<?>) type;
        if (raw.isRecord()) {
            @SuppressWarnings("unchecked")
            Class<? extends Record> r = (Class<? extends Record>) raw;
            return record(r, node, path);
        }
        if (raw == List.class) {
            return list(((ParameterizedType) type).getActualTypeArguments()[0], key, node, path);
        }
        if (raw == Map.class) {
            return map(((ParameterizedType) type).getActualTypeArguments()[1], key, node, path);
        }
        if (!(node instanceof Node.Scalar)) {
            problems.add(new Problem(path, node.origin(), "expected " + describe(type, key) + ", found "
                    + node.kind(), "write one value: " + Names.kebab(last(path)) + ": " + example(type, key)));
            return null;
        }
        Node.Scalar scalar = (Node.Scalar) node;
        Resolved text = resolve(scalar, path);
        if (text == null) {
            return null;
        }
        try {
            return scalar(raw, key, text, path, node.origin());
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            int semi = m.indexOf(';');
            problems.add(new Problem(path, node.origin(), semi < 0 ? m : m.substring(0, semi),
                    semi < 0 ? "write " + describe(type, key) + ", e.g. " + Names.kebab(last(path)) + ": "
                            + example(type, key) : m.substring(semi + 1)));
            return null;
        }
    }

    private Object scalar(Class<?> raw, ConfigKey key, Resolved r, String path, Origin origin) {
        String t = r.text;
        if (raw == String.class) {
            if (key.oneOf().length > 0) {
                for (String allowed : key.oneOf()) {
                    if (allowed.equalsIgnoreCase(t.strip())) {
                        return allowed;
                    }
                }
                throw new IllegalArgumentException("'" + t + "' is not allowed;write one of "
                        + String.join(", ", key.oneOf()));
            }
            if (key.mayHoldSecret() && r.literal && origin.literal()) {
                try {
                    URI u = URI.create(t.strip());
                    if (u.getRawUserInfo() != null || u.getRawQuery() != null) {
                        warnings.add(path + " (" + origin + "): the URL has a user or a query written in the file;"
                                + " if it holds a token, give it as ${env:NAME} or ${file:/path}");
                    }
                } catch (IllegalArgumentException e) {
                    // not a URL: the checks report it
                }
            }
            return t;
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return Values.bool(t);
        }
        if (raw == int.class || raw == long.class || raw == Integer.class || raw == Long.class) {
            long n = key.unit() == ConfigKey.Unit.SIZE ? Values.size(t) : key.unit() == ConfigKey.Unit.OCTAL ? Values.octal(t)
                    : Values.whole(t);
            if (n < key.min() || n > key.max()) {
                throw new IllegalArgumentException(t.strip() + " is out of range;write a number from "
                        + bound(key.min(), key) + " to " + bound(key.max(), key));
            }
            return raw == int.class || raw == Integer.class ? (Object) (int) n : (Object) n;
        }
        if (raw == Duration.class) {
            return Values.duration(t);
        }
        if (raw == Path.class) {
            try {
                return Path.of(t.strip());
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException("'" + t + "' is not a path;write a file system path");
            }
        }
        if (raw == Secret.class) {
            if (r.literal && origin.literal()) {
                warnings.add(path + " (" + origin + ") is a secret written in the file; move it out: " + last(path)
                        + ": ${env:NAME} (an environment variable) or ${file:/run/secrets/NAME} (a file readable only"
                        + " by the server)");
            }
            return new Secret(t.toCharArray(), r.source != null ? r.source : origin.toString());
        }
        throw new IllegalStateException("no conversion to " + raw.getName() + " for " + path);
    }

    private static String bound(long n, ConfigKey key) {
        if (key.unit() == ConfigKey.Unit.OCTAL) {
            return "0" + Long.toOctalString(n);
        }
        return n == Long.MAX_VALUE || n == Integer.MAX_VALUE ? Long.toString(n) : Long.toString(n);
    }

    private List<Object> list(Type item, ConfigKey key, Node node, String path) {
        List<Object> out = new ArrayList<>();
        if (node instanceof Node.Scalar) {
            Class<?> itemRaw = item instanceof Class ? (Class<?>) item : null;
            if (itemRaw != null && !itemRaw.isRecord()) {
                // a list of plain values given as one value (an environment variable): comma-separated
                Resolved r = resolve((Node.Scalar) node, path);
                if (r == null) {
                    return null;
                }
                int i = 0;
                for (String part : r.text.split(",")) {
                    if (!part.isBlank()) {
                        Object v = convert(item, key, new Node.Scalar(part.strip(), node.origin()),
                                path + "[" + i++ + "]");
                        if (v != null) {
                            out.add(v);
                        }
                    }
                }
                return out;
            }
            problems.add(new Problem(path, node.origin(), "expected a list, found a value",
                    "write one item per line, each starting with '- '"));
            return null;
        }
        if (!(node instanceof Node.Seq)) {
            problems.add(new Problem(path, node.origin(), "expected a list, found " + node.kind(),
                    "write one item per line, each starting with '- '"));
            return null;
        }
        List<Node> items = ((Node.Seq) node).items();
        for (int i = 0; i < items.size(); i++) {
            Node n = items.get(i);
            String sub = path + "[" + i + "]";
            if (n == null || (n instanceof Node.Scalar && ((Node.Scalar) n).text() == null)) {
                problems.add(new Problem(sub, n == null ? node.origin() : n.origin(), "the item is empty",
                        "remove the empty '- ' line"));
                continue;
            }
            origins.put(sub, n.origin());
            Object v = convert(item, key, n, sub);
            if (v != null) {
                out.add(v);
            }
        }
        return List.copyOf(out);
    }

    private Map<String, Object> map(Type value, ConfigKey key, Node node, String path) {
        if (!(node instanceof Node.Obj)) {
            problems.add(new Problem(path, node.origin(), "expected a map, found " + node.kind(),
                    "write NAME: VALUE lines below it, indented"));
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        Node.Obj obj = (Node.Obj) node;
        for (Map.Entry<String, Node> e : obj.entries().entrySet()) {
            String sub = path + "." + e.getKey();
            origins.put(sub, obj.keyOrigin(e.getKey()));
            Object v = convert(value, key, e.getValue(), sub);
            if (v != null) {
                out.put(e.getKey(), v);
            }
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    /** A scalar's text with its references replaced. */
    private static final class Resolved {
        final String text;
        final boolean literal;
        final String source;

        Resolved(String text, boolean literal, String source) {
            this.text = text;
            this.literal = literal;
            this.source = source;
        }
    }

    private Resolved resolve(Node.Scalar scalar, String path) {
        String t = scalar.text();
        Matcher m = REFERENCE.matcher(t);
        StringBuilder sb = new StringBuilder();
        boolean referenced = false;
        String source = null;
        List<String> sources = new ArrayList<>();
        while (m.find()) {
            if (!m.group(1).isEmpty()) {
                m.appendReplacement(sb, Matcher.quoteReplacement(m.group().substring(1)));
                continue;
            }
            String what = m.group(3).strip();
            String value;
            if (m.group(2).equals("env")) {
                value = what.isEmpty() ? null : environment.apply(what);
                if (value == null) {
                    problems.add(new Problem(path, scalar.origin(), "the environment variable '" + what
                            + "' is not set", "set it before starting the server, or give the value another way"));
                    return null;
                }
                source = "environment variable " + what;
            } else {
                try {
                    value = Files.readString(Path.of(what), StandardCharsets.UTF_8);
                } catch (IOException | InvalidPathException e) {
                    problems.add(new Problem(path, scalar.origin(), "cannot read the file '" + what + "': "
                            + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()),
                            "make the file readable by the server, or give the value another way"));
                    return null;
                }
                if (value.endsWith("\n")) {
                    value = value.substring(0, value.length() - (value.endsWith("\r\n") ? 2 : 1));
                }
                source = "file " + what;
            }
            referenced = true;
            sources.add(source);
            m.appendReplacement(sb, Matcher.quoteReplacement(value));
        }
        m.appendTail(sb);
        String text = sb.toString();
        if (referenced) {
            boolean whole = sources.size() == 1 && m.reset().matches();
            references.put(path, new Reference(text, (whole ? "the value " : "the value built from ")
                    + sources.stream().map(s -> s.startsWith("file ") ? (whole ? "from " : "") + s
                            : (whole ? "of " : "") + s.replace("environment variable ", "variable "))
                            .collect(java.util.stream.Collectors.joining(", "))
                    + " (" + text.length() + (text.length() == 1 ? " character)" : " characters)")));
        }
        return new Resolved(text, !referenced, source);
    }

    /** A value that came from {@code ${env:...}} or {@code ${file:...}}: its text, never shown, and what to say. */
    private static final class Reference {
        final String text;
        final String description;

        Reference(String text, String description) {
            this.text = text;
            this.description = description;
        }
    }

    /**
     * Removes from problems the text of every value that came from a {@code ${env:...}} or {@code ${file:...}}
     * reference: the one place every problem passes, whether the binder, the checks or a parser made it. A problem at a
     * key given by a reference (or above or below it) has the value's text replaced by where it came from and its
     * length; if a piece of the text would still show, the message says only that the value is wrong.
     *
     * @param problems the problems
     * @return them, without the referenced values
     */
    public List<Problem> redact(List<Problem> problems) {
        if (references.isEmpty()) {
            return problems;
        }
        List<Problem> out = new ArrayList<>(problems.size());
        for (Problem p : problems) {
            Problem q = p;
            for (Map.Entry<String, Reference> e : references.entrySet()) {
                if (related(e.getKey(), q.key())) {
                    q = redact(q, e.getValue());
                }
            }
            out.add(q);
        }
        return out;
    }

    private static boolean related(String a, String b) {
        return a.equals(b) || a.isEmpty() || b.isEmpty() || under(a, b) || under(b, a);
    }

    private static boolean under(String key, String parent) {
        return key.startsWith(parent) && (key.charAt(parent.length()) == '.' || key.charAt(parent.length()) == '[');
    }

    private static final String HIDDEN = "\u0000";

    private static Problem redact(Problem p, Reference r) {
        List<String> forms = new ArrayList<>();
        forms.add(r.text);
        forms.add(r.text.strip());
        for (String part : r.text.split(",")) {
            forms.add(part.strip());
        }
        forms.removeIf(String::isEmpty);
        forms.sort(java.util.Comparator.comparingInt(String::length).reversed());
        String message = hide(p.message(), forms);
        String fix = p.fix() == null ? null : hide(p.fix(), forms);
        if (shows(message, r.text) || (fix != null && shows(fix, r.text))) {
            message = HIDDEN + " is not valid here";
            fix = "check the value in its source, it is not shown here";
        }
        return new Problem(p.key(), p.origin(), message.replace(HIDDEN, r.description),
                fix == null ? null : fix.replace(HIDDEN, r.description));
    }

    private static String hide(String s, List<String> forms) {
        String t = s;
        for (String f : forms) {
            t = t.replace("'" + f + "'", HIDDEN).replace("\"" + f + "\"", HIDDEN);
        }
        for (String f : forms) {
            t = t.replaceAll("(?<![\\p{L}\\p{N}])" + Pattern.quote(f) + "(?![\\p{L}\\p{N}])",
                    Matcher.quoteReplacement(HIDDEN));
        }
        return t;
    }

    /** Whether a piece of a secret (a word of three characters or more) is still in a text. */
    private static boolean shows(String s, String secret) {
        for (String word : secret.split("[^\\p{L}\\p{N}]+")) {
            if (word.length() >= 3 && s.contains(word)) {
                return true;
            }
        }
        return false;
    }

    /** What a type takes, for messages. */
    static String describe(Type type, ConfigKey key) {
        Class<?> raw = type instanceof ParameterizedType ? (Class<?>) ((ParameterizedType) type).getRawType()
                : (Class<?>) type;
        if (raw == List.class) {
            Type item = ((ParameterizedType) type).getActualTypeArguments()[0];
            return "a list of " + plural(describe(item, key));
        }
        if (raw == Map.class) {
            return "a map of names to " + plural(describe(((ParameterizedType) type).getActualTypeArguments()[1],
                    key));
        }
        if (raw.isRecord()) {
            List<String> keys = new ArrayList<>();
            Arrays.stream(raw.getRecordComponents()).forEach(c -> keys.add(Names.kebab(c.getName())));
            return "a map (" + String.join(", ", keys) + ")";
        }
        if (raw == boolean.class) {
            return "true or false";
        }
        if (raw == int.class || raw == long.class) {
            return key.unit() == ConfigKey.Unit.SIZE ? "a size" : key.unit() == ConfigKey.Unit.OCTAL ? "an octal mask"
                    : "a whole number";
        }
        if (raw == Duration.class) {
            return "a duration";
        }
        if (raw == Path.class) {
            return "a path";
        }
        if (raw == Secret.class) {
            return "a secret";
        }
        return key.oneOf().length > 0 ? "one of " + String.join(", ", key.oneOf()) : "a text";
    }

    private static String plural(String s) {
        if (s.startsWith("a list of ")) {
            return "lists of " + s.substring("a list of ".length());
        }
        return s.startsWith("a ") ? s.substring(2) + "s" : s.startsWith("an ") ? s.substring(3) + "s" : s;
    }

    private static String example(Type type, ConfigKey key) {
        if (!ConfigKey.UNSET.equals(key.dflt())) {
            return key.dflt();
        }
        String d = describe(type, key);
        switch (d) {
            case "a duration":
                return "30s";
            case "a path":
                return "/path/to/file";
            case "a secret":
                return "${env:NAME}";
            default:
                return d.toUpperCase(Locale.ROOT).replace(' ', '_');
        }
    }

    private static String last(String path) {
        String p = path.replaceAll("\\[\\d+]$", "");
        int dot = p.lastIndexOf('.');
        return dot < 0 ? p : p.substring(dot + 1);
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
