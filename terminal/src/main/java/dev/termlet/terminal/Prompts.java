package dev.termlet.terminal;

import dev.termlet.terminal.internal.TermletLineReader;
import java.io.IOError;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import org.jline.reader.EndOfFileException;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;

/**
 * Questions asked on the line: text with a default, a password without echo, yes/no, a number in a range.
 * Each returns empty when the user cancels (Ctrl-C, Ctrl-D, Esc) or the client leaves. Answers are not
 * added to any history.
 *
 * <pre>{@code
 * Optional<String> name = Prompts.text(terminal, "Name", "guest");
 * Optional<Boolean> sure = Prompts.confirm(terminal, "Delete it?", false);
 * Optional<Long> port = Prompts.number(terminal, "Port", 1, 65535, 2222L);
 * }</pre>
 */
public final class Prompts {
    private Prompts() {}

    private static TermletLineReader reader(Terminal terminal) {
        TermletLineReader r = new TermletLineReader(terminal, "termlet-prompt", Map.of());
        r.option(org.jline.reader.LineReader.Option.DISABLE_EVENT_EXPANSION, true);
        return r;
    }

    private static Optional<String> read(Terminal terminal, String prompt, Character mask) {
        try {
            String line = reader(terminal).readLine(prompt.replace("%", "%%"), mask);
            Thread.interrupted();
            return Optional.ofNullable(line);
        } catch (UserInterruptException | EndOfFileException | IOError e) {
            Thread.interrupted();
            return Optional.empty();
        }
    }

    /**
     * Asks for text.
     *
     * @param terminal the terminal
     * @param question the question, shown with the default in brackets
     * @param defaultValue returned for an empty answer, or null for none
     * @return the answer, or empty when cancelled
     */
    public static Optional<String> text(Terminal terminal, String question, String defaultValue) {
        String prompt = question + (defaultValue != null && !defaultValue.isEmpty() ? " [" + defaultValue + "]" : "")
                + ": ";
        return read(terminal, prompt, null).map(a -> a.isEmpty() && defaultValue != null ? defaultValue : a);
    }

    /**
     * Asks for a secret, showing nothing as it is typed.
     *
     * @param terminal the terminal
     * @param question the question
     * @return the secret, or empty when cancelled
     */
    public static Optional<String> password(Terminal terminal, String question) {
        return read(terminal, question + ": ", '\0');
    }

    /**
     * Asks yes or no; one key answers ({@code y}, {@code n}, or Enter for the default).
     *
     * @param terminal the terminal
     * @param question the question
     * @param defaultYes the answer for Enter
     * @return the answer, or empty when cancelled
     */
    public static Optional<Boolean> confirm(Terminal terminal, String question, boolean defaultYes) {
        terminal.writer().print(question + (defaultYes ? " [Y/n] " : " [y/N] "));
        terminal.flush();
        Attributes saved = terminal.enterRawMode();
        Optional<Boolean> answer = Optional.empty();
        try {
            KeyReader keys = new KeyReader(terminal);
            while (true) {
                Key k = keys.read();
                if (k.is("y") || k.is("Y")) {
                    answer = Optional.of(true);
                } else if (k.is("n") || k.is("N")) {
                    answer = Optional.of(false);
                } else if (k.is("ENTER")) {
                    answer = Optional.of(defaultYes);
                } else if (k.is("ESCAPE") || k.is("CTRL+C") || k.is("CTRL+D")) {
                    break;
                } else {
                    terminal.writer().print('\u0007');
                    terminal.flush();
                    continue;
                }
                break;
            }
        } catch (IOException e) {
            // the client left or the idle limit passed: cancelled
        } finally {
            terminal.setAttributes(saved);
        }
        terminal.writer().print(answer.map(a -> a ? "yes" : "no").orElse("cancelled") + "\n");
        terminal.flush();
        return answer;
    }

    /**
     * Asks for a whole number in a range, asking again after a wrong answer.
     *
     * @param terminal the terminal
     * @param question the question
     * @param min the smallest accepted
     * @param max the largest accepted
     * @param defaultValue returned for an empty answer, or null for none
     * @return the number, or empty when cancelled
     */
    public static Optional<Long> number(Terminal terminal, String question, long min, long max, Long defaultValue) {
        while (true) {
            Optional<String> a = text(terminal, question + " (" + min + "-" + max + ")",
                    defaultValue == null ? null : defaultValue.toString());
            if (a.isEmpty()) {
                return Optional.empty();
            }
            try {
                long v = Long.parseLong(a.get().trim());
                if (v >= min && v <= max) {
                    return Optional.of(v);
                }
            } catch (NumberFormatException e) {
                // asked again below
            }
            terminal.writer().print("Enter a whole number from " + min + " to " + max + ".\n");
            terminal.flush();
        }
    }
}
