package dev.termlet.fileops.internal.ftp;

import dev.termlet.fileops.internal.core.TlsKeys;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import org.apache.ftpserver.ssl.ClientAuth;
import org.apache.ftpserver.ssl.SslConfiguration;

/**
 * The TLS side of FTPS: a PKCS#12 key store given by the user, or one made on first start in
 * {@code DATA/ftp/tls.p12} (an EC P-256 key and a self-signed certificate for localhost, valid ten years) with its
 * random password beside it; both files are private (0600) and written atomically. TLS 1.3 and 1.2 only.
 *
 * <p>{@link #control()} serves the control connection; {@link #data()} serves the data connections, with their own
 * context (same key) tuned for connections that carry one transfer and end.
 */
public final class FtpTls {
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
        return of(TlsKeys.load(keyStore, password));
    }

    /** Loads {@code dir/tls.p12}, making it first if it does not exist. */
    public static FtpTls selfSigned(Path dir) throws IOException {
        return of(TlsKeys.selfSigned(dir, "FTPS"));
    }

    private static FtpTls of(TlsKeys keys) throws IOException {
        try {
            return new FtpTls(keys.keyManagers());
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up FTPS: " + e.getMessage(), e);
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
