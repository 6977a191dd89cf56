package dev.termlet.terminal.internal;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import org.jline.terminal.Attributes;
import org.jline.terminal.Attributes.OutputFlag;

/**
 * Output processing for a session terminal: with {@code OPOST} and {@code ONLCR} set, a {@code \n} not
 * already preceded by {@code \r} is sent as {@code \r\n}; everything else passes unchanged.
 */
final class NewlineOutputStream extends FilterOutputStream {
    private final Attributes attributes;
    private int last = -1;

    NewlineOutputStream(OutputStream out, Attributes attributes) {
        super(out);
        this.attributes = attributes;
    }

    private boolean translate() {
        return attributes.getOutputFlag(OutputFlag.OPOST) && attributes.getOutputFlag(OutputFlag.ONLCR);
    }

    @Override
    public synchronized void write(int b) throws IOException {
        if (b == '\n' && last != '\r' && translate()) {
            out.write('\r');
        }
        out.write(b);
        last = b & 0xff;
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        if (!translate()) {
            out.write(b, off, len);
            if (len > 0) {
                last = b[off + len - 1] & 0xff;
            }
            return;
        }
        int start = off;
        int end = off + len;
        for (int i = off; i < end; i++) {
            if (b[i] == '\n' && (i > off ? b[i - 1] != '\r' : last != '\r')) {
                out.write(b, start, i - start);
                out.write('\r');
                start = i;
            }
        }
        out.write(b, start, end - start);
        if (len > 0) {
            last = b[end - 1] & 0xff;
        }
    }

    @Override
    public synchronized void flush() throws IOException {
        out.flush();
    }
}
