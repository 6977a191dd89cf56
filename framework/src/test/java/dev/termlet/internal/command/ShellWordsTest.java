package dev.termlet.internal.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ShellWordsTest {
    @Test
    void splitsLikeAPosixShell() throws Exception {
        assertThat(ShellWords.split("  a  b\tc ")).containsExactly("a", "b", "c");
        assertThat(ShellWords.split("'a b' \"c d\" e\\ f")).containsExactly("a b", "c d", "e f");
        assertThat(ShellWords.split("'it''s'")).containsExactly("its");
        assertThat(ShellWords.split("\"a\\\"b\\\\c\\$d\\`e\\n\"")).containsExactly("a\"b\\c$d`e\\n");
        assertThat(ShellWords.split("'no \\escape'")).containsExactly("no \\escape");
        assertThat(ShellWords.split("x'y'\"z\"")).containsExactly("xyz");
        assertThat(ShellWords.split("''")).containsExactly("");
        assertThat(ShellWords.split("$HOME `id` *")).containsExactly("$HOME", "`id`", "*");
        assertThat(ShellWords.split("   ")).isEmpty();
    }

    @Test
    void unterminatedInputIsASyntaxError() {
        assertThatThrownBy(() -> ShellWords.split("a 'b")).hasMessage("unterminated single quote");
        assertThatThrownBy(() -> ShellWords.split("a \"b")).hasMessage("unterminated double quote");
        assertThatThrownBy(() -> ShellWords.split("a \\")).hasMessage("backslash at the end of the line");
    }

    @Test
    void durations() {
        assertThat(Conversions.duration("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Conversions.duration("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Conversions.duration("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Conversions.duration("2d")).isEqualTo(Duration.ofDays(2));
        assertThat(Conversions.duration("PT5M")).isEqualTo(Duration.ofMinutes(5));
        for (String bad : new String[] {"", "5", "m5", "5x", "5m junk", "P"}) {
            assertThatThrownBy(() -> Conversions.duration(bad)).as(bad)
                    .isInstanceOf(CommandLine.TypeConversionException.class);
        }
    }
}
