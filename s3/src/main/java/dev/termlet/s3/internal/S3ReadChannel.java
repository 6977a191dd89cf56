package dev.termlet.s3.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * Reads an object with ranged GETs: one request streams from the position on while reads follow each other; a jump
 * elsewhere starts another. Every request asks for the version that was opened (its ETag), so a file replaced while
 * it is read fails the read rather than mixing two versions.
 */
final class S3ReadChannel extends FileChannel {
    private final S3FileSystem fs;
    private final S3Path path;
    private final String key;
    private final long size;
    private final String etag;
    private long position;
    private ResponseInputStream<GetObjectResponse> stream;
    private long streamAt;

    S3ReadChannel(S3FileSystem fs, S3Path path, String key, long size, String etag) {
        this.fs = fs;
        this.path = path;
        this.key = key;
        this.size = size;
        this.etag = etag;
    }

    private void dropStream() {
        if (stream != null) {
            stream.abort(); // not drained: the rest of the object is not wanted
            try {
                stream.close();
            } catch (IOException | RuntimeException e) {
                // aborted
            }
            stream = null;
        }
    }

    private InputStream at(long pos) throws IOException {
        if (stream != null && streamAt == pos) {
            return stream;
        }
        dropStream();
        try {
            stream = fs.s3().getObject(b -> {
                b.bucket(fs.bucket()).key(key).range("bytes=" + pos + "-");
                if (etag != null) {
                    b.ifMatch(etag);
                }
            });
        } catch (SdkException e) {
            throw S3FileSystem.io(e, path);
        }
        streamAt = pos;
        return stream;
    }

    @Override
    public synchronized int read(ByteBuffer dst) throws IOException {
        int n = read(dst, position);
        if (n > 0) {
            position += n;
        }
        return n;
    }

    @Override
    public synchronized int read(ByteBuffer dst, long pos) throws IOException {
        ensureOpen();
        if (pos >= size) {
            return -1;
        }
        if (!dst.hasRemaining()) {
            return 0;
        }
        InputStream in = at(pos);
        byte[] buf = new byte[(int) Math.min(dst.remaining(), Math.min(size - pos, 64 * 1024))];
        int n;
        try {
            n = in.read(buf);
        } catch (IOException | SdkException e) {
            dropStream();
            throw new java.nio.file.FileSystemException(path.toString(), null, "reading from the object store failed");
        }
        if (n < 0) {
            dropStream();
            throw new java.nio.file.FileSystemException(path.toString(), null, "the object ended early");
        }
        dst.put(buf, 0, n);
        streamAt += n;
        return n;
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            if (!dsts[i].hasRemaining()) {
                continue;
            }
            int n = read(dsts[i]);
            if (n < 0) {
                return total == 0 ? -1 : total;
            }
            total += n;
            if (dsts[i].hasRemaining()) {
                break;
            }
        }
        return total;
    }

    private void ensureOpen() throws IOException {
        if (!isOpen()) {
            throw new java.nio.channels.ClosedChannelException();
        }
    }

    @Override
    public int write(ByteBuffer src) {
        throw new NonWritableChannelException();
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) {
        throw new NonWritableChannelException();
    }

    @Override
    public int write(ByteBuffer src, long pos) {
        throw new NonWritableChannelException();
    }

    @Override
    public synchronized long position() {
        return position;
    }

    @Override
    public synchronized FileChannel position(long newPosition) {
        if (newPosition < 0) {
            throw new IllegalArgumentException("negative position");
        }
        position = newPosition;
        return this;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public FileChannel truncate(long s) {
        throw new NonWritableChannelException();
    }

    @Override
    public void force(boolean metaData) {
        // nothing written
    }

    @Override
    public long transferTo(long pos, long count, WritableByteChannel target) throws IOException {
        long done = 0;
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        while (done < count) {
            buf.clear().limit((int) Math.min(buf.capacity(), count - done));
            int n = read(buf, pos + done);
            if (n <= 0) {
                break;
            }
            buf.flip();
            while (buf.hasRemaining()) {
                target.write(buf);
            }
            done += n;
        }
        return done;
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long pos, long count) {
        throw new NonWritableChannelException();
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long pos, long s) {
        throw new UnsupportedOperationException("object storage cannot be mapped");
    }

    @Override
    public FileLock lock(long pos, long s, boolean shared) {
        throw new UnsupportedOperationException("object storage has no locks");
    }

    @Override
    public FileLock tryLock(long pos, long s, boolean shared) {
        throw new UnsupportedOperationException("object storage has no locks");
    }

    @Override
    protected synchronized void implCloseChannel() {
        dropStream();
    }
}
