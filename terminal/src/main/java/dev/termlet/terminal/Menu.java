package dev.termlet.terminal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;
import org.jline.utils.Display;
import org.jline.utils.InfoCmp.Capability;

/**
 * A choice list drawn below the cursor: Up/Down (or Ctrl-P/Ctrl-N) move, typing filters, Backspace edits
 * the filter, Enter chooses, Esc or Ctrl-C cancels. It redraws for the terminal's size, and gives the
 * terminal back as it found it, also when the client leaves.
 *
 * <pre>{@code
 * Optional<Integer> i = Menu.choose(terminal, "Pick a colour", List.of("red", "green", "blue"));
 * }</pre>
 */
public final class Menu {
    private final Terminal terminal;
    private final String title;
    private final List<String> items;
    private final StringBuilder filter = new StringBuilder();
    private int selected;

    private Menu(Terminal terminal, String title, List<String> items) {
        this.terminal = terminal;
        this.title = title;
        this.items = List.copyOf(items);
    }

    /**
     * Shows a menu and waits for a choice.
     *
     * @param terminal the terminal
     * @param title the question
     * @param items the choices
     * @return the index of the choice in {@code items}, or empty when cancelled or the client left
     */
    public static Optional<Integer> choose(Terminal terminal, String title, List<String> items) {
        if (items.isEmpty()) {
            return Optional.empty();
        }
        return new Menu(terminal, title, items).run();
    }

    private List<Integer> visible() {
        String f = filter.toString().toLowerCase(Locale.ROOT);
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i).toLowerCase(Locale.ROOT).contains(f)) {
                out.add(i);
            }
        }
        return out;
    }

    private Optional<Integer> run() {
        Attributes saved = terminal.enterRawMode();
        Display display = new Display(terminal, false);
        KeyReader keys = new KeyReader(terminal);
        Optional<Integer> result = Optional.empty();
        int[] lastSize = {-1, -1};
        terminal.puts(Capability.cursor_invisible);
        try {
            while (true) {
                List<Integer> shown = visible();
                selected = Math.max(0, Math.min(selected, shown.size() - 1));
                if (terminal.getWidth() != lastSize[0] || terminal.getHeight() != lastSize[1]) {
                    lastSize[0] = terminal.getWidth();
                    lastSize[1] = terminal.getHeight();
                    display.resize(lastSize[1], lastSize[0]);
                }
                display.update(render(shown, lastSize[0], lastSize[1]), 0);
                Key key = keys.read(200);
                if (key == null) {
                    continue;
                }
                if (key.is("UP") || key.is("CTRL+P")) {
                    selected = Math.max(0, selected - 1);
                } else if (key.is("DOWN") || key.is("CTRL+N")) {
                    selected = Math.min(Math.max(0, shown.size() - 1), selected + 1);
                } else if (key.is("ENTER")) {
                    if (!shown.isEmpty()) {
                        result = Optional.of(shown.get(selected));
                        break;
                    }
                } else if (key.is("ESCAPE") || key.is("CTRL+C") || key.is("CTRL+D")) {
                    break;
                } else if (key.is("BACKSPACE")) {
                    if (filter.length() > 0) {
                        filter.setLength(filter.offsetByCodePoints(filter.length(), -1));
                    }
                } else if (key.isCharacter()) {
                    filter.append(key.text());
                    selected = 0;
                }
            }
        } catch (InterruptedIOException e) {
            // idle limit or interrupt: cancelled
        } catch (IOException e) {
            // the client left: cancelled
        } finally {
            try {
                display.update(List.of(new AttributedString(title + " " + result.map(items::get).orElse("(cancelled)"))), 0);
                terminal.writer().print("\r\n");
                terminal.puts(Capability.cursor_visible);
                terminal.flush();
            } catch (RuntimeException ignored) {
                // output is gone with the client
            }
            terminal.setAttributes(saved);
        }
        return result;
    }

    private List<AttributedString> render(List<Integer> shown, int width, int height) {
        List<AttributedString> lines = new ArrayList<>();
        lines.add(line(new AttributedStringBuilder().style(AttributedStyle.BOLD).append(title)
                .style(AttributedStyle.DEFAULT).append(filter.length() > 0 ? "  filter: " + filter : "")
                .toAttributedString(), width));
        int room = Math.max(1, Math.min(shown.size(), height - 2));
        int first = Math.max(0, Math.min(selected - room / 2, shown.size() - room));
        for (int i = first; i < Math.min(shown.size(), first + room); i++) {
            boolean sel = i == selected;
            AttributedStringBuilder b = new AttributedStringBuilder();
            b.style(sel ? AttributedStyle.INVERSE : AttributedStyle.DEFAULT).append(sel ? "> " : "  ")
                    .append(items.get(shown.get(i)));
            lines.add(line(b.toAttributedString(), width));
        }
        if (shown.isEmpty()) {
            lines.add(line(new AttributedString("  (no match)"), width));
        }
        return lines;
    }

    private static AttributedString line(AttributedString s, int width) {
        return s.columnLength() < width ? s : s.columnSubSequence(0, Math.max(1, width - 1));
    }
}
