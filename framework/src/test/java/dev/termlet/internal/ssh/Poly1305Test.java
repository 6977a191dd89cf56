package dev.termlet.internal.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.apache.sshd.common.mac.Poly1305Mac;
import org.junit.jupiter.api.Test;

/** {@link Poly1305} gives RFC 8439's tags, and MINA's tag for any key, message and way of splitting the message. */
class Poly1305Test {
    private static final HexFormat HEX = HexFormat.of();

    private static byte[] tag(byte[] key, byte[]... parts) throws Exception {
        Poly1305 p = new Poly1305();
        p.init(key, 0);
        for (byte[] part : parts) {
            p.update(part, 0, part.length);
        }
        byte[] out = new byte[16];
        p.doFinal(out, 0);
        return out;
    }

    private static byte[] mina(byte[] key, byte[] msg) throws Exception {
        Poly1305Mac m = new Poly1305Mac();
        m.init(key);
        m.update(msg, 0, msg.length);
        byte[] out = new byte[16];
        m.doFinal(out, 0);
        return out;
    }

    @Test
    void rfc8439Vectors() throws Exception {
        // section 2.5.2
        byte[] key = HEX.parseHex("85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b");
        byte[] msg = "Cryptographic Forum Research Group".getBytes(StandardCharsets.US_ASCII);
        assertThat(HEX.formatHex(tag(key, msg))).isEqualTo("a8061dc1305136c6c22b8baf0c0127a9");
        // appendix A.3, vectors 5 and 6: the accumulator reaches p and wraps, and s carries out of 2^128
        byte[] r2 = HEX.parseHex("02000000000000000000000000000000");
        byte[] ones = HEX.parseHex("ffffffffffffffffffffffffffffffff");
        byte[] zeros = new byte[16];
        assertThat(HEX.formatHex(tag(concat(r2, zeros), ones))).isEqualTo("03000000000000000000000000000000");
        assertThat(HEX.formatHex(tag(concat(r2, ones), r2))).isEqualTo("03000000000000000000000000000000");
        // vectors 7 to 11: carries through every limb, and a sum that is p or just above it
        byte[] r1 = HEX.parseHex("01000000000000000000000000000000");
        edge(concat(r1, zeros), "fffffffffffffffffffffffffffffffff0ffffffffffffffffffffffffffffff"
                + "11000000000000000000000000000000", "05000000000000000000000000000000");
        edge(concat(r1, zeros), "fffffffffffffffffffffffffffffffffbfefefefefefefefefefefefefefefe"
                + "01010101010101010101010101010101", "00000000000000000000000000000000");
        edge(concat(r2, zeros), "fdffffffffffffffffffffffffffffff", "faffffffffffffffffffffffffffffff");
        byte[] r4 = HEX.parseHex("01000000000000000400000000000000");
        String head = "e33594d7505e43b9" + "0000000000000000" + "3394d7505e4379cd" + "0100000000000000";
        edge(concat(r4, zeros), head + "00".repeat(16) + "01" + "00".repeat(15), "14000000000000005500000000000000");
        edge(concat(r4, zeros), head + "00".repeat(16), "13000000000000000000000000000000");
    }

    /** A vector of RFC 8439's appendix A.3, which MINA's tag must give too. */
    private static void edge(byte[] key, String message, String expected) throws Exception {
        byte[] msg = HEX.parseHex(message);
        assertThat(HEX.formatHex(mina(key, msg))).as("MINA's tag").isEqualTo(expected);
        assertThat(HEX.formatHex(tag(key, msg))).isEqualTo(expected);
    }

    @Test
    void equalsMinasTagForAnyMessageAndSplit() throws Exception {
        SplittableRandom rnd = new SplittableRandom(1305);
        for (int round = 0; round < 3000; round++) {
            byte[] key = new byte[32];
            rnd.nextBytes(key);
            if (round % 7 == 0) {
                java.util.Arrays.fill(key, (byte) 0xff); // every bit the clamp lets through, the largest s
            }
            int len = round < 200 ? round : rnd.nextInt(round % 5 == 0 ? 40_000 : 300);
            byte[] msg = new byte[len];
            rnd.nextBytes(msg);
            if (round % 11 == 0) {
                java.util.Arrays.fill(msg, (byte) 0xff); // the largest blocks
            }
            byte[] expected = mina(key, msg);
            // whole, and cut in pieces at random places (a 4-byte length first, as SSH packets are tagged)
            assertThat(tag(key, msg)).as("length %d", len).isEqualTo(expected);
            Poly1305 p = new Poly1305();
            p.init(key, 0);
            int at = 0;
            int first = Math.min(len, 4);
            p.update(msg, 0, first);
            at = first;
            while (at < len) {
                int n = Math.min(len - at, rnd.nextInt(1, 70));
                p.update(msg, at, n);
                at += n;
            }
            byte[] out = new byte[20];
            p.doFinal(out, 3);
            assertThat(java.util.Arrays.copyOfRange(out, 3, 19)).as("pieces, length %d", len).isEqualTo(expected);
        }
    }

    /** RFC 8439's definition, in BigInteger: a reference that shares no code with MINA's limbs. */
    private static byte[] reference(byte[] key, byte[] msg) {
        java.math.BigInteger p = java.math.BigInteger.ONE.shiftLeft(130).subtract(java.math.BigInteger.valueOf(5));
        java.math.BigInteger r = le(java.util.Arrays.copyOfRange(key, 0, 16))
                .and(new java.math.BigInteger("0ffffffc0ffffffc0ffffffc0fffffff", 16));
        java.math.BigInteger s = le(java.util.Arrays.copyOfRange(key, 16, 32));
        java.math.BigInteger acc = java.math.BigInteger.ZERO;
        for (int i = 0; i < msg.length; i += 16) {
            byte[] block = java.util.Arrays.copyOfRange(msg, i, Math.min(msg.length, i + 16));
            java.math.BigInteger n = le(block).setBit(8 * block.length);
            acc = acc.add(n).multiply(r).mod(p);
        }
        byte[] big = acc.add(s).toByteArray();
        byte[] out = new byte[16];
        for (int i = 0; i < 16 && i < big.length; i++) {
            out[i] = big[big.length - 1 - i];
        }
        return out;
    }

    private static java.math.BigInteger le(byte[] b) {
        byte[] be = new byte[b.length + 1];
        for (int i = 0; i < b.length; i++) {
            be[b.length - i] = b[i];
        }
        return new java.math.BigInteger(be);
    }

    /**
     * One instance keyed again and again, as a connection's is, with messages given up half-way before the next key,
     * empty updates, keys and tags at odd offsets: every tag is RFC 8439's.
     */
    @Test
    void aReusedInstanceGivesEachMessageItsOwnTag() throws Exception {
        SplittableRandom rnd = new SplittableRandom(8439);
        Poly1305 p = new Poly1305();
        for (int round = 0; round < 2000; round++) {
            int keyAt = rnd.nextInt(8);
            byte[] keyBuf = new byte[keyAt + 32 + 3];
            rnd.nextBytes(keyBuf);
            if (round % 5 == 0) {
                java.util.Arrays.fill(keyBuf, (byte) 0xff);
            }
            byte[] key = java.util.Arrays.copyOfRange(keyBuf, keyAt, keyAt + 32);
            if (round % 3 == 0) {
                // a message begun under another key and never finished
                p.init(keyBuf, (keyAt + 1) % 8);
                byte[] junk = new byte[rnd.nextInt(1, 41)];
                rnd.nextBytes(junk);
                p.update(junk, 0, junk.length);
            }
            byte[] msg = new byte[rnd.nextInt(0, 200)];
            rnd.nextBytes(msg);
            if (round % 7 == 0) {
                java.util.Arrays.fill(msg, (byte) 0xff);
            }
            p.init(keyBuf, keyAt);
            p.update(msg, 0, 0);
            int at = 0;
            while (at < msg.length) {
                int n = Math.min(msg.length - at, rnd.nextInt(0, 40));
                p.update(msg, at, n);
                at += n;
            }
            int tagAt = rnd.nextInt(8);
            byte[] out = new byte[tagAt + 16];
            p.doFinal(out, tagAt);
            assertThat(java.util.Arrays.copyOfRange(out, tagAt, tagAt + 16)).as("round %d", round)
                    .isEqualTo(reference(key, msg));
        }
    }

    @Test
    void aKeyIsUsedOnceAndMustBeWhole() throws Exception {
        Poly1305 p = new Poly1305();
        assertThatThrownBy(() -> p.update(new byte[1], 0, 1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> p.init(new byte[31], 0)).isInstanceOf(InvalidKeyException.class);
        assertThatThrownBy(() -> p.init(new byte[40], 9)).isInstanceOf(InvalidKeyException.class);
        p.init(new byte[32], 0);
        assertThatThrownBy(() -> p.update(new byte[4], 2, 3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> p.update(new byte[4], 0, -1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> p.doFinal(new byte[16], 1)).as("no room for the tag")
                .isInstanceOf(IndexOutOfBoundsException.class);
        p.doFinal(new byte[16], 0);
        assertThatThrownBy(() -> p.doFinal(new byte[16], 0)).as("unkeyed after its tag")
                .isInstanceOf(IllegalStateException.class);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
