package dev.termlet.spring.internal;

import dev.termlet.config.ConfigException;
import dev.termlet.config.ConfigProblem;
import dev.termlet.spring.TermletPropertiesException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PlaceholdersResolver;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * The {@code termlet.*} properties of a Spring environment as the tree of maps and lists that
 * {@link dev.termlet.config.TermletConfig#from(Map, String)} reads, with the keys of {@code termlet.yaml}.
 *
 * <p>Every key of the model is bound with Spring's {@link Binder}, so Spring's relaxed names work
 * ({@code TERMLET_LIMITS_MAXSESSIONS} and {@code TERMLET_LISTENERS_0_PORT} from the environment, {@code maxSessions}
 * in YAML) and the property sources' precedence applies. Items of a list of records ({@code listeners[0].port}) and
 * entries of a map ({@code logging.levels.org.apache.sshd}) are bound one by one, so a higher source can change one of
 * them. A name under {@code termlet.} that is no key of the model is put into the tree as written, for the
 * configuration to refuse with a "did you mean"; like Spring's own check of unbound properties, the process's
 * environment variables and system properties are not searched for such names. The starter's own keys
 * ({@code enabled}, {@code shutdown-grace}) are left out. Spring's {@code ${...}} placeholders are resolved, except
 * in a value that holds Termlet's {@code ${env:NAME}} or {@code ${file:/path}} (or {@code $${env:...}}), which the
 * configuration resolves itself.
 */
public final class PropertyTree {
    /** The prefix of every property. */
    public static final String PREFIX = "termlet";
    /** The name of the tree in the configuration's messages. */
    public static final String SOURCE = "Spring property";
    /** The starter's own keys under {@code termlet.}, which are not keys of the model. */
    public static final Set<String> OWN_KEYS = Set.of("enabled", "shutdown-grace");

    private static final ConfigurationPropertyName ROOT = ConfigurationPropertyName.of(PREFIX);
    private static final Pattern TERMLET_REFERENCE = Pattern.compile("\\$\\$?\\{(env|file):");
    private static final Pattern ITEM = Pattern.compile("(.*)\\[(\\d+)]");

    private final List<ConfigurationPropertySource> sources = new ArrayList<>();
    /** Every name under {@code termlet.} in an iterable source, with whether unknown names are looked for there. */
    private final Map<ConfigurationPropertyName, Boolean> written = new LinkedHashMap<>();
    private final Binder binder;
    private final PlaceholdersResolver resolver;
    private final Map<String, Object> tree;
    /** The Spring name of each key path bound or put into the tree. */
    private final Map<String, ConfigurationPropertyName> names = new HashMap<>();
    /** Per list of records, the index written in the properties of each item, by its place in the tree's list. */
    private final Map<String, Map<Integer, Integer>> places = new HashMap<>();

    private PropertyTree(ConfigurableEnvironment environment) {
        for (ConfigurationPropertySource s : ConfigurationPropertySources.get(environment)) {
            sources.add(s);
            if (s instanceof IterableConfigurationPropertySource) {
                boolean checked = !isProcessSource(s);
                ((IterableConfigurationPropertySource) s).stream().filter(ROOT::isAncestorOf)
                        .forEach(n -> written.merge(n, checked, Boolean::logicalOr));
            }
        }
        PlaceholdersResolver spring = new PropertySourcesPlaceholdersResolver(environment);
        this.resolver = value -> value instanceof String
                && TERMLET_REFERENCE.matcher((String) value).find() ? value : spring.resolvePlaceholders(value);
        this.binder = new Binder(sources, resolver);
        this.tree = section(Schema.ROOT, ROOT, "");
        written.forEach((name, checked) -> {
            if (checked) {
                checkKnown(name);
            }
        });
    }

    /**
     * Binds the {@code termlet.*} properties of an environment.
     *
     * @param environment the application's environment
     * @return the tree and where each value came from
     */
    public static PropertyTree bind(ConfigurableEnvironment environment) {
        return new PropertyTree(environment);
    }

    /** @return the tree: nested maps and lists of texts, with the keys of {@code termlet.yaml} */
    public Map<String, Object> tree() {
        return tree;
    }

    /**
     * The process's environment variables without Termlet's own ({@code TERMLET_*}): what {@code ${env:NAME}} reads.
     * Spring has bound the {@code TERMLET_*} ones already, and the configuration would refuse those that are the
     * starter's keys.
     *
     * @return the variables
     */
    public static Map<String, String> referenceEnvironment() {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.keySet().removeIf(name -> name.toUpperCase(Locale.ROOT).startsWith("TERMLET_"));
        return env;
    }

    /**
     * The configuration's problems with the properties' names and where Spring read them.
     *
     * @param e what the configuration refused
     * @return the exception that fails the application's start
     */
    public TermletPropertiesException exception(ConfigException e) {
        List<ConfigProblem> out = new ArrayList<>();
        for (ConfigProblem p : e.problems()) {
            ConfigurationPropertyName name = springName(p.key());
            String where = name == null ? null : origin(name);
            out.add(new ConfigProblem(name == null ? PREFIX + (p.key().isEmpty() ? "" : "." + p.key())
                    : display(name), where == null ? p.where() : where, p.message(), p.fix()));
        }
        return new TermletPropertiesException(out, e);
    }

    private static boolean isProcessSource(ConfigurationPropertySource s) {
        Object underlying = s.getUnderlyingSource();
        if (!(underlying instanceof PropertySource)) {
            return false;
        }
        String name = ((PropertySource<?>) underlying).getName();
        return name.equals(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME)
                || name.equals(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
    }

    private Map<String, Object> section(Map<String, Schema.Key> keys, ConfigurationPropertyName prefix, String path) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Schema.Key k : keys.values()) {
            ConfigurationPropertyName name = prefix.append(k.name());
            String sub = path.isEmpty() ? k.name() : path + "." + k.name();
            Object value;
            switch (k.kind()) {
                case SCALAR:
                    value = binder.bind(name, Bindable.of(String.class)).orElse(null);
                    break;
                case LIST:
                    value = binder.bind(name, Bindable.listOf(String.class)).orElse(null);
                    break;
                case MAP:
                    value = map(k, name, sub);
                    break;
                case SECTION:
                    value = section(k.children(), name, sub);
                    break;
                default:
                    value = records(k, name, sub);
                    break;
            }
            if (value == null || (value instanceof Map && ((Map<?, ?>) value).isEmpty())
                    || (value instanceof List && ((List<?>) value).isEmpty() && k.kind() == Schema.Kind.RECORDS)) {
                continue;
            }
            names.put(sub, name);
            out.put(k.name(), value);
        }
        return out;
    }

    /**
     * A map's entries, each from the highest source that has it, with their names as written: Spring drops the
     * characters of a name that are not letters, digits or dashes ({@code /incoming} would be {@code incoming}) unless
     * it is in brackets ({@code [/incoming]}), so the names are read from the property sources themselves.
     */
    private Map<String, Object> map(Schema.Key k, ConfigurationPropertyName name, String path) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (ConfigurationPropertySource s : sources) {
            Map<String, Object> here = new LinkedHashMap<>();
            for (Entry e : entries(s, name)) {
                List<String> rest = e.elements;
                String index = null;
                if (k.mapOfLists() && rest.size() > 1 && rest.get(rest.size() - 1).matches("\\[\\d+]")) {
                    index = rest.get(rest.size() - 1);
                    rest = rest.subList(0, rest.size() - 1);
                }
                StringBuilder key = new StringBuilder();
                for (String element : rest) {
                    key.append(key.length() == 0 ? "" : ".").append(element.startsWith("[")
                            ? element.substring(1, element.length() - 1) : element);
                }
                Object value = e.value == null ? "" : String.valueOf(resolver.resolvePlaceholders(e.value));
                if (index == null) {
                    here.putIfAbsent(key.toString(), value);
                } else {
                    Object items = here.computeIfAbsent(key.toString(), x -> new TreeMap<Integer, Object>());
                    if (items instanceof TreeMap) {
                        @SuppressWarnings("unchecked")
                        TreeMap<Integer, Object> list = (TreeMap<Integer, Object>) items;
                        list.put(Integer.parseInt(index.substring(1, index.length() - 1)), value);
                    }
                }
                names.putIfAbsent(path + "." + key, e.name);
            }
            here.forEach((key, value) -> out.putIfAbsent(key, value instanceof TreeMap
                    ? new ArrayList<>(((TreeMap<?, ?>) value).values()) : value));
        }
        return out;
    }

    /** A name below a map in one source: its elements after the map's, as written, and its value. */
    private static final class Entry {
        final List<String> elements;
        final Object value;
        final ConfigurationPropertyName name;

        Entry(List<String> elements, Object value, ConfigurationPropertyName name) {
            this.elements = elements;
            this.value = value;
            this.name = name;
        }
    }

    private static List<Entry> entries(ConfigurationPropertySource s, ConfigurationPropertyName map) {
        List<Entry> out = new ArrayList<>();
        int start = map.getNumberOfElements();
        Object underlying = s.getUnderlyingSource();
        if (underlying instanceof EnumerablePropertySource && !(underlying instanceof SystemEnvironmentPropertySource)) {
            EnumerablePropertySource<?> ps = (EnumerablePropertySource<?>) underlying;
            for (String raw : ps.getPropertyNames()) {
                ConfigurationPropertyName name = ConfigurationPropertyName.adapt(raw, '.');
                List<String> elements = elements(raw);
                if (map.isAncestorOf(name) && elements.size() > start) {
                    out.add(new Entry(elements.subList(start, elements.size()), ps.getProperty(raw), name));
                }
            }
        } else if (s instanceof IterableConfigurationPropertySource) {
            ((IterableConfigurationPropertySource) s).stream().filter(map::isAncestorOf).forEach(name -> {
                List<String> elements = new ArrayList<>();
                for (int i = start; i < name.getNumberOfElements(); i++) {
                    String e = name.getElement(i, Form.ORIGINAL);
                    elements.add(indexed(name, i) ? "[" + e + "]" : e);
                }
                ConfigurationProperty p = s.getConfigurationProperty(name);
                out.add(new Entry(elements, p == null ? null : p.getValue(), name));
            });
        }
        return out;
    }

    /** The elements of a property's name as written: {@code a.b[/x].c[0]} is {@code a}, {@code b}, {@code [/x]}... */
    static List<String> elements(String raw) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            int close = c == '[' ? raw.indexOf(']', i) : -1;
            if (c == '.' || close > 0) {
                if (current.length() > 0) {
                    out.add(current.toString());
                    current.setLength(0);
                }
                if (close > 0) {
                    out.add(raw.substring(i, close + 1));
                    i = close;
                }
            } else {
                current.append(c);
            }
        }
        if (current.length() > 0) {
            out.add(current.toString());
        }
        return out;
    }

    /** A list of records, item by item, in the order of the indexes written; a gap closes up. */
    private List<Object> records(Schema.Key k, ConfigurationPropertyName name, String path) {
        TreeMap<Integer, ConfigurationPropertyName> items = new TreeMap<>();
        int at = name.getNumberOfElements();
        for (ConfigurationPropertyName n : written.keySet()) {
            if (name.isAncestorOf(n) && n.isNumericIndex(at)) {
                items.putIfAbsent(Integer.parseInt(n.getElement(at, Form.ORIGINAL)), n.chop(at + 1));
            }
        }
        List<Object> out = new ArrayList<>();
        Map<Integer, Integer> place = new HashMap<>();
        items.forEach((index, item) -> {
            String sub = path + "[" + out.size() + "]";
            place.put(index, out.size());
            names.put(sub, item);
            out.add(section(k.children(), item, sub));
        });
        places.put(path, place);
        return out;
    }

    /** Puts a name that is no key of the model into the tree, as written, for the configuration to refuse. */
    private void checkKnown(ConfigurationPropertyName name) {
        int count = name.getNumberOfElements();
        if (count < 2) {
            return;
        }
        if (count == 2 && !indexed(name, 1) && OWN_KEYS.stream()
                .anyMatch(own -> Schema.uniform(own).equals(Schema.uniform(name.getElement(1, Form.ORIGINAL))))) {
            return;
        }
        List<Object> path = new ArrayList<>();
        Map<String, Schema.Key> keys = Schema.ROOT;
        String modelPath = "";
        int i = 1;
        while (i < count) {
            Schema.Key k = indexed(name, i) ? null : Schema.find(keys, name.getElement(i, Form.ORIGINAL));
            if (k == null) {
                break;
            }
            path.add(k.name());
            modelPath = modelPath.isEmpty() ? k.name() : modelPath + "." + k.name();
            i++;
            Schema.Kind kind = k.kind();
            if (i == count) {
                if (kind == Schema.Kind.SECTION || kind == Schema.Kind.RECORDS) {
                    put(path, name);      // a value where keys or items belong
                }
                return;
            }
            if (kind == Schema.Kind.MAP || (kind == Schema.Kind.LIST && indexed(name, i) && i + 1 == count)) {
                return;
            }
            if (kind == Schema.Kind.SECTION) {
                keys = k.children();
            } else if (kind == Schema.Kind.RECORDS && name.isNumericIndex(i)) {
                Integer place = places.getOrDefault(modelPath, Map.of())
                        .get(Integer.parseInt(name.getElement(i, Form.ORIGINAL)));
                if (place == null) {
                    return;
                }
                path.add(place);
                modelPath = modelPath + "[" + place + "]";
                keys = k.children();
                i++;
                if (i == count) {
                    put(path, name);
                    return;
                }
            } else {
                break;                   // more below a value or a list
            }
        }
        for (; i < count; i++) {
            path.add(name.isNumericIndex(i) ? (Object) Integer.parseInt(name.getElement(i, Form.ORIGINAL))
                    : name.getElement(i, Form.ORIGINAL));
        }
        put(path, name);
    }

    /** Puts a written value at a path of keys (texts) and list places (numbers), unless something is there. */
    @SuppressWarnings("unchecked")
    private void put(List<Object> path, ConfigurationPropertyName name) {
        Object value = null;
        for (ConfigurationPropertySource s : sources) {
            ConfigurationProperty p = s.getConfigurationProperty(name);
            if (p != null) {
                value = p.getValue();
                break;
            }
        }
        Object here = tree;
        StringBuilder modelPath = new StringBuilder();
        for (int i = 0; i < path.size(); i++) {
            Object step = path.get(i);
            boolean last = i == path.size() - 1;
            Object next = last ? (value == null ? "" : String.valueOf(value))
                    : path.get(i + 1) instanceof Integer ? new ArrayList<>() : new LinkedHashMap<String, Object>();
            if (step instanceof Integer) {
                modelPath.append('[').append(step).append(']');
                if (!(here instanceof List)) {
                    return;
                }
                List<Object> list = (List<Object>) here;
                int place = (Integer) step;
                while (list.size() <= place) {
                    list.add(null);
                }
                if (list.get(place) == null) {
                    list.set(place, next);
                } else if (last) {
                    return;
                }
                here = list.get(place);
            } else {
                modelPath.append(modelPath.length() == 0 ? "" : ".").append(step);
                if (!(here instanceof Map)) {
                    return;
                }
                Map<String, Object> map = (Map<String, Object>) here;
                if (map.containsKey(step) && last) {
                    return;
                }
                here = map.computeIfAbsent((String) step, s -> next);
            }
        }
        names.put(modelPath.toString(), name);
    }

    /** The Spring name of a key path of the configuration's messages, or null. */
    private ConfigurationPropertyName springName(String key) {
        if (names.containsKey(key)) {
            return names.get(key);
        }
        Matcher m = ITEM.matcher(key);
        if (m.matches() && names.containsKey(m.group(1))) {
            ConfigurationPropertyName item = names.get(m.group(1)).append("[" + m.group(2) + "]");
            return origin(item) != null ? item : names.get(m.group(1));
        }
        return key.isEmpty() ? ROOT : ConfigurationPropertyName.ofIfValid(PREFIX + "." + key);
    }

    /**
     * Where a property was written, as Spring tells it ({@code class path resource [application.yaml] - 3:5}), or the
     * property source's name; for a name with no value of its own, where the first value below it was written.
     */
    private String origin(ConfigurationPropertyName name) {
        for (ConfigurationPropertySource s : sources) {
            ConfigurationProperty p = s.getConfigurationProperty(name);
            if (p != null) {
                return p.getOrigin() != null ? p.getOrigin().toString() : sourceName(s);
            }
        }
        for (ConfigurationPropertyName n : written.keySet()) {
            if (name.isAncestorOf(n)) {
                return origin(n);
            }
        }
        return null;
    }

    private static String sourceName(ConfigurationPropertySource s) {
        Object underlying = s.getUnderlyingSource();
        return underlying instanceof PropertySource ? "property source '" + ((PropertySource<?>) underlying).getName()
                + "'" : String.valueOf(underlying);
    }

    /** Whether an element of a name is in brackets: {@code [0]}, {@code [/incoming]}. */
    private static boolean indexed(ConfigurationPropertyName name, int element) {
        return name.chop(element + 1).isLastElementIndexed();
    }

    /** A name with its elements as written: {@code termlet.limits.max-sesions}, {@code termlet.listeners[0].port}. */
    private static String display(ConfigurationPropertyName name) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < name.getNumberOfElements(); i++) {
            String e = name.getElement(i, Form.ORIGINAL);
            if (indexed(name, i)) {
                sb.append('[').append(e).append(']');
            } else {
                sb.append(i == 0 ? "" : ".").append(e);
            }
        }
        return sb.toString();
    }
}
