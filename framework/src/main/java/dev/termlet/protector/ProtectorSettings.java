package dev.termlet.protector;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How the protector scores and bans. Defaults are close to SFTPGo's defender: a ban at 15 points within
 * 30 minutes, for 30 minutes, 50 % longer at each repeat offence (at most 7 days); 1 point for a failed
 * login, 2 for an unknown user, 1 for a connection (SSH or FTP, bare TCP probes included) that closes or
 * times out without authenticating, 3 for a protocol violation; unknown commands score
 * nothing unless set; 250 ms delay after a failed password. IPv6 clients are scored and banned by their /64
 * network, since one host commonly holds a whole /64.
 */
public final class ProtectorSettings {
    private boolean enabled = true;
    private int threshold = 15;
    private Duration observation = Duration.ofMinutes(30);
    private Duration banTime = Duration.ofMinutes(30);
    private int banGrowthPercent = 50;
    private Duration maxBanTime = Duration.ofDays(7);
    private Duration failureDelay = Duration.ofMillis(250);
    private int maxHosts = 100_000;
    private int ipv6Prefix = 64;
    private final Map<Strike.Kind, Integer> scores = new EnumMap<>(Strike.Kind.class);
    private final List<String> blockList = new ArrayList<>();
    private final List<String> safeList = new ArrayList<>();

    /** The defaults. */
    public ProtectorSettings() {
        scores.put(Strike.Kind.FAILED_LOGIN, 1);
        scores.put(Strike.Kind.UNKNOWN_USER, 2);
        scores.put(Strike.Kind.NO_AUTH, 1);
        scores.put(Strike.Kind.PROTOCOL, 3);
        scores.put(Strike.Kind.UNKNOWN_COMMAND, 0);
    }

    /**
     * Turns the protector on or off (block- and safe-lists still apply when off).
     *
     * @param on whether strikes and bans happen
     * @return this
     */
    public ProtectorSettings enabled(boolean on) {
        this.enabled = on;
        return this;
    }

    /**
     * Sets the score that bans.
     *
     * @param points the threshold
     * @return this
     */
    public ProtectorSettings threshold(int points) {
        if (points <= 0) {
            throw new IllegalArgumentException("threshold must be positive");
        }
        this.threshold = points;
        return this;
    }

    /**
     * Sets how long strikes count.
     *
     * @param window the observation window
     * @return this
     */
    public ProtectorSettings observation(Duration window) {
        this.observation = Objects.requireNonNull(window);
        return this;
    }

    /**
     * Sets the first ban's length.
     *
     * @param time the ban time
     * @return this
     */
    public ProtectorSettings banTime(Duration time) {
        this.banTime = Objects.requireNonNull(time);
        return this;
    }

    /**
     * Sets how much longer each repeat ban is.
     *
     * @param percent the growth per repeat offence
     * @return this
     */
    public ProtectorSettings banGrowthPercent(int percent) {
        if (percent < 0) {
            throw new IllegalArgumentException("ban growth must not be negative");
        }
        this.banGrowthPercent = percent;
        return this;
    }

    /**
     * Caps how long a growing ban gets.
     *
     * @param time the longest ban
     * @return this
     */
    public ProtectorSettings maxBanTime(Duration time) {
        this.maxBanTime = Objects.requireNonNull(time);
        return this;
    }

    /**
     * Sets the pause before a failed password or keyboard-interactive answer is reported (the auth thread
     * is not held meanwhile).
     *
     * @param delay the delay, zero for none
     * @return this
     */
    public ProtectorSettings failureDelay(Duration delay) {
        this.failureDelay = Objects.requireNonNull(delay);
        return this;
    }

    /**
     * Sets the points a kind of strike adds; 0 turns it off.
     *
     * @param kind the kind
     * @param points the points
     * @return this
     */
    public ProtectorSettings score(Strike.Kind kind, int points) {
        if (points < 0) {
            throw new IllegalArgumentException("a score must not be negative");
        }
        scores.put(kind, points);
        return this;
    }

    /**
     * Blocks addresses or CIDR ranges permanently.
     *
     * @param ranges addresses or ranges
     * @return this
     * @throws IllegalArgumentException for one that does not parse
     */
    public ProtectorSettings block(String... ranges) {
        for (String r : ranges) {
            Cidr.parse(r);
            blockList.add(r);
        }
        return this;
    }

    /**
     * Never strikes or bans these addresses or ranges (the block-list still applies).
     *
     * @param ranges addresses or ranges
     * @return this
     * @throws IllegalArgumentException for one that does not parse
     */
    public ProtectorSettings safe(String... ranges) {
        for (String r : ranges) {
            Cidr.parse(r);
            safeList.add(r);
        }
        return this;
    }

    /**
     * Bounds the number of addresses tracked; the least recently seen are forgotten first.
     *
     * @param hosts the bound
     * @return this
     */
    public ProtectorSettings maxHosts(int hosts) {
        this.maxHosts = Math.max(100, hosts);
        return this;
    }

    /**
     * Sets the IPv6 network length by which clients are scored and banned (and counted by the per-address
     * connection limits): 64 by default, since one host commonly holds a whole /64; 128 treats each address
     * alone. IPv4 clients are always taken one address at a time.
     *
     * @param bits the prefix length, 32..128
     * @return this
     */
    public ProtectorSettings ipv6Prefix(int bits) {
        if (bits < 32 || bits > 128) {
            throw new IllegalArgumentException("the IPv6 prefix must be 32..128, not " + bits);
        }
        this.ipv6Prefix = bits;
        return this;
    }

    /** @return the IPv6 network length by which clients are scored, banned and counted */
    public int ipv6Prefix() {
        return ipv6Prefix;
    }

    boolean enabled() {
        return enabled;
    }

    int threshold() {
        return threshold;
    }

    Duration observation() {
        return observation;
    }

    Duration banTime() {
        return banTime;
    }

    int banGrowthPercent() {
        return banGrowthPercent;
    }

    Duration maxBanTime() {
        return maxBanTime;
    }

    /** @return the pause before a failed password is reported */
    public Duration failureDelay() {
        return failureDelay;
    }

    int score(Strike.Kind kind) {
        return scores.getOrDefault(kind, 0);
    }

    List<String> blockList() {
        return List.copyOf(blockList);
    }

    List<String> safeList() {
        return List.copyOf(safeList);
    }

    int maxHosts() {
        return maxHosts;
    }
}
