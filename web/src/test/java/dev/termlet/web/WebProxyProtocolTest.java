package dev.termlet.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.ProxyProtocol;
import dev.termlet.test.Haproxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PROXY protocol on the HTTPS listener, through Debian's HAProxy ({@code send-proxy}, {@code send-proxy-v2}) with
 * curl as the client from 127.0.0.2 or 127.0.0.3; HAProxy connects from 127.0.0.1, the only trusted address. The
 * protector's ban of the real address is what shows that the server sees it.
 */
class WebProxyProtocolTest {
    @TempDir
    Path data;

    WebFixture fx;

    @AfterEach
    void stop() {
        if (fx != null) {
            fx.server.close();
        }
    }

    /** Runs curl and returns its exit status and the HTTP status it printed. */
    private static String curl(String source, int port, String... more) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-k", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                "--max-time", "20", "--interface", source));
        cmd.addAll(List.of(more));
        cmd.add("https://127.0.0.1:" + port + "/");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return p.exitValue() + " " + out;
    }

    @Test
    void httpsSeesTheClientsAddressOnlyFromTheBalancer() throws Exception {
        fx = WebFixture.start(data, w -> w, b -> b.proxyProtocol(ProxyProtocol.trusting("127.0.0.1")));
        int port = fx.web.port();
        fx.server.protector().ban("127.0.0.2", Duration.ofHours(1));
        for (String option : List.of("send-proxy", "send-proxy-v2")) {
            try (Haproxy lb = Haproxy.tcp(port, option)) {
                // the banned client is refused through the balancer, the other one is served
                assertThat(curl("127.0.0.2", lb.port())).isEqualTo("0 403");
                assertThat(curl("127.0.0.3", lb.port())).startsWith("0 ").isNotEqualTo("0 403").doesNotContain("000");
            }
        }
        // the trusted address without a header: closed, never served as the balancer
        assertThat(curl("127.0.0.1", port)).doesNotStartWith("0 ");
        // an untrusted client is served directly, but cannot send a header (even a true one)
        assertThat(curl("127.0.0.3", port)).startsWith("0 ").isNotEqualTo("0 403").doesNotContain("000");
        assertThat(curl("127.0.0.3", port, "--haproxy-protocol")).doesNotStartWith("0 ");
        assertThat(curl("127.0.0.2", port)).isEqualTo("0 403");
    }
}
