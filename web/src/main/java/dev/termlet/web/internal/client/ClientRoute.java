package dev.termlet.web.internal.client;

import dev.termlet.web.internal.Http;
import dev.termlet.web.internal.Route;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The browser file client's static files, from the jar: {@code /} is the page; its script, style sheet and icon are
 * beside it; every other path is 404. They may be cached, and are checked again each time (an ETag), so a new
 * version of the server is picked up at once.
 */
public final class ClientRoute implements Route {
    private static final String DIR = "/dev/termlet/web/client/";
    private static final Map<String, String> FILES = Map.of(
            "/", "index.html",
            "/index.html", "index.html",
            "/app.js", "app.js",
            "/app.css", "app.css",
            "/share.js", "share.js",
            "/favicon.svg", "favicon.svg");

    private final Map<String, Asset> assets;

    private record Asset(byte[] bytes, String type, String etag) {}

    /** Loads the files from the jar. */
    public ClientRoute() {
        Map<String, Asset> m = new java.util.HashMap<>();
        for (Map.Entry<String, String> e : FILES.entrySet()) {
            m.put(e.getKey(), load(e.getValue()));
        }
        this.assets = Map.copyOf(m);
    }

    private static Asset load(String name) {
        try (InputStream in = ClientRoute.class.getResourceAsStream(DIR + name)) {
            if (in == null) {
                throw new IllegalStateException("the web client's " + name + " is missing from the jar");
            }
            byte[] b = in.readAllBytes();
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(b);
            String etag = '"' + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22) + '"';
            return new Asset(b, type(name), etag);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }

    private static String type(String name) {
        if (name.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        if (name.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        if (name.endsWith(".css")) {
            return "text/css; charset=utf-8";
        }
        if (name.endsWith(".svg")) {
            return "image/svg+xml";
        }
        throw new IllegalArgumentException(name);
    }

    @Override
    public String prefix() {
        return "/";
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Asset a = assets.get(Request.getPathInContext(request));
        if (a == null) {
            Http.problem(response, callback, 404, "Not found", null);
            return true;
        }
        String method = request.getMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            Http.problem(response, callback, 405, "Method not allowed", null);
            return true;
        }
        var h = response.getHeaders();
        // replaces the server's no-store: may be kept, but is checked again before each use
        h.put(HttpHeader.CACHE_CONTROL, "no-cache");
        h.put(HttpHeader.ETAG, a.etag());
        String match = request.getHeaders().get(HttpHeader.IF_NONE_MATCH);
        if (match != null && (match.contains(a.etag()) || match.strip().equals("*"))) {
            response.setStatus(304);
            callback.succeeded();
            return true;
        }
        h.put(HttpHeader.CONTENT_TYPE, a.type());
        h.put(HttpHeader.CONTENT_LENGTH, Integer.toString(a.bytes().length));
        response.setStatus(200);
        if (method.equals("HEAD")) {
            callback.succeeded();
        } else {
            response.write(true, ByteBuffer.wrap(a.bytes()), callback);
        }
        return true;
    }
}
