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
 *   <li>ciphers: chacha20-poly1305, aes256-gcm, aes128-gcm, aes256-ctr, aes192-ctr, aes128-ctr</li>
 *   <li>MACs (for the CTR ciphers): hmac-sha2-512-etm, hmac-sha2-256-etm</li>
 *   <li>host key signatures: ssh-ed25519, rsa-sha2-512, rsa-sha2-256</li>
 *   <li>compression: none, or zlib@openssh.com (only after authentication)</li>
 * </ul>
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
        sshd.setCipherFactories(new ArrayList<>(supported(List.of(
                BuiltinCiphers.cc20p1305_openssh, BuiltinCiphers.aes256gcm, BuiltinCiphers.aes128gcm,
                BuiltinCiphers.aes256ctr, BuiltinCiphers.aes192ctr, BuiltinCiphers.aes128ctr))));
        sshd.setMacFactories(new ArrayList<>(supported(List.of(BuiltinMacs.hmacsha512etm, BuiltinMacs.hmacsha256etm))));
        // compression only after authentication (zlib@openssh.com), never for unauthenticated peers
        sshd.setCompressionFactories(List.of(BuiltinCompressions.none, BuiltinCompressions.delayedZlib));
        sshd.setSignatureFactories(new ArrayList<>(supported(List.of(
                BuiltinSignatures.ed25519, BuiltinSignatures.rsaSHA512, BuiltinSignatures.rsaSHA256))));
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
