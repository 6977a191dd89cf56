package dev.termlet.terminal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.jline.utils.AttributedString;
import org.junit.jupiter.api.Test;

class TextTest {
    @Test
    void tableAlignsByDisplayWidth() {
        List<String> lines = Table.of("User", "Sessions").align(1, Table.Align.RIGHT)
                .row("alice", 2).row("山田太郎", 10).render(80);
        assertThat(lines).containsExactly(
                "User      Sessions",
                "────────  ────────",
                "alice            2",
                "山田太郎        10");
    }

    @Test
    void tableShrinksWidestColumnsWithEllipsis() {
        Table t = Table.of("Name", "Description").row("a", "a very long description of many words")
                .row("日本語の名前です", "短い");
        for (int width : new int[] {40, 20, 12}) {
            for (String line : t.render(width)) {
                assertThat(new AttributedString(line).columnLength()).as(line).isLessThanOrEqualTo(width);
            }
        }
        assertThat(String.join("\n", t.render(20))).contains("…");
        assertThat(Table.cut("日本語", 4)).isEqualTo("日… ");
    }

    @Test
    void tableRejectsRowsOfTheWrongSizeAndCleansCells() {
        assertThatThrownBy(() -> Table.of("a", "b").row("x")).hasMessage("row 1 has 1 cells, the table has 2 columns");
        assertThat(Table.of("a").row("x\u001b[31mred\ny\tz").toString()).endsWith("xred y z");
    }

    @Test
    void escapeSequences() {
        assertThat(TerminalText.hyperlink("https://example.com", "site"))
                .isEqualTo("\u001b]8;;https://example.com\u001b\\site\u001b]8;;\u001b\\");
        assertThatThrownBy(() -> TerminalText.hyperlink("https://x\u001b]0;pwned\u0007", "x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(TerminalText.title("build \u001b]0;evil\u0007 ok")).isEqualTo("\u001b]0;build  ok\u0007");
        assertThat(TerminalText.title("x".repeat(400))).hasSize(256 + 5);
        assertThat(TerminalText.cursorVisible(false)).isEqualTo("\u001b[?25l");
        assertThat(TerminalText.clearScreen()).isEqualTo("\u001b[H\u001b[2J");
    }

    @Test
    void stripControlsLeavesPlainText() {
        assertThat(TerminalText.stripControls("\u001b[1;31mred\u001b[0m text\n\ttab")).isEqualTo("red text\n\ttab");
        assertThat(TerminalText.stripControls("a\u009b31mb\u0007c\u007f")).isEqualTo("a31mbc");
        assertThat(TerminalText.stripControls("unterminated \u001b]0;title")).isEqualTo("unterminated ");
        assertThat(TerminalText.width("漢字ab")).isEqualTo(6);
    }
}
