package dev.termlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.auth.JsonAccountStore;
import dev.termlet.spi.ShellWords;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Fuzz harnesses (jqwik) for the command-line splitter and the account store loader. They run briefly in
 * the suite (100 tries each); run them long with {@code -Djqwik.tries.default=100000} (docs/security.md).
 */
class FuzzTest {

    @Provide
    Arbitrary<String> shellish() {
        return Arbitraries.strings().withChars("ab 'x\"\\\t$`*日\u0000\u001b").ofMaxLength(60);
    }

    @Property
    void splittingNeverThrowsAnythingButASyntaxError(@ForAll("shellish") String line) {
        try {
            List<String> words = ShellWords.split(line);
            for (String w : words) {
                assertThat(w).isNotNull();
            }
        } catch (ShellWords.SyntaxException e) {
            assertThat(e.getMessage()).isIn("unterminated single quote", "unterminated double quote",
                    "backslash at the end of the line");
        }
    }

    @Property
    void quotedWordsSplitBackToThemselves(@ForAll @Size(max = 6) List<@net.jqwik.api.constraints.StringLength(max = 12) String> words)
            throws Exception {
        StringBuilder line = new StringBuilder();
        for (String w : words) {
            line.append('\'').append(w.replace("'", "'\\''")).append("' ");
        }
        assertThat(ShellWords.split(line.toString())).isEqualTo(words);
    }

    @Provide
    Arbitrary<String> jsonish() {
        Arbitrary<String> fragments = Arbitraries.of("{", "}", "[", "]", ",", ":", "\"version\"", "1", "2", "\"users\"",
                "\"name\"", "\"a\"", "\"../x\"", "\"passwordHash\"", "null", "true", "\"echo\"", "\"authMethods\"",
                "\"password\"", "\"idleTimeoutSeconds\"", "-5", "1e99", "\"permissions\"", "\"\\u0000\"", " ", "\"日本\"");
        return fragments.list().ofMaxSize(40).map(l -> String.join("", l));
    }

    @Property
    void accountStoreLoaderRefusesCleanly(@ForAll("jsonish") String json) throws Exception {
        loads(json.getBytes(StandardCharsets.UTF_8));
    }

    @Property
    void accountStoreLoaderSurvivesRandomBytes(@ForAll @Size(max = 200) byte[] bytes) throws Exception {
        loads(bytes);
    }

    private static void loads(byte[] content) throws Exception {
        Path dir = Files.createTempDirectory("termlet-fuzz");
        try {
            Files.write(dir.resolve("users.json"), content);
            try {
                JsonAccountStore store = JsonAccountStore.open(dir);
                assertThat(store.list()).isNotNull();
            } catch (IllegalStateException e) {
                assertThat(e.getMessage()).contains("users.json").contains("malformed");
            } catch (UncheckedIOException e) {
                throw new AssertionError("unexpected I/O failure", e);
            }
            assertThat(Files.readAllBytes(dir.resolve("users.json"))).isEqualTo(content);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
    }
}
