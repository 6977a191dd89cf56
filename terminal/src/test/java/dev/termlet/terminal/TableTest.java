package dev.termlet.terminal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import org.jline.utils.AttributedString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TableTest {

    private static int columns(String line) {
        return new AttributedString(line).columnLength();
    }

    private static void assertFits(List<String> lines, int width) {
        for (String line : lines) {
            assertThat(columns(line)).as("'%s' at width %d", line, width).isLessThanOrEqualTo(width);
        }
    }

    @Test
    void alignsLeftByDefaultAndRightOnRequest() {
        List<String> lines = Table.of("Name", "Count", "Note").align(1, Table.Align.RIGHT)
                .row("alice", 2, "ok").row("bob", 1234, null).render(80);
        assertThat(lines).containsExactly(
                "Name   Count  Note",
                "─────  ─────  ────",
                "alice      2  ok",
                "bob     1234");
    }

    @Test
    void rightAlignedLastColumnKeepsItsPadding() {
        assertThat(Table.of("k", "Value").align(1, Table.Align.RIGHT).row("a", 7).render(80))
                .containsExactly("k  Value", "─  ─────", "a      7");
    }

    @Test
    void measuresCjkAsTwoColumnsAndCombiningMarksAsNone() {
        assertThat(columns("日本語")).isEqualTo(6);
        List<String> lines = Table.of("Word", "n")
                .row("日本語", 1).row("e\u0301te\u0301", 2).row("ab", 3).render(80);
        assertThat(lines).containsExactly(
                "Word    n",
                "──────  ─",
                "日本語  1",
                "e\u0301te\u0301     2",
                "ab      3");
        assertThat(lines).extracting(TableTest::columns).containsOnly(9);
    }

    @Test
    void rendersOnlyHeaderAndRuleWithoutRows() {
        assertThat(Table.of("A", "B").render(80)).containsExactly("A  B", "─  ─");
    }

    @ParameterizedTest
    @ValueSource(ints = {40, 30, 20, 15, 12, 8, 5, 3, 1})
    void shrinksToFitEveryWidth(int width) {
        Table t = Table.of("Name", "Description", "Size").align(2, Table.Align.RIGHT)
                .row("report.txt", "a very long description of many words", 1_048_576)
                .row("日本語の名前です", "短い説明", 12);
        List<String> lines = t.render(width);
        assertThat(lines).hasSize(4);
        assertFits(lines, width);
    }

    @Test
    void shrinksTheWidestColumnFirstAndCutsWithEllipsis() {
        Table t = Table.of("Name", "Description").row("a", "a very long description of many words");
        List<String> lines = t.render(20);
        assertThat(lines).containsExactly(
                "Name  Description",
                "────  ──────────────",
                "a     a very long d…");
        assertThat(lines.get(1)).hasSize(20);
    }

    @Test
    void shrinksEvenlyWhenBothColumnsAreWide() {
        List<String> lines = Table.of("First", "Second").row("abcdefghij", "klmnopqrst").render(12);
        assertThat(lines).containsExactly(
                "First  Seco…",
                "─────  ─────",
                "abcd…  klmn…");
        assertFits(lines, 12);
    }

    @Test
    void neverShrinksAColumnBelowThreeAndCutsTheLineInstead() {
        List<String> lines = Table.of("alpha", "beta", "gamma", "delta").row("1", "2", "3", "4").render(12);
        assertThat(lines.get(1)).isEqualTo("───  ───  ─…");
        assertThat(lines.get(0)).isEqualTo("al…  be…  g…");
        assertFits(lines, 12);
    }

    @Test
    void cutBesideAWideCharacterPadsWithASpace() {
        List<String> lines = Table.of("名前", "n").row("日本語", 1).render(7);
        assertThat(lines).containsExactly(
                "名前  n",
                "────  ─",
                "日…   1");
        assertThat(Table.fit("日本語", 4)).isEqualTo("日… ");
        assertThat(Table.fit("a日本", 3)).isEqualTo("a… ");
        assertThat(Table.fit("日本語", 1)).isEqualTo("…");
        assertThat(Table.fit("abc", 0)).isEmpty();
        assertFits(lines, 7);
    }

    @Test
    void cutKeepsCombiningMarksWithTheirBase() {
        assertThat(Table.fit("e\u0301e\u0301e\u0301e\u0301", 3)).isEqualTo("e\u0301e\u0301…");
    }

    @Test
    void rejectsRowsOfTheWrongSize() {
        Table t = Table.of("a", "b", "c").row(1, 2, 3);
        assertThatThrownBy(() -> t.row("x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("row 2 has 1 cells but the table has 3 columns");
        assertThatThrownBy(() -> t.row(1, 2, 3, 4)).hasMessageContaining("4 cells").hasMessageContaining("3 columns");
        assertThatThrownBy(Table::of).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> t.align(3, Table.Align.LEFT)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void replacesControlCharactersInCellsWithASpace() {
        String out = Table.of("h\u0007d")
                .row("x\ny\tz\r\u0000w\u009b\u007f!").row("\u001b[31mred\u001b[0m").toString();
        assertThat(out).isEqualTo(String.join("\n",
                "h d",
                "───────────",
                "x y z  w  !",
                "red"));
        assertThat(out).doesNotContain("\u001b", "\u0007", "\t", "\r");
        assertThat(Table.of("a").row((Object) null).row((Object[]) null).render(10))
                .containsExactly("a", "─", "", "");
    }

    @Test
    void randomTablesAlwaysFit() {
        Random random = new Random(42);
        String[] pieces = {"a", "word", "日本", "語", "e\u0301", "\t", "\u001b[1m", " ", "1234567", "…", "😀"};
        for (int round = 0; round < 300; round++) {
            int n = 1 + random.nextInt(5);
            String[] headers = new String[n];
            for (int c = 0; c < n; c++) {
                headers[c] = randomText(random, pieces);
            }
            Table t = Table.of(headers);
            for (int r = random.nextInt(4); r > 0; r--) {
                Object[] cells = new Object[n];
                for (int c = 0; c < n; c++) {
                    cells[c] = randomText(random, pieces);
                }
                t.row(cells).align(random.nextInt(n), random.nextBoolean() ? Table.Align.LEFT : Table.Align.RIGHT);
            }
            int width = random.nextInt(50);
            assertFits(t.render(width), width);
        }
    }

    private static String randomText(Random random, String[] pieces) {
        StringBuilder sb = new StringBuilder();
        for (int i = random.nextInt(8); i > 0; i--) {
            sb.append(pieces[random.nextInt(pieces.length)]);
        }
        return sb.toString();
    }
}
