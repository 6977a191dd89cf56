package dev.termlet.fileops;

/**
 * A {@code site} handler's answer to an FTP {@code SITE} command: the reply code and text the client gets.
 *
 * <pre>{@code
 * @OnUser("site")
 * SiteReply site(FileEvent cwd, String command) {
 *     if (command.equalsIgnoreCase("VERSION")) {
 *         return SiteReply.ok("Termlet files 1.0");        // 200 Termlet files 1.0
 *     }
 *     return null;                                          // not mine: the server answers (502 if unknown)
 * }
 * }</pre>
 *
 * A handler that returns {@code null} lets the next handler, then the server, answer; one that returns {@code false}
 * or throws {@code RefusedException} refuses the command ({@code 550}).
 *
 * @param code the reply code: 200 to 299 (done), 400 to 599 (failed)
 * @param text the reply text; lines separated by {@code \n} make a multi-line reply; no other control characters
 */
public record SiteReply(int code, String text) {
    /**
     * Checks the reply.
     *
     * @param code the reply code: 200 to 299 (done), 400 to 599 (failed)
     * @param text the reply text; lines separated by {@code \n} make a multi-line reply
     * @throws IllegalArgumentException for a code outside 200..299 and 400..599, or a control character other than
     *     {@code \n} in the text (it could forge another reply on the control connection)
     */
    public SiteReply {
        if (code < 200 || code > 599 || (code >= 300 && code < 400)) {
            throw new IllegalArgumentException("a SITE reply code is 200..299 or 400..599, not " + code);
        }
        text = text == null ? "" : text;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch != '\n' && (ch < 0x20 || (ch >= 0x7f && ch <= 0x9f))) {
                throw new IllegalArgumentException("a SITE reply holds no control character but \\n (found U+"
                        + String.format("%04X", (int) ch) + ")");
            }
        }
    }

    /**
     * A {@code 200} reply.
     *
     * @param text the text
     * @return the reply
     */
    public static SiteReply ok(String text) {
        return new SiteReply(200, text);
    }
}
