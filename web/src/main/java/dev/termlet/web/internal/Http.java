package dev.termlet.web.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * What every route needs: JSON in and out (bounded), RFC 9457 problem documents, the session cookie, the CSRF check
 * and Basic credentials.
 */
public final class Http {
    /** The JSON mapper of the web side. */
    public static final ObjectMapper JSON = new ObjectMapper();
    /** The name of the session cookie. */
    public static final String COOKIE = "termlet_session";
    /** The header a browser sends the CSRF token in. */
    public static final String CSRF_HEADER = "X-CSRF-Token";
    /** The most bytes of a JSON request body. */
    public static final int MAX_JSON = 64 * 1024;

    /**
     * Takes back the headers that describe a file's bytes (length, range, name, validators) from a download refused
     * before its first byte, so that the refusal can be answered with a problem instead.
     *
     * @param response the response, not yet committed
     */
    public static void dropDownloadHeaders(Response response) {
        for (HttpHeader k : java.util.List.of(HttpHeader.CONTENT_LENGTH, HttpHeader.CONTENT_RANGE,
                HttpHeader.CONTENT_DISPOSITION, HttpHeader.ETAG, HttpHeader.LAST_MODIFIED, HttpHeader.ACCEPT_RANGES)) {
            response.getHeaders().remove(k);
        }
    }

    private Http() {}

    /** @return the client's address */
    public static SocketAddress remote(Request request) {
        return request.getConnectionMetaData().getRemoteSocketAddress();
    }

    /**
     * Writes a JSON answer.
     *
     * @param response the response
     * @param callback completed when written
     * @param status the status
     * @param body the body (serialised by Jackson)
     */
    public static void json(Response response, Callback callback, int status, Object body) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            problem(response, callback, 500, "Internal error", "the answer could not be written");
            return;
        }
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    /**
     * Writes an RFC 9457 problem document ({@code application/problem+json}).
     *
     * @param response the response
     * @param callback completed when written
     * @param status the status
     * @param title a short summary of the kind of problem
     * @param detail what went wrong this time (shown to the client: never a secret or a server path)
     */
    public static void problem(Response response, Callback callback, int status, String title, String detail) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", "about:blank");
        n.put("title", title);
        n.put("status", status);
        if (detail != null) {
            n.put("detail", detail);
        }
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/problem+json");
        response.write(true, ByteBuffer.wrap(n.toString().getBytes(StandardCharsets.UTF_8)), callback);
    }

    /**
     * Writes a problem document for a failed file operation (status from {@link WebFiles#status}).
     *
     * @param response the response
     * @param callback completed when written
     * @param e the failure
     */
    public static void problem(Response response, Callback callback, IOException e) {
        int status = WebFiles.status(e);
        problem(response, callback, status, title(status), WebFiles.reason(e));
    }

    /** @return the standard title of a status */
    public static String title(int status) {
        switch (status) {
            case 400: return "Bad request";
            case 401: return "Unauthorized";
            case 403: return "Forbidden";
            case 404: return "Not found";
            case 405: return "Method not allowed";
            case 409: return "Conflict";
            case 410: return "Gone";
            case 412: return "Precondition failed";
            case 413: return "Content too large";
            case 415: return "Unsupported media type";
            case 429: return "Too many requests";
            case 507: return "Insufficient storage";
            default: return status >= 500 ? "Internal error" : "Error";
        }
    }

    /**
     * Reads a JSON request body of at most {@link #MAX_JSON} bytes.
     *
     * @param request the request
     * @return the JSON object
     * @throws BadRequest if it is not JSON, not an object, or too large
     */
    public static JsonNode readJson(Request request) throws BadRequest {
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] b = in.readNBytes(MAX_JSON + 1);
            if (b.length > MAX_JSON) {
                throw new BadRequest(413, "the request body is larger than " + MAX_JSON + " bytes");
            }
            JsonNode n = JSON.readTree(b);
            if (n == null || !n.isObject()) {
                throw new BadRequest(400, "a JSON object is expected");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new BadRequest(400, "the body is not valid JSON");
        } catch (IOException e) {
            throw new BadRequest(400, "the body could not be read");
        }
    }

    /**
     * Reads a JSON request body as {@link #readJson} does, after checking that its media type is
     * {@code application/json} (parameters such as {@code charset} aside): a form of another site cannot send it,
     * and nothing else is taken for JSON.
     *
     * @param request the request
     * @param what what the body is, for the refusal ("the login")
     * @param alsoTypes other media types taken as JSON ({@code application/merge-patch+json})
     * @return the JSON object
     * @throws BadRequest 415 for another media type, or as {@link #readJson}
     */
    public static JsonNode readJson(Request request, String what, String... alsoTypes) throws BadRequest {
        String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        String mime = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(java.util.Locale.ROOT);
        if (!mime.equals("application/json") && !java.util.Arrays.asList(alsoTypes).contains(mime)) {
            throw new BadRequest(415, "send " + what + " as application/json");
        }
        return readJson(request);
    }

    /** A request the client got wrong: its status and what to tell it. */
    public static final class BadRequest extends Exception {
        private static final long serialVersionUID = 1L;
        private final int status;

        /**
         * @param status the status
         * @param detail what to tell the client
         */
        public BadRequest(int status, String detail) {
            super(detail);
            this.status = status;
        }

        /** @return the status */
        public int status() {
            return status;
        }
    }

    /** @return the session token of the request's cookie, if any */
    public static Optional<String> sessionToken(Request request) {
        for (HttpCookie c : Request.getCookies(request)) {
            if (COOKIE.equals(c.getName())) {
                return Optional.of(c.getValue());
            }
        }
        return Optional.empty();
    }

    /**
     * Sets the session cookie: HttpOnly, SameSite=Strict, Secure on HTTPS, no expiry (it ends with the browser).
     *
     * @param request the request (HTTPS or not)
     * @param response the response
     * @param token the session token, or null to clear the cookie
     */
    public static void sessionCookie(Request request, Response response, String token) {
        HttpCookie.Builder b = HttpCookie.build(COOKIE, token == null ? "" : token).path("/").httpOnly(true)
                .sameSite(HttpCookie.SameSite.STRICT).secure(request.isSecure());
        if (token == null) {
            b.maxAge(0);
        }
        Response.addCookie(response, b.build());
    }

    /**
     * The browser login of a request: its session cookie names a live login, and a request that changes anything
     * (any method but GET, HEAD and OPTIONS) carries that login's CSRF token in {@value #CSRF_HEADER}.
     *
     * @param logins the logins
     * @param request the request
     * @return the login, or empty (answer 401 or 403)
     */
    public static Optional<Login> browser(Logins logins, Request request) {
        Optional<Login> l = sessionToken(request).flatMap(logins::byToken);
        if (l.isEmpty()) {
            return l;
        }
        String m = request.getMethod();
        if (m.equals("GET") || m.equals("HEAD") || m.equals("OPTIONS")) {
            return l;
        }
        String sent = request.getHeaders().get(CSRF_HEADER);
        return sent != null && java.security.MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8),
                l.get().csrf().getBytes(StandardCharsets.UTF_8)) ? l : Optional.empty();
    }

    /**
     * Basic credentials of a request.
     *
     * @param request the request
     * @return user and password, or empty when there are none or they are malformed
     */
    public static Optional<Credentials> basic(Request request) {
        String h = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (h == null || !h.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        try {
            String decoded = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Base64.getDecoder().decode(h.substring(6).strip()))).toString();
            int colon = decoded.indexOf(':');
            if (colon <= 0) {
                return Optional.empty();
            }
            return Optional.of(new Credentials(decoded.substring(0, colon), decoded.substring(colon + 1).toCharArray()));
        } catch (IllegalArgumentException | java.nio.charset.CharacterCodingException e) {
            return Optional.empty();
        }
    }

    /**
     * A user name and password.
     *
     * @param user the user
     * @param password the password; never logged
     */
    public record Credentials(String user, char[] password) {
        @Override
        public String toString() {
            return "Credentials[" + user + "]";
        }
    }
}
