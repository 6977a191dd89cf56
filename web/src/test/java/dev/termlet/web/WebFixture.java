package dev.termlet.web;

import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import dev.termlet.auth.Account;
import dev.termlet.fileops.FileOps;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A real server for the web tests: SSH with FileOps and the web side on ephemeral ports of 127.0.0.1, and an
 * {@link HttpClient} that trusts the server's own self-signed certificate (and nothing else), so TLS is verified as a
 * browser would once the certificate is trusted.
 */
public final class WebFixture implements AutoCloseable {
    // close() throws Exception: the server's close may be interrupted

    /** The server. */
    public final TermletServer server;
    /** The web extension. */
    public final Web web;
    /** The file server. */
    public final FileOps files;
    /** The data directory. */
    public final Path data;

    private WebFixture(TermletServer server, Web web, FileOps files, Path data) {
        this.server = server;
        this.web = web;
        this.files = files;
        this.data = data;
    }

    /**
     * Starts a server with users {@code alice} (password {@code pw}) and {@code bob} ({@code pw2}).
     *
     * @param data the data directory
     * @param web how to set up the web side, from {@code Web.https(0)}
     * @return the fixture
     */
    public static WebFixture start(Path data, UnaryOperator<Web> web) throws Exception {
        return start(data, web, new Object[0]);
    }

    /**
     * Starts a server as {@link #start(Path, UnaryOperator)} does, with event handler objects registered.
     *
     * @param data the data directory
     * @param web how to set up the web side, from {@code Web.https(0)}
     * @param handlers objects with {@code @OnUser} methods
     * @return the fixture
     */
    public static WebFixture start(Path data, UnaryOperator<Web> web, Object... handlers) throws Exception {
        FileOps files = FileOps.create();
        Web w = web.apply(Web.https(0));
        TermletServer server = Termlet.server().bind("127.0.0.1").port(0).dataDir(data).extension(files).extension(w)
                .register(handlers).build();
        server.accounts().save(Account.builder("alice").password("pw".toCharArray()).build());
        server.accounts().save(Account.builder("bob").password("pw2".toCharArray()).build());
        server.start();
        return new WebFixture(server, w, files, data);
    }

    /** @return the base address, {@code https://127.0.0.1:PORT} */
    public String base() {
        return "https://127.0.0.1:" + web.port();
    }

    /** @return a URI under the base */
    public URI uri(String path) {
        return URI.create(base() + path);
    }

    /** @return the path of a user's file on disk */
    public Path home(String user) {
        return data.resolve("home").resolve(user);
    }

    /** @return an SSL context that trusts the server's certificate */
    public SSLContext trust() throws Exception {
        Path dir = data.resolve("web");
        char[] pass = Files.readString(dir.resolve("tls.p12.pass"), StandardCharsets.US_ASCII).trim().toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve("tls.p12"))) {
            ks.load(in, pass);
        }
        Certificate cert = ks.getCertificate(ks.aliases().nextElement());
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("termlet", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    /** @return an HTTP client (HTTP/2 preferred) that trusts the server */
    public HttpClient client() throws Exception {
        return HttpClient.newBuilder().sslContext(trust()).connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** @return the value of a Basic {@code Authorization} header */
    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() throws Exception {
        server.close();
    }
}
