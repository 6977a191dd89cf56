package dev.termlet.test;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The virtual screen interprets what JLine and the widgets send as a terminal would. */
class EmulatorTest {
    private static VirtualScreen after(int columns, int rows, String output) {
        Emulator e = new Emulator(columns, rows);
        e.write(output);
        return e.snapshot();
    }

    @Test
    void printsWrapsAndScrolls() {
        VirtualScreen s = after(5, 3, "abc\r\n1234567\r\nxy");
        assertThat(s.lines()).containsExactly("12345", "67", "xy");
        assertThat(s).hasCursorAt(2, 2);
    }

    @Test
    void theLastColumnWrapsOnlyWhenTheNextCharacterComes() {
        VirtualScreen s = after(5, 3, "12345\r\nab");
        assertThat(s.lines()).containsExactly("12345", "ab", "");
    }

    @Test
    void movesTheCursorAndErases() {
        VirtualScreen s = after(10, 3, "hello\r\nworld\u001b[1;3H\u001b[K\u001b[2;2H\u001b[1X");
        assertThat(s.lines()).containsExactly("he", "w rld", "");
        assertThat(s).hasCursorAt(1, 1);
        assertThat(after(10, 3, "abc\u001b[2J").lines()).containsOnly("");
        assertThat(after(10, 3, "abc\r\ndef\u001b[1;2H\u001b[J").lines()).containsExactly("a", "", "");
        assertThat(after(10, 3, "abcdef\u001b[1;4H\u001b[1K").lines()).containsExactly("    ef", "", "");
    }

    @Test
    void backspaceAndEraseToEndOfLineRemoveTheLastCharacter() {
        // what JLine sends for Backspace at the end of the line: back one cell, erase to the end
        VirtualScreen s = after(10, 2, "> ab\b\u001b[K");
        assertThat(s).hasLine(0, "> a").hasCursorAt(0, 3);
        assertThat(after(10, 2, "0123456789\u001b[1;10H\u001b[K").line(0)).isEqualTo("012345678");
    }

    @Test
    void wideCharactersTakeTwoCells() {
        VirtualScreen s = after(6, 2, "山田ab\u001b[1;5HX");
        assertThat(s.line(0)).isEqualTo("山田Xb");
        assertThat(s).hasCursorAt(0, 5);
        // a wide character that does not fit in the last column goes to the next row
        assertThat(after(5, 2, "abcd漢").lines()).containsExactly("abcd", "漢");
        // overwriting half of a wide character blanks the other half
        assertThat(after(6, 2, "漢字\u001b[1;2Hx").line(0)).isEqualTo(" x字");
    }

    @Test
    void insertsAndDeletesCharactersAndLines() {
        assertThat(after(10, 2, "abcdef\u001b[1;2H\u001b[2P").line(0)).isEqualTo("adef");
        assertThat(after(10, 2, "abcdef\u001b[1;2H\u001b[2@").line(0)).isEqualTo("a  bcdef");
        assertThat(after(5, 3, "1\r\n2\r\n3\u001b[2;1H\u001b[L").lines()).containsExactly("1", "", "2");
        assertThat(after(5, 3, "1\r\n2\r\n3\u001b[1;1H\u001b[M").lines()).containsExactly("2", "3", "");
    }

    @Test
    void scrollRegionsAndReverseIndex() {
        VirtualScreen s = after(5, 4, "top\r\na\r\nb\r\nbot\u001b[2;3r\u001b[3;1H\nc");
        assertThat(s.lines()).containsExactly("top", "b", "c", "bot");
        VirtualScreen r = after(5, 3, "1\r\n2\r\n3\u001b[H\u001bM");
        assertThat(r.lines()).containsExactly("", "1", "2");
    }

    @Test
    void theAlternateScreenComesAndGoes() {
        Emulator e = new Emulator(10, 3);
        e.write("main\u001b[?1049h\u001b[H\u001b[2Jfull");
        assertThat(e.snapshot()).isAlternate().hasLine(0, "full");
        e.write("\u001b[?1049l");
        assertThat(e.snapshot().lines()).containsExactly("main", "", "");
        assertThat(e.snapshot()).hasCursorAt(0, 4);
    }

    @Test
    void colorsAndTitlesLeaveTheTextAlone() {
        VirtualScreen s = after(20, 2,
                "\u001b]0;title\u0007\u001b[1;31mred\u001b[0m \u001b[38;2;1;2;3mrgb\u001b(B\u001b[m!");
        assertThat(s.line(0)).isEqualTo("red rgb!");
    }

    @Test
    void repliesToACursorPositionQueryAndTracksCursorKeys() {
        Emulator e = new Emulator(10, 5);
        e.write("\u001b[3;4H\u001b[6n\u001b[?1h");
        assertThat(new String(e.takeReplies(), java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("\u001b[3;4R");
        assertThat(e.applicationCursorKeys()).isTrue();
        assertThat(Keystroke.UP.sequence(true)).isEqualTo("\u001bOA");
    }

    @Test
    void utf8SplitAcrossWritesIsDecoded() {
        Emulator e = new Emulator(10, 2);
        byte[] b = "é漢".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (byte x : b) {
            e.write(new byte[] {x}, 0, 1);
        }
        assertThat(e.snapshot().line(0)).isEqualTo("é漢");
    }

    @Test
    void resizeKeepsTheTopLeft() {
        Emulator e = new Emulator(10, 3);
        e.write("abcdefghij\r\n12");
        e.resize(4, 2);
        assertThat(e.snapshot().lines()).containsExactly("abcd", "12");
        assertThat(e.snapshot().columns()).isEqualTo(4);
    }

    @Test
    void aFailedAssertionShowsTheScreen() {
        VirtualScreen s = after(10, 2, "hello");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> assertThat(s).contains("bye"))
                .hasMessageContaining("|hello");
    }
}
