package dev.termlet.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTPS server itself: TLS, HTTP/2, the security headers, the self-signed certificate and plain HTTP. */
class WebServerTest {
    @TempDir
    Path data;

    @Test
    void servesHttp2OverTlsWithTheSecurityHeaders() throws Exception {
        try (WebFixture f = WebFixture.start(data, w -> w)) {
            assertThat(f.web.port()).isPositive();
            assertThat(f.web.httpPort()).isEqualTo(-1);
            HttpResponse<String> r = f.client().send(HttpRequest.newBuilder(f.uri("/nothing-here")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(r.headers().firstValue("content-security-policy")).hasValueSatisfying(v -> assertThat(v)
                    .contains("default-src 'none'").contains("frame-ancestors 'none'"));
            assertThat(r.headers().firstValue("x-content-type-options")).contains("nosniff");
            assertThat(r.headers().firstValue("strict-transport-security")).isPresent();
            assertThat(r.headers().firstValue("server")).isEmpty();
            assertThat(Files.getPosixFilePermissions(data.resolve("web/tls.p12")))
                    .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        }
    }

    @Test
    void refusesTlsOlderThan12() throws Exception {
        try (WebFixture f = WebFixture.start(data, w -> w);
                SSLSocket s = (SSLSocket) f.trust().getSocketFactory().createSocket("127.0.0.1", f.web.port())) {
            SSLParameters p = s.getSSLParameters();
            p.setProtocols(new String[] {"TLSv1.1"});
            s.setSSLParameters(p);
            assertThatThrownBy(s::startHandshake).isInstanceOf(javax.net.ssl.SSLException.class);
        } catch (IllegalArgumentException | SSLHandshakeException e) {
            // the JDK itself may refuse to offer TLS 1.1: refused either way
        }
    }

    @Test
    void plainHttpOnlyWhenAsked() throws Exception {
        try (WebFixture f = WebFixture.start(data, w -> w.alsoPlainHttp(0))) {
            assertThat(f.web.httpPort()).isPositive();
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + f.web.httpPort() + "/x")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(r.headers().firstValue("strict-transport-security")).isEmpty();
        }
    }

    @Test
    void withoutFileOpsTheServerRefusesToStart() {
        assertThatThrownBy(() -> {
            try (TermletServer s = Termlet.server().port(0).dataDir(data).extension(Web.https(0)).build()) {
                s.start();
            }
        }).hasMessageContaining("register FileOps before Web");
    }

    @Test
    void whatJettyRefusesItselfIsAProblemDocumentWithTheSecurityHeaders() throws Exception {
        try (WebFixture f = WebFixture.start(data, w -> w)) {
            for (String path : new String[] {"/api/files/list/%2e%2e/x", "/a/%2f/b", "/dav/%2e%2e/etc"}) {
                HttpResponse<String> r = f.client().send(HttpRequest.newBuilder(f.uri(path)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(path).isBetween(400, 404);
                assertThat(r.headers().firstValue("content-type")).as(path).contains("application/problem+json");
                assertThat(r.headers().firstValue("content-security-policy")).as(path).isPresent();
                assertThat(r.body()).as(path).doesNotContain("<html").doesNotContain("Exception");
            }
            // Jetty refuses an ambiguous segment before any route sees it: its answer, as a problem
            HttpResponse<String> ambiguous = f.client().send(HttpRequest.newBuilder(f.uri("/x/%2e%2e/y")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ambiguous.statusCode()).isEqualTo(400);
            assertThat(ambiguous.body()).contains("\"status\":400").contains("malformed");
        }
    }
}
