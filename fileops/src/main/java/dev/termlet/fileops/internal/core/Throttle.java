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
 * saved up while idle, and bytes move in pieces of about a tenth of a second at the rate (at least 1 KiB), so a
 * transfer never bursts past the rate and a slow one still moves something every tenth of a second or so.
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

    /**
     * The most bytes to move before the next pause: a tenth of a second at the rate, at least 1 KiB; unlimited
     * without a rate.
     */
    int piece() {
        long rate = kibPerSecond.getAsLong();
        return rate <= 0 ? Integer.MAX_VALUE : (int) Math.min(Integer.MAX_VALUE, Math.max(1024, rate * 1024 / 10));
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
                if (reads == null) {
                    return in.read(dst);
                }
                // one piece at a time: a short read is allowed, and the caller asks again
                int limit = dst.limit();
                dst.limit(dst.position() + Math.min(dst.remaining(), reads.piece()));
                int n;
                try {
                    n = in.read(dst);
                } finally {
                    dst.limit(limit);
                }
                reads.pace(n);
                return n;
            }

            @Override
            public int write(ByteBuffer src) throws IOException {
                if (writes == null) {
                    return in.write(src);
                }
                // all of it, a piece at a time, each paced: callers expect a file's write to take everything
                int total = 0;
                int limit = src.limit();
                try {
                    while (src.position() < limit) {
                        src.limit(src.position() + Math.min(limit - src.position(), writes.piece()));
                        int n = in.write(src);
                        total += n;
                        writes.pace(n);
                    }
                } finally {
                    src.limit(limit);
                }
                return total;
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
                int n = super.read(b, off, Math.min(len, piece()));
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
                while (len > 0) {
                    int n = Math.min(len, piece());
                    out.write(b, off, n);
                    pace(n);
                    off += n;
                    len -= n;
                }
            }

            @Override
            public void write(int b) throws IOException {
                out.write(b);
                pace(1);
            }
        };
    }
}
