package dev.termlet.fileops.internal.core;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.util.function.LongSupplier;

/**
 * A user's transfer rate in one direction, shared by all their sessions: bytes are paced so that together they
 * take no more than the account's KiB per second (read live, so a changed limit applies at once). No credit is
 * saved up while idle, so a transfer never bursts past the rate.
 */
public final class Throttle {
    private final LongSupplier kibPerSecond;
    private long nextFree = System.nanoTime();

    /**
     * A pace.
     *
     * @param kibPerSecond the limit, 0 or less for none
     */
    Throttle(LongSupplier kibPerSecond) {
        this.kibPerSecond = kibPerSecond;
    }

    /** @return whether a limit is set now */
    boolean limited() {
        return kibPerSecond.getAsLong() > 0;
    }

    /** Accounts for bytes just moved and waits until the rate allows the next ones. */
    void pace(long bytes) throws InterruptedIOException {
        long rate = kibPerSecond.getAsLong();
        if (rate <= 0 || bytes <= 0) {
            return;
        }
        long wait;
        synchronized (this) {
            long now = System.nanoTime();
            nextFree = Math.max(nextFree, now) + bytes * 1_000_000_000L / (rate * 1024);
            wait = nextFree - now;
        }
        if (wait > 0) {
            try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("transfer interrupted");
            }
        }
    }

    /** A channel whose reads are paced by one throttle and writes by another (either may be null). */
    public static SeekableByteChannel channel(SeekableByteChannel in, Throttle reads, Throttle writes) {
        if ((reads == null || !reads.limited()) && (writes == null || !writes.limited())) {
            return in;
        }
        return new ForwardingChannel(in) {
            @Override
            public int read(ByteBuffer dst) throws IOException {
                int n = in.read(dst);
                if (reads != null) {
                    reads.pace(n);
                }
                return n;
            }

            @Override
            public int write(ByteBuffer src) throws IOException {
                int n = in.write(src);
                if (writes != null) {
                    writes.pace(n);
                }
                return n;
            }
        };
    }

    /** A stream paced by this throttle. */
    public InputStream input(InputStream in) {
        return !limited() ? in : new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                pace(b < 0 ? 0 : 1);
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                pace(n);
                return n;
            }
        };
    }

    /** A stream paced by this throttle. */
    public OutputStream output(OutputStream out) {
        return !limited() ? out : new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                pace(len);
            }

            @Override
            public void write(int b) throws IOException {
                out.write(b);
                pace(1);
            }
        };
    }
}
