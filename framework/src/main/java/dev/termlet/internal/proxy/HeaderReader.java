package dev.termlet.internal.proxy;

import java.util.Arrays;

/**
 * Collects the first bytes of one connection until its PROXY protocol header is complete. It holds at most the
 * longest header plus one read: {@link ProxyHeader#parse} refuses a header as soon as it is known to be too long.
 * Not thread-safe: one connection's reads arrive one after another.
 */
public final class HeaderReader {
    private byte[] buf = new byte[128];
    private int count;
    private ProxyHeader header;

    /** Makes an empty reader. */
    public HeaderReader() {
        // empty
    }

    /**
     * Adds received bytes.
     *
     * @param data the bytes
     * @param offset where they start
     * @param length how many
     * @return the header once it is complete, else null (more bytes are needed)
     * @throws ProxyHeader.MalformedException if the bytes are no valid header
     */
    public ProxyHeader offer(byte[] data, int offset, int length) throws ProxyHeader.MalformedException {
        if (header != null) {
            throw new IllegalStateException("the header is complete");
        }
        if (count + length > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(count + length, Math.min(buf.length * 2, ProxyHeader.MAX_V2)));
        }
        System.arraycopy(data, offset, buf, count, length);
        count += length;
        header = ProxyHeader.parse(buf, count);
        return header;
    }

    /** @return the bytes received after the complete header (the protocol behind it), possibly none */
    public byte[] rest() {
        if (header == null) {
            throw new IllegalStateException("the header is not complete");
        }
        return Arrays.copyOfRange(buf, header.length(), count);
    }

    /** @return how many bytes were received so far */
    public int received() {
        return count;
    }
}
