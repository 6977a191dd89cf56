package dev.termlet.terminal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

/**
 * Dialogs in the alternate screen: a message, a menu, a text input and a form with Tab between fields.
 * Each draws a centred box that follows the terminal's size, takes the mouse for clicks and the wheel,
 * and gives the terminal back as it was when it ends, also when the client leaves (the result is then
 * empty).
 *
 * <pre>{@code
 * Optional<List<String>> login = Dialog.form(terminal, "Sign up",
 *         List.of(new Dialog.Field("Name", ""), new Dialog.Field("Password", "", true)));
 * }</pre>
 */
public final class Dialog {

    /**
     * One field of a form.
     *
     * @param label the label
     * @param initial the starting text
     * @param secret whether to show {@code *} instead of the text
     */
    public record Field(String label, String initial, boolean secret) {
        /**
         * A visible field.
         *
         * @param label the label
         * @param initial the starting text
         */
        public Field(String label, String initial) {
            this(label, initial, false);
        }
    }

    private static final AttributedStyle FRAME = AttributedStyle.DEFAULT.foreground(AttributedStyle.CYAN);
    private static final AttributedStyle TITLE = AttributedStyle.BOLD;
    private static final AttributedStyle SELECTED = AttributedStyle.INVERSE;

    private Dialog() {}

    /**
     * Shows a message until Enter, Space, Esc or a click.
     *
     * @param terminal the terminal
     * @param title the title
     * @param text the message; lines are wrapped to the box
     */
    public static void message(Terminal terminal, String title, String text) {
        try (Screen screen = Screen.open(terminal)) {
            screen.mouse(true);
            while (true) {
                List<AttributedString> body = new ArrayList<>();
                for (String line : wrap(text, Math.max(10, Math.min(screen.width() - 6, 60)))) {
                    body.add(new AttributedString(line));
                }
                body.add(AttributedString.EMPTY);
                body.add(new AttributedStringBuilder().style(SELECTED).append("[ OK ]").toAttributedString());
                screen.draw(box(screen, title, body));
                Key k = screen.readKey(0);
                if (k.is("ENTER") || k.is(" ") || k.is("ESCAPE") || k.is("CTRL+C")
                        || (k.mouse() != null && k.mouse().action() == Mouse.Action.PRESS)) {
                    return;
                }
            }
        } catch (IOException e) {
            // the client left
        }
    }

    /**
     * A menu in a box: Up/Down or the wheel move, Enter or a click chooses, Esc cancels.
     *
     * @param terminal the terminal
     * @param title the title
     * @param items the choices
     * @return the index of the choice, or empty when cancelled
     */
    public static Optional<Integer> menu(Terminal terminal, String title, List<String> items) {
        if (items.isEmpty()) {
            return Optional.empty();
        }
        int selected = 0;
        try (Screen screen = Screen.open(terminal)) {
            screen.mouse(true);
            while (true) {
                int room = Math.max(1, Math.min(items.size(), screen.height() - 4));
                int first = Math.max(0, Math.min(selected - room / 2, items.size() - room));
                List<AttributedString> body = new ArrayList<>();
                for (int i = first; i < first + room; i++) {
                    body.add(new AttributedStringBuilder().style(i == selected ? SELECTED : AttributedStyle.DEFAULT)
                            .append(i == selected ? "> " : "  ").append(items.get(i)).toAttributedString());
                }
                List<AttributedString> lines = box(screen, title, body);
                screen.draw(lines);
                Key k = screen.readKey(0);
                if (k.is("UP") || k.is("CTRL+P") || (k.mouse() != null && k.mouse().action() == Mouse.Action.WHEEL_UP)) {
                    selected = Math.max(0, selected - 1);
                } else if (k.is("DOWN") || k.is("CTRL+N")
                        || (k.mouse() != null && k.mouse().action() == Mouse.Action.WHEEL_DOWN)) {
                    selected = Math.min(items.size() - 1, selected + 1);
                } else if (k.is("ENTER")) {
                    return Optional.of(selected);
                } else if (k.is("ESCAPE") || k.is("CTRL+C")) {
                    return Optional.empty();
                } else if (k.mouse() != null && k.mouse().action() == Mouse.Action.PRESS) {
                    int row = k.mouse().row() - top(screen, body.size()) - 1;
                    if (row >= 0 && row < room) {
                        return Optional.of(first + row);
                    }
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Asks for one line of text in a box.
     *
     * @param terminal the terminal
     * @param title the title
     * @param label the field's label
     * @param initial the starting text
     * @return the text, or empty when cancelled
     */
    public static Optional<String> input(Terminal terminal, String title, String label, String initial) {
        return form(terminal, title, List.of(new Field(label, initial))).map(v -> v.get(0));
    }

    /**
     * A form: Tab, Shift-Tab, Up and Down move between fields, the usual editing keys edit, Enter submits,
     * Esc cancels.
     *
     * @param terminal the terminal
     * @param title the title
     * @param fields the fields
     * @return the values in field order, or empty when cancelled
     */
    public static Optional<List<String>> form(Terminal terminal, String title, List<Field> fields) {
        List<EditField> edits = new ArrayList<>();
        for (Field f : fields) {
            edits.add(new EditField(f.initial(), f.secret(), 4096));
        }
        int labelWidth = 0;
        for (Field f : fields) {
            labelWidth = Math.max(labelWidth, new AttributedString(f.label()).columnLength());
        }
        int focus = 0;
        try (Screen screen = Screen.open(terminal)) {
            while (true) {
                int inner = Math.max(10, Math.min(screen.width() - 6, 70));
                int fieldWidth = Math.max(4, inner - labelWidth - 2);
                List<AttributedString> body = new ArrayList<>();
                for (int i = 0; i < fields.size(); i++) {
                    Object[] view = edits.get(i).view(fieldWidth);
                    String shown = (String) view[0];
                    AttributedStringBuilder b = new AttributedStringBuilder();
                    b.append(pad(fields.get(i).label(), labelWidth)).append(": ");
                    b.style(i == focus ? SELECTED : AttributedStyle.DEFAULT.underline());
                    b.append(pad(shown, fieldWidth));
                    body.add(b.toAttributedString());
                }
                body.add(AttributedString.EMPTY);
                body.add(new AttributedString("Tab: next field   Enter: OK   Esc: cancel"));
                screen.draw(box(screen, title, body));
                Key k = screen.readKey(0);
                if (k.is("TAB") || k.is("DOWN")) {
                    focus = (focus + 1) % fields.size();
                } else if (k.is("SHIFT+TAB") || k.is("UP")) {
                    focus = (focus + fields.size() - 1) % fields.size();
                } else if (k.is("ENTER")) {
                    List<String> values = new ArrayList<>();
                    edits.forEach(e -> values.add(e.value()));
                    return Optional.of(values);
                } else if (k.is("ESCAPE") || k.is("CTRL+C")) {
                    return Optional.empty();
                } else {
                    edits.get(focus).apply(k);
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String pad(String s, int width) {
        AttributedString a = new AttributedString(s);
        if (a.columnLength() > width) {
            return a.columnSubSequence(0, width).toString();
        }
        return s + " ".repeat(width - a.columnLength());
    }

    private static int top(Screen screen, int bodyLines) {
        return Math.max(0, (screen.height() - (bodyLines + 2)) / 2);
    }

    /** The screen's rows with a framed box of the body lines in the middle. */
    static List<AttributedString> box(Screen screen, String title, List<AttributedString> body) {
        int width = screen.width();
        int contentWidth = new AttributedString(title).columnLength() + 2;
        for (AttributedString l : body) {
            contentWidth = Math.max(contentWidth, l.columnLength());
        }
        contentWidth = Math.min(contentWidth, Math.max(1, width - 4));
        int boxWidth = contentWidth + 4;
        int left = Math.max(0, (width - boxWidth) / 2);
        int top = top(screen, body.size());
        List<AttributedString> rows = new ArrayList<>();
        for (int i = 0; i < top; i++) {
            rows.add(AttributedString.EMPTY);
        }
        String t = " " + title + " ";
        AttributedString tt = new AttributedString(t);
        if (tt.columnLength() > contentWidth + 2) {
            tt = tt.columnSubSequence(0, contentWidth + 2);
        }
        rows.add(new AttributedStringBuilder().append(" ".repeat(left)).style(FRAME).append("┌")
                .style(TITLE).append(tt).style(FRAME).append("─".repeat(Math.max(0, boxWidth - 2 - tt.columnLength())))
                .append("┐").toAttributedString());
        for (AttributedString l : body) {
            AttributedString fitted = l.columnLength() > contentWidth ? l.columnSubSequence(0, contentWidth) : l;
            rows.add(new AttributedStringBuilder().append(" ".repeat(left)).style(FRAME).append("│ ")
                    .style(AttributedStyle.DEFAULT).append(fitted)
                    .append(" ".repeat(contentWidth - fitted.columnLength())).style(FRAME).append(" │")
                    .toAttributedString());
        }
        rows.add(new AttributedStringBuilder().append(" ".repeat(left)).style(FRAME).append("└")
                .append("─".repeat(Math.max(0, boxWidth - 2))).append("┘").toAttributedString());
        while (rows.size() < screen.height()) {
            rows.add(AttributedString.EMPTY);
        }
        return rows;
    }

    static List<String> wrap(String text, int width) {
        List<String> out = new ArrayList<>();
        for (String para : text.split("\n", -1)) {
            StringBuilder line = new StringBuilder();
            for (String word : para.split(" ")) {
                int lw = new AttributedString(line).columnLength();
                int ww = new AttributedString(word).columnLength();
                if (lw > 0 && lw + 1 + ww > width) {
                    out.add(line.toString());
                    line.setLength(0);
                }
                while (new AttributedString(word).columnLength() > width) {
                    AttributedString w = new AttributedString(word);
                    out.add(w.columnSubSequence(0, width).toString());
                    word = w.columnSubSequence(width, w.columnLength()).toString();
                }
                if (line.length() > 0) {
                    line.append(' ');
                }
                line.append(word);
            }
            out.add(line.toString());
        }
        return out;
    }
}
