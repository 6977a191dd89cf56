package dev.termlet.server;

import com.sun.net.httpserver.HttpExchange;
import dev.termlet.TermletServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

/**
 * Prometheus' exporter on the server's meters ({@code /metrics}) with Termlet's health ({@code /health}: 200 and
 * {@code UP} while SSH accepts connections, 503 otherwise).
 */
final class MetricsEndpoint implements AutoCloseable {
    private final HTTPServer http;
    private final String address;

    private MetricsEndpoint(HTTPServer http, String address) {
        this.http = http;
        this.address = address;
    }

    /**
     * Starts the endpoint.
     *
     * @param where {@code ADDRESS:PORT} ({@code [::1]:9464} for IPv6; port 0 for any free one)
     * @param registry the server's meters
     * @param server the server whose health is reported
     * @return the running endpoint
     * @throws IOException if the address cannot be bound
     * @throws IllegalArgumentException if {@code where} is not {@code ADDRESS:PORT}
     */
    static MetricsEndpoint start(String where, PrometheusMeterRegistry registry, TermletServer server)
            throws IOException {
        int colon = where.lastIndexOf(':');
        if (colon <= 0 || colon == where.length() - 1) {
            throw new IllegalArgumentException("--metrics wants ADDRESS:PORT (127.0.0.1:9464) or off, not " + where);
        }
        String host = where.substring(0, colon).replace("[", "").replace("]", "");
        int port = Integer.parseInt(where.substring(colon + 1));
        // the JDK's HTTP server waits for a request's headers without a limit unless told: a few clients that send
        // half a request would hold every thread; these limits (seconds) are read when its classes load
        System.setProperty("sun.net.httpserver.maxReqTime", System.getProperty("sun.net.httpserver.maxReqTime", "10"));
        System.setProperty("sun.net.httpserver.maxRspTime", System.getProperty("sun.net.httpserver.maxRspTime", "30"));
        java.util.concurrent.ThreadPoolExecutor threads = new java.util.concurrent.ThreadPoolExecutor(4, 32, 30,
                java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.SynchronousQueue<>(), r -> {
                    Thread t = new Thread(r, "termlet-metrics");
                    t.setDaemon(true);
                    return t;
                }, new java.util.concurrent.ThreadPoolExecutor.AbortPolicy());
        HTTPServer http = HTTPServer.builder().inetAddress(InetAddress.getByName(host)).port(port)
                .executorService(threads)
                .registry(registry.getPrometheusRegistry())
                .defaultHandler(exchange -> health(exchange, server))
                .buildAndStart();
        String shown = host.contains(":") ? "[" + host + "]" : host;
        return new MetricsEndpoint(http, shown + ":" + http.getPort());
    }

    private static void health(HttpExchange exchange, TermletServer server) throws IOException {
        try (exchange) {
            boolean known = exchange.getRequestURI().getPath().equals("/health");
            boolean up = server.isRunning();
            byte[] body = (!known ? "not found\n" : up ? "UP\n" : "DOWN\n").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(!known ? 404 : up ? 200 : 503, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** @return the address and port it listens on */
    String address() {
        return address;
    }

    @Override
    public void close() {
        http.close();
    }
}
