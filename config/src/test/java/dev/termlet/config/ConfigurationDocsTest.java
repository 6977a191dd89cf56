package dev.termlet.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md: its example termlet.yaml loads, and its reference of every key is the one the model makes
 * ({@code -Dtermlet.updateDocs=true} rewrites it).
 */
class ConfigurationDocsTest {
    private static final Path DOC = Path.of("..", "docs", "configuration.md");
    private static final String KEYS_BEGIN = "<!-- config-keys:begin -->\n";
    private static final String KEYS_END = "<!-- config-keys:end -->\n";
    private static final String EXAMPLE_BEGIN = "<!-- config-example:begin -->\n```yaml\n";
    private static final String EXAMPLE_END = "```\n<!-- config-example:end -->";

    @Test
    void theKeyReferenceIsTheModels() throws Exception {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        int a = doc.indexOf(KEYS_BEGIN);
        int b = doc.indexOf(KEYS_END);
        assertThat(a).as("docs/configuration.md has the config-keys markers").isNotNegative();
        assertThat(b).isGreaterThan(a);
        String table = TermletConfig.keyReference();
        if (Boolean.getBoolean("termlet.updateDocs")) {
            doc = doc.substring(0, a + KEYS_BEGIN.length()) + table + doc.substring(b);
            Files.writeString(DOC, doc, StandardCharsets.UTF_8);
            b = doc.indexOf(KEYS_END);
        }
        assertThat(doc.substring(a + KEYS_BEGIN.length(), b))
                .as("docs/configuration.md's key reference is out of date; run this test with"
                        + " -Dtermlet.updateDocs=true")
                .isEqualTo(table);
    }

    @Test
    void theExampleLoads() throws Exception {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        int a = doc.indexOf(EXAMPLE_BEGIN);
        int b = doc.indexOf(EXAMPLE_END);
        assertThat(a).as("docs/configuration.md has the config-example markers").isNotNegative();
        assertThat(b).isGreaterThan(a);
        String yaml = doc.substring(a + EXAMPLE_BEGIN.length(), b);
        TermletConfig c = TermletConfig.loader().yaml(yaml, "docs/configuration.md's example")
                .environment(Map.of("HOOK_TOKEN", "t")).systemProperties(Map.of()).load();
        assertThat(c.warnings()).isEmpty();
        assertThat(c.model().listeners()).hasSize(2);
        assertThat(c.model().fileops().defaultQuota().size()).isEqualTo(10L << 30);
        assertThat(c.hooks()).isPresent();
        assertThat(c.fileOps()).isPresent();
    }

    @Test
    void everyKeyOfTheModelIsInTheTable() {
        String table = TermletConfig.keyReference();
        assertThat(table).contains("| `limits.max-sessions` | a whole number | `1000` | connections in all |")
                .contains("| `listeners[].port` |").contains("| `fileops.ftp.key-store-password` | a secret |")
                .contains("| `logging.levels.NAME` |");
    }
}
