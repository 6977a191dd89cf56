package dev.termlet.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.termlet.config.ConfigKey;
import dev.termlet.config.Secret;
import dev.termlet.config.TermletConfig;
import dev.termlet.spring.internal.Schema;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * META-INF/spring-configuration-metadata.json, which IDEs read to complete and explain the termlet.* properties, is
 * made from the configuration model ({@link Schema}, the {@link ConfigKey}s): this test fails when the file and the
 * model differ ({@code -Dtermlet.updateDocs=true} rewrites it), and checks it against the key reference of
 * termlet-config ({@link TermletConfig#keyReference()}), so that no key of the model is missing.
 */
class ConfigurationMetadataTest {
    private static final Path FILE = Path.of("src/main/resources/META-INF/spring-configuration-metadata.json");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** The metadata the model makes. */
    static String generate() throws IOException {
        ObjectNode root = NODES.objectNode();
        ArrayNode groups = root.putArray("groups");
        ArrayNode properties = root.putArray("properties");
        ArrayNode hints = root.putArray("hints");
        groups.addObject().put("name", "termlet")
                .put("description", "Termlet: the SSH server of the application, with the keys of termlet.yaml.");
        properties.addObject().put("name", "termlet.enabled").put("type", "java.lang.Boolean")
                .put("description", "Whether Termlet's auto-configuration makes and starts the server.")
                .put("defaultValue", true);
        properties.addObject().put("name", "termlet.shutdown-grace").put("type", "java.time.Duration")
                .put("description", "How long open sessions get to end when the application context closes; at most"
                        + " half of spring.lifecycle.timeout-per-shutdown-phase.")
                .put("defaultValue", "5s");
        add("termlet", Schema.ROOT, groups, properties, hints);
        return JSON.writeValueAsString(root) + "\n";
    }

    private static void add(String prefix, Map<String, Schema.Key> keys, ArrayNode groups, ArrayNode properties,
            ArrayNode hints) throws IOException {
        for (Schema.Key k : keys.values()) {
            String name = prefix + "." + k.name();
            if (k.kind() == Schema.Kind.SECTION) {
                groups.addObject().put("name", name).put("description", sentence(k.info().value()));
                add(name, k.children(), groups, properties, hints);
                continue;
            }
            ObjectNode p = properties.addObject().put("name", name).put("type", type(k))
                    .put("description", description(k));
            JsonNode dflt = dflt(k);
            if (dflt != null) {
                p.set("defaultValue", dflt);
            }
            if (k.info().oneOf().length > 0) {
                ArrayNode values = hints.addObject().put("name", name).putArray("values");
                for (String v : k.info().oneOf()) {
                    values.addObject().put("value", v);
                }
            }
            if (name.equals("termlet.logging.levels")) {
                hints.addObject().put("name", name + ".keys").putArray("providers").addObject()
                        .put("name", "logger-name");
                ArrayNode values = hints.addObject().put("name", name + ".values").putArray("values");
                for (String v : List.of("trace", "debug", "info", "warn", "error", "off")) {
                    values.addObject().put("value", v);
                }
            }
        }
    }

    /** The Java type IDEs check values against: texts for Termlet's own formats, which Spring's would refuse. */
    private static String type(Schema.Key k) {
        switch (k.kind()) {
            case LIST:
                return "java.util.List<" + scalar(((ParameterizedType) k.type()).getActualTypeArguments()[0],
                        k.info()) + ">";
            case MAP:
                return "java.util.Map<java.lang.String," + (k.mapOfLists() ? "java.util.List<java.lang.String>"
                        : "java.lang.String") + ">";
            case RECORDS:
                return "java.util.List<java.util.Map<java.lang.String,java.lang.Object>>";
            default:
                return scalar(k.type(), k.info());
        }
    }

    private static String scalar(Type type, ConfigKey info) {
        Class<?> raw = Schema.raw(type);
        if (raw == boolean.class || raw == Boolean.class) {
            return "java.lang.Boolean";
        }
        if ((raw == int.class || raw == Integer.class) && info.unit() == ConfigKey.Unit.PLAIN) {
            return "java.lang.Integer";
        }
        if ((raw == long.class || raw == Long.class) && info.unit() == ConfigKey.Unit.PLAIN) {
            return "java.lang.Long";
        }
        if (raw == Path.class) {
            return "java.nio.file.Path";
        }
        return "java.lang.String";
    }

    private static String description(Schema.Key k) {
        StringBuilder d = new StringBuilder(sentence(k.info().value()));
        Class<?> raw = Schema.raw(k.type());
        if (raw == Duration.class) {
            d.append(" A duration: 250ms, 30s, 5m, 1h30m, 7d.");
        } else if (k.info().unit() == ConfigKey.Unit.SIZE) {
            d.append(" A size: 1024, 512MiB, 10GiB (1024-based).");
        } else if (k.info().unit() == ConfigKey.Unit.OCTAL) {
            d.append(" An octal mask, quoted: \"027\".");
        }
        if (raw == Secret.class || k.info().mayHoldSecret()) {
            d.append(" May be ${env:NAME} or ${file:/path}.");
        }
        if (k.kind() == Schema.Kind.RECORDS) {
            List<String> items = new ArrayList<>();
            k.children().values().forEach(c -> items.add(c.name() + " (" + c.info().value() + ")"));
            d.append(" Each item has ").append(String.join(", ", items)).append('.');
        }
        if (k.kind() == Schema.Kind.MAP && k.mapOfLists()) {
            d.append(" Write a name with '/' in brackets: \"[/incoming]\".");
        }
        return d.toString();
    }

    private static String sentence(String text) {
        String s = Character.toUpperCase(text.charAt(0)) + text.substring(1);
        return s.endsWith(".") ? s : s + ".";
    }

    /** The default as a JSON value, or null for none. */
    private static JsonNode dflt(Schema.Key k) throws IOException {
        String d = k.info().dflt();
        if (ConfigKey.UNSET.equals(d) || d.equals("{}")) {
            return null;
        }
        Class<?> raw = Schema.raw(k.type());
        if (k.kind() == Schema.Kind.SCALAR && (raw == String.class || raw == Duration.class
                || k.info().unit() != ConfigKey.Unit.PLAIN)) {
            return NODES.textNode(d);
        }
        if (raw == boolean.class) {
            return NODES.booleanNode(Boolean.parseBoolean(d));
        }
        if (raw == int.class || raw == long.class) {
            return NODES.numberNode(Long.parseLong(d));
        }
        return new YAMLMapper().readTree("x: " + d).get("x");
    }

    private static String committed() throws IOException {
        return Files.readString(FILE, StandardCharsets.UTF_8);
    }

    @Test
    void theMetadataIsMadeFromTheModel() throws IOException {
        String generated = generate();
        if (Boolean.getBoolean("termlet.updateDocs")) {
            Files.writeString(FILE, generated, StandardCharsets.UTF_8);
        }
        assertThat(committed()).as(FILE + " (run this test with -Dtermlet.updateDocs=true to rewrite it)")
                .isEqualTo(generated);
    }

    @Test
    void theJarCarriesIt() throws IOException {
        List<String> names = new ArrayList<>();
        for (java.net.URL url : java.util.Collections.list(getClass().getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json"))) {
            try (InputStream in = url.openStream()) {
                JSON.readTree(in).path("properties").forEach(p -> names.add(p.get("name").asText()));
            }
        }
        assertThat(names).contains("termlet.enabled", "termlet.limits.max-sessions",
                "server.port");   // Spring Boot's own, read the same way
    }

    @Test
    void everyKeyOfTheReferenceIsListed() throws IOException {
        JsonNode metadata = JSON.readTree(committed());
        Map<String, JsonNode> byName = new java.util.HashMap<>();
        metadata.get("properties").forEach(p -> byName.put(p.get("name").asText(), p));
        List<String> groupNames = new ArrayList<>();
        metadata.get("groups").forEach(g -> groupNames.add(g.get("name").asText()));

        Matcher m = Pattern.compile("(?m)^\\| `([^`]+)` \\|").matcher(TermletConfig.keyReference());
        List<String> keys = new ArrayList<>();
        while (m.find()) {
            keys.add(m.group(1));
        }
        assertThat(keys).contains("listeners[].port", "limits.max-sessions", "logging.levels.NAME");
        List<String> missing = new ArrayList<>();
        for (String key : keys) {
            if (key.contains("[].")) {
                // an item's key: the list's property describes it
                String list = "termlet." + key.substring(0, key.indexOf("[]."));
                String item = key.substring(key.indexOf("[].") + 3);
                JsonNode p = byName.get(list);
                if (p == null || !p.get("description").asText().contains(item + " (")) {
                    missing.add(key);
                }
            } else if (!byName.containsKey("termlet." + key.replaceAll("\\.NAME$", ""))) {
                missing.add(key);
            }
        }
        assertThat(missing).as("keys of the model missing from the metadata").isEmpty();
        assertThat(byName).containsKeys("termlet.enabled", "termlet.shutdown-grace");
        assertThat(byName).hasSize(keys.size() - (int) keys.stream().filter(k -> k.contains("[].")).count() + 2);
        assertThat(groupNames).contains("termlet", "termlet.limits", "termlet.fileops.ftp", "termlet.hooks.post-login");
    }

    @Test
    void typesAndDefaultsAreThoseOfTheModel() throws IOException {
        JsonNode metadata = JSON.readTree(generate());
        Map<String, JsonNode> byName = new java.util.HashMap<>();
        metadata.get("properties").forEach(p -> byName.put(p.get("name").asText(), p));
        assertThat(byName.get("termlet.limits.max-sessions").get("type").asText()).isEqualTo("java.lang.Integer");
        assertThat(byName.get("termlet.limits.max-sessions").get("defaultValue").asInt()).isEqualTo(1000);
        assertThat(byName.get("termlet.timeouts.auth").get("defaultValue").asText()).isEqualTo("30s");
        assertThat(byName.get("termlet.fileops.umask").get("defaultValue").asText()).isEqualTo("022");
        assertThat(byName.get("termlet.protector.safe-list").get("type").asText())
                .isEqualTo("java.util.List<java.lang.String>");
        assertThat(byName.get("termlet.listeners").get("defaultValue").get(0).get("port").asInt()).isEqualTo(2222);
        assertThat(byName.get("termlet.fileops.ftp.key-store-password").get("description").asText())
                .contains("${env:NAME}");
    }
}
