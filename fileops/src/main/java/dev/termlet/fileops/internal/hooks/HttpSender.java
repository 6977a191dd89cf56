package dev.termlet.fileops.internal.hooks;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Sends hook requests with {@link HttpClient}: a time limit per request, no redirects followed, and at most
 * {@link #MAX_BODY} bytes of a response read.
 */
public final class HttpSender {
    /** The most bytes of a response body read (external auth answers a user as JSON). */
    static final int MAX_BODY = 1024 * 1024;

    private final HttpClient client;

    HttpSender(Duration connectTimeout) {
        this.client = HttpClient.newBuilder().connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * What a request gave.
     *
     * @param status the HTTP status, or -1 if no answer came
     * @param body the start of the response body (empty when not asked for)
     * @param problem why no answer came, or null
     */
    record Result(int status, String body, String problem) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        /** @return whether trying again may help: no answer, a server error, 408 or 429 */
        boolean transientFailure() {
            return status < 0 || status >= 500 || status == 408 || status == 429;
        }

        String describe() {
            return problem != null ? problem : "HTTP status " + status;
        }
    }

    /**
     * Sends one request.
     *
     * @param method {@code GET} or {@code POST}
     * @param url the URL
     * @param json the JSON body of a POST, or null
     * @param timeout the time limit of the request
     * @param readBody whether to read the response body
     * @return what happened
     * @throws InterruptedException if the calling thread was interrupted
     */
    Result send(String method, String url, String json, Duration timeout, boolean readBody)
            throws InterruptedException {
        HttpRequest.Builder b;
        try {
            b = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).header("User-Agent", "Termlet-hooks");
        } catch (IllegalArgumentException e) {
            return new Result(-1, "", "bad URL");
        }
        if (json != null) {
            b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            HttpResponse<InputStream> r = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            String body = "";
            try (InputStream in = r.body()) {
                if (readBody) {
                    body = new String(in.readNBytes(MAX_BODY), StandardCharsets.UTF_8);
                }
            }
            return new Result(r.statusCode(), body, null);
        } catch (java.net.http.HttpTimeoutException e) {
            return new Result(-1, "", "timed out after " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            return new Result(-1, "", e.getClass().getSimpleName() + (e.getMessage() != null ? ": " + e.getMessage() : ""));
        }
    }
}
