package dev.termlet.web.internal.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.termlet.web.internal.Http;
import dev.termlet.web.internal.Login;
import dev.termlet.web.internal.Logins;
import dev.termlet.web.internal.Route;
import dev.termlet.web.internal.WebFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The browser client's file API under {@code /api/files}, for a browser logged in at {@code /api/session}; every
 * change carries the CSRF token. All of it goes through {@link WebFiles}.
 * <ul>
 *   <li>{@code GET list?path=/dir}: {@code {"path", "entries": [{"name", "path", "directory", "size",
 *       "modified"}]}};</li>
 *   <li>{@code GET download?path=/file}: the file as an attachment (one byte range may be asked for);</li>
 *   <li>{@code GET zip?path=/dir}: the directory as a zip, made while it is sent;</li>
 *   <li>{@code PUT} or {@code POST upload?path=/dir/name[&overwrite=true]}: the raw body becomes the file
 *       (streamed; a taken name is refused with 412 unless {@code overwrite});</li>
 *   <li>{@code POST mkdir {"path"}}, {@code POST move {"from", "to", "overwrite"}}, {@code POST delete
 *       {"path"}} (JSON bodies).</li>
 * </ul>
 * A path with a {@code ..} part is refused outright (the client never sends one). Failures are RFC 9457 problems.
 */
public final class FilesRoute implements Route {
    private static final Logger LOG = LoggerFactory.getLogger(FilesRoute.class);
    private static final String PREFIX = "/api/files";

    private final Logins logins;
    private final WebFiles files;

    /**
     * @param logins the browser logins
     * @param files the file operations
     */
    public FilesRoute(Logins logins, WebFiles files) {
        this.logins = logins;
        this.files = files;
    }

    @Override
    public String prefix() {
        return PREFIX;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String op = Request.getPathInContext(request).substring(PREFIX.length());
        String method = request.getMethod();
        String allowed = allowed(op);
        if (allowed == null) {
            Http.problem(response, callback, 404, "Not found", "no such file operation");
            return true;
        }
        if (!(", " + allowed + ",").contains(", " + method + ",")) {
            response.getHeaders().put(HttpHeader.ALLOW, allowed);
            Http.problem(response, callback, 405, "Method not allowed", null);
            return true;
        }
        Optional<Login> login = Http.browser(logins, request);
        if (login.isEmpty()) {
            boolean session = Http.sessionToken(request).flatMap(logins::byToken).isPresent();
            if (session) {
                Http.problem(response, callback, 403, "Forbidden", "missing or wrong CSRF token");
            } else {
                Http.problem(response, callback, 401, "Unauthorized", "not logged in");
            }
            return true;
        }
        Login l = login.get();
        MDC.setContextMap(l.mdc());
        try {
            switch (op) {
                case "/list":
                    list(l, request, response, callback);
                    break;
                case "/download":
                    download(l, request, response, callback);
                    break;
                case "/zip":
                    zip(l, request, response, callback);
                    break;
                case "/upload":
                    upload(l, request, response, callback);
                    break;
                default:
                    change(op, l, request, response, callback);
                    break;
            }
        } catch (Http.BadRequest e) {
            Http.problem(response, callback, e.status(), Http.title(e.status()), e.getMessage());
        } catch (IOException e) {
            if (response.isCommitted()) {
                LOG.info("{} of a web client failed while sending: {}", op.substring(1), WebFiles.reason(e));
                callback.failed(e);
            } else {
                Http.problem(response, callback, e);
            }
        }
        return true;
    }

    private static String allowed(String op) {
        switch (op) {
            case "/list":
            case "/download":
            case "/zip":
                return "GET";
            case "/upload":
                return "PUT, POST";
            case "/mkdir":
            case "/move":
            case "/delete":
                return "POST";
            default:
                return null;
        }
    }

    /**
     * A path parameter, refused when it holds a {@code ..} part (in any spelling the decoder let through).
     *
     * @param value the parameter as decoded
     * @param name the parameter's name
     * @return the value
     * @throws Http.BadRequest if it is missing or climbs
     */
    static String path(String value, String name) throws Http.BadRequest {
        if (value == null || value.isEmpty()) {
            throw new Http.BadRequest(400, "the " + name + " is missing");
        }
        for (String part : value.replace('\\', '/').split("/")) {
            if (part.equals("..")) {
                throw new Http.BadRequest(400, "a path may not hold '..'");
            }
        }
        return value;
    }

    private static String query(Request request, String name) throws Http.BadRequest {
        Fields q;
        try {
            q = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            throw new Http.BadRequest(400, "the query cannot be read");
        }
        return q.getValue(name);
    }

    private void list(Login l, Request request, Response response, Callback callback) throws IOException,
            Http.BadRequest {
        String path = WebFiles.normalise(path(query(request, "path"), "path"));
        List<Map<String, Object>> entries = new ArrayList<>();
        for (WebFiles.Entry e : files.list(l, path)) {
            entries.add(json(e));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("path", path);
        body.put("entries", entries);
        Http.json(response, callback, 200, body);
    }

    static Map<String, Object> json(WebFiles.Entry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", e.name());
        m.put("path", e.path());
        m.put("directory", e.directory());
        m.put("size", e.size());
        m.put("modified", e.modified().toString());
        return m;
    }

    private void download(Login l, Request request, Response response, Callback callback) throws IOException,
            Http.BadRequest {
        String path = path(query(request, "path"), "path");
        WebFiles.Entry e = files.stat(l, path);
        if (e.directory()) {
            throw new Http.BadRequest(409, "a directory: download it as a zip");
        }
        long size = e.size();
        long offset = 0;
        long length = size;
        String range = request.getHeaders().get(HttpHeader.RANGE);
        if (range != null) {
            long[] r = Ranges.single(range, size);
            if (r == Ranges.UNSATISFIABLE) {
                response.getHeaders().put(HttpHeader.CONTENT_RANGE, "bytes */" + size);
                Http.problem(response, callback, 416, "Range not satisfiable", "the file has " + size + " bytes");
                return;
            }
            if (r != null) {
                offset = r[0];
                length = r[1] - r[0] + 1;
                response.setStatus(206);
                response.getHeaders().put(HttpHeader.CONTENT_RANGE, "bytes " + r[0] + "-" + r[1] + "/" + size);
            }
        }
        var h = response.getHeaders();
        h.put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
        h.put(HttpHeader.CONTENT_DISPOSITION, attachment(e.name()));
        h.put(HttpHeader.ACCEPT_RANGES, "bytes");
        h.put(HttpHeader.CONTENT_LENGTH, Long.toString(length));
        h.put(HttpHeader.LAST_MODIFIED, org.eclipse.jetty.http.HttpDateTime.format(e.modified().atZone(java.time.ZoneOffset.UTC)));
        OutputStream out = Content.Sink.asOutputStream(response);
        try {
            files.download(l, e.path(), offset, length, out);
        } catch (IOException fail) {
            if (!response.isCommitted()) {
                // refused before the first byte (a pre-download handler, a FIFO): answered with a problem, as WebDAV is
                Http.dropDownloadHeaders(response);
            }
            throw fail;
        }
        out.close();
        callback.succeeded();
    }

    private void zip(Login l, Request request, Response response, Callback callback) throws IOException,
            Http.BadRequest {
        String path = path(query(request, "path"), "path");
        WebFiles.Entry dir = files.stat(l, path);
        if (!dir.directory()) {
            throw new Http.BadRequest(409, "not a directory");
        }
        // the top directory is listed before anything is sent, so a refusal is still a clean problem
        List<WebFiles.Entry> top = files.list(l, dir.path());
        String name = dir.path().equals("/") ? l.user() : dir.name();
        var h = response.getHeaders();
        h.put(HttpHeader.CONTENT_TYPE, "application/zip");
        h.put(HttpHeader.CONTENT_DISPOSITION, attachment(name + ".zip"));
        try (OutputStream out = Content.Sink.asOutputStream(response)) {
            ZipWriter.Result r = new ZipWriter(files, l).write(dir, top, out);
            LOG.info("sent {} as a zip: {} files{}", dir.path(), r.files(),
                    r.skipped() == 0 ? "" : ", " + r.skipped() + " skipped");
        }
        callback.succeeded();
    }

    private void upload(Login l, Request request, Response response, Callback callback) throws IOException,
            Http.BadRequest {
        String path = WebFiles.normalise(path(query(request, "path"), "path"));
        boolean overwrite = "true".equals(query(request, "overwrite"));
        if (!overwrite && files.exists(l, path)) {
            throw new Http.BadRequest(412, "something of that name is there already");
        }
        boolean created;
        try (InputStream in = Content.Source.asInputStream(request)) {
            created = files.upload(l, path, in);
        }
        Http.json(response, callback, created ? 201 : 200, json(files.stat(l, path)));
    }

    private void change(String op, Login l, Request request, Response response, Callback callback)
            throws IOException, Http.BadRequest {
        JsonNode body = Http.readJson(request, "the request");
        switch (op) {
            case "/mkdir": {
                String path = WebFiles.normalise(path(text(body, "path"), "path"));
                files.mkdir(l, path);
                Http.json(response, callback, 201, json(files.stat(l, path)));
                return;
            }
            case "/move": {
                String from = WebFiles.normalise(path(text(body, "from"), "from"));
                String to = WebFiles.normalise(path(text(body, "to"), "to"));
                files.move(l, from, to, body.path("overwrite").asBoolean(false));
                Http.json(response, callback, 200, json(files.stat(l, to)));
                return;
            }
            case "/delete": {
                String path = WebFiles.normalise(path(text(body, "path"), "path"));
                if (path.equals("/")) {
                    throw new AccessDeniedException("/", null, "the root cannot be deleted");
                }
                files.delete(l, path);
                response.setStatus(204);
                callback.succeeded();
                return;
            }
            default:
                throw new Http.BadRequest(404, "no such file operation");
        }
    }

    private static String text(JsonNode body, String field) throws Http.BadRequest {
        JsonNode n = body.get(field);
        if (n == null || !n.isTextual()) {
            throw new Http.BadRequest(400, "the " + field + " is missing");
        }
        return n.asText();
    }

    /**
     * A {@code Content-Disposition} for a download: an ASCII fallback name and the UTF-8 name (RFC 6266).
     *
     * @param name the file's name
     * @return the header's value
     */
    static String attachment(String name) {
        StringBuilder ascii = new StringBuilder();
        for (char c : name.toCharArray()) {
            ascii.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '%' ? c : '_');
        }
        StringBuilder utf8 = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$&+-.^_`|~".indexOf(c) >= 0) {
                utf8.append(c);
            } else {
                utf8.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + utf8;
    }
}
