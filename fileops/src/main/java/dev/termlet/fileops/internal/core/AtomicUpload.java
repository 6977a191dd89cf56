package dev.termlet.fileops.internal.core;

import dev.termlet.fileops.FileOperation;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One file being written by a client, for every protocol. A file written whole (new, or truncated) goes to a
 * hidden temporary file beside its target ({@link Quotas#temporaryName}) and is put in place by an atomic rename
 * only when the client finishes ({@link #commit}); an upload that fails or is abandoned removes its temporary
 * file and leaves the old file as it was ({@link #discard}). A write into an existing file without truncation
 * (append, resume, random access) goes to the file itself. Either way the bytes are held to the user's quota while
 * they are written and counted once when the upload ends.
 *
 * <p>In an object store ({@link VirtualRoot#objectStore()}) a file written whole goes straight to its target as a
 * {@link dev.termlet.fileops.Storage.PendingWrite}, which the store makes visible in one step at {@link #commit}
 * and drops at {@link #discard}; writes into an existing file are refused there.
 *
 * <p>All paths are real paths that the user's {@link VirtualRoot} resolved; every file system call goes through
 * it, so no step follows a link. Without a gate or a session (a view driven without a login, as the jail's own tests
 * drive it) nothing is counted and no event fires.
 */
public final class AtomicUpload {
    private static final Logger LOG = LoggerFactory.getLogger(AtomicUpload.class);

    private final FileGate gate;
    private final FileSession session;
    private final VirtualRoot root;
    private final Path target;
    private final Path temporary;
    private final long oldSize;
    private final FileChannel file;
    private final long startNanos = System.nanoTime();
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile SeekableByteChannel limited;
    private volatile IOException failure;
    private volatile boolean abandoned;
    private volatile boolean keepExisting;
    /** The size of the file this upload wrote, read from its own handle when it was closed; -1 before. */
    private volatile long closedSize = -1;

    private AtomicUpload(FileGate gate, FileSession session, VirtualRoot root, Path target, Path temporary,
            long oldSize, FileChannel file) {
        this.gate = gate;
        this.session = session;
        this.root = root;
        this.target = target;
        this.temporary = temporary;
        this.oldSize = oldSize;
        this.file = file;
    }

    /**
     * Starts an upload that replaces the whole file: its data goes to a new temporary file beside the target.
     *
     * @param gate the gate (quotas, events)
     * @param session the client's file session
     * @param root the user's root
     * @param target the file on disk, as the root resolved it
     * @param readable whether the client may also read through its handle
     * @param attrs the mode the client asked for (the umask applies)
     * @return the upload
     * @throws IOException when the temporary file cannot be made, or the target is refused
     *     ({@link VirtualRoot#checkWriteTarget}: a link leading outside, a FIFO, socket or device), before anything
     *     is written
     */
    public static AtomicUpload replacing(FileGate gate, FileSession session, VirtualRoot root, Path target, boolean readable,
            FileAttribute<?>... attrs) throws IOException {
        long oldSize = root.writeTargetSize(target);
        if (root.objectStore()) {
            FileChannel ch = root.open(target, Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING), attrs);
            if (!(ch instanceof dev.termlet.fileops.Storage.PendingWrite)) {
                ch.close();
                throw new IOException("the storage's writes are not atomic");
            }
            return new AtomicUpload(gate, session, root, target, null, oldSize, ch);
        }
        Path tmp = target.resolveSibling(Quotas.temporaryName(target.getFileName().toString(), "part"));
        Set<OpenOption> options = new HashSet<>(Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW));
        if (readable) {
            options.add(StandardOpenOption.READ);
        }
        FileChannel ch = root.open(tmp, options, attrs);
        return new AtomicUpload(gate, session, root, target, tmp, oldSize, ch);
    }

    /**
     * Starts a write into the file itself (append, resume at an offset, random access); with CREATE, a missing
     * file is created.
     *
     * @param gate the gate (quotas, events)
     * @param session the client's file session
     * @param root the user's root
     * @param target the file on disk, as the root resolved it
     * @param options how to open it, as the client asked (WRITE is added)
     * @param attrs the mode of a new file (the umask applies)
     * @return the upload
     * @throws IOException when the file cannot be opened, or the target is refused
     *     ({@link VirtualRoot#checkWriteTarget})
     */
    public static AtomicUpload inPlace(FileGate gate, FileSession session, VirtualRoot root, Path target,
            Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
        if (root.objectStore()) {
            throw new java.nio.file.AccessDeniedException(root.virtualPath(target), null,
                    "writing into an existing file (append, resume, offset) is not possible in object storage");
        }
        long oldSize = root.writeTargetSize(target);
        Set<OpenOption> opts = new HashSet<>(options);
        opts.add(StandardOpenOption.WRITE);
        FileChannel ch = root.open(target, opts, attrs);
        return new AtomicUpload(gate, session, root, target, null, oldSize, ch);
    }

    /** The size of the file at the target, or -1 when there is none (or it is not a regular file): one stat. */
    private static long existing(Path target) {
        return FileGate.sizeOf(target);
    }

    /**
     * Makes the commit refuse to replace a file that is at the target by then ({@link
     * java.nio.file.FileAlreadyExistsException}), atomically where the file system has hard links: for a drop box,
     * whose visitors may add files but never replace one.
     *
     * @return this
     */
    public AtomicUpload keepExisting() {
        this.keepExisting = true;
        return this;
    }

    /**
     * The channel the protocol writes through: held to the user's byte quota. A write past the quota fails with the
     * exception {@code error} makes, fires {@code quota-exceeded} once and spoils the upload (it is discarded).
     *
     * @param error makes the protocol's quota error from a message
     * @return the channel (the same one on every call)
     */
    public synchronized SeekableByteChannel channel(Function<String, IOException> error) {
        if (limited == null && !counted()) {
            limited = file;
        } else if (limited == null) {
            limited = gate.quotas().limit(file, session, oldSize, q -> {
                failure = q;
                gate.quotaExceeded(session, target, q);
            }, error);
        }
        return limited;
    }

    /**
     * The file's own channel, not held to the quota: for operations that checked the whole change against the
     * quota beforehand (FTP's COMB, whose parts go away as the result arrives).
     *
     * @return the channel
     */
    public FileChannel unlimited() {
        return file;
    }

    /**
     * The channel as an output stream for protocols that stream (SCP, FTP). Closing it flushes the data to disk but
     * does not end the upload: {@link #settle} or {@link #end} does.
     *
     * @param error makes the protocol's quota error from a message
     * @return the stream
     */
    public java.io.OutputStream stream(Function<String, IOException> error) {
        java.io.OutputStream out = java.nio.channels.Channels.newOutputStream(channel(error));
        return new java.io.FilterOutputStream(out) {
            private boolean closed;

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                if (!closed) {
                    closed = true;
                    finishWriting();
                }
            }
        };
    }

    /**
     * Flushes what was written to disk and closes the file; the upload stays open until it is settled.
     *
     * @throws IOException when the data cannot be flushed
     */
    void finishWriting() throws IOException {
        if (pending() != null) {
            return; // the data stays pending until the upload is committed or discarded
        }
        try {
            if (file.isOpen() && durable()) {
                file.force(true);
            }
        } finally {
            close();
        }
    }

    /** The store's pending write, or null for a file on disk. */
    private dev.termlet.fileops.Storage.PendingWrite pending() {
        return file instanceof dev.termlet.fileops.Storage.PendingWrite ? (dev.termlet.fileops.Storage.PendingWrite) file
                : null;
    }

    /** Whether the data is forced to disk before the upload is put in place (see {@link FileGate#syncUploads()}). */
    private boolean durable() {
        return gate == null || gate.syncUploads();
    }

    private boolean counted() {
        return gate != null && session != null;
    }

    /** @return the file the upload is for */
    public Path target() {
        return target;
    }

    /** @return the temporary file, or null for a write in place */
    public Path temporary() {
        return temporary;
    }

    /** @return what spoiled the upload (a quota, a short transfer), or null */
    public IOException failure() {
        return failure;
    }

    /** Marks the upload as failed: {@link #end} discards it. */
    public void fail(IOException why) {
        if (failure == null) {
            failure = why;
        }
    }

    /** Marks the upload as abandoned by its client: {@link #end} discards it. */
    public void abandon() {
        abandoned = true;
    }

    /** @return whether its client left before finishing */
    public boolean abandoned() {
        return abandoned;
    }

    /** @return whether the upload has been committed or discarded */
    public boolean ended() {
        return ended.get();
    }

    /**
     * Ends the upload as its client finished it: committed unless it failed or was abandoned.
     *
     * @return the outcome
     */
    public Outcome end() {
        if (failure != null || abandoned) {
            IOException why = failure != null ? failure : new IOException("the client left before finishing");
            discard(why);
            return new Outcome(false, -1, why);
        }
        try {
            return new Outcome(true, commit(), null);
        } catch (IOException e) {
            return new Outcome(false, -1, e);
        }
    }

    /**
     * Ends the upload and fires its operation's event: when the data is in place, {@code upload} (a synchronous
     * handler that refuses it has the file removed) or {@code modify}; otherwise the partial data is discarded and
     * the operation's failure event fires ({@code upload-failed}, or {@code modify} with an error status).
     *
     * @param op {@link FileOperation#UPLOAD} or {@link FileOperation#MODIFY}
     * @param flags the open flags the events report
     * @param transfer why the transfer failed, or null when all the data came
     * @return how it ended
     */
    public Settled settle(FileOperation op, String flags, IOException transfer) {
        if (transfer != null) {
            fail(transfer);
        }
        Outcome o = end();
        if (!counted()) {
            return new Settled(o.committed() ? Settled.How.COMMITTED : Settled.How.FAILED, o.failure());
        }
        if (!o.committed()) {
            gate.end(op, session, gate.event(session, target, null, flags), o.failure(), startNanos);
            return new Settled(Settled.How.FAILED, o.failure());
        }
        boolean refused = gate.end(op, session, gate.event(session, target, null, flags), null, startNanos);
        if (refused && op == FileOperation.UPLOAD) {
            gate.removeRefused(session, root, target);
            return new Settled(Settled.How.REFUSED, null);
        }
        return new Settled(Settled.How.COMMITTED, null);
    }

    /**
     * How a settled upload ended.
     *
     * @param how committed, refused after arrival (and removed), or failed (discarded)
     * @param failure why it failed, or null
     */
    public record Settled(How how, IOException failure) {
        /** The three ends of an upload. */
        public enum How {
            /** The file is in place and its event fired. */
            COMMITTED,
            /** A synchronous handler refused the file after it arrived; it was removed. */
            REFUSED,
            /** The upload failed; nothing of it was kept. */
            FAILED
        }
    }

    /**
     * How an upload ended.
     *
     * @param committed whether the data is in place
     * @param size its size when committed
     * @param failure why it was not, or null
     */
    public record Outcome(boolean committed, long size, IOException failure) {}

    /**
     * Puts the data in place: flushed to disk, then renamed over the target in one step (a write in place is only
     * flushed), and counted in the user's usage.
     *
     * @return the file's size
     * @throws IOException when it cannot be put in place; the temporary file is then removed
     */
    public long commit() throws IOException {
        if (!ended.compareAndSet(false, true)) {
            throw new IOException("the upload has already ended");
        }
        dev.termlet.fileops.Storage.PendingWrite pending = pending();
        if (pending != null) {
            return commitPending(pending);
        }
        try {
            try {
                if (file.isOpen() && durable()) {
                    file.force(true);
                }
            } finally {
                close();
            }
            if (temporary == null) {
                // the file this handle wrote, whatever its name is now (a rename meanwhile moved it, not its bytes)
                long size = closedSize >= 0 ? closedSize : FileGate.sizeOf(target);
                if (counted()) {
                    gate.quotas().written(session, oldSize, size);
                }
                return size;
            }
            // the temporary file's size, read from its own handle as it was closed (no other handle writes it)
            long size = closedSize >= 0 ? closedSize : FileGate.sizeOf(temporary);
            // what the rename replaces now, not what was there when the upload began: the target may have been
            // renamed away or deleted meanwhile (its bytes then still count, or were given back), and the quota
            // held this upload only to the growth past the size it had then
            long replaced = existing(target);
            checkReplacing(size, replaced);
            if (keepExisting) {
                placeBesideExisting();
            } else {
                root.replaceWith(temporary, target);
            }
            if (counted()) {
                gate.quotas().written(session, replaced, size);
            }
            return size;
        } catch (IOException e) {
            removeTemporary();
            throw e;
        }
    }

    /**
     * Checks the quota again when what the upload replaces is not what it found when it began (renamed away, deleted or
     * replaced meanwhile): the upload was held only to the growth past the size it had then.
     */
    private void checkReplacing(long size, long replaced) throws IOException {
        if (counted() && replaced != oldSize) {
            try {
                gate.quotas().checkChange(session, size - Math.max(0, replaced), replaced < 0 ? 1 : 0);
            } catch (Quotas.QuotaExceededException q) {
                failure = q;
                gate.quotaExceeded(session, target, q);
                throw q;
            }
        }
    }

    /** Commits a pending write of an object store: checked against the quota, then made visible in one step. */
    private long commitPending(dev.termlet.fileops.Storage.PendingWrite pending) throws IOException {
        try {
            long size = file.size();
            long replaced = existing(target);
            checkReplacing(size, replaced);
            closedSize = pending.commit(!keepExisting);
            close();
            if (counted()) {
                gate.quotas().written(session, replaced, closedSize);
            }
            return closedSize;
        } catch (IOException | RuntimeException e) {
            pending.abort();
            close();
            throw e;
        }
    }

    /**
     * Puts the temporary file at the target only if nothing is there: a hard link fails at once if the name is taken
     * (no window between a check and the rename), then the temporary name goes; without hard links, a rename that
     * checks first.
     */
    private void placeBesideExisting() throws IOException {
        try {
            root.hardLink(target, temporary);
        } catch (java.nio.file.FileAlreadyExistsException taken) {
            throw taken;
        } catch (IOException | UnsupportedOperationException noLinks) {
            root.move(temporary, target, false);
            return;
        }
        root.delete(temporary);
    }

    /**
     * Drops the upload: the temporary file is removed and the target stays as it was; bytes already written in
     * place stay and are counted.
     *
     * @param why the reason, for the log
     */
    public void discard(Throwable why) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        dev.termlet.fileops.Storage.PendingWrite pending = pending();
        if (pending != null) {
            pending.abort();
            close();
            LOG.info("upload of {} did not complete ({}); nothing was stored", target.getFileName(),
                    why == null ? "aborted" : why.getMessage());
            return;
        }
        close();
        if (temporary != null) {
            removeTemporary();
            LOG.info("upload of {} did not complete ({}); the partial data was discarded", target.getFileName(),
                    why == null ? "aborted" : why.getMessage());
        } else if (counted() && (oldSize >= 0 || closedSize >= 0)) {
            gate.quotas().written(session, oldSize, closedSize >= 0 ? closedSize : FileGate.sizeOf(target));
        }
    }

    private void close() {
        try {
            if (file.isOpen()) {
                closedSize = file.size();
            }
            file.close();
        } catch (IOException e) {
            LOG.debug("closing an upload: {}", e.toString());
        }
        SeekableByteChannel l = limited;
        if (l != null && l != file) {
            try {
                // the quota wrapper: closing it gives back the bytes it held for this upload
                l.close();
            } catch (IOException e) {
                LOG.debug("closing an upload's quota: {}", e.toString());
            }
        }
    }

    private void removeTemporary() {
        if (temporary == null) {
            return;
        }
        try {
            root.delete(temporary);
        } catch (java.nio.file.NoSuchFileException gone) {
            // nothing left to remove
        } catch (IOException e) {
            LOG.warn("could not remove the partial upload {}: {}", temporary.getFileName(), e.toString());
        }
    }
}
