package dev.termlet.fileops;

import java.util.function.Supplier;

/**
 * Where the users' quota usage (bytes and files) is kept when several servers write the same homes (a cluster on
 * shared storage): set with {@link FileOps#usage(UsageStore)}, every node then checks quotas against the same
 * numbers and adds its uploads and deletions to them. Without one, each server counts its own usage in memory.
 * {@code termlet-cluster}'s {@code PostgresUsage} keeps it in PostgreSQL. Implementations must be thread-safe.
 *
 * <p>A store that cannot be reached makes quota checks fail (the upload is refused), never pass.
 */
public interface UsageStore {

    /**
     * What a user's files take.
     *
     * @param bytes bytes in the user's files
     * @param files how many files
     */
    record Usage(long bytes, long files) {}

    /**
     * The user's usage as every node sees it now. The first time any node asks, {@code count} (a walk of the user's
     * home) gives it, and the store keeps that count for all: the walk happens once in the cluster, not per node.
     *
     * @param user the user name
     * @param count counts the user's files from the storage
     * @return the usage
     * @throws RuntimeException if the store cannot be reached (the quota check then refuses)
     */
    Usage usage(String user, Supplier<Usage> count);

    /**
     * Adds a change to a user's usage, atomically with respect to every node; nothing if the user's usage was never
     * counted (the first count will include it).
     *
     * @param user the user name
     * @param bytes bytes added (negative for removed)
     * @param files files added (negative for removed)
     */
    void add(String user, long bytes, long files);

    /**
     * Forgets a user's usage (a removed account): a new account of the same name is counted afresh.
     *
     * @param user the user name
     */
    void forget(String user);
}
