package dev.termlet.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

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
}
