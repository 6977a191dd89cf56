package dev.termlet.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.termlet.Authenticator;
import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import dev.termlet.config.internal.Apply;
import dev.termlet.config.internal.Binder;
import dev.termlet.config.internal.Checks;
import dev.termlet.config.internal.KeyTable;
import dev.termlet.config.internal.LogLevels;
import dev.termlet.config.internal.Node;
import dev.termlet.config.internal.Origin;
import dev.termlet.config.internal.Overrides;
import dev.termlet.config.internal.Problem;
import dev.termlet.config.internal.ReloadWatcher;
import dev.termlet.config.internal.TreeReader;
import dev.termlet.config.internal.YamlReader;
import dev.termlet.fileops.FileOps;
import dev.termlet.fileops.Hooks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server's configuration, read from {@code termlet.yaml} (or any tree of maps and lists), overridden by environment
 * variables and system properties, and checked as a whole: a {@link ConfigException} lists every problem with its
 * key, where it was written and the fix.
 *
 * <pre>{@code
 * TermletConfig config = TermletConfig.load(Path.of("termlet.yaml"));
 * TermletServer server = config.configure().register(new App()).start();
 * }</pre>
 *
 * <p>Precedence, highest first: system property ({@code -Dtermlet.limits.max-sessions=50}), environment variable
 * ({@code TERMLET_LIMITS_MAX_SESSIONS=50}), the file, the default. Any value may be or hold {@code ${env:NAME}} or
 * {@code ${file:/path}}: the variable, or the file's content without its final line break ({@code $${...}} is a
 * literal {@code ${...}}).
 */
public final class TermletConfig {
    private static final Logger LOG = LoggerFactory.getLogger(TermletConfig.class);

    /** How many problems a {@link ConfigException} lists at most (then one saying how many more there are). */
    static final int MAX_REPORTED = 100;

    private final ServerConfig model;
    private final Map<String, Origin> origins;
    private final List<String> warnings;

    private TermletConfig(ServerConfig model, Map<String, Origin> origins, List<String> warnings) {
        this.model = model;
        this.origins = Map.copyOf(origins);
        this.warnings = List.copyOf(warnings);
    }

    /**
     * Reads a file, with the process's environment variables and system properties over it.
     *
     * @param file the YAML file
     * @return the checked configuration
     * @throws ConfigException listing every problem
     */
    public static TermletConfig load(Path file) {
        return loader().file(file).load();
    }

    /**
     * Reads a tree of maps, lists and values (a Spring {@code Binder}'s map of {@code termlet.*}, a parsed JSON), with
     * no environment variables or system properties over it.
     *
     * @param tree nested maps with the keys of {@code termlet.yaml}
     * @param source the tree's name, for messages
     * @return the checked configuration
     * @throws ConfigException listing every problem
     */
    public static TermletConfig from(Map<String, ?> tree, String source) {
        return loader().tree(tree, source).environment(Map.of()).systemProperties(Map.of()).load();
    }

    /**
     * Reads a Jackson tree (from JSON, YAML, properties...), with no environment variables or system properties over
     * it.
     *
     * @param tree an object node with the keys of {@code termlet.yaml}
     * @param source the tree's name, for messages
     * @return the checked configuration
     * @throws ConfigException listing every problem
     */
    public static TermletConfig from(JsonNode tree, String source) {
        return loader().tree(tree, source).environment(Map.of()).systemProperties(Map.of()).load();
    }

    /** @return a loader, to choose the sources (tests give their own environment) */
    public static Loader loader() {
        return new Loader();
    }

    /** @return the model: every key's value, defaults filled in */
    public ServerConfig model() {
        return model;
    }

    /**
     * @return what was accepted but should be changed (a secret written in the file), each naming the key and how;
     *     they were logged at WARN when loaded
     */
    public List<String> warnings() {
        return warnings;
    }

    /**
     * Where a key's value came from.
     *
     * @param key a key path, {@code limits.max-sessions}
     * @return {@code termlet.yaml:12:5}, {@code environment variable TERMLET_...}, {@code system property ...} or
     *     {@code default}
     */
    public String origin(String key) {
        Origin o = origins.get(key);
        return o == null ? Origin.DEFAULT.toString() : o.toString();
    }

    /**
     * Sets up a builder: every setting, and the extensions the configuration asks for (file operations, hooks, the
     * authentication hooks, the reloading of {@code users.json} and the protector's lists); applies the log levels.
     *
     * @param builder a builder, usually {@link Termlet#server()}
     * @return the builder and the extensions added
     */
    public ServerSetup apply(TermletServer.Builder builder) {
        Objects.requireNonNull(builder, "builder");
        Apply.builder(model, builder);
        Optional<FileOps> files = fileOps();
        files.ifPresent(builder::extension);
        // after FileOps: the web side serves its files. No lambda or method reference names Web here: termlet-web
        // is optional, and linking one would load Web even when the web side is off
        Optional<dev.termlet.web.Web> web = files.isPresent() && model.web().enabled() ? Apply.web(model.web())
                : Optional.empty();
        if (web.isPresent()) {
            builder.extension(web.get());
        }
        Optional<Hooks> hooks = hooks();
        hooks.ifPresent(builder::extension);
        authenticator().ifPresent(builder::authenticator);
        ServerConfig.Reload r = model.reload();
        if (r.accounts() || r.protectorLists()) {
            builder.extension(new ReloadWatcher(r.accounts(), r.protectorLists(), r.interval()));
        }
        if (Apply.clusterNeeded(model)) {
            if (!Apply.clusterPresent()) {
                throw new IllegalStateException("accounts.store postgresql and cluster.enabled need termlet-cluster"
                        + " (dev.termlet:termlet-cluster) on the class path");
            }
            // last: it closes the database after every other extension stopped
            builder.extension(dev.termlet.config.internal.ClusterApply.apply(model, builder, files));
        }
        applyLogging();
        return new ServerSetup(builder, files, hooks, web);
    }

    /**
     * A new builder set up by {@link #apply}, ready for handlers and {@code start()}.
     *
     * @return the builder
     */
    public TermletServer.Builder configure() {
        return apply(Termlet.server()).builder();
    }

    /** @return a new {@code FileOps} from {@code fileops}, or empty when {@code fileops.enabled} is false */
    public Optional<FileOps> fileOps() {
        return Apply.fileOps(model.fileops());
    }

    /** @return a new {@code Hooks} from {@code hooks}, or empty when no event hook is configured */
    public Optional<Hooks> hooks() {
        return Apply.hooks(model.hooks());
    }

    /**
     * @return the authentication hooks ({@code hooks.pre-login}, {@code external-auth}, {@code check-password},
     *     {@code keyboard-interactive}) chained in that order, or empty when none is configured
     */
    public Optional<Authenticator> authenticator() {
        return Apply.authenticator(model.hooks());
    }

    /** Sets {@code logging.level} and {@code logging.levels} through Logback; logs a warning without Logback. */
    public void applyLogging() {
        String why = LogLevels.apply(model.logging().level(), model.logging().levels());
        if (why != null) {
            LOG.warn(why);
        }
    }

    /**
     * The reference of every key, as docs/configuration.md shows it.
     *
     * @return a Markdown table: key, type, default, meaning
     */
    public static String keyReference() {
        return KeyTable.render(ServerConfig.class);
    }

    /** Chooses the sources of a configuration. */
    public static final class Loader {
        private Path file;
        private String yaml;
        private String yamlName;
        private Map<String, ?> map;
        private JsonNode json;
        private String treeName;
        private Map<String, String> environment;
        private Map<String, String> properties;

        private Loader() {}

        /**
         * @param yamlFile the YAML file
         * @return this
         */
        public Loader file(Path yamlFile) {
            this.file = Objects.requireNonNull(yamlFile, "yamlFile");
            return this;
        }

        /**
         * @param text YAML text
         * @param name its name in messages
         * @return this
         */
        public Loader yaml(String text, String name) {
            this.yaml = Objects.requireNonNull(text, "text");
            this.yamlName = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * @param tree nested maps, lists and values
         * @param name its name in messages
         * @return this
         */
        public Loader tree(Map<String, ?> tree, String name) {
            this.map = Objects.requireNonNull(tree, "tree");
            this.treeName = name;
            return this;
        }

        /**
         * @param tree a Jackson object node
         * @param name its name in messages
         * @return this
         */
        public Loader tree(JsonNode tree, String name) {
            this.json = Objects.requireNonNull(tree, "tree");
            this.treeName = name;
            return this;
        }

        /**
         * Uses these environment variables for {@code TERMLET_*} overrides and {@code ${env:NAME}} instead of the
         * process's.
         *
         * @param variables the variables
         * @return this
         */
        public Loader environment(Map<String, String> variables) {
            this.environment = Map.copyOf(variables);
            return this;
        }

        /**
         * Uses these system properties for {@code termlet.*} overrides instead of the process's.
         *
         * @param props the properties
         * @return this
         */
        public Loader systemProperties(Map<String, String> props) {
            this.properties = Map.copyOf(props);
            return this;
        }

        /**
         * Reads the sources and checks the result.
         *
         * @return the configuration
         * @throws ConfigException listing every problem
         */
        public TermletConfig load() {
            List<Problem> problems = new ArrayList<>();
            List<String> warnings = new ArrayList<>();
            Node.Obj root = null;
            if (file != null) {
                try {
                    root = YamlReader.read(Files.readString(file, StandardCharsets.UTF_8), file.toString(), problems);
                } catch (NoSuchFileException e) {
                    problems.add(new Problem("", Origin.at(file.toString(), 0, 0), "the file does not exist",
                            "create it, or give the path of the configuration file"));
                } catch (IOException e) {
                    problems.add(new Problem("", Origin.at(file.toString(), 0, 0), "cannot read it: " + e,
                            "make it readable by the server"));
                }
            } else if (yaml != null) {
                root = YamlReader.read(yaml, yamlName, problems);
            } else if (map != null) {
                root = TreeReader.read(map, treeName);
            } else if (json != null) {
                root = TreeReader.read(json, treeName);
                if (root == null) {
                    problems.add(new Problem("", Origin.at(treeName, 0, 0), "the tree's root is not an object",
                            "give an object with the keys of termlet.yaml"));
                }
            }
            if (root == null) {
                if (!problems.isEmpty()) {
                    throw fail(problems);
                }
                root = new Node.Obj(Origin.DEFAULT);
            }
            Map<String, String> env = environment != null ? environment : System.getenv();
            Map<String, String> props = properties;
            if (props == null) {
                props = new HashMap<>();
                Properties p = System.getProperties();
                for (String name : p.stringPropertyNames()) {
                    props.put(name, p.getProperty(name));
                }
            }
            Overrides.environment(root, ServerConfig.class, env, problems, warnings);
            Overrides.properties(root, ServerConfig.class, props, problems);
            Binder binder = new Binder(problems, warnings, env::get);
            ServerConfig model = binder.record(ServerConfig.class, root, "");
            new Checks(problems, binder.origins()).check(model);
            if (!problems.isEmpty()) {
                throw fail(binder.redact(problems));
            }
            warnings.forEach(LOG::warn);
            return new TermletConfig(model, binder.origins(), warnings);
        }

        /** The problems in the order of the file, then those of the environment and system properties. */
        private static ConfigException fail(List<Problem> problems) {
            List<Problem> sorted = new ArrayList<>(problems);
            sorted.sort(java.util.Comparator.comparing((Problem p) -> p.origin().line() == 0)
                    .thenComparingInt(p -> p.origin().line()).thenComparingInt(p -> p.origin().column()));
            List<ConfigProblem> out = new ArrayList<>();
            for (Problem p : sorted.subList(0, Math.min(sorted.size(), MAX_REPORTED))) {
                out.add(new ConfigProblem(p.key(), p.origin().toString(), p.message(), p.fix()));
            }
            if (sorted.size() > MAX_REPORTED) {
                int more = sorted.size() - MAX_REPORTED;
                out.add(new ConfigProblem("", sorted.get(MAX_REPORTED).origin().source(), "... and " + more
                        + " more " + (more == 1 ? "problem" : "problems"), "fix the ones above, then load it again"));
            }
            return new ConfigException(out, sorted.size());
        }
    }
}
