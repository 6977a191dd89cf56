package dev.termlet.terminal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TerminalTextTest {

    @Test
    void simpleEscapeSequencesAreExact() {
        assertThat(TerminalText.bell()).isEqualTo("\u0007");
        assertThat(TerminalText.clearScreen()).isEqualTo("\u001b[H\u001b[2J");
        assertThat(TerminalText.cursorVisible(true)).isEqualTo("\u001b[?25h");
        assertThat(TerminalText.cursorVisible(false)).isEqualTo("\u001b[?25l");
    }

    @Test
    void hyperlinkUsesOsc8() {
        assertThat(TerminalText.hyperlink("https://example.com/a?b=c;d", "the site"))
                .isEqualTo("\u001b]8;;https://example.com/a?b=c;d\u001b\\the site\u001b]8;;\u001b\\");
    }

    @Test
    void hyperlinkStripsControlsFromTheText() {
        assertThat(TerminalText.hyperlink("https://x.org", "click\u001b]8;;https://evil\u001b\\ me\u0007"))
                .isEqualTo("\u001b]8;;https://x.org\u001b\\click me\u001b]8;;\u001b\\");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://x\u001b]0;pwned\u0007", "https://x\u001b\\", "https://x\n", "https://x\u0007",
        "https://x\u009c", "https://x\u007f", ""})
    void hyperlinkRejectsUnsafeUrls(String url) {
        assertThatThrownBy(() -> TerminalText.hyperlink(url, "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void titleUsesOsc0AndRemovesControls() {
        assertThat(TerminalText.title("build")).isEqualTo("\u001b]0;build\u0007");
        assertThat(TerminalText.title("build \u001b]0;evil\u0007 ok\u0007\u001b[2J!"))
                .isEqualTo("\u001b]0;build  ok!\u0007");
        assertThat(TerminalText.title("a\nb\tc\u009bd")).isEqualTo("\u001b]0;a b cd\u0007");
        assertThat(TerminalText.title(null)).isEqualTo("\u001b]0;\u0007");
    }

    @Test
    void titleIsCappedAt256CodePoints() {
        assertThat(TerminalText.title("x".repeat(400))).isEqualTo("\u001b]0;" + "x".repeat(256) + "\u0007");
        String emoji = TerminalText.title("😀".repeat(300));
        String body = emoji.substring(4, emoji.length() - 1);
        assertThat(body.codePointCount(0, body.length())).isEqualTo(256);
        assertThat(body).isEqualTo("😀".repeat(256));
        assertThat(TerminalText.title("y".repeat(256))).isEqualTo("\u001b]0;" + "y".repeat(256) + "\u0007");
    }

    @Test
    void stripControlsRemovesCsiColourCodes() {
        assertThat(TerminalText.stripControls("\u001b[1;31mred\u001b[0m and \u001b[38;2;255;0;0mtrue\u001b[m"))
                .isEqualTo("red and true");
        assertThat(TerminalText.stripControls("\u001b[2J\u001b[H\u001b[?1049hscreen\u001b[5A")).isEqualTo("screen");
    }

    @Test
    void stripControlsRemovesOscTitleInjection() {
        assertThat(TerminalText.stripControls("hi\u001b]0;you have been pwned\u0007there")).isEqualTo("hithere");
        assertThat(TerminalText.stripControls("hi\u001b]2;title\u001b\\there")).isEqualTo("hithere");
        assertThat(TerminalText.stripControls("hi\u001b]8;;https://evil\u001b\\link\u001b]8;;\u001b\\"))
                .isEqualTo("hilink");
        assertThat(TerminalText.stripControls("unterminated \u001b]0;title")).isEqualTo("unterminated ");
        assertThat(TerminalText.stripControls("a\u001bPq#0;2;0;0;0\u001b\\b")).isEqualTo("ab");
    }

    @Test
    void stripControlsRemovesC0C1AndDel() {
        assertThat(TerminalText.stripControls("a\u009b31mb\u0007c\u007fd\u0085e\u009d0;t\u009cf\u0000\r\b"))
                .isEqualTo("a31mbcde0;tf");
        assertThat(TerminalText.stripControls("\u001b7saved\u001b8 \u001b(Bset\u001b#8")).isEqualTo("saved set");
        assertThat(TerminalText.stripControls("lone \u001b")).isEqualTo("lone ");
        assertThat(TerminalText.stripControls("\u001b\u001b[31mx\u001bé")).isEqualTo("xé");
    }

    @Test
    void stripControlsKeepsPlainTextNewlineAndTab() {
        String plain = "Hello, wörld! 日本語 e\u0301 😀 ~[]{}\\ \n\tnext line\t";
        assertThat(TerminalText.stripControls(plain)).isSameAs(plain);
        assertThat(TerminalText.stripControls("a\n\u001b[1mb\u001b[0m\tc")).isEqualTo("a\nb\tc");
        assertThat(TerminalText.stripControls(null)).isEmpty();
    }

    @Test
    void stripControlsNeverLeavesAnEscapeOrControl() {
        Random random = new Random(7);
        char[] alphabet = "\u001b\u0007\u009b\u009c\u009d\u007f\u0000\r\n\t[]\\;0123?mPX^_ (#8aZ日".toCharArray();
        for (int round = 0; round < 2000; round++) {
            StringBuilder sb = new StringBuilder();
            for (int i = random.nextInt(30); i > 0; i--) {
                sb.append(alphabet[random.nextInt(alphabet.length)]);
            }
            String out = TerminalText.stripControls(sb.toString());
            assertThat(out.chars().filter(c -> TerminalText.isControl((char) c) && c != '\n' && c != '\t'))
                    .as("%s", sb.toString().replace("\u001b", "ESC")).isEmpty();
        }
    }

    @Test
    void widthCountsDisplayColumns() {
        assertThat(TerminalText.width("日本語")).isEqualTo(6);
        assertThat(TerminalText.width("漢字ab")).isEqualTo(6);
        assertThat(TerminalText.width("e\u0301")).isEqualTo(1);
        assertThat(TerminalText.width("\u001b[31mred\u001b[0m\u0007")).isEqualTo(3);
        assertThat(TerminalText.width("")).isZero();
        assertThat(TerminalText.width(null)).isZero();
    }
}
