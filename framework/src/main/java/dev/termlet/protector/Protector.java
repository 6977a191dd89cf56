package dev.termlet.protector;

import dev.termlet.io.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores client addresses for bad behaviour and bans them: strikes within an observation window add up,
 * and past the threshold the address is banned for a time that grows with each repeat offence. A permanent
 * block-list (addresses and CIDR ranges, kept in {@code blocklist.txt} in the data directory) and a
 * safe-list (the settings', and {@code safelist.txt} in the data directory) complete it; {@link #reload()} reads both
 * files again. Banned and blocked addresses are refused before any SSH exchange.
 *
 * <p>On several nodes, {@link #share(SharedState)} scores strikes and keeps bans and block-list additions in state
 * shared by all of them (termlet-cluster's PostgreSQL); {@link #check(String)} still reads only this node's memory.
 */
public final class Protector {
    private static final Logger LOG = LoggerFactory.getLogger(Protector.class);

    /** Where the protector reports what it does. */
    public interface Listener {
        /**
         * A strike was recorded.
         *
         * @param strike the strike
         */
        void strike(Strike strike);

        /**
         * An address was banned or blocked.
         *
         * @param ban the ban
         */
        void banned(Ban ban);

        /**
         * A banned or blocked address tried to connect.
         *
         * @param ban the ban in force
         */
        void refused(Ban ban);
    }

    private static final class Host {
        final ArrayDeque<long[]> strikes = new ArrayDeque<>();
        int score;
        int offences;
        Instant bannedUntil;
        String reason;
        /** A ban made here while the shared state could not be reached, not yet recorded there. */
        boolean unshared;
    }

    private final ProtectorSettings settings;
    private final Clock clock;
    private final Path blockFile;
    private final Path safeFile;
    private final List<Cidr> safe = new CopyOnWriteArrayList<>();
    private final List<Cidr> blocked = new CopyOnWriteArrayList<>();
    /** The shared block-list's entries (with {@link #share}), apart from the settings' and the file's. */
    private final List<Cidr> sharedBlocked = new CopyOnWriteArrayList<>();
    private volatile SharedState shared;
    /** Where strikes wait to be scored in the shared state: two threads, a short queue. */
    private volatile java.util.concurrent.ThreadPoolExecutor shareQueue;
    /** Whether the shared state failed last time: strikes are scored here alone until it answers again. */
    private final java.util.concurrent.atomic.AtomicBoolean sharedDown = new java.util.concurrent.atomic.AtomicBoolean();
    private final LinkedHashMap<String, Host> hosts = new LinkedHashMap<>(16, 0.75f, true);
    private volatile Listener listener;

    /**
     * Creates a protector.
     *
     * @param settings the settings
     * @param dataDir where {@code blocklist.txt} is kept, or null to keep additions in memory only
     * @param clock the clock (tests use a fixed one)
     */
    public Protector(ProtectorSettings settings, Path dataDir, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.blockFile = dataDir == null ? null : dataDir.resolve("blocklist.txt");
        this.safeFile = dataDir == null ? null : dataDir.resolve("safelist.txt");
        safe.addAll(merge(settings.safeList(), safeFile));
        blocked.addAll(merge(settings.blockList(), blockFile));
    }

    /** The settings' entries, then those of a file (if there is one) that are not among them. */
    private static List<Cidr> merge(List<String> fromSettings, Path file) {
        List<Cidr> out = new ArrayList<>();
        fromSettings.forEach(s -> out.add(Cidr.parse(s)));
        if (file != null && Files.exists(file)) {
            try {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    String l = line.strip();
                    if (!l.isEmpty() && !l.startsWith("#")) {
                        try {
                            Cidr c = Cidr.parse(l);
                            if (!out.contains(c)) {
                                out.add(c);
                            }
                        } catch (IllegalArgumentException e) {
                            LOG.warn("{}: skipped '{}': {}", file, l, e.getMessage());
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        return out;
    }

    /**
     * Reads {@code blocklist.txt} and {@code safelist.txt} in the data directory again, for changes made to them
     * outside the server: each list becomes the settings' entries plus the file's (one address or CIDR range a line,
     * {@code #} comments; a line that does not parse is skipped with a warning). A missing file adds nothing. Entries
     * that stay are never absent meanwhile. Temporary bans are kept.
     *
     * @throws UncheckedIOException if a file exists but cannot be read (the lists are then unchanged)
     */
    public synchronized void reload() {
        List<Cidr> block = merge(settings.blockList(), blockFile);
        List<Cidr> safeNow = merge(settings.safeList(), safeFile);
        int[] blockDiff = replace(blocked, block);
        int[] safeDiff = replace(safe, safeNow);
        if (blockDiff[0] + blockDiff[1] + safeDiff[0] + safeDiff[1] > 0) {
            LOG.info("reloaded the block-list ({} entries, {} added, {} removed) and the safe-list ({} entries, {}"
                    + " added, {} removed)", block.size(), blockDiff[0], blockDiff[1], safeNow.size(), safeDiff[0],
                    safeDiff[1]);
        }
    }

    /** Makes a list hold exactly the wanted entries, adding before removing; returns {added, removed}. */
    private static int[] replace(List<Cidr> list, List<Cidr> wanted) {
        int added = 0;
        for (Cidr c : wanted) {
            if (!list.contains(c)) {
                list.add(c);
                added++;
            }
        }
        int before = list.size();
        list.removeIf(c -> !wanted.contains(c));
        return new int[] {added, before - list.size()};
    }

    /**
     * Sets who hears strikes and bans (the server fires the {@code protector-strike}, {@code blocklist-add}
     * and {@code blocklist-hit} events from here).
     *
     * @param l the listener
     */
    public void listener(Listener l) {
        this.listener = l;
    }

    /**
     * Shares this protector's strikes, bans and block-list additions with other nodes from now on (see
     * {@link SharedState}); call it once, before the server starts. The settings' and the files' block-list and
     * safe-list stay this node's own.
     *
     * @param state the shared state
     * @throws IllegalStateException if a shared state was already set
     */
    public void share(SharedState state) {
        java.util.Objects.requireNonNull(state, "state");
        synchronized (this) {
            if (shared != null) {
                throw new IllegalStateException("the protector already shares its state");
            }
            shared = state;
            java.util.concurrent.ThreadPoolExecutor q = new java.util.concurrent.ThreadPoolExecutor(2, 2, 30,
                    java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.ArrayBlockingQueue<>(256), r -> {
                        Thread t = new Thread(r, "termlet-protector-share");
                        t.setDaemon(true);
                        return t;
                    });
            q.allowCoreThreadTimeOut(true);
            shareQueue = q;
        }
        state.attach(new Replica());
    }

    /** @return the shared state, or null when this node keeps its state alone */
    private SharedState sharedState() {
        SharedState s = shared;
        return s != null && s.available() ? s : null;
    }

    /** Notes that the shared state failed (logged once per outage). */
    private void sharedFailed(String what, Exception e) {
        if (sharedDown.compareAndSet(false, true)) {
            LOG.warn("the shared protector state cannot be reached ({}: {}); strikes are scored on this node alone,"
                    + " known bans still hold", what, e.toString());
        } else {
            LOG.debug("shared protector state still unreachable ({}): {}", what, e.toString());
        }
    }

    private void sharedAnswered() {
        if (sharedDown.compareAndSet(true, false)) {
            LOG.info("the shared protector state answers again");
        }
    }

    /** This node's copy of the shared bans and blocks, as a {@link SharedState} keeps it current. */
    private final class Replica implements SharedState.Replica {
        @Override
        public void banned(Ban ban) {
            synchronized (Protector.this) {
                Host h = hosts.computeIfAbsent(ban.address(), k -> new Host());
                h.bannedUntil = ban.until();
                h.offences = ban.offences();
                h.reason = ban.reason();
                h.unshared = false;
                h.strikes.clear();
                h.score = 0;
            }
        }

        @Override
        public void lifted(String key) {
            synchronized (Protector.this) {
                hosts.remove(key);
            }
        }

        @Override
        public void blocked(String range) {
            Cidr c = Cidr.parse(range);
            if (!sharedBlocked.contains(c)) {
                sharedBlocked.add(c);
            }
        }

        @Override
        public void unblocked(String range) {
            sharedBlocked.remove(Cidr.parse(range));
        }

        @Override
        public void replace(List<Ban> bans, List<String> blocks) {
            List<Cidr> wanted = new ArrayList<>();
            for (String b : blocks) {
                try {
                    wanted.add(Cidr.parse(b));
                } catch (IllegalArgumentException e) {
                    LOG.warn("shared block-list: skipped '{}': {}", b, e.getMessage());
                }
            }
            Protector.replace(sharedBlocked, wanted);
            synchronized (Protector.this) {
                Instant now = clock.instant();
                Map<String, Ban> byKey = new java.util.HashMap<>();
                bans.forEach(b -> byKey.put(b.address(), b));
                for (Map.Entry<String, Host> e : hosts.entrySet()) {
                    Host h = e.getValue();
                    boolean keep = h.unshared && h.bannedUntil != null && now.isBefore(h.bannedUntil);
                    if (!keep && !byKey.containsKey(e.getKey())) {
                        h.bannedUntil = null;
                    }
                }
                bans.forEach(this::banned);
            }
        }

        @Override
        public List<Ban> unshared() {
            List<Ban> out = new ArrayList<>();
            synchronized (Protector.this) {
                Instant now = clock.instant();
                hosts.forEach((k, h) -> {
                    if (h.unshared && h.bannedUntil != null && now.isBefore(h.bannedUntil)) {
                        out.add(new Ban(k, h.bannedUntil, h.offences, h.reason));
                    }
                });
            }
            return out;
        }
    }

    /** @return the settings */
    public ProtectorSettings settings() {
        return settings;
    }

    private static Optional<InetAddress> parse(String address) {
        try {
            return Optional.of(Addresses.parse(address));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * The key under which an address is scored and banned: an IPv4 address, or the IPv6 network of
     * {@link ProtectorSettings#ipv6Prefix(int)} (both canonical, {@link Addresses}); the text itself if it is no
     * IP address.
     *
     * @param address the client's address in any literal form
     * @return the key, for example {@code 203.0.113.9} or {@code 2001:db8:1:2::/64}
     */
    public String key(String address) {
        Optional<InetAddress> a = parse(address);
        return a.isPresent() ? Addresses.clientKey(a.get(), settings.ipv6Prefix()) : address;
    }

    private boolean in(List<Cidr> list, InetAddress a) {
        for (Cidr c : list) {
            if (c.contains(a)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether an address may connect; a refusal is reported to the listener ({@code blocklist-hit}).
     *
     * @param address the client's IP address
     * @return the ban in force, or empty if it may connect
     */
    public Optional<Ban> check(String address) {
        Optional<InetAddress> a = parse(address);
        Ban ban = null;
        if (a.isPresent() && (in(blocked, a.get()) || in(sharedBlocked, a.get()))) {
            ban = new Ban(Addresses.canonical(a.get()), null, 0, "block-list");
        } else {
            String key = a.isPresent() ? Addresses.clientKey(a.get(), settings.ipv6Prefix()) : address;
            synchronized (this) {
                Host h = hosts.get(key);
                if (h != null && h.bannedUntil != null) {
                    if (clock.instant().isBefore(h.bannedUntil)) {
                        ban = new Ban(key, h.bannedUntil, h.offences, h.reason);
                    } else {
                        h.bannedUntil = null;
                    }
                }
            }
        }
        if (ban != null) {
            Listener l = listener;
            if (l != null) {
                l.refused(ban);
            }
        }
        return Optional.ofNullable(ban);
    }

    /**
     * Records a strike against an address; past the threshold the address (for IPv6, its network: see
     * {@link ProtectorSettings#ipv6Prefix(int)}) is banned. With a {@link #share shared state}, the strike is scored there by the
     * protector's own threads a moment later (so that the caller never waits on the network), or here at once when
     * the shared state is known to be away or too many strikes wait.
     *
     * @param address the client's IP address, in any literal form
     * @param kind what it did
     * @param user the user name involved, or null
     */
    public void strike(String address, Strike.Kind kind, String user) {
        int points = settings.score(kind);
        if (!settings.enabled() || points <= 0) {
            return;
        }
        Optional<InetAddress> a = parse(address);
        if (a.isPresent() && in(safe, a.get())) {
            return;
        }
        String client = a.isPresent() ? Addresses.canonical(a.get()) : address;
        String key = a.isPresent() ? Addresses.clientKey(a.get(), settings.ipv6Prefix()) : address;
        SharedState state = sharedState();
        java.util.concurrent.ThreadPoolExecutor q = shareQueue;
        if (state != null && q != null) {
            // scored in the shared state off the reporting thread (it may be one of MINA's I/O threads); a full
            // queue (the shared state is slow or hangs) scores here at once
            Instant at = clock.instant();
            try {
                q.execute(() -> score(state, client, key, points, kind, user, at));
                return;
            } catch (java.util.concurrent.RejectedExecutionException e) {
                sharedFailed("strike", e);
            }
        }
        score(null, client, key, points, kind, user, clock.instant());
    }

    /** Scores a strike in the shared state if there is one, else (or if it fails) here; then reports it. */
    private void score(SharedState state, String client, String key, int points, Strike.Kind kind, String user,
            Instant at) {
        Strike strike = null;
        Ban ban = null;
        String cause = kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        if (state != null) {
            try {
                SharedState.Scored scored = state.strike(key, points, at, new SharedState.Rule(
                        settings.observation(), settings.threshold(), this::banTime, cause));
                sharedAnswered();
                strike = new Strike(client, kind, points, scored.score(), user);
                ban = scored.ban();
                if (ban != null) {
                    synchronized (this) {
                        Host h = hosts.computeIfAbsent(key, k -> new Host());
                        h.offences = ban.offences();
                        h.bannedUntil = ban.until();
                        h.reason = ban.reason();
                        h.unshared = false;
                        evict();
                    }
                }
            } catch (Exception e) {
                sharedFailed("strike", e);
            }
        }
        if (strike == null) {
            synchronized (this) {
                Host h = hosts.computeIfAbsent(key, k -> new Host());
                long now = clock.millis();
                long windowStart = now - settings.observation().toMillis();
                while (!h.strikes.isEmpty() && h.strikes.peekFirst()[0] < windowStart) {
                    h.score -= (int) h.strikes.pollFirst()[1];
                }
                h.strikes.addLast(new long[] {now, points});
                h.score += points;
                strike = new Strike(client, kind, points, h.score, user);
                if (h.score >= settings.threshold()) {
                    Duration time = banTime(h.offences);
                    h.offences++;
                    h.bannedUntil = clock.instant().plus(time);
                    h.reason = cause + " (score " + h.score + ")";
                    h.strikes.clear();
                    h.score = 0;
                    h.unshared = shared != null;
                    ban = new Ban(key, h.bannedUntil, h.offences, h.reason);
                }
                evict();
            }
        }
        LOG.info("strike {} against {} (+{}, score {})", kind, client, points, strike.score());
        Listener l = listener;
        if (l != null) {
            l.strike(strike);
        }
        if (ban != null) {
            LOG.warn("banned {} until {} (offence {}): {}", key, ban.until(), ban.offences(), ban.reason());
            if (l != null) {
                l.banned(ban);
            }
        }
    }

    /**
     * How long a ban lasts after earlier offences: the ban time, grown by the growth percentage for each, at most the
     * longest ban time.
     */
    private Duration banTime(int earlierOffences) {
        double factor = Math.pow(1 + settings.banGrowthPercent() / 100.0, earlierOffences);
        return Duration.ofMillis((long) Math.min(settings.banTime().toMillis() * factor,
                settings.maxBanTime().toMillis()));
    }

    private void evict() {
        if (hosts.size() <= settings.maxHosts()) {
            return;
        }
        Instant now = clock.instant();
        var it = hosts.entrySet().iterator();
        while (hosts.size() > settings.maxHosts() && it.hasNext()) {
            Host h = it.next().getValue();
            if (h.bannedUntil == null || !now.isBefore(h.bannedUntil)) {
                it.remove();
            }
        }
    }

    /**
     * Bans an address for a while, by hand. An IPv6 address bans its network (see
     * {@link ProtectorSettings#ipv6Prefix(int)}); the ban's {@link Ban#address()} says what was banned.
     *
     * @param address the IP address in any literal form, or the network key itself ({@code 2001:db8::/64})
     * @param time how long
     * @return the ban
     * @throws IllegalArgumentException if it is no IP address, or a range other than a client key (ranges go on
     *     the block-list)
     */
    public Ban ban(String address, Duration time) {
        String key = keyOf(address);
        Ban ban = null;
        String reason = "banned by an administrator";
        SharedState state = sharedState();
        if (state != null) {
            try {
                ban = state.ban(key, clock.instant().plus(time), reason);
                sharedAnswered();
                new Replica().banned(ban);
            } catch (Exception e) {
                sharedFailed("ban", e);
            }
        }
        if (ban == null) {
            synchronized (this) {
                Host h = hosts.computeIfAbsent(key, k -> new Host());
                h.offences++;
                h.bannedUntil = clock.instant().plus(time);
                h.reason = reason;
                h.unshared = shared != null;
                ban = new Ban(key, h.bannedUntil, h.offences, h.reason);
            }
        }
        Listener l = listener;
        if (l != null) {
            l.banned(ban);
        }
        return ban;
    }

    /**
     * Lifts a temporary ban and forgets the score of an address (for IPv6, of its network); with a
     * {@link #share shared state}, on every node.
     *
     * @param address the IP address in any literal form, or the network key itself
     * @return true if it was banned
     * @throws IllegalArgumentException if it is no IP address or client key
     * @throws IllegalStateException if the shared state cannot be reached (nothing is lifted then)
     */
    public boolean lift(String address) {
        String key = keyOf(address);
        boolean sharedBan = false;
        SharedState state = shared;
        if (state != null) {
            try {
                sharedBan = state.lift(key, clock.instant());
                sharedAnswered();
            } catch (Exception e) {
                sharedFailed("lift", e);
                throw new IllegalStateException("the shared protector state cannot be reached: nothing was lifted", e);
            }
        }
        synchronized (this) {
            Host h = hosts.remove(key);
            return sharedBan || h != null && h.bannedUntil != null && clock.instant().isBefore(h.bannedUntil);
        }
    }

    /** The key of an address typed by an administrator: an address, or exactly a key ({@code net/prefix}). */
    private String keyOf(String address) {
        String t = address == null ? "" : address.strip();
        int slash = t.indexOf('/');
        if (slash < 0) {
            return Addresses.clientKey(Addresses.parse(t), settings.ipv6Prefix());
        }
        Cidr range = Cidr.parse(t);
        InetAddress network = Addresses.parse(t.substring(0, slash));
        String key = Addresses.clientKey(network, settings.ipv6Prefix());
        if (!key.equals(range.toString())) {
            throw new IllegalArgumentException("'" + address + "' is a range: block ranges instead, or ban an address");
        }
        return key;
    }

    /** @return the temporary bans in force, soonest end first */
    public synchronized List<Ban> bans() {
        Instant now = clock.instant();
        List<Ban> out = new ArrayList<>();
        for (Map.Entry<String, Host> e : hosts.entrySet()) {
            Host h = e.getValue();
            if (h.bannedUntil != null && now.isBefore(h.bannedUntil)) {
                out.add(new Ban(e.getKey(), h.bannedUntil, h.offences, h.reason));
            }
        }
        out.sort(Comparator.comparing(Ban::until));
        return out;
    }

    /** @return the safe-list entries: the settings' and those of {@code safelist.txt} */
    public List<String> safeList() {
        List<String> out = new ArrayList<>();
        safe.forEach(c -> out.add(c.toString()));
        return out;
    }

    /** @return the permanent block-list entries: this node's, then the shared ones not among them */
    public List<String> blockList() {
        List<String> out = new ArrayList<>();
        blocked.forEach(c -> out.add(c.toString()));
        sharedBlocked.forEach(c -> {
            if (!blocked.contains(c)) {
                out.add(c.toString());
            }
        });
        return out;
    }

    /**
     * Adds an address or range to the permanent block-list: saved in {@code blocklist.txt}, or with a
     * {@link #share shared state}, in the shared block-list of every node.
     *
     * @param range an address or CIDR range
     * @return true if it was new
     * @throws IllegalArgumentException if it is no address or range
     * @throws IllegalStateException if the shared state cannot be reached (nothing is added then)
     */
    public synchronized boolean block(String range) {
        Cidr c = Cidr.parse(range);
        if (blocked.contains(c) || sharedBlocked.contains(c)) {
            return false;
        }
        SharedState state = shared;
        if (state != null) {
            try {
                state.block(c.toString());
                sharedAnswered();
            } catch (Exception e) {
                sharedFailed("block", e);
                throw new IllegalStateException("the shared protector state cannot be reached: nothing was blocked",
                        e);
            }
            sharedBlocked.add(c);
        } else {
            blocked.add(c);
            save();
        }
        Listener l = listener;
        if (l != null) {
            l.banned(new Ban(c.toString(), null, 0, "block-list"));
        }
        return true;
    }

    /**
     * Removes an entry from the permanent block-list (this node's file, and with a {@link #share shared state}, the
     * shared block-list of every node).
     *
     * @param range the address or range as it was added
     * @return true if it was there
     * @throws IllegalStateException if the shared state cannot be reached (nothing is removed then)
     */
    public synchronized boolean unblock(String range) {
        Cidr c = Cidr.parse(range);
        boolean removed = false;
        SharedState state = shared;
        if (state != null) {
            try {
                removed = state.unblock(c.toString());
                sharedAnswered();
            } catch (Exception e) {
                sharedFailed("unblock", e);
                throw new IllegalStateException("the shared protector state cannot be reached: nothing was unblocked",
                        e);
            }
            sharedBlocked.remove(c);
        }
        if (blocked.remove(c)) {
            save();
            removed = true;
        }
        return removed;
    }

    private void save() {
        if (blockFile == null) {
            return;
        }
        StringBuilder sb = new StringBuilder("# Termlet permanent block-list: one address or CIDR range per line\n");
        blocked.forEach(c -> sb.append(c).append('\n'));
        try {
            PrivateFiles.write(blockFile, sb.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + blockFile, e);
        }
    }
}
