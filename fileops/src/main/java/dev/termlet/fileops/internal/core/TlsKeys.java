package dev.termlet.fileops.internal.core;

import dev.termlet.io.PrivateFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS key of a protocol that serves TLS (FTPS, HTTPS): a PKCS#12 key store given by the user, or one made on
 * first start in a directory of the data directory ({@code tls.p12}: an EC P-256 key and a self-signed certificate for
 * localhost and the loopback address, valid ten years, with its random password beside it in {@code tls.p12.pass});
 * both files are private (0600) and written atomically.
 *
 * @param store the loaded key store
 * @param password its password (also the key's)
 */
public record TlsKeys(KeyStore store, char[] password) {
    private static final Logger LOG = LoggerFactory.getLogger(TlsKeys.class);

    /** @return key managers for an {@code SSLContext} */
    public KeyManagerFactory keyManagers() throws IOException {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, password);
            return kmf;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use the TLS key: " + e.getMessage(), e);
        }
    }

    /**
     * Loads a PKCS#12 key store.
     *
     * @param keyStore the file
     * @param password its password
     * @return the keys
     * @throws IOException if it cannot be read or opened
     */
    public static TlsKeys load(Path keyStore, char[] password) throws IOException {
        try (InputStream in = Files.newInputStream(keyStore)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
            return new TlsKeys(ks, password.clone());
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use the key store " + keyStore + ": " + e.getMessage(), e);
        }
    }

    /**
     * Loads {@code dir/tls.p12}, making it first if it does not exist.
     *
     * @param dir the directory
     * @param what what the certificate is for, in the log line that tells it was made ("FTPS", "HTTPS")
     * @return the keys
     * @throws IOException if it cannot be made or read
     */
    public static TlsKeys selfSigned(Path dir, String what) throws IOException {
        Path store = dir.resolve("tls.p12");
        Path pass = dir.resolve("tls.p12.pass");
        if (!Files.exists(store) || !Files.exists(pass)) {
            PrivateFiles.createDirectories(dir);
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            char[] password = Base64.getUrlEncoder().withoutPadding().encodeToString(random).toCharArray();
            PrivateFiles.write(pass, new String(password).getBytes(StandardCharsets.US_ASCII));
            PrivateFiles.write(store, makeStore(password, what));
            LOG.info("made a self-signed {} certificate in {}", what, store);
        }
        char[] password = Files.readString(pass, StandardCharsets.US_ASCII).trim().toCharArray();
        return load(store, password);
    }

    private static byte[] makeStore(char[] password, String what) throws IOException {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair kp = g.generateKeyPair();
            X500Name name = new X500Name("CN=localhost, O=Termlet");
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, new BigInteger(64, new SecureRandom()),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(3650))), name,
                    kp.getPublic());
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, InetAddress.getLoopbackAddress().getHostAddress())}));
            X509Certificate cert = new JcaX509CertificateConverter()
                    .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry(what.toLowerCase(java.util.Locale.ROOT), kp.getPrivate(), password,
                    new X509Certificate[] {cert});
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ks.store(out, password);
            return out.toByteArray();
        } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IOException("cannot make a self-signed " + what + " certificate: " + e.getMessage(), e);
        }
    }
}
