package dev.termlet.internal.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;
import javax.crypto.AEADBadTagException;
import org.apache.sshd.common.cipher.ChaCha20Cipher;
import org.apache.sshd.common.cipher.Cipher;
import org.junit.jupiter.api.Test;

/** The JDK-keystream cipher against MINA's own implementation of the same OpenSSH construction, packet by packet. */
class JdkChaCha20Poly1305Test {
    private final SplittableRandom random = new SplittableRandom(42);

    @Test
    void itsPacketsAreMinasPacketsBitForBitInBothDirections() throws Exception {
        for (long start : new long[] {0, 3, 0xFFFF_FFF8L}) {
            byte[] key = bytes(64);
            byte[] iv = iv(start);
            Cipher oursOut = init(new JdkChaCha20Poly1305(), Cipher.Mode.Encrypt, key, iv);
            Cipher minaOut = init(new ChaCha20Cipher(), Cipher.Mode.Encrypt, key, iv);
            Cipher oursIn = init(new JdkChaCha20Poly1305(), Cipher.Mode.Decrypt, key, iv);
            Cipher minaIn = init(new ChaCha20Cipher(), Cipher.Mode.Decrypt, key, iv);
            // across the sequence number's wrap, and lengths that end inside, at and across keystream blocks
            for (int len : new int[] {8, 16, 60, 64, 65, 128, 200, 1000, 32768, 35000, 0, 1, 17}) {
                byte[] plain = bytes(4 + len + 16);
                Arrays.fill(plain, 4 + len, plain.length, (byte) 0);
                byte[] a = plain.clone();
                byte[] b = plain.clone();
                seal(oursOut, a, len);
                seal(minaOut, b, len);
                assertThat(a).as("packet of %d bytes from sequence %d", len, start).isEqualTo(b);
                // each side opens the other's packet
                byte[] c = a.clone();
                open(minaIn, a, len);
                open(oursIn, c, len);
                assertThat(Arrays.copyOf(a, 4 + len)).isEqualTo(Arrays.copyOf(plain, 4 + len));
                assertThat(Arrays.copyOf(c, 4 + len)).isEqualTo(Arrays.copyOf(plain, 4 + len));
            }
        }
    }

    @Test
    void aChangedByteAnywhereIsRefusedBeforeAnythingIsDecrypted() throws Exception {
        byte[] key = bytes(64);
        int len = 96;
        for (int at : new int[] {0, 3, 4, 50, 4 + len - 1, 4 + len, 4 + len + 15}) {
            Cipher out = init(new JdkChaCha20Poly1305(), Cipher.Mode.Encrypt, key, iv(7));
            Cipher in = init(new JdkChaCha20Poly1305(), Cipher.Mode.Decrypt, key, iv(7));
            byte[] packet = new byte[4 + len + 16];
            seal(out, packet, len);
            packet[at] ^= 0x20;
            byte[] before = packet.clone();
            in.updateAAD(packet, 0, 4);
            assertThatThrownBy(() -> in.update(packet, 4, len)).isInstanceOf(AEADBadTagException.class);
            assertThat(Arrays.copyOfRange(packet, 4, 4 + len)).as("the payload stays as it came")
                    .isEqualTo(Arrays.copyOfRange(before, 4, 4 + len));
        }
    }

    @Test
    void aPacketUnderTheWrongSequenceNumberIsRefused() throws Exception {
        byte[] key = bytes(64);
        Cipher out = init(new JdkChaCha20Poly1305(), Cipher.Mode.Encrypt, key, iv(10));
        Cipher in = init(new JdkChaCha20Poly1305(), Cipher.Mode.Decrypt, key, iv(11));
        byte[] packet = new byte[4 + 32 + 16];
        seal(out, packet, 32);
        in.updateAAD(packet, 0, 4);
        assertThatThrownBy(() -> in.update(packet, 4, 32)).isInstanceOf(AEADBadTagException.class);
    }

    @Test
    void theFactoryIsSupportedHereAndNamedAsOpenSshNamesIt() {
        assertThat(JdkChaCha20Poly1305.FACTORY.isSupported()).isTrue();
        assertThat(JdkChaCha20Poly1305.FACTORY.getName()).isEqualTo("chacha20-poly1305@openssh.com");
        Cipher c = JdkChaCha20Poly1305.FACTORY.create();
        Cipher mina = new ChaCha20Cipher();
        assertThat(c.getKdfSize()).isEqualTo(mina.getKdfSize());
        assertThat(c.getIVSize()).isEqualTo(mina.getIVSize());
        assertThat(c.getAuthenticationTagSize()).isEqualTo(mina.getAuthenticationTagSize());
        assertThat(c.getCipherBlockSize()).isEqualTo(mina.getCipherBlockSize());
    }

    @Test
    void aNonceThatIsNotASequenceNumberIsRefused() {
        byte[] iv = iv(1);
        iv[0] = 1;
        assertThatThrownBy(() -> new JdkChaCha20Poly1305().init(Cipher.Mode.Encrypt, bytes(64), iv))
                .isInstanceOf(java.security.InvalidKeyException.class);
    }

    private static Cipher init(Cipher c, Cipher.Mode mode, byte[] key, byte[] iv) throws Exception {
        c.init(mode, key, iv);
        return c;
    }

    /** Seals a packet with an encrypting cipher, or opens it with a decrypting one: the same two calls. */
    private static void seal(Cipher c, byte[] packet, int len) throws Exception {
        c.updateAAD(packet, 0, 4);
        c.update(packet, 4, len);
    }

    private static void open(Cipher c, byte[] packet, int len) throws Exception {
        seal(c, packet, len);
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static byte[] iv(long seq) {
        byte[] iv = new byte[8];
        for (int i = 0; i < 4; i++) {
            iv[7 - i] = (byte) (seq >>> (8 * i));
        }
        return iv;
    }
}
