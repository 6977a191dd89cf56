package dev.termlet.internal.session;

import dev.termlet.terminal.internal.SessionInput;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads lines from a session without a pseudo-terminal: no echo, no editing; a line ends at {@code \n}
 * (a {@code \r} before it is dropped), malformed UTF-8 becomes U+FFFD, and a line longer than the limit is
 * discarded up to its end and reported as too long.
 */
final class PlainLineReader {
    /** What {@link #readLine()} returns for a line over the limit. */
    static final String TOO_LONG = new String("\u0000too-long");

    private final SessionInput input;
    private final int maxLength;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    PlainLineReader(SessionInput input, int maxLength) {
        this.input = input;
        this.maxLength = maxLength;
    }

    /**
     * Reads one line.
     *
     * @return the line, {@link #TOO_LONG} for a line over the limit, or null at end of input
     * @throws IOException on an idle timeout or interrupt
     */
    String readLine() throws IOException {
        line.reset();
        boolean tooLong = false;
        while (true) {
            int b = input.read(0L, false);
            if (b < 0) {
                if (line.size() == 0 && !tooLong) {
                    return null;
                }
                return tooLong ? TOO_LONG : decode();
            }
            if (b == '\n') {
                return tooLong ? TOO_LONG : decode();
            }
            if (tooLong) {
                continue;
            }
            line.write(b);
            // UTF-8 takes at most 4 bytes a character
            if (maxLength > 0 && line.size() > maxLength * 4L) {
                tooLong = true;
            }
        }
    }

    private String decode() {
        byte[] bytes = line.toByteArray();
        int len = bytes.length;
        if (len > 0 && bytes[len - 1] == '\r') {
            len--;
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        try {
            CharBuffer chars = decoder.decode(ByteBuffer.wrap(bytes, 0, len));
            String s = chars.toString();
            return maxLength > 0 && s.length() > maxLength ? TOO_LONG : s;
        } catch (CharacterCodingException e) {
            return new String(bytes, 0, len, StandardCharsets.UTF_8);
        }
    }
}
