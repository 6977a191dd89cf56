package dev.termlet.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.termlet.config.ConfigException;
import dev.termlet.config.ConfigProblem;
import dev.termlet.config.ServerConfig;
import dev.termlet.config.TermletConfig;
import dev.termlet.spring.internal.PropertyTree;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ByteArrayResource;

/** The termlet.* properties of a Spring environment as the tree TermletConfig reads, and where each came from. */
class PropertyTreeTest {
    /** An environment of a YAML file (application.yaml), properties and environment variables, highest first. */
    private static StandardEnvironment environment(String yaml, Map<String, Object> properties,
            Map<String, Object> variables) throws Exception {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        env.getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        env.getPropertySources().addLast(new MapPropertySource("test", properties));
        env.getPropertySources().addLast(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
        if (yaml != null) {
            List<PropertySource<?>> loaded = new YamlPropertySourceLoader().load("application.yaml",
                    new ByteArrayResource(yaml.getBytes(StandardCharsets.UTF_8), "application.yaml"));
            loaded.forEach(env.getPropertySources()::addLast);
        }
        return env;
    }

    private static TermletConfig config(PropertyTree tree) {
        try {
            return TermletConfig.loader().tree(tree.tree(), PropertyTree.SOURCE).environment(Map.of())
                    .systemProperties(Map.of()).load();
        } catch (ConfigException e) {
            throw tree.exception(e);
        }
    }

    @Test
    void yamlKeysListsAndMapsMakeTheModel() throws Exception {
        String yaml = String.join("\n",
                "termlet:",
                "  listeners:",
                "    - address: 0.0.0.0",
                "      port: 2200",
                "    - address: 127.0.0.2",
                "      port: 2201",
                "  data-dir: /tmp/termlet-spring",
                "  prompt: 'app> '",
                "  limits:",
                "    maxSessions: 50",                   // Spring's relaxed names: camelCase
                "    max_sessions_per_user: 3",         // and underscores
                "  timeouts:",
                "    idle: 1h30m",
                "  protector:",
                "    safe-list: [10.0.0.0/8, 192.0.2.7]",
                "  fileops:",
                "    umask: '027'",
                "    default-permissions:",
                "      /: [list, download]",            // Spring alone would make this key empty
                "      \"[/incoming]\": [list, upload]",  // Spring's bracket notation
                "  logging:",
                "    levels:",
                "      org.apache.sshd: warn",
                "  enabled: true",                      // the starter's own keys are not the model's
                "  shutdown-grace: 3s",
                "");
        PropertyTree tree = PropertyTree.bind(environment(yaml, Map.of(), Map.of()));
        assertThat(tree.tree()).doesNotContainKeys("enabled", "shutdown-grace");

        ServerConfig c = config(tree).model();
        assertThat(c.listeners()).extracting(ServerConfig.Listener::address, ServerConfig.Listener::port)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("0.0.0.0", 2200),
                        org.assertj.core.groups.Tuple.tuple("127.0.0.2", 2201));
        assertThat(c.dataDir()).hasToString("/tmp/termlet-spring");
        assertThat(c.prompt()).isEqualTo("app> ");
        assertThat(c.limits().maxSessions()).isEqualTo(50);
        assertThat(c.limits().maxSessionsPerUser()).isEqualTo(3);
        assertThat(c.timeouts().idle()).isEqualTo(Duration.ofMinutes(90));
        assertThat(c.protector().safeList()).containsExactly("10.0.0.0/8", "192.0.2.7");
        assertThat(c.fileops().umask()).isEqualTo(027);
        assertThat(c.fileops().defaultPermissions()).containsOnlyKeys("/", "/incoming");
        assertThat(c.fileops().defaultPermissions().get("/incoming")).containsExactly("list", "upload");
        assertThat(c.logging().levels()).containsEntry("org.apache.sshd", "warn");
    }

    @Test
    void environmentVariablesOverrideOneItemAndOneKey() throws Exception {
        String yaml = String.join("\n",
                "termlet:",
                "  listeners:",
                "    - address: 0.0.0.0",
                "      port: 2222",
                "  limits:",
                "    max-sessions: 50",
                "");
        Map<String, Object> variables = new HashMap<>();
        variables.put("TERMLET_LISTENERS_0_PORT", "2200");          // the port of the file's first listener
        variables.put("TERMLET_LIMITS_MAXSESSIONS", "60");          // Spring's form of max-sessions
        variables.put("TERMLET_PROTECTOR_SAFE_LIST", "10.0.0.0/8,192.0.2.7");   // the legacy form, comma-separated
        variables.put("TERMLET_LOGGING_LEVELS_ORG_APACHE_SSHD", "debug");
        variables.put("TERMLET_HOME", "/opt/termlet");              // no key: not looked for among variables
        StandardEnvironment env = environment(yaml, Map.of(), variables);
        // variables come after the properties here, so move them to the top as in an application
        env.getPropertySources().addFirst(env.getPropertySources()
                .remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME));

        ServerConfig c = config(PropertyTree.bind(env)).model();
        assertThat(c.listeners()).singleElement().satisfies(l -> {
            assertThat(l.address()).isEqualTo("0.0.0.0");
            assertThat(l.port()).isEqualTo(2200);
        });
        assertThat(c.limits().maxSessions()).isEqualTo(60);
        assertThat(c.protector().safeList()).containsExactly("10.0.0.0/8", "192.0.2.7");
        assertThat(c.logging().levels()).containsEntry("org.apache.sshd", "debug");
    }

    @Test
    void springPlaceholdersAreResolvedAndTermletReferencesKept() throws Exception {
        Map<String, Object> props = new HashMap<>();
        props.put("app.name", "Tasks");
        props.put("termlet.banner", "Welcome to ${app.name}");
        props.put("termlet.hooks.http[0].url", "https://hooks.example.com/${env:HOOK_PATH}");
        props.put("termlet.hooks.http[0].events", "upload");
        props.put("termlet.pre-auth-banner", "$${env:LITERALLY}");
        PropertyTree tree = PropertyTree.bind(environment(null, props, Map.of()));
        assertThat(tree.tree()).containsEntry("banner", "Welcome to Tasks")
                .containsEntry("pre-auth-banner", "$${env:LITERALLY}");
        assertThat(tree.tree().get("hooks")).asString().contains("url=https://hooks.example.com/${env:HOOK_PATH}");

        TermletConfig c = TermletConfig.loader().tree(tree.tree(), PropertyTree.SOURCE)
                .environment(Map.of("HOOK_PATH", "termlet")).systemProperties(Map.of()).load();
        assertThat(c.model().hooks().http()).singleElement()
                .satisfies(h -> assertThat(h.url()).isEqualTo("https://hooks.example.com/termlet"));
        assertThat(c.model().preAuthBanner()).isEqualTo("${env:LITERALLY}");
        assertThat(c.warnings()).isEmpty();
    }

    @Test
    void anUnknownKeyIsRefusedWithItsPropertyAndWhereItWasWritten() throws Exception {
        String yaml = String.join("\n",
                "termlet:",
                "  limits:",
                "    max-sesions: 50",
                "  listeners:",
                "    - port: lots",
                "");
        Map<String, Object> props = Map.of("termlet.protector.bantime", "1h");   // ban-time, relaxed
        PropertyTree tree = PropertyTree.bind(environment(yaml, props, Map.of("TERMLET_NOT_A_KEY", "1")));
        assertThatThrownBy(() -> config(tree)).isInstanceOfSatisfying(TermletPropertiesException.class, e -> {
            assertThat(e.problems()).extracting(ConfigProblem::key)
                    .containsExactlyInAnyOrder("termlet.limits.max-sesions", "termlet.listeners[0].port");
            ConfigProblem unknown = e.problems().stream().filter(p -> p.key().endsWith("max-sesions"))
                    .findFirst().orElseThrow();
            assertThat(unknown.where()).isEqualTo("Byte array resource [application.yaml] - 3:18");
            assertThat(unknown.message()).isEqualTo("unknown key 'max-sesions'");
            assertThat(unknown.fix()).isEqualTo("did you mean 'max-sessions'?");
            ConfigProblem port = e.problems().stream().filter(p -> p.key().endsWith("port")).findFirst()
                    .orElseThrow();
            assertThat(port.where()).isEqualTo("Byte array resource [application.yaml] - 5:13");
            assertThat(port.message()).contains("'lots' is not a whole number");
            assertThat(e.getMessage()).startsWith("the termlet.* properties have 2 problems:")
                    .contains("termlet.limits.max-sesions (Byte array resource [application.yaml] - 3:18): unknown key 'max-sesions'."
                            + " Fix: did you mean 'max-sessions'?");
            assertThat(e.getCause()).isInstanceOf(ConfigException.class);
        });
    }

    @Test
    void aGapInTheItemsClosesUpAndAnUnknownItemKeyIsRefused() throws Exception {
        Map<String, Object> props = new HashMap<>();
        props.put("termlet.listeners[1].port", "2201");
        props.put("termlet.listeners[3].port", "2203");
        props.put("termlet.listeners[3].adress", "0.0.0.0");
        PropertyTree tree = PropertyTree.bind(environment(null, props, Map.of()));
        assertThatThrownBy(() -> config(tree)).isInstanceOfSatisfying(TermletPropertiesException.class, e -> {
            assertThat(e.problems()).singleElement().satisfies(p -> {
                assertThat(p.key()).isEqualTo("termlet.listeners[3].adress");
                assertThat(p.where()).isEqualTo("\"termlet.listeners[3].adress\" from property source \"test\"");
                assertThat(p.fix()).isEqualTo("did you mean 'address'?");
            });
        });
        props.remove("termlet.listeners[3].adress");
        assertThat(config(PropertyTree.bind(environment(null, props, Map.of()))).model().listeners())
                .extracting(ServerConfig.Listener::port).containsExactly(2201, 2203);
    }

    @Test
    void aValueWhereKeysBelongIsRefused() throws Exception {
        PropertyTree tree = PropertyTree.bind(environment(null, Map.of("termlet.limits", "50"), Map.of()));
        assertThatThrownBy(() -> config(tree)).isInstanceOfSatisfying(TermletPropertiesException.class,
                e -> assertThat(e.problems()).singleElement().satisfies(p -> {
                    assertThat(p.key()).isEqualTo("termlet.limits");
                    assertThat(p.message()).contains("expected a map of keys");
                }));
    }
}
