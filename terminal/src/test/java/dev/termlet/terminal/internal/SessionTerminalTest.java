package dev.termlet.terminal.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.utils.NonBlockingInputStream;
import org.junit.jupiter.api.Test;

class SessionTerminalTest {

    private final AtomicInteger released = new AtomicInteger();
    private final SessionInput input = new SessionInput(released::addAndGet, 1 << 20);
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private SessionTerminal terminal(String type) throws Exception {
        return new SessionTerminal("t", type, input, out, new Size(80, 24), PtyModes.defaults());
    }

    /** A handler put aside has returned when handle() returns, so a late Ctrl-C cannot reach the next session. */
    @Test
    void aHandlerIsReplacedOnlyOnceNoSignalIsBeingHandled() throws Exception {
        SessionTerminal t = terminal("xterm");
        java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        Terminal.SignalHandler slow = signal -> {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        t.handle(Terminal.Signal.INT, slow);
        Thread transport = new Thread(() -> t.raise(Terminal.Signal.INT));
        transport.start();
        assertThat(entered.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        java.util.concurrent.CompletableFuture<Terminal.SignalHandler> replaced = java.util.concurrent
                .CompletableFuture.supplyAsync(() -> t.handle(Terminal.Signal.INT, Terminal.SignalHandler.SIG_IGN));
        Thread.sleep(300);
        assertThat(replaced).as("waits while the old handler runs").isNotDone();
        release.countDown();
        assertThat(replaced.get(10, java.util.concurrent.TimeUnit.SECONDS)).isSameAs(slow);
        transport.join(10_000);
        assertThat(transport.isAlive()).isFalse();
    }

    @Test
    void newlineBecomesCrLfExactlyOnce() throws Exception {
        SessionTerminal t = terminal("xterm");
        t.writer().print("a\nb\r\nc\n\n");
        t.writer().flush();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("a\r\nb\r\nc\r\n\r\n");
    }

    @Test
    void inputIsReadAfterFeedAndWindowIsReleased() throws Exception {
        SessionTerminal t = terminal("xterm");
        byte[] bytes = "héllo".getBytes(StandardCharsets.UTF_8);
        assertThat(t.processInput(bytes, 0, bytes.length)).isTrue();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            sb.append((char) t.reader().read(100));
        }
        assertThat(sb).hasToString("héllo");
        assertThat(released.get()).isEqualTo(bytes.length);
    }

    @Test
    void tasksRunOnTheReadingThreadWhileItWaits() throws Exception {
        List<String> ran = new ArrayList<>();
        Thread reader = Thread.currentThread();
        new Thread(() -> {
            input.submit(() -> ran.add(Thread.currentThread() == reader ? "reader" : "other"));
            input.feed(new byte[] {'x'}, 0, 1);
        }).start();
        assertThat(input.read(5000L, false)).isEqualTo('x');
        assertThat(ran).containsExactly("reader");
    }

    @Test
    void idleLimitEndsAWait() {
        input.idleTimeout(50);
        assertThatThrownBy(() -> input.read(0L, false)).isInstanceOf(SessionInput.IdleTimeoutException.class);
        assertThat(input.idleExpired()).isTrue();
    }

    @Test
    void timedReadExpiresWithoutInput() throws Exception {
        assertThat(input.read(20L, false)).isEqualTo(NonBlockingInputStream.READ_EXPIRED);
    }

    @Test
    void closedInputEndsWithEofAfterBufferedBytes() throws Exception {
        input.feed(new byte[] {'a'}, 0, 1);
        input.close();
        assertThat(input.read(0L, false)).isEqualTo('a');
        assertThat(input.read(0L, false)).isEqualTo(NonBlockingInputStream.EOF);
        assertThat(input.feed(new byte[] {'b'}, 0, 1)).isFalse();
    }

    @Test
    void feedRefusesPastTheLimit() {
        SessionInput small = new SessionInput(n -> {}, 4);
        assertThat(small.feed(new byte[4], 0, 4)).isTrue();
        assertThat(small.feed(new byte[1], 0, 1)).isFalse();
    }

    @Test
    void ctrlCRaisesIntAndIsNotQueued() throws Exception {
        SessionTerminal t = terminal("xterm");
        List<Terminal.Signal> signals = new ArrayList<>();
        t.handle(Terminal.Signal.INT, signals::add);
        byte[] data = {'a', 3, 'b'};
        t.processInput(data, 0, 3);
        assertThat(signals).containsExactly(Terminal.Signal.INT);
        assertThat(input.available()).isEqualTo(2);
    }

    @Test
    void hostileTermNamesNeverReachInfocmp() throws Exception {
        assertThat(SessionTerminal.sanitiseType("xterm; rm -rf /")).isEqualTo("xterm-256color");
        assertThat(SessionTerminal.sanitiseType("x".repeat(500))).isEqualTo("xterm-256color");
        assertThat(SessionTerminal.bundledEntry("tmux-256color")).isEqualTo("screen-256color");
        assertThat(SessionTerminal.bundledEntry("vt100")).isEqualTo("ansi");
        SessionTerminal t = terminal("weird-term-9");
        assertThat(t.getType()).isEqualTo("weird-term-9");
        assertThat(t.getStringCapability(org.jline.utils.InfoCmp.Capability.clear_screen)).isNotNull();
    }

    @Test
    void ptyModesBecomeAttributes() {
        var attr = PtyModes.toAttributes(Map.of("VINTR", 255, "ECHO", 0, "ONLCR", 1));
        assertThat(attr.getControlChar(org.jline.terminal.Attributes.ControlChar.VINTR)).isZero();
        assertThat(attr.getLocalFlag(org.jline.terminal.Attributes.LocalFlag.ECHO)).isFalse();
        assertThat(attr.getOutputFlag(org.jline.terminal.Attributes.OutputFlag.ONLCR)).isTrue();
    }

    @Test
    void coloursFallBackToWhatTheTerminalCanShow() throws Exception {
        org.jline.utils.AttributedString s = new org.jline.utils.AttributedStringBuilder()
                .style(org.jline.utils.AttributedStyle.DEFAULT.foreground(0xff, 0x80, 0x00)).append("warm")
                .toAttributedString();
        String truecolour = s.toAnsi(terminal("xterm-direct"));
        String ansi256 = s.toAnsi(terminal("xterm-256color"));
        String ansi8 = s.toAnsi(terminal("xterm"));
        String dumb = s.toAnsi(terminal("dumb"));
        assertThat(ansi256).contains("38;5;").contains("warm");
        assertThat(ansi8).doesNotContain("38;5;").doesNotContain("38;2;").matches("(?s).*\\u001b\\[3[0-7]m.*warm.*");
        assertThat(dumb).isEqualTo("warm");
        assertThat(truecolour).contains("warm");
    }

    @Test
    void boxDrawingIsSentAsUtf8NotTheAlternateCharset() throws Exception {
        SessionTerminal t = terminal("xterm-256color");
        assertThat(t.getStringCapability(org.jline.utils.InfoCmp.Capability.enter_alt_charset_mode)).isNull();
        assertThat(new org.jline.utils.AttributedString("┌─┐").toAnsi(t)).isEqualTo("┌─┐");
    }

    @Test
    void keysAreNamed() throws Exception {
        KeyDecoder d = new KeyDecoder(terminal("xterm-256color"));
        assertThat(d.decode("a").codePoint()).isEqualTo('a');
        assertThat(d.decode("\u001b[A").name()).isEqualTo("UP");
        assertThat(d.decode("\u001bOA").name()).isEqualTo("UP");
        assertThat(d.decode("\r").name()).isEqualTo("ENTER");
        assertThat(d.decode("\u0001").name()).isEqualTo("CTRL+A");
        assertThat(d.decode("\u001bx").name()).isEqualTo("ALT+x");
        assertThat(d.decode("\u001b[15~").name()).isEqualTo("F5");
        assertThat(d.decode("\ufffd").isCharacter()).isFalse();
        assertThat(d.decode("日").text()).isEqualTo("日");
        assertThat(d.decode("\u001b[99;99X").name()).isEqualTo("UNKNOWN");
        assertThat(d.decode("\u001b[1;5A").name()).isEqualTo("CTRL+UP");
        assertThat(d.decode("\u001b[3;4~").name()).isEqualTo("ALT+SHIFT+DELETE");
    }

    @Test
    void lineReadersShareKeyMapsPerTerminalSetupAndKeepTheirOwnBindings() throws Exception {
        TermletLineReader a = new TermletLineReader(terminal("xterm-256color"), "t", new java.util.HashMap<>());
        TermletLineReader b = new TermletLineReader(terminal("xterm-256color"), "t", new java.util.HashMap<>());
        TermletLineReader c = new TermletLineReader(terminal("vt100"), "t", new java.util.HashMap<>());
        assertThat(a.getKeyMaps().get(org.jline.reader.LineReader.EMACS))
                .isSameAs(b.getKeyMaps().get(org.jline.reader.LineReader.EMACS));
        assertThat(a.getKeyMaps()).isNotSameAs(b.getKeyMaps());
        assertThat(c.getKeyMaps().get(org.jline.reader.LineReader.EMACS))
                .isNotSameAs(a.getKeyMaps().get(org.jline.reader.LineReader.EMACS));
        // the bindings Termlet adds are in the shared maps, for both cursor-key forms
        org.jline.keymap.KeyMap<org.jline.reader.Binding> emacs = b.getKeyMaps().get(org.jline.reader.LineReader.EMACS);
        assertThat(emacs.getBound("\u001b[A")).hasToString(
                new org.jline.reader.Reference(org.jline.reader.LineReader.UP_LINE_OR_SEARCH).toString());
        assertThat(emacs.getBound("\u001bOA")).hasToString(
                new org.jline.reader.Reference(org.jline.reader.LineReader.UP_LINE_OR_SEARCH).toString());
        // a terminal whose erase character differs gets its own maps
        SessionTerminal other = terminal("xterm-256color");
        org.jline.terminal.Attributes attr = other.getAttributes();
        attr.setControlChar(org.jline.terminal.Attributes.ControlChar.VERASE, 8);
        other.setAttributes(attr);
        TermletLineReader d = new TermletLineReader(other, "t", new java.util.HashMap<>());
        assertThat(d.getKeyMaps().get(org.jline.reader.LineReader.EMACS)).isNotSameAs(emacs);
    }

    @Test
    void anIdlePromptWaitsWithoutWakingAndTimedReadsStillExpireAfterIt() throws Exception {
        SessionTerminal t = terminal("xterm");
        TermletLineReader reader = new TermletLineReader(t, "t", new java.util.HashMap<>());
        java.util.concurrent.CompletableFuture<String> line = new java.util.concurrent.CompletableFuture<>();
        Thread editor = new Thread(() -> {
            try {
                line.complete(reader.readLine("> "));
            } catch (RuntimeException e) {
                line.completeExceptionally(e);
            }
        });
        editor.start();
        // JLine polls for each key with a 100 ms timeout; at a prompt the thread must wait untimed instead
        // (TIMED_WAITING for ever would mean it wakes ten times a second per idle session)
        long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (editor.getState() != Thread.State.WAITING && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertThat(editor.getState()).isEqualTo(Thread.State.WAITING);
        byte[] bytes = "hi\r".getBytes(StandardCharsets.UTF_8);
        t.processInput(bytes, 0, bytes.length);
        assertThat(line.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("hi");
        assertThat(t.reader().read(20L)).isEqualTo(NonBlockingInputStream.READ_EXPIRED);
    }
}
