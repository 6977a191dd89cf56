package dev.termlet;

import dev.termlet.internal.ssh.Algorithms;
import java.util.List;

/**
 * The SSH algorithms a server offers: the kinds, the names a server may be configured with, and the defaults. Choose
 * them with {@link TermletServer.Builder#algorithms(Kind, String...)}; only modern algorithms can be chosen (no SHA-1,
 * CBC, RC4, 3DES or DSA), whatever the configuration says.
 */
public final class SshAlgorithms {
    private SshAlgorithms() {}

    /** A kind of algorithm, as OpenSSH's {@code sshd_config} names its lists. */
    public enum Kind {
        /** Key exchange ({@code KexAlgorithms}). */
        KEX("key exchange"),
        /** Ciphers ({@code Ciphers}). */
        CIPHER("cipher"),
        /** Message authentication codes, used with the CTR ciphers ({@code MACs}). */
        MAC("MAC"),
        /** Host key signatures ({@code HostKeyAlgorithms}). */
        HOST_KEY("host key");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** @return what the kind is called in messages ({@code "cipher"}) */
        public String label() {
            return label;
        }
    }

    /**
     * The names a server may be configured with, best first, that this JVM supports.
     *
     * @param kind the kind
     * @return the names, for example {@code chacha20-poly1305@openssh.com}
     */
    public static List<String> supported(Kind kind) {
        return Algorithms.supported(kind);
    }

    /**
     * The names a server offers when none are chosen, best first.
     *
     * @param kind the kind
     * @return the names
     */
    public static List<String> defaults(Kind kind) {
        return Algorithms.defaults(kind);
    }

    /**
     * Whether this JVM runs AES-GCM on the processor's AES instructions (HotSpot's {@code UseAES}, and on x86
     * {@code UseCLMUL}): then a session that moves much data under ChaCha20-Poly1305 is re-keyed to AES-GCM
     * ({@link TermletServer.Builder#cipherUpgradeAfter(long)}).
     *
     * @return true where AES-GCM runs in hardware
     */
    public static boolean aesGcmInHardware() {
        return Algorithms.aesGcmInHardware();
    }
}
