package dev.termlet.web.internal.dav;

import dev.termlet.auth.Account;
import dev.termlet.auth.FilePermission;
import dev.termlet.web.internal.Http;
import dev.termlet.web.internal.Login;
import dev.termlet.web.internal.Logins;
import dev.termlet.web.internal.Route;
import dev.termlet.web.internal.WebFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLConnection;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.w3c.dom.Element;

/**
 * WebDAV class 1 and 2 (RFC 4918) on each user's root, under a prefix ({@code /dav/} is the user's root).
 *
 * <p>Every request carries HTTP Basic credentials (a cached login of {@link Logins#basic}: 401 without or with wrong
 * ones, 403 when the server refuses the connection). Every file operation goes through {@link WebFiles} (jail,
 * permissions, quotas, events with the protocol {@code WEBDAV}). Methods: {@code OPTIONS}, {@code GET}/{@code HEAD}
 * (one byte range, ETag, Last-Modified and the conditional headers; a collection answers a small HTML listing),
 * {@code PUT} (atomic), {@code DELETE}, {@code MKCOL}, {@code COPY}, {@code MOVE}, {@code PROPFIND} (depth 0 and 1;
 * infinity is refused), {@code PROPPATCH} (dead properties kept on disk by {@link DavProps}), {@code LOCK} and
 * {@code UNLOCK} (exclusive and shared write locks, in memory: {@link DavLocks}); the {@code If} header is enforced on
 * every method that changes something.
 */
public final class DavRoute implements Route {
    private static final Logger LOG = LoggerFactory.getLogger(DavRoute.class);
    private static final String ALLOW = "OPTIONS, GET, HEAD, PUT, DELETE, MKCOL, COPY, MOVE, PROPFIND, PROPPATCH, "
            + "LOCK, UNLOCK";
    private static final String XML = "application/xml; charset=utf-8";
    private static final String HEAD = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern(
            "EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
    /** The live properties, all protected; the quota ones are given only when asked for by name. */
    private static final List<String> LIVE = List.of("creationdate", "displayname", "getcontentlength",
            "getcontenttype", "getetag", "getlastmodified", "resourcetype", "supportedlock", "lockdiscovery");
    private static final List<String> QUOTA = List.of("quota-available-bytes", "quota-used-bytes");
    private static final int MAX_HEADER = 8192;

    private final Logins logins;
    private final WebFiles files;
    private final String prefix;
    private final DavLocks locks = new DavLocks();
    private final DavProps props;

    /**
     * @param logins the logins
     * @param files the file operations
     * @param prefix the path prefix, such as {@code /dav}
     */
    public DavRoute(Logins logins, WebFiles files, String prefix) {
        this.logins = logins;
        this.files = files;
        this.prefix = prefix;
        this.props = new DavProps(files.gate().context().dataDir().resolve("web").resolve("dav-props"));
    }

    @Override
    public String prefix() {
        return prefix;
    }

    /** A refusal: the status, and a precondition element of {@code DAV:} for the error body (or null). */
    private static final class DavError extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;
        final String condition;

        DavError(int status, String detail) {
            this(status, detail, null);
        }

        DavError(int status, String detail, String condition) {
            super(detail);
            this.status = status;
            this.condition = condition;
        }
    }

    /** One request. */
    private static final class Exchange {
        final Request request;
        final Response response;
        final Callback callback;
        final Login login;
        String path;

        Exchange(Request request, Response response, Callback callback, Login login) {
            this.request = request;
            this.response = response;
            this.callback = callback;
            this.login = login;
        }

        String header(String name) {
            return request.getHeaders().get(name);
        }

        String user() {
            return login.user();
        }
    }

    private enum Scope { CONTENT, MEMBER, TREE }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Optional<Http.Credentials> c = Http.basic(request);
        if (c.isEmpty()) {
            challenge(response, callback);
            return true;
        }
        Login login;
        try {
            Optional<Login> l = logins.basic(Http.remote(request), c.get().user(), c.get().password());
            if (l.isEmpty()) {
                challenge(response, callback);
                return true;
            }
            login = l.get();
        } catch (IOException refused) {
            Http.problem(response, callback, 403, "Forbidden", refused.getMessage());
            return true;
        } finally {
            Arrays.fill(c.get().password(), '\0');
        }
        MDC.setContextMap(login.mdc());
        Exchange x = new Exchange(request, response, callback, login);
        try {
            x.path = DavPaths.virtual(prefix, request.getHttpURI().getPath());
            dispatch(x);
        } catch (DavError e) {
            error(x, e.status, e.getMessage(), e.condition);
        } catch (DavPaths.BadPath e) {
            error(x, e.status, e.getMessage(), null);
        } catch (DavXml.BadXml e) {
            error(x, e.status, e.getMessage(), null);
        } catch (DavProps.Full e) {
            error(x, 507, e.getMessage(), null);
        } catch (IOException e) {
            int s = WebFiles.status(e);
            if (s >= 500 && s != 507) {
                LOG.warn("WebDAV {} {} failed: {}", request.getMethod(), x.path, e.toString());
            }
            error(x, s, WebFiles.reason(e), null);
        } catch (RuntimeException e) {
            LOG.warn("WebDAV {} {} failed", request.getMethod(), x.path, e);
            error(x, 500, "the operation failed", null);
        }
        return true;
    }

    private void dispatch(Exchange x) throws IOException, DavError, DavPaths.BadPath, DavXml.BadXml {
        switch (x.request.getMethod()) {
            case "OPTIONS":
                options(x);
                break;
            case "GET":
                get(x, true);
                break;
            case "HEAD":
                get(x, false);
                break;
            case "PUT":
                put(x);
                break;
            case "DELETE":
                delete(x);
                break;
            case "MKCOL":
                mkcol(x);
                break;
            case "COPY":
                copyOrMove(x, false);
                break;
            case "MOVE":
                copyOrMove(x, true);
                break;
            case "PROPFIND":
                propfind(x);
                break;
            case "PROPPATCH":
                proppatch(x);
                break;
            case "LOCK":
                lock(x);
                break;
            case "UNLOCK":
                unlock(x);
                break;
            default:
                x.response.getHeaders().put(HttpHeader.ALLOW, ALLOW);
                throw new DavError(405, "the method is not supported here");
        }
    }

    private static void challenge(Response response, Callback callback) {
        response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Basic realm=\"Termlet\", charset=\"UTF-8\"");
        Http.problem(response, callback, 401, "Unauthorized", "log in with your user name and password");
    }

    private void error(Exchange x, int status, String detail, String condition) {
        if (condition != null) {
            send(x, status, XML, HEAD + "<D:error xmlns:D=\"DAV:\">" + condition + "</D:error>");
        } else {
            Http.problem(x.response, x.callback, status, Http.title(status), detail);
        }
    }

    private static void send(Exchange x, int status, String type, String body) {
        x.response.setStatus(status);
        x.response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        x.response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), x.callback);
    }

    private static void empty(Exchange x, int status) {
        x.response.setStatus(status);
        if (status != 204 && status != 304) {
            x.response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0L);
        }
        x.callback.succeeded();
    }

    // ---- OPTIONS, GET, HEAD, PUT, DELETE, MKCOL

    private void options(Exchange x) {
        x.response.getHeaders().put("DAV", "1, 2");
        x.response.getHeaders().put(HttpHeader.ALLOW, ALLOW);
        x.response.getHeaders().put("MS-Author-Via", "DAV");
        empty(x, 200);
    }

    private void get(Exchange x, boolean body) throws IOException, DavError, DavPaths.BadPath, DavXml.BadXml {
        WebFiles.Entry e = files.stat(x.login, x.path);
        if (e.directory()) {
            listing(x, e, body);
            return;
        }
        String etag = etag(e);
        var h = x.response.getHeaders();
        h.put(HttpHeader.ETAG, etag);
        h.put(HttpHeader.LAST_MODIFIED, HTTP_DATE.format(e.modified()));
        h.put(HttpHeader.ACCEPT_RANGES, "bytes");
        if (!httpPreconditions(x, e, true)) {
            empty(x, 304);
            return;
        }
        long size = e.size();
        long from = 0;
        long length = size;
        int status = 200;
        long[] range = range(x, e, etag);
        if (range != null) {
            if (range.length == 0) {
                h.put(HttpHeader.CONTENT_RANGE, "bytes */" + size);
                throw new DavError(416, "the range is beyond the end of the file");
            }
            from = range[0];
            length = range[1] - range[0] + 1;
            status = 206;
            h.put(HttpHeader.CONTENT_RANGE, "bytes " + range[0] + "-" + range[1] + "/" + size);
        }
        h.put(HttpHeader.CONTENT_TYPE, contentType(e.name()));
        // a user's file is never a page of this origin: no script, no form, no plugin
        h.put("Content-Security-Policy", "default-src 'none'; sandbox");
        h.put(HttpHeader.CONTENT_LENGTH, length);
        x.response.setStatus(status);
        if (!body) {
            x.callback.succeeded();
            return;
        }
        OutputStream out = Content.Sink.asOutputStream(x.response);
        try {
            files.download(x.login, x.path, from, length, out);
        } catch (IOException fail) {
            if (!x.response.isCommitted()) {
                Http.dropDownloadHeaders(x.response);
                throw fail;
            }
            x.callback.failed(fail);
            return;
        }
        try {
            out.close();
        } catch (IOException gone) {
            x.callback.failed(gone); // the client left before the last bytes
            return;
        }
        x.callback.succeeded();
    }

    /**
     * The single byte range asked for, if it is to be served.
     *
     * @return null to send it all, an empty array when unsatisfiable, else {first, last}
     */
    private static long[] range(Exchange x, WebFiles.Entry e, String etag) {
        String r = x.header("Range");
        if (r == null || r.length() > 200 || !r.regionMatches(true, 0, "bytes=", 0, 6) || r.indexOf(',') >= 0) {
            return null;
        }
        String ifRange = x.header("If-Range");
        if (ifRange != null && !ifRange.strip().equals(etag)
                && !ifRange.strip().equals(HTTP_DATE.format(e.modified()))) {
            return null;
        }
        String spec = r.substring(6).strip();
        int dash = spec.indexOf('-');
        long size = e.size();
        try {
            if (dash < 0) {
                return null;
            }
            if (dash == 0) {
                long n = Long.parseLong(spec.substring(1).strip());
                if (n <= 0 || size == 0) {
                    return new long[0];
                }
                return new long[] {Math.max(0, size - n), size - 1};
            }
            long first = Long.parseLong(spec.substring(0, dash).strip());
            String after = spec.substring(dash + 1).strip();
            long last = after.isEmpty() ? Long.MAX_VALUE : Long.parseLong(after);
            if (first < 0 || last < first) {
                return null;
            }
            if (first >= size) {
                return new long[0];
            }
            return new long[] {first, Math.min(last, size - 1)};
        } catch (NumberFormatException bad) {
            return null;
        }
    }

    /**
     * Checks If-Match, If-Unmodified-Since (412), and for GET and HEAD If-None-Match and If-Modified-Since.
     *
     * @param e the resource, or null when there is none
     * @param read whether the method is GET or HEAD
     * @return false to answer 304 Not Modified
     */
    private static boolean httpPreconditions(Exchange x, WebFiles.Entry e, boolean read) throws DavError {
        String etag = e == null || e.directory() ? null : etag(e);
        String im = x.header("If-Match");
        if (im != null && !im.strip().equals("*") ? !anyEtag(im, etag, false) : im != null && e == null) {
            throw new DavError(412, "If-Match does not hold");
        }
        Instant ius = date(x.header("If-Unmodified-Since"));
        if (im == null && ius != null && e != null && e.modified().truncatedTo(ChronoUnit.SECONDS).isAfter(ius)) {
            throw new DavError(412, "modified since");
        }
        String inm = x.header("If-None-Match");
        if (inm != null) {
            boolean match = inm.strip().equals("*") ? e != null : anyEtag(inm, etag, true);
            if (match) {
                if (read) {
                    return false;
                }
                throw new DavError(412, "If-None-Match does not hold");
            }
            return true;
        }
        Instant ims = read ? date(x.header("If-Modified-Since")) : null;
        return ims == null || e == null || e.modified().truncatedTo(ChronoUnit.SECONDS).isAfter(ims);
    }

    private static boolean anyEtag(String list, String etag, boolean weak) {
        if (etag == null || list.length() > MAX_HEADER) {
            return false;
        }
        for (String t : list.split(",")) {
            String s = t.strip();
            if (weak ? DavIf.sameEtag(s, etag) : s.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    private static Instant date(String h) {
        if (h == null || h.length() > 100) {
            return null;
        }
        try {
            return ZonedDateTime.parse(h.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private void listing(Exchange x, WebFiles.Entry dir, boolean body) throws IOException {
        StringBuilder sb = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>")
                .append(html(dir.path())).append("</title></head><body><h1>").append(html(dir.path()))
                .append("</h1><ul>");
        if (!dir.path().equals("/")) {
            sb.append("<li><a href=\"").append(html(DavPaths.href(prefix, DavPaths.parent(dir.path()), true)))
                    .append("\">../</a></li>");
        }
        if (body) {
            for (WebFiles.Entry e : files.list(x.login, x.path)) {
                sb.append("<li><a href=\"").append(html(DavPaths.href(prefix, e.path(), e.directory())))
                        .append("\">").append(html(e.name())).append(e.directory() ? "/" : "").append("</a></li>");
            }
        }
        sb.append("</ul></body></html>\n");
        if (!body) {
            x.response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html; charset=utf-8");
            empty(x, 200);
            return;
        }
        send(x, 200, "text/html; charset=utf-8", sb.toString());
    }

    private static String html(String s) {
        return DavXml.escape(s).replace("'", "&#39;");
    }

    private void put(Exchange x) throws IOException, DavError, DavPaths.BadPath, DavXml.BadXml {
        if (x.header("Content-Range") != null) {
            throw new DavError(400, "a partial PUT (Content-Range) is not supported");
        }
        WebFiles.Entry e = statOrNull(x, x.path);
        if (e != null && e.directory()) {
            x.response.getHeaders().put(HttpHeader.ALLOW, ALLOW.replace(" PUT,", ""));
            throw new DavError(405, "a collection is there");
        }
        httpPreconditions(x, e, false);
        Set<String> submitted = preconditions(x, List.of(x.path));
        locked(x, submitted, x.path, e == null ? Scope.MEMBER : Scope.CONTENT);
        boolean created;
        try (InputStream in = Content.Source.asInputStream(x.request)) {
            created = files.upload(x.login, x.path, in);
        }
        if (created) {
            props.delete(x.user(), x.path);
        }
        empty(x, created ? 201 : 204);
    }

    private WebFiles.Entry statOrNull(Exchange x, String path) throws IOException {
        if (!files.exists(x.login, path)) {
            // resolving it again tells a path refused (a link leading out: 403) from one that is not there
            try {
                return files.stat(x.login, path);
            } catch (java.nio.file.NoSuchFileException gone) {
                return null;
            }
        }
        return files.stat(x.login, path);
    }

    private void delete(Exchange x) throws IOException, DavError, DavPaths.BadPath, DavXml.BadXml {
        String depth = x.header("Depth");
        if (depth != null && !depth.strip().equalsIgnoreCase("infinity")) {
            throw new DavError(400, "DELETE takes Depth: infinity only");
        }
        if (x.path.equals("/")) {
            throw new DavError(403, "the root cannot be deleted");
        }
        WebFiles.Entry e = statOrNull(x, x.path);
        httpPreconditions(x, e, false);
        Set<String> submitted = preconditions(x, List.of(x.path));
        locked(x, submitted, x.path, Scope.TREE);
        files.delete(x.login, x.path);
        locks.removeWithin(x.user(), x.path);
        props.delete(x.user(), x.path);
        empty(x, 204);
    }

    private void mkcol(Exchange x) throws IOException, DavError, DavPaths.BadPath, DavXml.BadXml {
        try (InputStream in = Content.Source.asInputStream(x.request)) {
            if (in.read() >= 0) {
                throw new DavError(415, "MKCOL takes no body");
            }
        }
        if (statOrNull(x, x.path) != null) {
            x.response.getHeaders().put(HttpHeader.ALLOW, ALLOW.replace(" MKCOL,", ""));
            throw new DavError(405, "something is there already");
        }
        Set<String> submitted = preconditions(x, List.of(x.path));
        locked(x, submitted, x.path, Scope.MEMBER);
        try {
            files.mkdir(x.login, x.path);
        } catch (FileAlreadyExistsException taken) {
            throw new DavError(405, "something is there already");
        }
        props.delete(x.user(), x.path);
        empty(x, 201);
    }

    // ---- COPY, MOVE

    private void copyOrMove(Exchange x, boolean move) throws IOException, DavError, DavPaths.BadPath, DavXml.BadXml {
        String dest = DavPaths.target(prefix, bounded(x, "Destination"), host(x), port(x));
        String ow = x.header("Overwrite");
        if (ow != null && !ow.strip().equalsIgnoreCase("T") && !ow.strip().equalsIgnoreCase("F")) {
            throw new DavError(400, "Overwrite is T or F");
        }
        boolean overwrite = ow == null || ow.strip().equalsIgnoreCase("T");
        String depth = x.header("Depth");
        boolean deep = true;
        if (depth != null) {
            String d = depth.strip();
            if (d.equals("0") && !move) {
                deep = false;
            } else if (!d.equalsIgnoreCase("infinity")) {
                throw new DavError(400, move ? "MOVE takes Depth: infinity only" : "COPY takes Depth 0 or infinity");
            }
        }
        if (x.path.equals("/")) {
            throw new DavError(403, "the root cannot be " + (move ? "moved" : "copied"));
        }
        if (DavPaths.within(dest, x.path) || DavPaths.within(x.path, dest)) {
            throw new DavError(403, "the source and the destination are the same or one holds the other");
        }
        WebFiles.Entry src = files.stat(x.login, x.path);
        boolean destExists = statOrNull(x, dest) != null;
        httpPreconditions(x, src, false);
        Set<String> submitted = preconditions(x, List.of(x.path, dest));
        if (move) {
            locked(x, submitted, x.path, Scope.TREE);
        }
        locked(x, submitted, dest, destExists ? Scope.TREE : Scope.MEMBER);
        if (destExists && !overwrite) {
            throw new DavError(412, "the destination exists and Overwrite is F");
        }
        boolean created = move ? files.move(x.login, x.path, dest, overwrite)
                : files.copy(x.login, x.path, dest, overwrite, deep);
        if (destExists) {
            locks.removeInside(x.user(), dest);
        }
        if (move) {
            locks.removeWithin(x.user(), x.path);
        }
        props.copy(x.user(), x.path, dest, deep || !src.directory(), move);
        empty(x, created ? 201 : 204);
    }

    private static String host(Exchange x) {
        String h = x.request.getHttpURI().getHost();
        return h == null ? "" : h;
    }

    private static int port(Exchange x) {
        int p = x.request.getHttpURI().getPort();
        return p > 0 ? p : x.request.isSecure() ? 443 : 80;
    }

    private static String bounded(Exchange x, String name) throws DavError {
        String v = x.header(name);
        if (v != null && v.length() > MAX_HEADER) {
            throw new DavError(400, name + " is too long");
        }
        return v;
    }

    // ---- If and locks

    /**
     * Evaluates the If header (412 when it does not hold for the resources the method acts on).
     *
     * @param paths the resources the method acts on
     * @return the lock tokens the request submitted
     */
    private Set<String> preconditions(Exchange x, List<String> paths) throws DavError {
        String h = bounded(x, "If");
        Set<String> submitted = new LinkedHashSet<>();
        if (h == null) {
            return submitted;
        }
        List<DavIf.Clause> clauses;
        try {
            clauses = DavIf.parse(h);
        } catch (IllegalArgumentException bad) {
            throw new DavError(400, "a malformed If header: " + bad.getMessage());
        }
        boolean relevant = false;
        boolean holds = false;
        for (DavIf.Clause c : clauses) {
            String p = x.path;
            if (c.tag() != null) {
                try {
                    p = DavPaths.target(prefix, c.tag(), host(x), port(x));
                } catch (DavPaths.BadPath other) {
                    p = null;
                }
            }
            for (DavIf.Condition k : c.conditions()) {
                if (k.token() != null && !k.not()) {
                    submitted.add(k.token());
                }
            }
            if (p == null) {
                continue;
            }
            boolean about = c.tag() == null;
            for (String q : paths) {
                about |= DavPaths.within(p, q) || DavPaths.within(q, p);
            }
            if (!about) {
                continue;
            }
            relevant = true;
            holds |= holds(x, p, c.conditions());
        }
        if (relevant && !holds) {
            throw new DavError(412, "the If header does not hold");
        }
        return submitted;
    }

    private boolean holds(Exchange x, String path, List<DavIf.Condition> conditions) {
        String etag = null;
        boolean statted = false;
        for (DavIf.Condition k : conditions) {
            boolean v;
            if (k.token() != null) {
                DavLocks.Lock l = locks.byToken(x.user(), k.token());
                v = l != null && l.covers(path);
            } else {
                if (!statted) {
                    statted = true;
                    try {
                        WebFiles.Entry e = files.stat(x.login, path);
                        etag = e.directory() ? null : etag(e);
                    } catch (IOException gone) {
                        etag = null;
                    }
                }
                v = etag != null && DavIf.sameEtag(k.etag(), etag);
            }
            if (v == k.not()) {
                return false;
            }
        }
        return true;
    }

    /** Refuses with 423 when a lock applies whose token the request did not submit. */
    private void locked(Exchange x, Set<String> submitted, String path, Scope scope) throws DavError {
        Set<DavLocks.Lock> apply = new LinkedHashSet<>(locks.covering(x.user(), path));
        if (scope != Scope.CONTENT && !path.equals("/")) {
            apply.addAll(locks.covering(x.user(), DavPaths.parent(path)));
        }
        if (scope == Scope.TREE) {
            apply.addAll(locks.inside(x.user(), path));
        }
        List<DavLocks.Lock> missing = DavLocks.unsatisfied(new ArrayList<>(apply), submitted);
        if (!missing.isEmpty()) {
            StringBuilder sb = new StringBuilder("<D:lock-token-submitted>");
            for (DavLocks.Lock l : missing) {
                sb.append("<D:href>").append(DavXml.escape(hrefOf(x, l.root))).append("</D:href>");
            }
            throw new DavError(423, "locked", sb.append("</D:lock-token-submitted>").toString());
        }
    }

    private String hrefOf(Exchange x, String path) {
        boolean dir;
        try {
            dir = files.stat(x.login, path).directory();
        } catch (IOException gone) {
            dir = false;
        }
        return DavPaths.href(prefix, path, dir);
    }

    private void lock(Exchange x) throws IOException, DavError, DavPaths.BadPath, DavXml.BadXml {
        String depth = x.header("Depth");
        boolean deep = true;
        if (depth != null) {
            if (depth.strip().equals("0")) {
                deep = false;
            } else if (!depth.strip().equalsIgnoreCase("infinity")) {
                throw new DavError(400, "LOCK takes Depth 0 or infinity");
            }
        }
        long seconds = timeout(bounded(x, "Timeout"));
        byte[] body;
        try (InputStream in = Content.Source.asInputStream(x.request)) {
            body = DavXml.read(in);
        }
        WebFiles.Entry e = statOrNull(x, x.path);
        Set<String> submitted = preconditions(x, List.of(x.path));
        if (body.length == 0) {
            if (x.header("If") == null) {
                throw new DavError(400, "a LOCK without a body refreshes a lock named in the If header");
            }
            DavLocks.Lock found = null;
            for (String t : submitted) {
                DavLocks.Lock l = locks.byToken(x.user(), t);
                if (l != null && l.covers(x.path)) {
                    found = l;
                    break;
                }
            }
            if (found == null) {
                throw new DavError(412, "no lock of the If header applies here",
                        "<D:lock-token-matches-request-uri/>");
            }
            found.refresh(seconds);
            send(x, 200, XML, HEAD + "<D:prop xmlns:D=\"DAV:\"><D:lockdiscovery>" + activelock(x, found)
                    + "</D:lockdiscovery></D:prop>");
            return;
        }
        Element info = DavXml.parse(body);
        if (!DavXml.is(info, "lockinfo")) {
            throw new DavError(400, "a DAV:lockinfo is expected");
        }
        Element scope = DavXml.child(info, "lockscope");
        Element type = DavXml.child(info, "locktype");
        if (scope == null || type == null || DavXml.child(type, "write") == null) {
            throw new DavError(400, "a lockinfo with a lockscope and a write locktype is expected");
        }
        boolean exclusive = DavXml.child(scope, "exclusive") != null;
        if (!exclusive && DavXml.child(scope, "shared") == null) {
            throw new DavError(400, "the lockscope is exclusive or shared");
        }
        Element owner = DavXml.child(info, "owner");
        if (e == null) {
            locked(x, submitted, x.path, Scope.MEMBER);
        }
        DavLocks.Lock l;
        try {
            l = locks.take(x.user(), x.path, deep, exclusive, owner == null ? null : DavXml.standalone(owner),
                    seconds);
        } catch (DavLocks.Conflict c) {
            StringBuilder sb = new StringBuilder("<D:no-conflicting-lock>");
            for (DavLocks.Lock k : c.with) {
                sb.append("<D:href>").append(DavXml.escape(hrefOf(x, k.root))).append("</D:href>");
            }
            throw new DavError(423, "locked", sb.append("</D:no-conflicting-lock>").toString());
        } catch (IllegalStateException full) {
            throw new DavError(503, "too many locks");
        }
        if (e == null) {
            // RFC 4918 7.3: a lock on an unmapped URL makes an empty resource there
            try {
                files.upload(x.login, x.path, new ByteArrayInputStream(new byte[0]));
                props.delete(x.user(), x.path);
            } catch (IOException | RuntimeException fail) {
                locks.remove(x.user(), l);
                throw fail;
            }
        }
        x.response.getHeaders().put("Lock-Token", "<" + l.token + ">");
        send(x, e == null ? 201 : 200, XML, HEAD + "<D:prop xmlns:D=\"DAV:\"><D:lockdiscovery>" + activelock(x, l)
                + "</D:lockdiscovery></D:prop>");
    }

    private static long timeout(String h) {
        if (h == null) {
            return DavLocks.DEFAULT_SECONDS;
        }
        for (String part : h.split(",")) {
            String p = part.strip();
            if (p.equalsIgnoreCase("Infinite")) {
                return DavLocks.MAX_SECONDS;
            }
            if (p.regionMatches(true, 0, "Second-", 0, 7)) {
                String n = p.substring(7);
                if (!n.isEmpty() && n.length() < 19 && n.chars().allMatch(Character::isDigit)) {
                    return Math.max(1, Math.min(DavLocks.MAX_SECONDS, Long.parseLong(n)));
                }
                if (!n.isEmpty() && n.chars().allMatch(Character::isDigit)) {
                    return DavLocks.MAX_SECONDS;
                }
            }
        }
        return DavLocks.DEFAULT_SECONDS;
    }

    private String activelock(Exchange x, DavLocks.Lock l) {
        return "<D:activelock><D:locktype><D:write/></D:locktype><D:lockscope>"
                + (l.exclusive ? "<D:exclusive/>" : "<D:shared/>") + "</D:lockscope><D:depth>"
                + (l.deep ? "infinity" : "0") + "</D:depth>" + (l.owner == null ? "" : l.owner)
                + "<D:timeout>Second-" + l.left() + "</D:timeout><D:locktoken><D:href>" + DavXml.escape(l.token)
                + "</D:href></D:locktoken><D:lockroot><D:href>" + DavXml.escape(hrefOf(x, l.root))
                + "</D:href></D:lockroot></D:activelock>";
    }

    private void unlock(Exchange x) throws IOException, DavError, DavPaths.BadPath, DavXml.BadXml {
        String t = bounded(x, "Lock-Token");
        if (t == null || !t.strip().startsWith("<") || !t.strip().endsWith(">")) {
            throw new DavError(400, "UNLOCK needs a Lock-Token header: <token>");
        }
        String token = t.strip().substring(1, t.strip().length() - 1).strip();
        DavLocks.Lock l = locks.byToken(x.user(), token);
        if (l == null || !l.covers(x.path)) {
            throw new DavError(409, "no such lock here", "<D:lock-token-matches-request-uri/>");
        }
        locks.remove(x.user(), l);
        empty(x, 204);
    }

    // ---- PROPFIND, PROPPATCH

    private enum Mode { ALL, NAMES, PROP }

    private void propfind(Exchange x) throws IOException, DavError, DavPaths.BadPath, DavXml.BadXml {
        String depth = x.header("Depth");
        int d;
        if (depth == null || depth.strip().equalsIgnoreCase("infinity")) {
            throw new DavError(403, "PROPFIND with Depth: infinity is not served; use 0 or 1",
                    "<D:propfind-finite-depth/>");
        } else if (depth.strip().equals("0")) {
            d = 0;
        } else if (depth.strip().equals("1")) {
            d = 1;
        } else {
            throw new DavError(400, "Depth is 0, 1 or infinity");
        }
        byte[] body;
        try (InputStream in = Content.Source.asInputStream(x.request)) {
            body = DavXml.read(in);
        }
        Mode mode = Mode.ALL;
        List<String> names = new ArrayList<>();
        if (body.length > 0) {
            Element pf = DavXml.parse(body);
            if (!DavXml.is(pf, "propfind")) {
                throw new DavError(400, "a DAV:propfind is expected");
            }
            Element prop = DavXml.child(pf, "prop");
            if (DavXml.child(pf, "propname") != null) {
                mode = Mode.NAMES;
            } else if (DavXml.child(pf, "allprop") != null) {
                Element include = DavXml.child(pf, "include");
                if (include != null) {
                    for (Element p : DavXml.children(include)) {
                        names.add(DavXml.key(p));
                    }
                }
            } else if (prop != null) {
                mode = Mode.PROP;
                for (Element p : DavXml.children(prop)) {
                    names.add(DavXml.key(p));
                }
            } else {
                throw new DavError(400, "a propfind holds allprop, propname or prop");
            }
        }
        WebFiles.Entry self = files.stat(x.login, x.path);
        StringBuilder sb = new StringBuilder(HEAD).append("<D:multistatus xmlns:D=\"DAV:\">");
        response(x, sb, self, mode, names);
        if (d == 1 && self.directory()) {
            for (WebFiles.Entry e : files.list(x.login, x.path)) {
                response(x, sb, e, mode, names);
            }
        }
        sb.append("</D:multistatus>");
        send(x, 207, XML, sb.toString());
    }

    private void response(Exchange x, StringBuilder sb, WebFiles.Entry e, Mode mode, List<String> names)
            throws IOException {
        Map<String, String> dead = props.get(x.user(), e.path());
        Map<String, String> found = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        switch (mode) {
            case NAMES:
                for (String n : LIVE) {
                    if (live(x, e, "{DAV:}" + n) != null) {
                        found.put("{DAV:}" + n, DavXml.empty("{DAV:}" + n));
                    }
                }
                for (String k : dead.keySet()) {
                    found.putIfAbsent(k, DavXml.empty(k));
                }
                break;
            case ALL:
                for (String n : LIVE) {
                    String v = live(x, e, "{DAV:}" + n);
                    if (v != null) {
                        found.put("{DAV:}" + n, v);
                    }
                }
                dead.forEach(found::putIfAbsent);
                for (String k : names) {
                    String v = live(x, e, k);
                    if (v != null) {
                        found.putIfAbsent(k, v);
                    }
                }
                break;
            default:
                for (String k : names) {
                    String v = live(x, e, k);
                    if (v == null) {
                        v = dead.get(k);
                    }
                    if (v != null) {
                        found.put(k, v);
                    } else if (!missing.contains(k)) {
                        missing.add(k);
                    }
                }
        }
        sb.append("<D:response><D:href>").append(DavXml.escape(DavPaths.href(prefix, e.path(), e.directory())))
                .append("</D:href>");
        if (!found.isEmpty() || missing.isEmpty()) {
            sb.append("<D:propstat><D:prop>");
            found.values().forEach(sb::append);
            sb.append("</D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat>");
        }
        if (!missing.isEmpty()) {
            sb.append("<D:propstat><D:prop>");
            for (String k : missing) {
                sb.append(DavXml.empty(k));
            }
            sb.append("</D:prop><D:status>HTTP/1.1 404 Not Found</D:status></D:propstat>");
        }
        sb.append("</D:response>");
    }

    /** @return a live property's element, or null when it is not one or does not apply */
    private String live(Exchange x, WebFiles.Entry e, String key) throws IOException {
        if (!key.startsWith("{DAV:}")) {
            return null;
        }
        String n = key.substring(6);
        switch (n) {
            case "creationdate":
                return "<D:creationdate>" + DateTimeFormatter.ISO_INSTANT.format(
                        (e.created() == null ? e.modified() : e.created()).truncatedTo(ChronoUnit.SECONDS))
                        + "</D:creationdate>";
            case "displayname":
                return "<D:displayname>" + DavXml.escape(e.path().equals("/") ? "" : e.name()) + "</D:displayname>";
            case "getcontentlength":
                return e.directory() ? null : "<D:getcontentlength>" + e.size() + "</D:getcontentlength>";
            case "getcontenttype":
                return e.directory() ? null : "<D:getcontenttype>" + DavXml.escape(contentType(e.name()))
                        + "</D:getcontenttype>";
            case "getetag":
                return e.directory() ? null : "<D:getetag>" + DavXml.escape(etag(e)) + "</D:getetag>";
            case "getlastmodified":
                return "<D:getlastmodified>" + HTTP_DATE.format(e.modified()) + "</D:getlastmodified>";
            case "resourcetype":
                return e.directory() ? "<D:resourcetype><D:collection/></D:resourcetype>" : "<D:resourcetype/>";
            case "supportedlock":
                return "<D:supportedlock><D:lockentry><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/>"
                        + "</D:locktype></D:lockentry><D:lockentry><D:lockscope><D:shared/></D:lockscope>"
                        + "<D:locktype><D:write/></D:locktype></D:lockentry></D:supportedlock>";
            case "lockdiscovery": {
                StringBuilder sb = new StringBuilder("<D:lockdiscovery>");
                for (DavLocks.Lock l : locks.covering(x.user(), e.path())) {
                    sb.append(activelock(x, l));
                }
                return sb.append("</D:lockdiscovery>").toString();
            }
            case "quota-used-bytes":
                return "<D:quota-used-bytes>" + used(x) + "</D:quota-used-bytes>";
            case "quota-available-bytes": {
                Account a = x.login.session().account();
                long left = a != null && a.quotaBytes() > 0 ? Math.max(0, a.quotaBytes() - used(x))
                        : Files.getFileStore(x.login.root().root()).getUsableSpace();
                return "<D:quota-available-bytes>" + left + "</D:quota-available-bytes>";
            }
            default:
                return null;
        }
    }

    private long used(Exchange x) {
        return files.gate().quotas().of(x.user(), x.login.root().root()).bytes.get();
    }

    private static boolean protectedProperty(String key) {
        return key.startsWith("{DAV:}") && (LIVE.contains(key.substring(6)) || QUOTA.contains(key.substring(6)));
    }

    private void proppatch(Exchange x) throws IOException, DavError, DavPaths.BadPath, DavXml.BadXml {
        byte[] body;
        try (InputStream in = Content.Source.asInputStream(x.request)) {
            body = DavXml.read(in);
        }
        WebFiles.Entry e = files.stat(x.login, x.path);
        Set<String> submitted = preconditions(x, List.of(x.path));
        locked(x, submitted, x.path, Scope.CONTENT);
        Element update = DavXml.parse(body);
        if (!DavXml.is(update, "propertyupdate")) {
            throw new DavError(400, "a DAV:propertyupdate is expected");
        }
        List<DavProps.Change> changes = new ArrayList<>();
        for (Element op : DavXml.children(update)) {
            boolean set = DavXml.is(op, "set");
            if (!set && !DavXml.is(op, "remove")) {
                continue;
            }
            Element prop = DavXml.child(op, "prop");
            if (prop == null) {
                throw new DavError(400, "a set or remove holds a DAV:prop");
            }
            for (Element p : DavXml.children(prop)) {
                changes.add(new DavProps.Change(DavXml.key(p), set ? DavXml.standalone(p) : null));
            }
        }
        if (changes.isEmpty()) {
            throw new DavError(400, "no property to set or remove");
        }
        files.gate().permit(x.login.session(), FilePermission.OVERWRITE, e.path());
        Map<String, Integer> status = new LinkedHashMap<>();
        boolean refused = false;
        for (DavProps.Change c : changes) {
            if (protectedProperty(c.key())) {
                status.put(c.key(), 403);
                refused = true;
            }
        }
        if (refused) {
            for (DavProps.Change c : changes) {
                status.putIfAbsent(c.key(), 424);
            }
        } else {
            try {
                props.apply(x.user(), e.path(), changes);
                for (DavProps.Change c : changes) {
                    status.put(c.key(), 200);
                }
            } catch (DavProps.Full full) {
                for (DavProps.Change c : changes) {
                    status.put(c.key(), 507);
                }
            }
        }
        StringBuilder sb = new StringBuilder(HEAD).append("<D:multistatus xmlns:D=\"DAV:\"><D:response><D:href>")
                .append(DavXml.escape(DavPaths.href(prefix, e.path(), e.directory()))).append("</D:href>");
        for (int s : new int[] {200, 403, 424, 507}) {
            List<String> keys = new ArrayList<>();
            status.forEach((k, v) -> {
                if (v == s) {
                    keys.add(k);
                }
            });
            if (keys.isEmpty()) {
                continue;
            }
            sb.append("<D:propstat><D:prop>");
            keys.forEach(k -> sb.append(DavXml.empty(k)));
            sb.append("</D:prop><D:status>HTTP/1.1 ").append(s).append(' ').append(reasonPhrase(s))
                    .append("</D:status>");
            if (s == 403) {
                sb.append("<D:error><D:cannot-modify-protected-property/></D:error>");
            }
            sb.append("</D:propstat>");
        }
        sb.append("</D:response></D:multistatus>");
        send(x, 207, XML, sb.toString());
    }

    private static String reasonPhrase(int s) {
        switch (s) {
            case 200: return "OK";
            case 403: return "Forbidden";
            case 424: return "Failed Dependency";
            default: return "Insufficient Storage";
        }
    }

    // ---- helpers

    private static String etag(WebFiles.Entry e) {
        Instant m = e.modified();
        return "\"" + Long.toHexString(e.size()) + "-" + Long.toHexString(m.getEpochSecond()) + "."
                + Integer.toHexString(m.getNano()) + "\"";
    }

    private static String contentType(String name) {
        String t = URLConnection.getFileNameMap().getContentTypeFor(name);
        return t == null ? "application/octet-stream" : t;
    }
}
