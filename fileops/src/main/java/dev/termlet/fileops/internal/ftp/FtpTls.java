package dev.termlet.fileops.internal.ftp;

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
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import org.apache.ftpserver.ssl.ClientAuth;
import org.apache.ftpserver.ssl.SslConfiguration;
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
 * The TLS side of FTPS: a PKCS#12 key store given by the user, or one made on first start in
 * {@code DATA/ftp/tls.p12} (an EC P-256 key and a self-signed certificate for localhost, valid ten years) with its
 * random password beside it; both files are private (0600) and written atomically. TLS 1.3 and 1.2 only.
 *
 * <p>{@link #control()} serves the control connection; {@link #data()} serves the data connections, with their own
 * context (same key) tuned for connections that carry one transfer and end.
 */
public final class FtpTls {
    private static final Logger LOG = LoggerFactory.getLogger(FtpTls.class);
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    /**
     * The JDK sends no TLS 1.3 session ticket when the server's session timeout is longer than a ticket may live
     * (7 days, RFC 8446 section 4.6.1); there is no other switch for it in JDK 17.
     */
    private static final int NO_TICKETS_TIMEOUT = 7 * 24 * 3600 + 1;

    private final SslConfiguration control;
    private final SslConfiguration data;

    private FtpTls(KeyManagerFactory keys) throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, new SecureRandom());
        this.control = new Settings(context, context.getSocketFactory());
        SSLContext dataContext = SSLContext.getInstance("TLS");
        dataContext.init(keys.getKeyManagers(), null, new SecureRandom());
        // A TLS 1.3 server sends its session tickets after the handshake. On a data connection curl and lftp never
        // read them: they send the file and close, the unread ticket makes their kernel reset the connection, and
        // the reset can destroy the end of the upload before the server has read it (426). Data connections are
        // never resumed, so they get no tickets and hold no cache.
        dataContext.getServerSessionContext().setSessionTimeout(NO_TICKETS_TIMEOUT);
        dataContext.getServerSessionContext().setSessionCacheSize(1);
        this.data = new Settings(dataContext, FtpDataSocket.factory(dataContext.getSocketFactory()));
    }

    /** @return the configuration of the control connections */
    public SslConfiguration control() {
        return control;
    }

    /** @return the configuration of the data connections: no session tickets, a {@code close_notify}-only close */
    public SslConfiguration data() {
        return data;
    }

    /** Loads a PKCS#12 key store. */
    public static FtpTls load(Path keyStore, char[] password) throws IOException {
        try (InputStream in = Files.newInputStream(keyStore)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, password);
            return new FtpTls(kmf);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use the FTPS key store " + keyStore + ": " + e.getMessage(), e);
        }
    }

    /** Loads {@code dir/tls.p12}, making it first if it does not exist. */
    public static FtpTls selfSigned(Path dir) throws IOException {
        Path store = dir.resolve("tls.p12");
        Path pass = dir.resolve("tls.p12.pass");
        if (!Files.exists(store) || !Files.exists(pass)) {
            Files.createDirectories(dir);
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            char[] password = Base64.getUrlEncoder().withoutPadding().encodeToString(random).toCharArray();
            PrivateFiles.write(pass, new String(password).getBytes(StandardCharsets.US_ASCII));
            PrivateFiles.write(store, makeStore(password));
            LOG.info("made a self-signed FTPS certificate in {}", store);
        }
        char[] password = Files.readString(pass, StandardCharsets.US_ASCII).trim().toCharArray();
        return load(store, password);
    }

    private static byte[] makeStore(char[] password) throws IOException {
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
            ks.setKeyEntry("ftps", kp.getPrivate(), password, new X509Certificate[] {cert});
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ks.store(out, password);
            return out.toByteArray();
        } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IOException("cannot make a self-signed FTPS certificate: " + e.getMessage(), e);
        }
    }

    /** One side's TLS for FtpServer: its context and the sockets it makes; TLS 1.3 and 1.2, no client certificates. */
    private static final class Settings implements SslConfiguration {
        private final SSLContext context;
        private final SSLSocketFactory sockets;

        Settings(SSLContext context, SSLSocketFactory sockets) {
            this.context = context;
            this.sockets = sockets;
        }

        @Override
        public SSLSocketFactory getSocketFactory() {
            return sockets;
        }

        @Override
        public SSLContext getSSLContext() {
            return context;
        }

        @Override
        public SSLContext getSSLContext(String protocol) {
            return context;
        }

        @Override
        public String[] getEnabledCipherSuites() {
            return null;
        }

        @Override
        public String getEnabledProtocol() {
            return PROTOCOLS[0];
        }

        @Override
        public String[] getEnabledProtocols() {
            return PROTOCOLS.clone();
        }

        @Override
        public ClientAuth getClientAuth() {
            return ClientAuth.NONE;
        }
    }
}
