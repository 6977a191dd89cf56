package dev.termlet.fileops.internal.scp;

import dev.termlet.terminal.internal.ByteRing;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.SocketException;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.sshd.common.channel.LocalWindow;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.channel.ChannelDataReceiver;
import org.apache.sshd.server.channel.ChannelSession;

/**
 * The data an {@code scp} command reads from its channel, held in a ring buffer.
 *
 * <p>It takes the place of MINA's piped stream, which moves everything still unread to the front of its buffer after
 * most reads: with a client that fills the 2 MiB window, each 32 KiB read then copied up to 2 MiB, and SCP uploads
 * spent more time moving bytes in memory than writing them to disk. Here a byte is copied once in and once out. The
 * buffer grows to what the client has in flight, which the channel's window bounds; the window re-opens as the
 * command reads. A read waits at most MINA's {@code window-timeout} when it is set, as MINA's stream does.
 */
final class ScpInput extends InputStream {
    private static final int FIRST_SIZE = 16 * 1024;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final LocalWindow window;
    private final long timeoutMillis;
    private final long limit;
    private final ByteRing ring = new ByteRing(FIRST_SIZE);
    /** The single-byte read's buffer: only the command's thread reads. */
    private final byte[] one = new byte[1];
    /** The client sent EOF or the channel closed: reads drain what is left, then end. */
    private boolean ended;
    /** The command closed this stream: reads fail. */
    private boolean closed;

    /**
     * Installs a ring-buffer input on a channel, in place of MINA's piped stream: the channel's data goes to this
     * stream from now on.
     *
     * @param channel the channel of the {@code scp} command
     */
    ScpInput(ChannelSession channel) {
        this.window = channel.getLocalWindow();
        this.timeoutMillis = CoreModuleProperties.WINDOW_TIMEOUT.getRequired(channel).toMillis();
        // MINA refuses data beyond the window before it reaches here; the limit is a second line against a bug
        this.limit = Math.max(window.getMaxSize(), FIRST_SIZE) + window.getPacketSize();
        channel.setDataReceiver(new ChannelDataReceiver() {
            @Override
            public int data(ChannelSession c, byte[] buf, int start, int len) throws IOException {
                return receive(buf, start, len);
            }

            @Override
            public void close() {
                end();
            }
        });
    }

    /**
     * The channel's data, appended. Data after the client's EOF breaks the protocol and fails the channel, as with
     * MINA's pipe; data after the command stopped reading is neither kept nor counted as read, so the window stays
     * shut.
     */
    private int receive(byte[] buf, int start, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        lock.lock();
        try {
            if (ended) {
                throw new IOException("the client sent data after its end of input");
            }
            if (closed) {
                return 0;
            }
            if (ring.size() + (long) len > limit) {
                throw new IOException("the client sent more than the channel's window allows");
            }
            ring.append(buf, start, len);
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        return 0; // the window re-opens as the command reads
    }

    /** End of input from the client (EOF), or the channel closed: what was sent can still be read. */
    private void end() {
        lock.lock();
        try {
            ended = true;
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The command is done reading: the buffer goes, reads fail, later data is refused and the window stays shut. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            ring.clear();
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** One byte, as SCP reads its acknowledgements and headers. */
    @Override
    public int read() throws IOException {
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        int n;
        lock.lock();
        try {
            long start = System.nanoTime();
            long timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis); // saturates; never overflows below
            while (ring.size() == 0) {
                if (closed) {
                    throw new IOException("closed");
                }
                if (ended) {
                    return -1;
                }
                try {
                    if (timeoutMillis <= 0) {
                        arrived.await();
                    } else {
                        long left = timeoutNanos - (System.nanoTime() - start);
                        if (left <= 0) {
                            throw new SocketException("no data from the client in " + timeoutMillis + " ms");
                        }
                        arrived.awaitNanos(left);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting for the client's data");
                }
            }
            n = ring.take(b, off, len);
        } finally {
            lock.unlock();
        }
        if (window.isOpen()) {
            window.release(n);
        }
        return n;
    }

    @Override
    public int available() {
        lock.lock();
        try {
            return ring.size();
        } finally {
            lock.unlock();
        }
    }
}
