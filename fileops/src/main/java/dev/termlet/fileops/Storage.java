package dev.termlet.fileops;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Where the users' files are kept when not on the local disk (the default): an object store such as an S3 bucket,
 * offered as a {@link java.nio.file} file system whose provider follows the object-store rules below. Give one to
 * {@link FileOps#storage(Storage)}; {@code termlet-s3}'s {@code S3Storage} is one.
 *
 * <p>The rules the file server relies on: the file system has no links (creating one fails with
 * {@link UnsupportedOperationException}); a channel opened to write a file ({@code WRITE} with {@code CREATE} and
 * {@code TRUNCATE_EXISTING}, or {@code CREATE_NEW}) is a {@link PendingWrite}, whose data becomes visible as the
 * file at once and whole when it is {@linkplain PendingWrite#commit committed}, and never otherwise; writing into an
 * existing file (append, an offset) is refused with {@link java.nio.file.AccessDeniedException}; deleting a directory
 * that is not empty fails with {@link java.nio.file.DirectoryNotEmptyException}. Every user's root is a directory
 * below {@link #homes()}, so no path of one user names another's files.
 */
public interface Storage {
    /**
     * The directory holding one directory per user ({@code homes/NAME}).
     *
     * @return the directory, in the storage's file system
     * @throws IOException when the storage cannot be reached
     */
    Path homes() throws IOException;

    /** Releases what the storage holds (connections); called when the file server stops. */
    default void close() {}

    /**
     * A file being written that no one sees until it is committed: the channel a storage's provider opens for
     * writing implements it. Closing the channel without a commit discards the data.
     */
    interface PendingWrite {
        /**
         * Makes the data written so far the file's whole content, in one step, and closes the channel.
         *
         * @param replace whether an existing file may be replaced; when false and a file is there by then, nothing
         *     changes and {@link java.nio.file.FileAlreadyExistsException} is thrown
         * @return the file's size
         * @throws IOException when it cannot be put in place; the data is then discarded
         */
        long commit(boolean replace) throws IOException;

        /** Discards the data written (nothing becomes visible) and closes the channel; never throws. */
        void abort();
    }
}
