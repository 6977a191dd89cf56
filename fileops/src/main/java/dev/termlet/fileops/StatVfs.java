package dev.termlet.fileops;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import org.apache.sshd.common.util.buffer.Buffer;

/**
 * What {@code statvfs@openssh.com} answers: the real file system holding a user's root, narrowed to the account's
 * quota (bytes and files) when it has one. Java cannot read inode counts, so without a file quota they are 0.
 *
 * @param blockSize the fragment and block size
 * @param blocks the size in blocks
 * @param freeBlocks the free blocks
 * @param availableBlocks the blocks available to the user
 * @param files the file (inode) count, or 0 when unknown
 * @param freeFiles the free files
 * @param availableFiles the files available to the user
 * @param flags {@code ST_RDONLY} (1: a read-only file system or account switch) and {@code ST_NOSUID} (2)
 */
record StatVfs(long blockSize, long blocks, long freeBlocks, long availableBlocks, long files, long freeFiles,
        long availableFiles, long flags) {
    /** {@code ST_RDONLY}. */
    static final long READ_ONLY = 1;
    /** {@code ST_NOSUID}: set-user-id bits mean nothing here. */
    static final long NO_SUID = 2;
    /** The longest name, in bytes. */
    static final long NAME_MAX = 255;

    /**
     * The statistics of a session's root.
     *
     * @param s the file session
     * @param quotas the quota counts
     * @return the statistics
     * @throws IOException when the file system cannot be read
     */
    static StatVfs of(FileSession s, Quotas quotas) throws IOException {
        FileStore store = Files.getFileStore(s.root());
        long bsize;
        try {
            bsize = Math.max(512, store.getBlockSize());
        } catch (UnsupportedOperationException e) {
            bsize = 4096;
        }
        long blocks = store.getTotalSpace() / bsize;
        long free = store.getUnallocatedSpace() / bsize;
        long avail = store.getUsableSpace() / bsize;
        long files = 0;
        long freeFiles = 0;
        dev.termlet.auth.Account a = s.account();
        if (Quotas.limited(a)) {
            Quotas.Usage u = quotas.of(s.user(), s.root());
            if (a.quotaBytes() > 0) {
                long left = Math.max(0, a.quotaBytes() - u.bytes.get() - u.inflight.get()) / bsize;
                blocks = (a.quotaBytes() + bsize - 1) / bsize;
                free = Math.min(free, left);
                avail = Math.min(avail, left);
            }
            if (a.quotaFiles() > 0) {
                files = a.quotaFiles();
                freeFiles = Math.max(0, a.quotaFiles() - u.files.get());
            }
        }
        boolean readOnly = store.isReadOnly() || (a != null && a.readOnly());
        return new StatVfs(bsize, blocks, free, avail, files, freeFiles, freeFiles,
                (readOnly ? READ_ONLY : 0) | NO_SUID);
    }

    /** @return the bytes available to the user */
    long availableBytes() {
        return availableBlocks * blockSize;
    }

    /** Writes the reply's fields after the request id, in OpenSSH's order. */
    void encode(Buffer buffer) {
        buffer.putLong(blockSize); // f_bsize
        buffer.putLong(blockSize); // f_frsize
        buffer.putLong(blocks);
        buffer.putLong(freeBlocks);
        buffer.putLong(availableBlocks);
        buffer.putLong(files);
        buffer.putLong(freeFiles);
        buffer.putLong(availableFiles);
        buffer.putLong(0); // f_fsid: nothing to tell
        buffer.putLong(flags);
        buffer.putLong(NAME_MAX);
    }
}
