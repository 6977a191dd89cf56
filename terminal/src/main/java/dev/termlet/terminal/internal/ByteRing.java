package dev.termlet.terminal.internal;

/**
 * A growable ring of bytes: appended at the tail, taken from the head, each byte copied once in and once out (no
 * compaction). Not thread-safe; its owners hold their own lock.
 */
public final class ByteRing {
    private final int initial;
    private byte[] buf;
    private int head;
    private int count;

    /**
     * Creates an empty ring.
     *
     * @param initialCapacity the bytes it holds before it first grows (at least 1)
     */
    public ByteRing(int initialCapacity) {
        if (initialCapacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.initial = initialCapacity;
        this.buf = new byte[initialCapacity];
    }

    /**
     * The bytes held.
     *
     * @return the count
     */
    public int size() {
        return count;
    }

    /**
     * The bytes it can hold before it grows again.
     *
     * @return the capacity
     */
    public int capacity() {
        return buf.length;
    }

    /**
     * Appends bytes at the tail, doubling the capacity as needed.
     *
     * @param data the bytes
     * @param off first byte
     * @param len number of bytes
     */
    public void append(byte[] data, int off, int len) {
        ensure(count + len);
        int tail = (head + count) % buf.length;
        int first = Math.min(len, buf.length - tail);
        System.arraycopy(data, off, buf, tail, first);
        System.arraycopy(data, off + first, buf, 0, len - first);
        count += len;
    }

    /**
     * Takes up to {@code len} bytes from the head.
     *
     * @param b where they go
     * @param off first index
     * @param len the most to take
     * @return the number taken, 0 when empty
     */
    public int take(byte[] b, int off, int len) {
        int n = Math.min(len, count);
        int first = Math.min(n, buf.length - head);
        System.arraycopy(buf, head, b, off, first);
        System.arraycopy(buf, 0, b, off + first, n - first);
        head = (head + n) % buf.length;
        count -= n;
        return n;
    }

    /**
     * The byte at the head, left in place.
     *
     * @return the byte as 0-255
     * @throws IllegalStateException when empty
     */
    public int peek() {
        if (count == 0) {
            throw new IllegalStateException("empty");
        }
        return buf[head] & 0xff;
    }

    /**
     * Takes the byte at the head.
     *
     * @return the byte as 0-255
     * @throws IllegalStateException when empty
     */
    public int take() {
        int b = peek();
        head = (head + 1) % buf.length;
        count--;
        return b;
    }

    /** Empties the ring and goes back to its first capacity, giving the memory of a large burst back. */
    public void clear() {
        if (buf.length != initial) {
            buf = new byte[initial];
        }
        head = 0;
        count = 0;
    }

    private void ensure(int capacity) {
        if (capacity < 0 || capacity > Integer.MAX_VALUE / 2) {
            throw new IllegalStateException("a ring of " + Integer.toUnsignedString(capacity) + " bytes");
        }
        if (capacity <= buf.length) {
            return;
        }
        int size = buf.length;
        while (size < capacity) {
            size *= 2;
        }
        byte[] bigger = new byte[size];
        int first = Math.min(count, buf.length - head);
        System.arraycopy(buf, head, bigger, 0, first);
        System.arraycopy(buf, 0, bigger, first, count - first);
        buf = bigger;
        head = 0;
    }
}
