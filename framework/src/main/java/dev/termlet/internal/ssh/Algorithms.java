package dev.termlet.internal.ssh;

import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.OptionalFeature;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.compression.BuiltinCompressions;
import org.apache.sshd.common.kex.BuiltinDHFactories;
import org.apache.sshd.common.mac.BuiltinMacs;
import org.apache.sshd.common.signature.BuiltinSignatures;
import org.apache.sshd.server.ServerBuilder;
import org.apache.sshd.server.SshServer;

/**
 * Termlet's default algorithm set: modern algorithms only. Strict key exchange (the Terrapin
 * counter-measure) is negotiated by MINA SSHD whenever the client offers it.
 *
 * <ul>
 *   <li>key exchange: mlkem768x25519-sha256, sntrup761x25519-sha512, curve25519-sha256 (and its libssh
 *       name), diffie-hellman-group16-sha512, diffie-hellman-group18-sha512</li>
 *   <li>ciphers: chacha20-poly1305 (its keystream from the JDK, {@link JdkChaCha20Poly1305}), aes256-gcm,
 *       aes128-gcm, aes256-ctr, aes192-ctr, aes128-ctr</li>
 *   <li>MACs (for the CTR ciphers): hmac-sha2-512-etm, hmac-sha2-256-etm</li>
 *   <li>host key signatures: ssh-ed25519, rsa-sha2-512, rsa-sha2-256</li>
 *   <li>compression: none, or zlib@openssh.com (only after authentication)</li>
 * </ul>
 *
 * <p>A session that moves much data under ChaCha20-Poly1305 is re-keyed to AES-GCM where the processor runs AES
 * ({@link CipherUpgrade}).
 */
public final class Algorithms {
    private Algorithms() {}

    /**
     * Applies the set to a server.
     *
     * @param sshd the server
     */
    public static void apply(SshServer sshd) {
        List<BuiltinDHFactories> kex = supported(List.of(
                BuiltinDHFactories.mlkem768x25519, BuiltinDHFactories.sntrup761x25519,
                BuiltinDHFactories.sntrup761x25519_openssh, BuiltinDHFactories.curve25519,
                BuiltinDHFactories.curve25519_libssh, BuiltinDHFactories.dhg16_512, BuiltinDHFactories.dhg18_512));
        sshd.setKeyExchangeFactories(NamedFactory.setUpTransformedFactories(false, kex, ServerBuilder.DH2KEX));
        List<NamedFactory<org.apache.sshd.common.cipher.Cipher>> ciphers = new ArrayList<>();
        for (BuiltinCiphers c : supported(List.of(BuiltinCiphers.cc20p1305_openssh, BuiltinCiphers.aes256gcm,
                BuiltinCiphers.aes128gcm, BuiltinCiphers.aes256ctr, BuiltinCiphers.aes192ctr,
                BuiltinCiphers.aes128ctr))) {
            ciphers.add(cipher(c.getName()));
        }
        sshd.setCipherFactories(ciphers);
        sshd.setMacFactories(new ArrayList<>(supported(List.of(BuiltinMacs.hmacsha512etm, BuiltinMacs.hmacsha256etm))));
        // compression only after authentication (zlib@openssh.com), never for unauthenticated peers
        sshd.setCompressionFactories(List.of(BuiltinCompressions.none, BuiltinCompressions.delayedZlib));
        sshd.setSignatureFactories(new ArrayList<>(supported(List.of(
                BuiltinSignatures.ed25519, BuiltinSignatures.rsaSHA512, BuiltinSignatures.rsaSHA256))));
    }

    /** Key exchanges a server may be configured with, best first: modern ones, none based on SHA-1. */
    private static final List<String> KEX_ALLOWED = List.of("mlkem768x25519-sha256", "mlkem768nistp256-sha256",
            "mlkem1024nistp384-sha384", "sntrup761x25519-sha512", "sntrup761x25519-sha512@openssh.com",
            "curve25519-sha256", "curve25519-sha256@libssh.org", "curve448-sha512", "ecdh-sha2-nistp256",
            "ecdh-sha2-nistp384", "ecdh-sha2-nistp521", "diffie-hellman-group14-sha256",
            "diffie-hellman-group15-sha512", "diffie-hellman-group16-sha512", "diffie-hellman-group17-sha512",
            "diffie-hellman-group18-sha512");
    /** Ciphers a server may be configured with: AEAD and CTR modes only (no CBC, RC4, 3DES, Blowfish or none). */
    private static final List<String> CIPHER_ALLOWED = List.of("chacha20-poly1305@openssh.com",
            "aes256-gcm@openssh.com", "aes128-gcm@openssh.com", "aes256-ctr", "aes192-ctr", "aes128-ctr");
    /** MACs a server may be configured with: SHA-2 only. */
    private static final List<String> MAC_ALLOWED = List.of("hmac-sha2-512-etm@openssh.com",
            "hmac-sha2-256-etm@openssh.com", "hmac-sha2-512", "hmac-sha2-256");
    /** Host key signatures a server may be configured with: no SHA-1 ({@code ssh-rsa}) and no DSA. */
    private static final List<String> HOST_KEY_ALLOWED = List.of("ssh-ed25519", "rsa-sha2-512", "rsa-sha2-256",
            "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521");

    /**
     * The names a server may be configured with, in order of preference, that this JVM supports.
     *
     * @param kind the kind of algorithm
     * @return the names
     */
    public static List<String> supported(dev.termlet.SshAlgorithms.Kind kind) {
        List<String> out = new ArrayList<>();
        for (String name : allowed(kind)) {
            OptionalFeature f = feature(kind, name);
            if (f != null && f.isSupported()) {
                out.add(name);
            }
        }
        return out;
    }

    /**
     * The default set, in order of preference, as {@link #apply(SshServer)} sets it.
     *
     * @param kind the kind of algorithm
     * @return the names
     */
    public static List<String> defaults(dev.termlet.SshAlgorithms.Kind kind) {
        SshServer probe = new SshServer();
        apply(probe);
        List<? extends org.apache.sshd.common.NamedResource> set;
        switch (kind) {
            case KEX:
                set = probe.getKeyExchangeFactories();
                break;
            case CIPHER:
                set = probe.getCipherFactories();
                break;
            case MAC:
                set = probe.getMacFactories();
                break;
            default:
                set = probe.getSignatureFactories();
                break;
        }
        List<String> out = new ArrayList<>();
        set.forEach(f -> out.add(f.getName()));
        return out;
    }

    /**
     * Replaces one kind of algorithm on a server with a chosen list.
     *
     * @param sshd the server
     * @param kind the kind
     * @param names names from {@link #supported}, in order of preference
     * @throws IllegalArgumentException for an empty list or a name that is not supported
     */
    public static void apply(SshServer sshd, dev.termlet.SshAlgorithms.Kind kind, List<String> names) {
        check(kind, names);
        switch (kind) {
            case KEX: {
                List<BuiltinDHFactories> kex = new ArrayList<>();
                names.forEach(n -> kex.add(BuiltinDHFactories.fromFactoryName(n)));
                sshd.setKeyExchangeFactories(NamedFactory.setUpTransformedFactories(false, kex,
                        ServerBuilder.DH2KEX));
                break;
            }
            case CIPHER: {
                List<NamedFactory<org.apache.sshd.common.cipher.Cipher>> ciphers = new ArrayList<>();
                names.forEach(n -> ciphers.add(cipher(n)));
                sshd.setCipherFactories(ciphers);
                break;
            }
            case MAC: {
                List<NamedFactory<org.apache.sshd.common.mac.Mac>> macs = new ArrayList<>();
                names.forEach(n -> macs.add(BuiltinMacs.fromFactoryName(n)));
                sshd.setMacFactories(macs);
                break;
            }
            default: {
                List<NamedFactory<org.apache.sshd.common.signature.Signature>> sigs = new ArrayList<>();
                names.forEach(n -> sigs.add(BuiltinSignatures.fromFactoryName(n)));
                sshd.setSignatureFactories(sigs);
                break;
            }
        }
    }

    /**
     * Checks a chosen list.
     *
     * @param kind the kind
     * @param names the names
     * @throws IllegalArgumentException for an empty list, a repeated name or a name that is not supported (the
     *     message lists the supported ones)
     */
    public static void check(dev.termlet.SshAlgorithms.Kind kind, List<String> names) {
        List<String> ok = supported(kind);
        if (names.isEmpty()) {
            throw new IllegalArgumentException("the list of " + kind.label() + " algorithms is empty; choose from "
                    + String.join(", ", ok));
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String n : names) {
            if (!ok.contains(n)) {
                throw new IllegalArgumentException("unknown or refused " + kind.label() + " algorithm '" + n
                        + "'; supported: " + String.join(", ", ok));
            }
            if (!seen.add(n)) {
                throw new IllegalArgumentException(kind.label() + " algorithm '" + n + "' is listed twice");
            }
        }
    }

    /**
     * The host key signature algorithms a key of a type can sign with.
     *
     * @param keyType the key's type, as {@code KeyUtils.getKeyType} names it ({@code ssh-ed25519}, {@code ssh-rsa})
     * @return the signature names
     */
    public static List<String> signaturesOf(String keyType) {
        return "ssh-rsa".equals(keyType) ? List.of("rsa-sha2-512", "rsa-sha2-256") : List.of(keyType);
    }

    private static List<String> allowed(dev.termlet.SshAlgorithms.Kind kind) {
        switch (kind) {
            case KEX:
                return KEX_ALLOWED;
            case CIPHER:
                return CIPHER_ALLOWED;
            case MAC:
                return MAC_ALLOWED;
            default:
                return HOST_KEY_ALLOWED;
        }
    }

    private static OptionalFeature feature(dev.termlet.SshAlgorithms.Kind kind, String name) {
        switch (kind) {
            case KEX:
                return BuiltinDHFactories.fromFactoryName(name);
            case CIPHER:
                return BuiltinCiphers.fromFactoryName(name);
            case MAC:
                return BuiltinMacs.fromFactoryName(name);
            default:
                return BuiltinSignatures.fromFactoryName(name);
        }
    }

    /** @return whether this JVM runs AES-GCM on the processor's instructions ({@link CipherUpgrade#HARDWARE}) */
    public static boolean aesGcmInHardware() {
        return CipherUpgrade.HARDWARE;
    }

    /**
     * Sets after how many bytes a session under ChaCha20-Poly1305 is re-keyed to AES-GCM ({@link CipherUpgrade}).
     *
     * @param sshd the server
     * @param bytes the threshold, 0 for never
     */
    public static void cipherUpgradeAfter(SshServer sshd, long bytes) {
        CipherUpgrade.AFTER_BYTES.set(sshd, bytes);
    }

    /**
     * The factory for a cipher: MINA's, except ChaCha20-Poly1305, whose keystream comes from the JDK's vectorised
     * {@code ChaCha20} where the JVM has one ({@link JdkChaCha20Poly1305}).
     *
     * @param name the cipher's SSH name
     * @return the factory the server uses for it
     */
    public static NamedFactory<org.apache.sshd.common.cipher.Cipher> cipher(String name) {
        if (JdkChaCha20Poly1305.NAME.equals(name) && JdkChaCha20Poly1305.FACTORY.isSupported()) {
            return JdkChaCha20Poly1305.FACTORY;
        }
        return BuiltinCiphers.fromFactoryName(name);
    }

    private static <T extends OptionalFeature> List<T> supported(List<T> all) {
        List<T> out = new ArrayList<>();
        for (T t : all) {
            if (t.isSupported()) {
                out.add(t);
            }
        }
        return out;
    }
}
