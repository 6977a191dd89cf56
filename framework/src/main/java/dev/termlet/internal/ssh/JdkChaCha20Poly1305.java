package dev.termlet.internal.ssh;

import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.spec.ChaCha20ParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.OptionalFeature;
import org.apache.sshd.common.cipher.Cipher;

/**
 * OpenSSH's {@code chacha20-poly1305@openssh.com} with the ChaCha20 keystream from the JDK's own {@code ChaCha20}
 * cipher, which the JIT turns into vector code on Java 20 and later (about ten times MINA's pure-Java keystream
 * here); the Poly1305 tag is {@link Poly1305} (MINA's arithmetic, arranged for speed), and the 4-byte length's one
 * keystream block is computed here.
 *
 * <p>The construction is OpenSSH's (PROTOCOL.chacha20poly1305): the 64-byte key is a payload key and a length key;
 * the nonce is the packet's sequence number; the length is encrypted with the length key at block 0; the payload
 * with the payload key from block 1 on; block 0 of the payload key gives the one-time Poly1305 key, which tags the
 * encrypted length and payload. The original ChaCha20 (64-bit counter, 64-bit nonce) equals the IETF one the JDK
 * implements (32-bit counter, 96-bit nonce) when the 96-bit nonce is four zero bytes followed by the 64-bit nonce,
 * as long as the block counter stays below 2<sup>32</sup>, which an SSH packet cannot reach.
 *
 * <p>The JDK refuses to encrypt twice with one key and nonce; a stream cipher's decryption is the same XOR, so
 * both directions use its decrypt mode, and every packet gets a new nonce from its sequence number.
 */
final class JdkChaCha20Poly1305 implements Cipher {
    /** The algorithm's SSH name. */
    static final String NAME = "chacha20-poly1305@openssh.com";

    private static final int TAG = 16;
    private static final byte[] ZERO_BLOCK = new byte[64];

    private final javax.crypto.Cipher payloadCipher;
    /** The length key as ChaCha20's key words, for the one block the 4-byte length needs. */
    private final int[] lengthKey = new int[8];
    private final Poly1305 mac = new Poly1305();
    private final byte[] nonce = new byte[12];
    private final byte[] block0 = new byte[64];
    private final byte[] tag = new byte[TAG];
    private SecretKeySpec payloadKey;
    private Mode mode;
    private long initialSeq;
    private long seq;

    JdkChaCha20Poly1305() throws GeneralSecurityException {
        payloadCipher = javax.crypto.Cipher.getInstance("ChaCha20");
    }

    /**
     * The factory; it reports itself unsupported when this JVM's {@code ChaCha20} is missing or differs (MINA's own
     * cipher is used then).
     */
    static final Factory FACTORY = new Factory();

    /** Makes the cipher; named as MINA's {@code BuiltinCiphers.cc20p1305_openssh}, which it replaces. */
    static final class Factory implements NamedFactory<Cipher>, OptionalFeature {
        private final boolean supported;

        private Factory() {
            boolean ok;
            try {
                ok = agreesWithMina();
            } catch (Exception | LinkageError e) {
                ok = false;
            }
            supported = ok;
        }

        /**
         * Whether this JVM's {@code ChaCha20} (whichever provider answers first) seals packets exactly as MINA's own
         * implementation does: a provider that laid the nonce out otherwise would fail every connection.
         */
        private static boolean agreesWithMina() throws Exception {
            byte[] key = new byte[64];
            for (int i = 0; i < key.length; i++) {
                key[i] = (byte) (i * 7 + 1);
            }
            byte[] iv = {0, 0, 0, 0, 0, 0, 1, 2};
            Cipher ours = new JdkChaCha20Poly1305();
            Cipher mina = new org.apache.sshd.common.cipher.ChaCha20Cipher();
            ours.init(Mode.Encrypt, key, iv);
            mina.init(Mode.Encrypt, key, iv);
            for (int len : new int[] {8, 200}) {
                byte[] a = new byte[4 + len + TAG];
                for (int i = 0; i < 4 + len; i++) {
                    a[i] = (byte) (i * 31);
                }
                byte[] b = a.clone();
                ours.updateAAD(a, 0, 4);
                ours.update(a, 4, len);
                mina.updateAAD(b, 0, 4);
                mina.update(b, 4, len);
                if (!java.util.Arrays.equals(a, b)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public String getName() {
            return NAME;
        }

        @Override
        public boolean isSupported() {
            return supported;
        }

        @Override
        public Cipher create() {
            try {
                return new JdkChaCha20Poly1305();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JDK's ChaCha20 cipher went away", e);
            }
        }

        @Override
        public String toString() {
            return NAME;
        }
    }

    @Override
    public void init(Mode mode, byte[] key, byte[] iv) throws Exception {
        if (key.length < 64 || iv.length < 8) {
            throw new java.security.InvalidKeyException(NAME + " needs a 64-byte key and an 8-byte nonce");
        }
        long high = ((iv[0] & 0xFFL) << 24) | ((iv[1] & 0xFF) << 16) | ((iv[2] & 0xFF) << 8) | (iv[3] & 0xFF);
        if (high != 0) {
            throw new java.security.InvalidKeyException(NAME + ": the nonce is not an SSH sequence number");
        }
        this.mode = mode;
        payloadKey = new SecretKeySpec(key, 0, 32, "ChaCha20");
        for (int i = 0; i < 8; i++) {
            lengthKey[i] = le32(key, 32 + 4 * i);
        }
        initialSeq = ((iv[4] & 0xFFL) << 24) | ((iv[5] & 0xFF) << 16) | ((iv[6] & 0xFF) << 8) | (iv[7] & 0xFF);
        seq = initialSeq;
        begin();
    }

    /** Sets both keystreams to this packet's nonce and keys the tag with block 0 of the payload keystream. */
    private void begin() throws Exception {
        nonce[8] = (byte) (seq >>> 24);
        nonce[9] = (byte) (seq >>> 16);
        nonce[10] = (byte) (seq >>> 8);
        nonce[11] = (byte) seq;
        payloadCipher.init(javax.crypto.Cipher.DECRYPT_MODE, payloadKey, new ChaCha20ParameterSpec(nonce, 0));
        // block 0 gives the one-time tag key; the payload goes on from block 1
        payloadCipher.update(ZERO_BLOCK, 0, 64, block0, 0);
        mac.init(block0, 0);
    }

    @Override
    public void updateAAD(byte[] data, int offset, int length) throws Exception {
        if (mode == null) {
            throw new IllegalStateException(NAME + " is not initialised");
        }
        if (length != 4) {
            throw new IllegalArgumentException(NAME + ": only the 4-byte packet length is additional data");
        }
        if (mode == Mode.Decrypt) {
            mac.update(data, offset, 4);
        }
        int stream = lengthKeystream();
        for (int i = 0; i < 4; i++) {
            data[offset + i] ^= (byte) (stream >>> (8 * i));
        }
        if (mode == Mode.Encrypt) {
            mac.update(data, offset, 4);
        }
    }

    @Override
    public void update(byte[] input, int inputOffset, int inputLen) throws Exception {
        if (mode == null) {
            throw new IllegalStateException(NAME + " is not initialised");
        }
        if (mode == Mode.Decrypt) {
            mac.update(input, inputOffset, inputLen);
            mac.doFinal(tag, 0);
            int diff = 0;
            for (int i = 0; i < TAG; i++) {
                diff |= tag[i] ^ input[inputOffset + inputLen + i];
            }
            if (diff != 0) {
                throw new AEADBadTagException("Tag mismatch");
            }
        }
        if (inputLen > 0) {
            payloadCipher.update(input, inputOffset, inputLen, input, inputOffset);
        }
        if (mode == Mode.Encrypt) {
            mac.update(input, inputOffset, inputLen);
            mac.doFinal(input, inputOffset + inputLen);
        }
        // the sequence number wraps at 2^32; a key must never see one twice (rekeying comes long before)
        seq = (seq + 1) & 0xFFFF_FFFFL;
        if (seq == initialSeq) {
            throw new IllegalStateException(NAME + ": a packet sequence number would repeat under one key");
        }
        begin();
    }

    /**
     * The first four bytes of ChaCha20 block 0 under the length key and this packet's nonce, little-endian. The JDK
     * cipher would compute a batch of blocks for them, so the one block is computed here (RFC 8439, section 2.3).
     */
    private int lengthKeystream() {
        int s0 = 0x61707865;
        int s1 = 0x3320646e;
        int s2 = 0x79622d32;
        int s3 = 0x6b206574;
        int[] k = lengthKey;
        int x0 = s0;
        int x1 = s1;
        int x2 = s2;
        int x3 = s3;
        int x4 = k[0];
        int x5 = k[1];
        int x6 = k[2];
        int x7 = k[3];
        int x8 = k[4];
        int x9 = k[5];
        int x10 = k[6];
        int x11 = k[7];
        int x12 = 0; // block counter
        int x13 = 0;
        int x14 = 0;
        int x15 = Integer.reverseBytes((int) seq); // the nonce's last word: the sequence number's big-endian bytes
        for (int round = 0; round < 10; round++) {
            // columns
            x0 += x4; x12 = Integer.rotateLeft(x12 ^ x0, 16); x8 += x12; x4 = Integer.rotateLeft(x4 ^ x8, 12);
            x0 += x4; x12 = Integer.rotateLeft(x12 ^ x0, 8); x8 += x12; x4 = Integer.rotateLeft(x4 ^ x8, 7);
            x1 += x5; x13 = Integer.rotateLeft(x13 ^ x1, 16); x9 += x13; x5 = Integer.rotateLeft(x5 ^ x9, 12);
            x1 += x5; x13 = Integer.rotateLeft(x13 ^ x1, 8); x9 += x13; x5 = Integer.rotateLeft(x5 ^ x9, 7);
            x2 += x6; x14 = Integer.rotateLeft(x14 ^ x2, 16); x10 += x14; x6 = Integer.rotateLeft(x6 ^ x10, 12);
            x2 += x6; x14 = Integer.rotateLeft(x14 ^ x2, 8); x10 += x14; x6 = Integer.rotateLeft(x6 ^ x10, 7);
            x3 += x7; x15 = Integer.rotateLeft(x15 ^ x3, 16); x11 += x15; x7 = Integer.rotateLeft(x7 ^ x11, 12);
            x3 += x7; x15 = Integer.rotateLeft(x15 ^ x3, 8); x11 += x15; x7 = Integer.rotateLeft(x7 ^ x11, 7);
            // diagonals
            x0 += x5; x15 = Integer.rotateLeft(x15 ^ x0, 16); x10 += x15; x5 = Integer.rotateLeft(x5 ^ x10, 12);
            x0 += x5; x15 = Integer.rotateLeft(x15 ^ x0, 8); x10 += x15; x5 = Integer.rotateLeft(x5 ^ x10, 7);
            x1 += x6; x12 = Integer.rotateLeft(x12 ^ x1, 16); x11 += x12; x6 = Integer.rotateLeft(x6 ^ x11, 12);
            x1 += x6; x12 = Integer.rotateLeft(x12 ^ x1, 8); x11 += x12; x6 = Integer.rotateLeft(x6 ^ x11, 7);
            x2 += x7; x13 = Integer.rotateLeft(x13 ^ x2, 16); x8 += x13; x7 = Integer.rotateLeft(x7 ^ x8, 12);
            x2 += x7; x13 = Integer.rotateLeft(x13 ^ x2, 8); x8 += x13; x7 = Integer.rotateLeft(x7 ^ x8, 7);
            x3 += x4; x14 = Integer.rotateLeft(x14 ^ x3, 16); x9 += x14; x4 = Integer.rotateLeft(x4 ^ x9, 12);
            x3 += x4; x14 = Integer.rotateLeft(x14 ^ x3, 8); x9 += x14; x4 = Integer.rotateLeft(x4 ^ x9, 7);
        }
        return x0 + s0;
    }

    private static int le32(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
    }

    @Override
    public String getAlgorithm() {
        return "ChaCha20";
    }

    @Override
    public String getTransformation() {
        return "ChaCha20";
    }

    @Override
    public int getIVSize() {
        return 8;
    }

    @Override
    public int getAuthenticationTagSize() {
        return TAG;
    }

    @Override
    public int getCipherBlockSize() {
        return 8;
    }

    @Override
    public int getKdfSize() {
        return 64;
    }

    @Override
    public int getKeySize() {
        return 512;
    }

    @Override
    public String toString() {
        return "chacha20-poly1305";
    }
}
