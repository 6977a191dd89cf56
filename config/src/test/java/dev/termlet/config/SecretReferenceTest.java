package dev.termlet.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A value taken from {@code ${file:...}} or {@code ${env:...}} is never quoted in a problem. */
class SecretReferenceTest {
    private static final String SECRET = "secret-Xq7pZr2kLm9";

    @TempDir
    Path dir;

    private List<ConfigProblem> problems(String yaml, Map<String, String> env) {
        try {
            TermletConfig.loader().yaml(yaml, "termlet.yaml").environment(env).systemProperties(Map.of()).load();
        } catch (ConfigException e) {
            assertThat(e.getMessage()).doesNotContain(SECRET).doesNotContain("Xq7pZr2kLm9");
            return e.problems();
        }
        throw new AssertionError("no problem found in " + yaml);
    }

    private static ConfigProblem at(List<ConfigProblem> problems, String key) {
        return problems.stream().filter(p -> p.key().equals(key)).findFirst()
                .orElseThrow(() -> new AssertionError("no problem at " + key + " in " + problems));
    }

    @Test
    void aWrongValueFromAFileIsNotShown() throws Exception {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, SECRET + "\n");
        String f = "${file:" + secret + "}";
        List<ConfigProblem> p = problems("limits:\n  max-sessions: " + f + "\n  max-startups: " + f
                + "\ntimeouts:\n  idle: " + f + "\nprotector:\n  block-list: " + f + "\nlogging:\n  level: " + f + "\n",
                Map.of());
        String from = "the value from file " + secret + " (" + SECRET.length() + " characters)";
        assertThat(at(p, "limits.max-sessions").message()).isEqualTo(from + " is not a whole number");
        assertThat(at(p, "limits.max-startups").message()).startsWith(from);
        assertThat(at(p, "timeouts.idle").message()).isEqualTo(from + " is not a duration");
        assertThat(at(p, "logging.level").message()).isEqualTo(from + " is not allowed");
        assertThat(p.stream().filter(x -> x.key().startsWith("protector.block-list")).findFirst().orElseThrow()
                .message()).startsWith(from);
        for (ConfigProblem x : p) {
            assertThat(x.toString()).doesNotContain(SECRET).doesNotContain("Xq7pZr2kLm9");
        }
    }

    @Test
    void aWrongValueFromAVariableIsNotShown() {
        Map<String, String> env = Map.of("S", SECRET, "C", "10.0.0.0/8," + SECRET);
        List<ConfigProblem> p = problems("limits:\n  max-sessions: ${env:S}\n  max-startups: ${env:S}\n"
                + "timeouts:\n  idle: x${env:S}\nprotector:\n  safe-list: ${env:C}\nlogging:\n  level: ${env:S}\n", env);
        String of = "the value of variable S (" + SECRET.length() + " characters)";
        assertThat(at(p, "limits.max-sessions").message()).isEqualTo(of + " is not a whole number");
        assertThat(at(p, "limits.max-startups").message()).startsWith(of);
        assertThat(at(p, "timeouts.idle").message())
                .isEqualTo("the value built from variable S (" + (SECRET.length() + 1) + " characters) is not a duration");
        assertThat(at(p, "logging.level").message()).isEqualTo(of + " is not allowed");
        assertThat(at(p, "protector.safe-list[1]").message()).contains("variable C");
        for (ConfigProblem x : p) {
            assertThat(x.toString()).doesNotContain(SECRET).doesNotContain("Xq7pZr2kLm9");
        }
    }

    @Test
    void aLiteralValueIsStillQuoted() {
        List<ConfigProblem> p = problems("limits:\n  max-sessions: lots\n", Map.of());
        assertThat(at(p, "limits.max-sessions").message()).isEqualTo("'lots' is not a whole number");
    }
}
