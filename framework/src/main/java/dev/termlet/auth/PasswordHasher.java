package dev.termlet.auth;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashes (BouncyCastle) in the PHC string form
 * {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>} (standard Base64 without padding), compared in
 * constant time. The defaults are OWASP's minimum for Argon2id: 19 MiB of memory, 2 iterations, 1 lane,
 * a 16-byte random salt and a 32-byte hash. Thread-safe; at most one derivation fewer than the processors runs at
 * once in the process (at least one), so that password checks cannot take every processor from open sessions.
 */
public final class PasswordHasher {
    /** Default memory cost in KiB. */
    public static final int DEFAULT_MEMORY_KIB = 19456;
    /** Default number of passes over memory. */
    public static final int DEFAULT_ITERATIONS = 2;
    /** Default number of lanes. */
    public static final int DEFAULT_PARALLELISM = 1;

    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    // Upper bounds for hashes we make or accept, so that a tampered users.json cannot make a login
    // attempt allocate gigabytes or spin for minutes.
    private static final int MAX_MEMORY_KIB = 1 << 20;
    private static final int MAX_ITERATIONS = 64;
    private static final int MAX_PARALLELISM = 16;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    private final int memoryKiB;
    private final int iterations;
    private final int parallelism;
    private final byte[] dummySalt = new byte[SALT_BYTES];
    /** A random key for this process: the cache keeps HMAC-SHA256(key, password), never the password. */
    private final byte[] cacheKey = new byte[32];
    private final java.util.Map<String, Verified> verified = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(java.util.Map.Entry<String, Verified> eldest) {
                    return size() > MAX_CACHED;
                }
            });
    private volatile long cacheNanos = DEFAULT_CACHE_TIME.toNanos();
    /** Argon2id derivations run, for tests. */
    final java.util.concurrent.atomic.AtomicLong derivations = new java.util.concurrent.atomic.AtomicLong();

    /** How long a verified password is remembered by default. */
    public static final java.time.Duration DEFAULT_CACHE_TIME = java.time.Duration.ofMinutes(15);
    private static final int MAX_CACHED = 10_000;

    /** A password that passed Argon2id against a hash: its keyed digest, and when ({@link System#nanoTime}). */
    private record Verified(byte[] mac, long atNanos) {}

    /** A hasher with the default cost (m=19456 KiB, t=2, p=1). */
    public PasswordHasher() {
        this(DEFAULT_MEMORY_KIB, DEFAULT_ITERATIONS, DEFAULT_PARALLELISM);
    }

    /**
     * A hasher with a chosen cost for new hashes; {@link #verify} always uses the cost stored in the hash.
     *
     * @param memoryKiB memory in KiB, at least 8 per lane and at most 1 GiB
     * @param iterations passes over memory, 1 to 64
     * @param parallelism lanes, 1 to 16
     * @throws IllegalArgumentException if a parameter is out of range
     */
    public PasswordHasher(int memoryKiB, int iterations, int parallelism) {
        if (!validParams(memoryKiB, iterations, parallelism)) {
            throw new IllegalArgumentException("invalid Argon2id parameters m=" + memoryKiB + " t=" + iterations
                    + " p=" + parallelism + ": need 1<=p<=" + MAX_PARALLELISM + ", 1<=t<=" + MAX_ITERATIONS
                    + ", 8*p<=m<=" + MAX_MEMORY_KIB);
        }
        this.memoryKiB = memoryKiB;
        this.iterations = iterations;
        this.parallelism = parallelism;
        RANDOM.nextBytes(dummySalt);
        RANDOM.nextBytes(cacheKey);
    }

    /**
     * How long a password that passed Argon2id is remembered, so that the same account logging in again with the
     * same password skips the derivation (SFTPGo's password caching). What is kept is HMAC-SHA256 of the password
     * under a random key made for this process, next to the stored hash it matched, in memory only; a different
     * password still pays the full Argon2id check (a wrong one is never refused early), a changed password has a
     * new hash and so no entry, and the server drops the entry when the account changes. {@link java.time.Duration#ZERO}
     * turns it off. Default: {@link #DEFAULT_CACHE_TIME}.
     *
     * @param time how long an entry counts, zero for no cache
     * @return this hasher
     * @throws IllegalArgumentException if the time is negative
     */
    public PasswordHasher cacheVerified(java.time.Duration time) {
        if (time.isNegative()) {
            throw new IllegalArgumentException("negative cache time " + time);
        }
        cacheNanos = time.toNanos();
        if (time.isZero()) {
            verified.clear();
        }
        return this;
    }

    /**
     * Drops what is remembered of a hash's password (its account changed or was removed).
     *
     * @param encoded the stored hash, or null
     */
    public void forget(String encoded) {
        if (encoded != null) {
            verified.remove(encoded);
        }
    }

    private byte[] mac(char[] password) {
        byte[] bytes = utf8(password);
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(cacheKey, "HmacSHA256"));
            return mac.doFinal(bytes);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private static boolean validParams(int m, int t, int p) {
        return p >= 1 && p <= MAX_PARALLELISM && t >= 1 && t <= MAX_ITERATIONS && m >= 8 * p
                && m <= MAX_MEMORY_KIB;
    }

    /**
     * Hashes a password with a new random salt.
     *
     * @param password the password (encoded as UTF-8; the array is not modified)
     * @return the PHC string
     */
    public String hash(char[] password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] hash = derive(password, salt, memoryKiB, iterations, parallelism, HASH_BYTES);
        try {
            return "$argon2id$v=19$m=" + memoryKiB + ",t=" + iterations + ",p=" + parallelism + "$"
                    + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
        } finally {
            Arrays.fill(hash, (byte) 0);
        }
    }

    /**
     * Checks a password against a PHC string, with the cost parameters the string names.
     *
     * @param password the password offered (the array is not modified)
     * @param encoded the stored hash
     * @return true if they match; false for a mismatch, a null argument or a malformed string (never throws)
     */
    public boolean verify(char[] password, String encoded) {
        if (password == null || encoded == null) {
            return false;
        }
        long ttl = cacheNanos;
        byte[] offered = ttl > 0 ? mac(password) : null;
        if (offered != null) {
            Verified v = verified.get(encoded);
            // only a match skips Argon2id: any other password is checked in full, so the cache never makes guessing cheaper
            if (v != null && System.nanoTime() - v.atNanos() < ttl && MessageDigest.isEqual(v.mac(), offered)) {
                return true;
            }
        }
        boolean ok = verifyFully(password, encoded);
        if (ok && offered != null) {
            verified.put(encoded, new Verified(offered, System.nanoTime()));
        }
        return ok;
    }

    private boolean verifyFully(char[] password, String encoded) {
        // "", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash
        String[] parts = encoded.split("\\$", -1);
        if (parts.length != 6 || !parts[0].isEmpty() || !parts[1].equals("argon2id") || !parts[2].equals("v=19")) {
            return false;
        }
        int m;
        int t;
        int p;
        byte[] salt;
        byte[] expected;
        try {
            String[] params = parts[3].split(",", -1);
            if (params.length != 3 || !params[0].startsWith("m=") || !params[1].startsWith("t=")
                    || !params[2].startsWith("p=")) {
                return false;
            }
            m = Integer.parseInt(params[0].substring(2));
            t = Integer.parseInt(params[1].substring(2));
            p = Integer.parseInt(params[2].substring(2));
            salt = B64D.decode(parts[4]);
            expected = B64D.decode(parts[5]);
        } catch (IllegalArgumentException e) { // NumberFormatException is one too
            return false;
        }
        if (!validParams(m, t, p) || salt.length < 8 || salt.length > 64 || expected.length < 16
                || expected.length > 64) {
            return false;
        }
        byte[] actual = derive(password, salt, m, t, p, expected.length);
        try {
            return MessageDigest.isEqual(actual, expected);
        } finally {
            Arrays.fill(actual, (byte) 0);
        }
    }

    /**
     * Spends the time of a real {@link #verify} against a hash made by this hasher, and always fails. Use it
     * for unknown users so that timing does not tell which user names exist.
     *
     * @param password the password offered (may be null; the array is not modified)
     */
    public void verifyDummy(char[] password) {
        byte[] actual = derive(password == null ? new char[0] : password, dummySalt, memoryKiB, iterations,
                parallelism, HASH_BYTES);
        MessageDigest.isEqual(actual, new byte[HASH_BYTES]);
        Arrays.fill(actual, (byte) 0);
    }

    private byte[] derive(char[] password, byte[] salt, int m, int t, int p, int length) {
        derivations.incrementAndGet();
        DERIVING.acquireUninterruptibly();
        try {
            int now = RUNNING.incrementAndGet();
            PEAK.accumulateAndGet(now, Math::max);
            return argon2(password, salt, m, t, p, length);
        } finally {
            RUNNING.decrementAndGet();
            DERIVING.release();
        }
    }

    /**
     * The most Argon2id derivations run at once in this process, by every hasher together: one fewer than the
     * processors, at least one. A burst of password logins then takes at most all processors but one (and at most
     * that many times the memory cost), and sessions already open keep a processor for their keystrokes; the other
     * checks wait their turn, in order.
     */
    static final int MAX_CONCURRENT = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
    private static final java.util.concurrent.Semaphore DERIVING =
            new java.util.concurrent.Semaphore(MAX_CONCURRENT, true);
    private static final java.util.concurrent.atomic.AtomicInteger RUNNING =
            new java.util.concurrent.atomic.AtomicInteger();
    /** The most derivations seen running at once, for tests. */
    static final java.util.concurrent.atomic.AtomicInteger PEAK = new java.util.concurrent.atomic.AtomicInteger();

    private static byte[] argon2(char[] password, byte[] salt, int m, int t, int p, int length) {
        byte[] bytes = utf8(password);
        try {
            Argon2BytesGenerator gen = new Argon2BytesGenerator();
            gen.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                    .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                    .withMemoryAsKB(m).withIterations(t).withParallelism(p).withSalt(salt).build());
            byte[] out = new byte[length];
            gen.generateBytes(bytes, out);
            return out;
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** UTF-8 bytes of a password, through one buffer sized for the worst case so no copy is left behind. */
    private static byte[] utf8(char[] password) {
        CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        ByteBuffer buf = ByteBuffer.allocate(password.length * 3);
        try {
            encoder.encode(CharBuffer.wrap(password), buf, true);
            encoder.flush(buf);
            buf.flip();
            byte[] bytes = new byte[buf.remaining()];
            buf.get(bytes);
            return bytes;
        } finally {
            Arrays.fill(buf.array(), (byte) 0);
        }
    }
}
