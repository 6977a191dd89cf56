package dev.termlet.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Collects what a server sends and waits for text to appear in it. */
public final class Output extends OutputStream {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private int mark;

    @Override
    public synchronized void write(int b) {
        bytes.write(b);
        notifyAll();
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        bytes.write(b, off, len);
        notifyAll();
    }

    /** @return everything received so far, as UTF-8 */
    public synchronized String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** @return everything received so far */
    public synchronized byte[] bytes() {
        return bytes.toByteArray();
    }

    /**
     * Waits until the text after the last match contains {@code expected}, and moves past it.
     *
     * @param expected the text
     * @param timeout how long to wait
     * @return the text received up to and including the match, after the previous match
     * @throws IOException if it does not appear in time
     */
    public synchronized String await(String expected, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String all = text();
            int idx = all.indexOf(expected, mark);
            if (idx >= 0) {
                String seen = all.substring(mark, idx + expected.length());
                mark = idx + expected.length();
                return seen;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IOException("timed out waiting for " + show(expected) + "; received after the last match: "
                        + show(all.substring(mark)));
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
        }
    }

    /**
     * Waits with a 10 second limit.
     *
     * @param expected the text
     * @return the text up to the match
     * @throws IOException if it does not appear in time
     */
    public String await(String expected) throws IOException {
        return await(expected, Duration.ofSeconds(10));
    }

    private static String show(String s) {
        String t = s.length() > 2000 ? "..." + s.substring(s.length() - 2000) : s;
        return "'" + t.replace("\r", "\\r").replace("\n", "\\n").replace("\u001b", "\\e") + "'";
    }
}
