package dev.termlet.internal.ssh;

import dev.termlet.io.PrivateFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.util.io.resource.PathResource;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's host keys: Ed25519 and RSA 3072, generated on first start into the data directory
 * ({@code hostkeys/ssh_host_ed25519_key}, {@code hostkeys/ssh_host_rsa_key}, OpenSSH format, mode 0600,
 * written atomically) and reused on every later start.
 */
public final class HostKeys {
    private static final Logger LOG = LoggerFactory.getLogger(HostKeys.class);

    private HostKeys() {}

    /**
     * Loads the host keys, generating those that are missing.
     *
     * @param dir the host key directory
     * @return a provider of the keys
     * @throws IOException if a key cannot be written or read
     */
    public static KeyPairProvider load(Path dir) throws IOException {
        Files.createDirectories(dir);
        List<KeyPair> pairs = new ArrayList<>();
        pairs.add(loadOrCreate(dir.resolve("ssh_host_ed25519_key"), KeyPairProvider.SSH_ED25519, 256));
        pairs.add(loadOrCreate(dir.resolve("ssh_host_rsa_key"), KeyPairProvider.SSH_RSA, 3072));
        return KeyPairProvider.wrap(pairs);
    }

    /**
     * Loads host keys from files an administrator gave (OpenSSH or PEM private keys, without a passphrase), instead
     * of the generated ones. A key readable by group or others is used, with a warning.
     *
     * @param files the private key files
     * @return a provider of the keys, in the files' order
     * @throws IOException if a file is missing, unreadable or holds no key (the message names the file)
     */
    public static KeyPairProvider loadFiles(List<Path> files) throws IOException {
        List<KeyPair> pairs = new ArrayList<>();
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                throw new IOException("host key " + file + " does not exist or is not a file");
            }
            try {
                java.util.Set<java.nio.file.attribute.PosixFilePermission> mode = Files.getPosixFilePermissions(file);
                if (mode.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
                    LOG.warn("host key {} can be read by group or others ({}); chmod 600 it", file,
                            java.nio.file.attribute.PosixFilePermissions.toString(mode));
                }
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: nothing to check
            }
            KeyPair kp = read(file);
            pairs.add(kp);
            LOG.info("host key {} ({})", file, KeyUtils.getFingerPrint(kp.getPublic()));
        }
        return KeyPairProvider.wrap(pairs);
    }

    /**
     * The key types of key pairs, as {@code KeyUtils.getKeyType} names them.
     *
     * @param provider the keys
     * @return the types, for example {@code ssh-ed25519}, {@code ssh-rsa}
     * @throws IOException if they cannot be read
     */
    public static List<String> types(KeyPairProvider provider) throws IOException {
        List<String> out = new ArrayList<>();
        try {
            for (KeyPair kp : provider.loadKeys(null)) {
                out.add(KeyUtils.getKeyType(kp));
            }
        } catch (GeneralSecurityException e) {
            throw new IOException(e.getMessage(), e);
        }
        return out;
    }

    private static KeyPair read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            Iterable<KeyPair> keys = SecurityUtils.loadKeyPairIdentities(null, new PathResource(file), in, null);
            if (keys != null) {
                for (KeyPair kp : keys) {
                    return kp;
                }
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IOException("cannot read host key " + file + " (encrypted keys are not supported): "
                    + e.getMessage(), e);
        }
        throw new IOException("no key in host key file " + file);
    }

    private static KeyPair loadOrCreate(Path file, String type, int bits) throws IOException {
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                Iterable<KeyPair> keys = SecurityUtils.loadKeyPairIdentities(null, new PathResource(file), in, null);
                if (keys != null) {
                    for (KeyPair kp : keys) {
                        return kp;
                    }
                }
            } catch (GeneralSecurityException e) {
                throw new IOException("cannot read host key " + file + ": " + e.getMessage(), e);
            }
            throw new IOException("no key in host key file " + file);
        }
        KeyPair kp;
        try {
            kp = KeyUtils.generateKeyPair(type, bits);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot generate a " + type + " host key: " + e.getMessage(), e);
        }
        ByteArrayOutputStream key = new ByteArrayOutputStream();
        try {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(kp, "termlet-host-key", null, key);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot write host key " + file + ": " + e.getMessage(), e);
        }
        PrivateFiles.write(file, key.toByteArray());
        Path pub = file.resolveSibling(file.getFileName() + ".pub");
        Files.write(pub, (PublicKeyEntry.toString(kp.getPublic()) + " termlet-host-key\n")
                .getBytes(StandardCharsets.UTF_8));
        LOG.info("generated host key {} ({})", file, KeyUtils.getFingerPrint(kp.getPublic()));
        return kp;
    }
}
