package dev.termlet.auth;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashes (BouncyCastle) in the PHC string form
 * {@code $argon2id$v=19$m=19456,t=2,p=1$salt$hash}, compared in constant time. The defaults are OWASP's
 * minimum for Argon2id: 19 MiB of memory, 2 iterations, 1 lane.
 */
public final class PasswordHasher {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();
    private static final int MAX_MEMORY_KIB = 1 << 20;
    private static final int MAX_ITERATIONS = 64;

    private final int memoryKiB;
    private final int iterations;
    private final int parallelism;
    private final String dummy;

    /** A hasher with the default cost. */
    public PasswordHasher() {
        this(19456, 2, 1);
    }

    /**
     * A hasher with a chosen cost.
     *
     * @param memoryKiB memory in KiB (at least 8 per lane)
     * @param iterations passes over memory
     * @param parallelism lanes
     */
    public PasswordHasher(int memoryKiB, int iterations, int parallelism) {
        if (parallelism < 1 || iterations < 1 || memoryKiB < 8 * parallelism) {
            throw new IllegalArgumentException("invalid Argon2id parameters m=" + memoryKiB + " t=" + iterations
                    + " p=" + parallelism);
        }
        this.memoryKiB = memoryKiB;
        this.iterations = iterations;
        this.parallelism = parallelism;
        this.dummy = hash("termlet-dummy-password".toCharArray());
    }

    /**
     * Hashes a password with a new random salt.
     *
     * @param password the password
     * @return the PHC string
     */
    public String hash(char[] password) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        byte[] hash = derive(password, salt, memoryKiB, iterations, parallelism, 32);
        return "$argon2id$v=19$m=" + memoryKiB + ",t=" + iterations + ",p=" + parallelism + "$"
                + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }

    /**
     * Checks a password against a PHC string, with the parameters the string names.
     *
     * @param password the password
     * @param encoded the stored hash
     * @return true if they match; false for a mismatch or a malformed string
     */
    public boolean verify(char[] password, String encoded) {
        if (encoded == null) {
            return false;
        }
        String[] parts = encoded.split("\\$");
        // "", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash
        if (parts.length != 6 || !parts[1].equals("argon2id") || !parts[2].equals("v=19")) {
            return false;
        }
        int m;
        int t;
        int p;
        byte[] salt;
        byte[] expected;
        try {
            String[] params = parts[3].split(",");
            if (params.length != 3 || !params[0].startsWith("m=") || !params[1].startsWith("t=")
                    || !params[2].startsWith("p=")) {
                return false;
            }
            m = Integer.parseInt(params[0].substring(2));
            t = Integer.parseInt(params[1].substring(2));
            p = Integer.parseInt(params[2].substring(2));
            salt = B64D.decode(parts[4]);
            expected = B64D.decode(parts[5]);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (p < 1 || p > 16 || t < 1 || t > MAX_ITERATIONS || m < 8 * p || m > MAX_MEMORY_KIB
                || salt.length < 8 || expected.length < 16 || expected.length > 64) {
            return false;
        }
        byte[] actual = derive(password, salt, m, t, p, expected.length);
        boolean same = MessageDigest.isEqual(actual, expected);
        Arrays.fill(actual, (byte) 0);
        return same;
    }

    /**
     * Spends the time of a real {@link #verify}, for users that do not exist, so that timing does not tell
     * which user names are known.
     *
     * @param password the password offered
     */
    public void verifyDummy(char[] password) {
        verify(password, dummy);
    }

    private static byte[] derive(char[] password, byte[] salt, int m, int t, int p, int length) {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        if (encoded.hasArray()) {
            Arrays.fill(encoded.array(), (byte) 0);
        }
        Argon2BytesGenerator gen = new Argon2BytesGenerator();
        gen.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(m).withIterations(t).withParallelism(p).withSalt(salt).build());
        byte[] out = new byte[length];
        gen.generateBytes(bytes, out);
        Arrays.fill(bytes, (byte) 0);
        return out;
    }
}
