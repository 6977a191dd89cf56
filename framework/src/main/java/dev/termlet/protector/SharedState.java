package dev.termlet.protector;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Where a {@link Protector} shares its state with the other nodes of a cluster (termlet-cluster keeps it in
 * PostgreSQL): strikes are scored there, so that an address striking several nodes is banned after as many strikes as
 * on one; bans, lifts and block-list entries made on one node apply on all. Install it with
 * {@link Protector#share(SharedState)}, from a {@link dev.termlet.spi.ServerExtension}'s {@code configure}.
 *
 * <p>{@link Protector#check(String)} never calls it: each node keeps the bans and blocks in memory, and the
 * implementation keeps them current through its {@link Replica} (every change made anywhere, this node's too, and a
 * full {@link Replica#replace resync} after it lost touch). When a call throws, the protector goes on alone: a strike
 * is scored locally (and a ban it causes is handed back by {@link Replica#unshared()} for the implementation to
 * record once it can), a ban by hand applies here, and lifts and block-list changes fail, so that nothing known is
 * forgotten.
 */
public interface SharedState {

    /**
     * Connects the protector's memory; called once, by {@link Protector#share(SharedState)}. The implementation loads
     * the bans and blocks in force into it ({@link Replica#replace}) before returning, or as soon as it can.
     *
     * @param replica this node's copy of the bans and blocks
     */
    void attach(Replica replica);

    /**
     * Whether to call it now: while false (the database is known to be down, or a call has hung), the protector
     * scores strikes and bans on this node alone without waiting for a call to fail. True by default.
     *
     * @return whether it can be reached, as far as the implementation knows
     */
    default boolean available() {
        return true;
    }

    /**
     * Records a strike and scores the key over every node, atomically. Called on the protector's own threads (two),
     * never on the thread that reported the strike: if the points within the window reach the
     * threshold, the key is banned for {@code rule.banTime()} of its previous offences, its score starts again from 0,
     * and every node hears of the ban.
     *
     * @param key the client key ({@link Protector#key(String)})
     * @param points the points of this strike
     * @param at when it happened
     * @param rule how strikes are scored
     * @return the score this strike brought, and the ban if it caused one
     * @throws Exception if the shared state cannot be reached (the protector then scores locally)
     */
    Scored strike(String key, int points, Instant at, Rule rule) throws Exception;

    /**
     * Bans a key by hand on every node.
     *
     * @param key the client key
     * @param until when the ban ends
     * @param reason why
     * @return the ban, with the key's offences counted over every node
     * @throws Exception if the shared state cannot be reached
     */
    Ban ban(String key, Instant until, String reason) throws Exception;

    /**
     * Lifts a key's ban and forgets its score on every node.
     *
     * @param key the client key
     * @param at now
     * @return whether it was banned
     * @throws Exception if the shared state cannot be reached
     */
    boolean lift(String key, Instant at) throws Exception;

    /**
     * Adds a range to the shared block-list.
     *
     * @param range the canonical address or range ({@link Cidr#toString()})
     * @return whether it was new there
     * @throws Exception if the shared state cannot be reached
     */
    boolean block(String range) throws Exception;

    /**
     * Removes a range from the shared block-list.
     *
     * @param range the canonical address or range
     * @return whether it was there
     * @throws Exception if the shared state cannot be reached
     */
    boolean unblock(String range) throws Exception;

    /**
     * How strikes are scored, from the protector's settings.
     *
     * @param window the observation window: older strikes no longer count
     * @param threshold the score that bans
     * @param banTime the length of a ban after the given number of earlier offences
     * @param cause what the strike was, for the ban's reason ({@code failed-login})
     */
    record Rule(Duration window, int threshold, IntFunction<Duration> banTime, String cause) {
    }

    /**
     * What a strike brought.
     *
     * @param score the key's score within the window, this strike included
     * @param ban the ban it caused, or null
     */
    record Scored(int score, Ban ban) {
    }

    /** A node's copy of the shared bans and block-list, which the implementation keeps current. */
    interface Replica {
        /**
         * A key was banned (on any node, this one included): it is refused here until the ban ends.
         *
         * @param ban the ban; its address is the key
         */
        void banned(Ban ban);

        /**
         * A key's ban was lifted on some node.
         *
         * @param key the key
         */
        void lifted(String key);

        /**
         * A range was added to the shared block-list.
         *
         * @param range the range
         */
        void blocked(String range);

        /**
         * A range was removed from the shared block-list.
         *
         * @param range the range
         */
        void unblocked(String range);

        /**
         * Replaces every shared ban and block with those given (after a lost connection, when changes may have been
         * missed). Bans made here while the shared state could not be reached are kept; record them first
         * ({@link #unshared()}).
         *
         * @param bans the bans in force
         * @param blocks the shared block-list
         */
        void replace(List<Ban> bans, List<String> blocks);

        /**
         * The bans in force that this node made while the shared state could not be reached, for the implementation
         * to record; once recorded, {@link #replace} or {@link #banned} of the key counts them as shared.
         *
         * @return the bans
         */
        List<Ban> unshared();
    }
}
