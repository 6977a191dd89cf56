package dev.termlet.spi;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command line into words the way a POSIX shell reads quotes and escapes: single quotes keep
 * everything literally; double quotes keep everything but {@code \"}, {@code \\}, {@code \$} and
 * {@code \`}, which lose their backslash; outside quotes a backslash keeps the next character literally.
 * No expansion of any kind happens.
 */
public final class ShellWords {

    /** A line that cannot be split: an unterminated quote or a trailing backslash. */
    public static final class SyntaxException extends Exception {
        private static final long serialVersionUID = 1L;

        SyntaxException(String message) {
            super(message);
        }
    }

    private ShellWords() {}

    /**
     * Splits a line.
     *
     * @param line the line
     * @return the words; empty for a blank line
     * @throws SyntaxException with a message for the user
     */
    public static List<String> split(String line) throws SyntaxException {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        int n = line.length();
        while (i < n) {
            char c = line.charAt(i);
            if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new SyntaxException("unterminated single quote");
                }
                word.append(line, i + 1, end);
                inWord = true;
                i = end + 1;
            } else if (c == '"') {
                i++;
                boolean closed = false;
                while (i < n) {
                    char d = line.charAt(i);
                    if (d == '"') {
                        closed = true;
                        i++;
                        break;
                    }
                    if (d == '\\' && i + 1 < n && "\"\\$`".indexOf(line.charAt(i + 1)) >= 0) {
                        word.append(line.charAt(i + 1));
                        i += 2;
                    } else {
                        word.append(d);
                        i++;
                    }
                }
                if (!closed) {
                    throw new SyntaxException("unterminated double quote");
                }
                inWord = true;
            } else if (c == '\\') {
                if (i + 1 >= n) {
                    throw new SyntaxException("backslash at the end of the line");
                }
                word.append(line.charAt(i + 1));
                inWord = true;
                i += 2;
            } else if (c == ' ' || c == '\t') {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                i++;
            } else {
                word.append(c);
                inWord = true;
                i++;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }
}
