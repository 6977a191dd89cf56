package dev.termlet.s3.internal;

import dev.termlet.fileops.Storage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * A new version of an object, visible to no one until {@link #commit}: data is gathered in memory up to one part
 * (the file system's part size); a larger file becomes a multipart upload whose parts go up as they fill and which
 * is completed at the commit, and aborted by {@link #abort} or a close without a commit, so that nothing of it is
 * ever visible or left in the bucket. A file smaller than a part is one PUT at the commit. The data must come in
 * order (each write where the last ended), as every transfer protocol sends it.
 */
final class S3WriteChannel extends FileChannel implements Storage.PendingWrite {
    private static final Logger LOG = LoggerFactory.getLogger(S3WriteChannel.class);

    private final S3FileSystem fs;
    private final S3Path path;
    private final String key;
    private final boolean createNew;
    private byte[] buf;
    /** The bytes of {@link #buf} taken from the file system's budget, given back when the upload ends. */
    private long reserved;
    private int fill;
    private long written;
    private String uploadId;
    private final List<CompletedPart> parts = new ArrayList<>();
    private boolean ended;
    /** Why a write failed: the upload is spoiled, and its commit refused (nothing of it may appear). */
    private IOException spoiled;

    S3WriteChannel(S3FileSystem fs, S3Path path, String key, boolean createNew) throws IOException {
        this.fs = fs;
        this.path = path;
        this.key = key;
        this.createNew = createNew;
        grow(64 * 1024);
    }

    /**
     * Makes the buffer this size, with room from the file system's budget: an upload refused for want of it fails
     * cleanly, so that many uploads held open cannot take the server's memory.
     */
    private void grow(int size) throws IOException {
        long more = size - (buf == null ? 0 : buf.length);
        if (!fs.reserve(more)) {
            throw new FileSystemException(path.toString(), null,
                    "too many uploads in progress on this server; try again later");
        }
        reserved += more;
        buf = buf == null ? new byte[size] : java.util.Arrays.copyOf(buf, size);
    }

    /** Drops the buffer and gives its room back. */
    private void freeBuffer() {
        buf = null;
        fs.release(reserved);
        reserved = 0;
    }

    private void ensureOpen() throws IOException {
        if (!isOpen() || ended) {
            throw new java.nio.channels.ClosedChannelException();
        }
    }

    @Override
    public synchronized int write(ByteBuffer src) throws IOException {
        return write(src, written);
    }

    @Override
    public synchronized int write(ByteBuffer src, long pos) throws IOException {
        ensureOpen();
        if (spoiled != null) {
            throw new FileSystemException(path.toString(), null, "the upload failed earlier: " + spoiled.getMessage());
        }
        try {
            return append(src, pos);
        } catch (IOException e) {
            spoiled = e;
            throw e;
        }
    }

    private int append(ByteBuffer src, long pos) throws IOException {
        if (pos != written) {
            throw new FileSystemException(path.toString(), null,
                    "object storage takes a file's data in order (a write at " + pos + ", the data ends at " + written
                            + ")");
        }
        int n = src.remaining();
        while (src.hasRemaining()) {
            int room = fs.partSize() - fill;
            if (room == 0) {
                uploadPart();
                continue;
            }
            int take = Math.min(room, src.remaining());
            if (fill + take > buf.length) {
                grow((int) Math.min(fs.partSize(), Math.max((long) buf.length * 2, fill + take)));
            }
            src.get(buf, fill, take);
            fill += take;
            written += take;
        }
        return n;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            total += write(srcs[i]);
        }
        return total;
    }

    private void uploadPart() throws IOException {
        try {
            if (uploadId == null) {
                uploadId = fs.s3().createMultipartUpload(b -> b.bucket(fs.bucket()).key(key)).uploadId();
            }
            int number = parts.size() + 1;
            String etag = fs.s3().uploadPart(b -> b.bucket(fs.bucket()).key(key).uploadId(uploadId)
                    .partNumber(number).contentLength((long) fill),
                    RequestBody.fromContentProvider(() -> new ByteArrayInputStream(buf, 0, fill), fill,
                            "application/octet-stream")).eTag();
            parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
            fill = 0;
        } catch (SdkException e) {
            abort();
            throw S3FileSystem.io(e, path);
        }
    }

    @Override
    public synchronized long commit(boolean replace) throws IOException {
        ensureOpen();
        if (spoiled != null) {
            abort();
            throw new FileSystemException(path.toString(), null, "the upload failed: " + spoiled.getMessage());
        }
        boolean keep = !replace || createNew;
        try {
            if (keep && fs.head(path, key) != null) {
                // for a store without conditional writes; the request below asks for it as well
                throw new FileAlreadyExistsException(path.toString());
            }
            if (uploadId == null) {
                byte[] data = java.util.Arrays.copyOf(buf, fill);
                fs.s3().putObject(b -> {
                    b.bucket(fs.bucket()).key(key).contentLength((long) data.length);
                    if (keep) {
                        b.ifNoneMatch("*");
                    }
                }, RequestBody.fromBytes(data));
            } else {
                if (fill > 0) {
                    uploadPart();
                }
                fs.s3().completeMultipartUpload(b -> {
                    b.bucket(fs.bucket()).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts));
                    if (keep) {
                        b.ifNoneMatch("*");
                    }
                });
                uploadId = null;
            }
            ended = true;
            freeBuffer();
            close();
            return written;
        } catch (SdkException e) {
            abort();
            throw S3FileSystem.io(e, path);
        } catch (IOException | RuntimeException e) {
            abort();
            throw e;
        }
    }

    @Override
    public synchronized void abort() {
        ended = true;
        freeBuffer();
        String id = uploadId;
        uploadId = null;
        if (id != null) {
            // a session that ends interrupts its threads: the abort must still reach the store
            boolean interrupted = Thread.interrupted();
            try {
                fs.s3().abortMultipartUpload(b -> b.bucket(fs.bucket()).key(key).uploadId(id));
            } catch (SdkException e) {
                // the bucket's lifecycle rule for incomplete multipart uploads removes it later
                LOG.warn("could not abort the multipart upload of {}: {}", path, e.getMessage());
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        try {
            close();
        } catch (IOException e) {
            // closed
        }
    }

    @Override
    protected void implCloseChannel() {
        if (!ended) {
            abort();
        }
    }

    @Override
    public int read(ByteBuffer dst) {
        throw new NonReadableChannelException();
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) {
        throw new NonReadableChannelException();
    }

    @Override
    public int read(ByteBuffer dst, long pos) {
        throw new NonReadableChannelException();
    }

    @Override
    public synchronized long position() {
        return written;
    }

    @Override
    public synchronized FileChannel position(long newPosition) throws IOException {
        if (newPosition != written) {
            throw new FileSystemException(path.toString(), null,
                    "object storage takes a file's data in order (no seeking)");
        }
        return this;
    }

    @Override
    public synchronized long size() {
        return written;
    }

    @Override
    public synchronized FileChannel truncate(long size) throws IOException {
        if (size < written) {
            throw new FileSystemException(path.toString(), null, "object storage cannot cut a file being written");
        }
        return this;
    }

    @Override
    public void force(boolean metaData) {
        // nothing is stored before the commit
    }

    @Override
    public long transferTo(long pos, long count, WritableByteChannel target) {
        throw new NonReadableChannelException();
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long pos, long count) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(64 * 1024);
        long done = 0;
        while (done < count) {
            b.clear().limit((int) Math.min(b.capacity(), count - done));
            int n = src.read(b);
            if (n <= 0) {
                break;
            }
            b.flip();
            write(b, pos + done);
            done += n;
        }
        return done;
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long pos, long size) {
        throw new UnsupportedOperationException("object storage cannot be mapped");
    }

    @Override
    public FileLock lock(long pos, long size, boolean shared) {
        throw new UnsupportedOperationException("object storage has no locks");
    }

    @Override
    public FileLock tryLock(long pos, long size, boolean shared) {
        throw new UnsupportedOperationException("object storage has no locks");
    }
}
