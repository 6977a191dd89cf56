package dev.termlet.web.internal.share;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.termlet.event.Outcome;
import dev.termlet.fileops.Protocol;
import dev.termlet.fileops.internal.core.FileSession;
import dev.termlet.protector.Addresses;
import dev.termlet.protector.Protector;
import dev.termlet.protector.Strike;
import dev.termlet.web.ShareEvent;
import dev.termlet.web.ShareEvents;
import dev.termlet.web.ShareMode;
import dev.termlet.web.internal.Http;
import dev.termlet.web.internal.Login;
import dev.termlet.web.internal.Route;
import dev.termlet.web.internal.WebFiles;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.eclipse.jetty.http.HttpCookie;
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
 * The visitors' side of share links, at {@code /s/TOKEN}:
 * <ul>
 *   <li>{@code GET /s/TOKEN}: the page (HTML, with its script and style from {@code /s/assets/});</li>
 *   <li>{@code GET /s/TOKEN/api/info}: what is shared (only whether a password is needed, until it was given);</li>
 *   <li>{@code POST /s/TOKEN/api/auth} with {@code {"password": ...}} ({@code application/json}): opens the share
 *       for this visitor (a cookie scoped to the link, HttpOnly, Secure, SameSite=Strict); wrong passwords are the
 *       protector's strikes, so an address that keeps guessing is banned;</li>
 *   <li>{@code GET /s/TOKEN/api/list?path=/sub}: a shared folder's entries (read and write shares);</li>
 *   <li>{@code GET /s/TOKEN/file?path=/sub/a.txt}: downloads a file (the shared file with no path);</li>
 *   <li>{@code GET /s/TOKEN/zip?path=/sub}: downloads a folder as a zip;</li>
 *   <li>{@code PUT /s/TOKEN/file?path=/sub/a.txt}: uploads a file (write shares; upload-only shares take a new
 *       name in the folder itself).</li>
 * </ul>
 * A share without a password is opened by the first request that needs it. Every file operation runs on the
 * owner's account (permissions, quota, jail, file events with protocol HTTP and the visitor's address) and stays in
 * the shared file or folder. A use is one download of a file, one zip download or one upload, counted when it
 * starts and given back if it fails or is refused. Unknown links are 404, expired, used-up or orphaned ones 410.
 */
public final class ShareRoute implements Route {
    private static final Logger LOG = LoggerFactory.getLogger(ShareRoute.class);
    /** The name of a visit's cookie (its path is the link's). */
    public static final String COOKIE = "termlet_share";
    private static final Map<String, String> ASSETS = Map.of("share.js", "text/javascript; charset=utf-8",
            "share.css", "text/css; charset=utf-8");

    private final Shares shares;
    private final Protector protector;
    private final Visits visits = new Visits();

    /**
     * @param shares the shares
     * @param protector the server's protector
     */
    public ShareRoute(Shares shares, Protector protector) {
        this.shares = shares;
        this.protector = protector;
    }

    @Override
    public String prefix() {
        return "/s";
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        String rest = path.length() > 3 ? path.substring(3) : "";
        if (rest.startsWith("assets/")) {
            asset(rest.substring(7), request, response, callback);
            return true;
        }
        int slash = rest.indexOf('/');
        String token = slash < 0 ? rest : rest.substring(0, slash);
        String sub = slash < 0 ? "" : rest.substring(slash + 1);
        String host = Addresses.host(Http.remote(request));
        if (protector.check(host).isPresent()) {
            fail(request, response, callback, new Shares.Refused(403,
                    "your address is banned for a while after too many failures"));
            return true;
        }
        Optional<Share> found = token.isEmpty() ? Optional.empty() : shares.store().byToken(token);
        if (found.isEmpty()) {
            fail(request, response, callback, new Shares.Refused(404, "there is no such share link"));
            return true;
        }
        Share share = found.get();
        MDC.put("share", share.id());
        try {
            shares.checkLive(share);
            String m = request.getMethod();
            switch (sub) {
                case "":
                    only(m, "GET");
                    page(response, callback);
                    break;
                case "api/info":
                    only(m, "GET");
                    info(share, request, response, callback);
                    break;
                case "api/auth":
                    only(m, "POST");
                    auth(share, request, response, callback);
                    break;
                case "api/list":
                    only(m, "GET");
                    list(share, request, response, callback);
                    break;
                case "file":
                    only(m, "GET", "PUT");
                    if (m.equals("GET")) {
                        download(share, request, response, callback);
                    } else {
                        upload(share, request, response, callback);
                    }
                    break;
                case "zip":
                    only(m, "GET");
                    zip(share, request, response, callback);
                    break;
                default:
                    throw new Shares.Refused(404, "no such page");
            }
        } catch (Shares.Refused e) {
            fail(request, response, callback, e);
        }
        return true;
    }

    private static void only(String method, String... allowed) throws Shares.Refused {
        if (!Arrays.asList(allowed).contains(method)) {
            throw new Shares.Refused(405, "use " + String.join(" or ", allowed));
        }
    }

    // ---- the visit ---------------------------------------------------------------------------------------------

    private static Optional<String> cookie(Request request) {
        for (HttpCookie c : Request.getCookies(request)) {
            if (COOKIE.equals(c.getName())) {
                return Optional.of(c.getValue());
            }
        }
        return Optional.empty();
    }

    private boolean visiting(Share share, Request request) {
        return visits.valid(cookie(request).orElse(null), share);
    }

    /**
     * The visitor's right to use the share: a live visit, or (a share without a password) a new one opened now.
     */
    private void requireVisit(Share share, Request request, Response response, Login login) throws Shares.Refused {
        if (visiting(share, request)) {
            return;
        }
        if (share.passwordProtected()) {
            throw new Shares.Refused(401, "this share link needs its password");
        }
        open(share, request, response, login, null);
    }

    /**
     * Opens a share for a visitor: {@code pre-share-auth} (may refuse), {@code share-auth-allowed}, the password if
     * the share has one (a wrong one is a strike), {@code share-auth}, and the visit's cookie.
     */
    private void open(Share share, Request request, Response response, Login login, char[] password)
            throws Shares.Refused {
        FileSession s = login.session();
        ShareEvent e = Shares.event(share, s.remote());
        Outcome pre = shares.fire(ShareEvents.PRE_AUTH, s, e);
        if (pre.refused()) {
            LOG.info("a visit of share {} from {} was refused by a handler", share.id(), s.remote());
            throw new Shares.Refused(403, "refused" + (pre.reason() == null ? "" : ": " + pre.reason()));
        }
        shares.fire(ShareEvents.AUTH_ALLOWED, s, e);
        if (share.passwordProtected()) {
            if (password == null || password.length == 0) {
                throw new Shares.Refused(401, "this share link needs its password");
            }
            if (!shares.hasher().verify(password, share.passwordHash())) {
                String host = Addresses.host(s.remote());
                LOG.info("wrong password for share {} from {}", share.id(), host);
                protector.strike(host, Strike.Kind.FAILED_LOGIN, null);
                pause();
                throw new Shares.Refused(401, "wrong password");
            }
        }
        String visit = visits.start(share);
        Response.addCookie(response, HttpCookie.build(COOKIE, visit).path("/s/" + share.token()).httpOnly(true)
                .sameSite(HttpCookie.SameSite.STRICT).secure(request.isSecure()).build());
        LOG.info("share {} opened from {}", share.id(), s.remote());
        shares.fire(ShareEvents.AUTH, s, e);
    }

    private void pause() {
        try {
            Thread.sleep(protector.settings().failureDelay().toMillis());
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
        }
    }

    private Login login(Share share, Request request) throws Shares.Refused {
        try {
            Login l = shares.login(share.owner(), Http.remote(request), Protocol.HTTP);
            MDC.setContextMap(l.mdc());
            MDC.put("share", share.id());
            return l;
        } catch (IOException e) {
            LOG.warn("cannot serve share {}: the owner's home cannot be made: {}", share.id(), e.getMessage());
            throw new Shares.Refused(500, "the share cannot be served now");
        }
    }

    // ---- the routes ----------------------------------------------------------------------------------------------

    private void info(Share share, Request request, Response response, Callback callback) {
        ObjectNode n = Http.JSON.createObjectNode();
        boolean open = visiting(share, request);
        n.put("password", share.passwordProtected());
        n.put("opened", open);
        if (open || !share.passwordProtected()) {
            n.put("name", share.path().equals("/") ? "files" : nameOf(share.path()));
            n.put("directory", share.directory());
            n.put("mode", Shares.wire(share.mode()));
            n.put("expires", share.expires() == null ? null : share.expires().toString());
        }
        Http.json(response, callback, 200, n);
    }

    private void auth(Share share, Request request, Response response, Callback callback) throws Shares.Refused {
        JsonNode body;
        try {
            body = Http.readJson(request, "the password");
        } catch (Http.BadRequest e) {
            throw new Shares.Refused(e.status(), e.getMessage());
        }
        char[] password = body.path("password").asText("").toCharArray();
        try {
            open(share, request, response, login(share, request), password);
        } finally {
            Arrays.fill(password, '\0');
        }
        Http.json(response, callback, 200, Map.of("opened", true));
    }

    private static String param(Request request, String name) throws Shares.Refused {
        Fields f;
        try {
            f = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            // bad percent-encoding or UTF-8: a problem of ours, not Jetty's error page (no security headers)
            throw new Shares.Refused(400, "the query cannot be read");
        }
        Fields.Field v = f.get(name);
        return v == null ? null : v.getValue();
    }

    private static void readable(Share share) throws Shares.Refused {
        if (share.mode() == ShareMode.UPLOAD_ONLY) {
            throw new Shares.Refused(403, "this share link only takes uploads");
        }
    }

    /** A visitor's path of an owner's path. */
    private static String visitorPath(Share share, String virtual) {
        if (share.path().equals("/")) {
            return virtual;
        }
        String rel = virtual.substring(share.path().length());
        return rel.isEmpty() ? "/" : rel;
    }

    private void list(Share share, Request request, Response response, Callback callback) throws Shares.Refused {
        readable(share);
        Login login = login(share, request);
        requireVisit(share, request, response, login);
        if (!share.directory()) {
            throw new Shares.Refused(400, "a single file is shared");
        }
        String virtual = shares.resolve(share, login, param(request, "path"));
        List<WebFiles.Entry> entries;
        try {
            entries = shares.files().list(login, virtual);
        } catch (IOException e) {
            throw refused(e);
        }
        ArrayNode a = Http.JSON.createArrayNode();
        for (WebFiles.Entry e : entries) {
            if (!shares.inside(share, login, e.path())) {
                continue;
            }
            ObjectNode n = a.addObject();
            n.put("name", e.name());
            n.put("path", visitorPath(share, e.path()));
            n.put("directory", e.directory());
            n.put("size", e.size());
            n.put("modified", e.modified().toString());
        }
        ObjectNode out = Http.JSON.createObjectNode();
        out.put("path", visitorPath(share, virtual));
        out.set("entries", a);
        Http.json(response, callback, 200, out);
    }

    private static Shares.Refused refused(IOException e) {
        int status = WebFiles.status(e);
        return new Shares.Refused(status, status == 500 ? "the operation failed" : WebFiles.reason(e));
    }

    /** Takes a use, or refuses: the share is used up (or gone). */
    private Share take(Share share) throws Shares.Refused {
        try {
            return shares.store().take(share.id()).orElseThrow(() -> new Shares.Refused(410,
                    "this share link has been used as many times as it may be"));
        } catch (IOException e) {
            LOG.warn("cannot save the share links: {}", e.getMessage());
            throw new Shares.Refused(500, "the share cannot be served now");
        }
    }

    private void download(Share share, Request request, Response response, Callback callback) throws Shares.Refused {
        readable(share);
        Login login = login(share, request);
        requireVisit(share, request, response, login);
        String virtual = shares.resolve(share, login, param(request, "path"));
        WebFiles.Entry entry;
        try {
            entry = shares.files().stat(login, virtual);
        } catch (IOException e) {
            throw refused(e);
        }
        if (entry.directory()) {
            throw new Shares.Refused(400, "a folder: download it as a zip");
        }
        FileSession s = login.session();
        ShareEvent e = Shares.event(share, s.remote()).withFile(virtual, entry.size());
        Outcome pre = shares.fire(ShareEvents.PRE_DOWNLOAD, s, e);
        if (pre.refused()) {
            throw new Shares.Refused(403, "refused" + (pre.reason() == null ? "" : ": " + pre.reason()));
        }
        Share used = take(share);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
        response.getHeaders().put(HttpHeader.CONTENT_DISPOSITION, attachment(entry.name()));
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, entry.size());
        Lazy out = new Lazy(response);
        long sent;
        try {
            sent = shares.files().download(login, virtual, 0, -1, out);
        } catch (IOException | RuntimeException x) {
            shares.store().giveBack(share.id());
            shares.fire(ShareEvents.DOWNLOAD, s, e.withOutcome(-1, share.uses(), failure(x)));
            abort(request, response, callback, out, x);
            return;
        }
        // every byte has been sent; the event fires before the response ends, so the client's end follows it
        shares.fire(ShareEvents.DOWNLOAD, s, e.withOutcome(sent, used.uses(), null));
        end(out, callback);
    }

    private void zip(Share share, Request request, Response response, Callback callback) throws Shares.Refused {
        readable(share);
        Login login = login(share, request);
        requireVisit(share, request, response, login);
        if (!share.directory()) {
            throw new Shares.Refused(400, "a single file is shared: download it");
        }
        String virtual = shares.resolve(share, login, param(request, "path"));
        FileSession s = login.session();
        try {
            if (!shares.files().stat(login, virtual).directory()) {
                throw new Shares.Refused(400, "not a folder");
            }
        } catch (IOException x) {
            throw refused(x);
        }
        ShareEvent e = Shares.event(share, s.remote()).withFile(virtual, -1);
        Outcome pre = shares.fire(ShareEvents.PRE_ZIP, s, e);
        if (pre.refused()) {
            throw new Shares.Refused(403, "refused" + (pre.reason() == null ? "" : ": " + pre.reason()));
        }
        Share used = take(share);
        String name = virtual.equals("/") ? "files" : nameOf(virtual);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/zip");
        response.getHeaders().put(HttpHeader.CONTENT_DISPOSITION, attachment(name + ".zip"));
        Lazy out = new Lazy(response);
        Counting counted = new Counting(out);
        try {
            ZipOutputStream zip = new ZipOutputStream(counted, StandardCharsets.UTF_8);
            zipTree(share, login, virtual, zip);
            zip.finish();
            zip.flush();
        } catch (IOException | RuntimeException x) {
            shares.store().giveBack(share.id());
            shares.fire(ShareEvents.ZIP, s, e.withOutcome(counted.count, share.uses(), failure(x)));
            abort(request, response, callback, out, x);
            return;
        }
        shares.fire(ShareEvents.ZIP, s, e.withOutcome(counted.count, used.uses(), null));
        end(out, callback);
    }

    /**
     * Writes a folder's files into a zip, each through the owner's download (its permission and file events);
     * a file that is refused is left out, as is anything a link leads to outside the share.
     */
    private void zipTree(Share share, Login login, String top, ZipOutputStream zip) throws IOException {
        Deque<String> dirs = new ArrayDeque<>();
        dirs.add(top);
        String base = top.equals("/") ? "/" : top + "/";
        while (!dirs.isEmpty()) {
            String dir = dirs.poll();
            List<WebFiles.Entry> entries;
            try {
                entries = shares.files().list(login, dir);
            } catch (AccessDeniedException x) {
                continue;
            }
            for (WebFiles.Entry en : entries) {
                if (!shares.inside(share, login, en.path())) {
                    continue;
                }
                String rel = en.path().substring(base.length());
                if (en.directory()) {
                    zip.putNextEntry(new ZipEntry(rel + "/"));
                    zip.closeEntry();
                    dirs.add(en.path());
                    continue;
                }
                ZipEntry z = new ZipEntry(rel);
                z.setLastModifiedTime(java.nio.file.attribute.FileTime.from(en.modified()));
                boolean[] put = {false};
                try {
                    // the entry begins at the file's first byte, so a file refused before any is left out whole
                    shares.files().download(login, en.path(), 0, -1, new FilterOutputStream(zip) {
                        @Override
                        public void write(byte[] b, int off, int len) throws IOException {
                            if (!put[0]) {
                                zip.putNextEntry(z);
                                put[0] = true;
                            }
                            out.write(b, off, len);
                        }

                        @Override
                        public void close() {
                            // the zip stays open
                        }
                    });
                    if (!put[0]) {
                        zip.putNextEntry(z); // an empty file
                        put[0] = true;
                    }
                    zip.closeEntry();
                } catch (AccessDeniedException x) {
                    if (put[0]) {
                        throw x;
                    }
                    LOG.info("{} left out of a zip of share {}: {}", en.path(), share.id(), x.getReason());
                }
            }
        }
    }

    private void upload(Share share, Request request, Response response, Callback callback) throws Shares.Refused {
        if (share.mode() == ShareMode.READ) {
            throw new Shares.Refused(403, "this share link does not take uploads");
        }
        Login login = login(share, request);
        requireVisit(share, request, response, login);
        String rel = param(request, "path");
        if (rel == null || rel.isBlank()) {
            throw new Shares.Refused(400, "say where the file goes: ?path=/name");
        }
        String virtual = shares.resolve(share, login, rel);
        if (virtual.equals(share.path())) {
            throw new Shares.Refused(400, "give the file a name: ?path=/name");
        }
        boolean dropBox = share.mode() == ShareMode.UPLOAD_ONLY;
        if (dropBox) {
            if (!Shares.parentOf(virtual).equals(share.path())) {
                throw new Shares.Refused(403, "this share link takes files in its folder only");
            }
            // a drop box never replaces a file, nor tells which names are taken: a taken name gets a free one
            virtual = freeName(login, virtual);
        }
        long length = request.getLength();
        FileSession s = login.session();
        ShareEvent e = Shares.event(share, s.remote()).withFile(virtual, length);
        Outcome pre = shares.fire(ShareEvents.PRE_UPLOAD, s, e);
        if (pre.refused()) {
            throw new Shares.Refused(403, "refused" + (pre.reason() == null ? "" : ": " + pre.reason()));
        }
        Share used = take(share);
        boolean created;
        try (InputStream in = Content.Source.asInputStream(request)) {
            created = shares.files().upload(login, virtual, in, dropBox);
        } catch (IOException | RuntimeException x) {
            shares.store().giveBack(share.id());
            shares.fire(ShareEvents.UPLOAD, s, e.withOutcome(-1, share.uses(), failure(x)));
            throw x instanceof IOException ? refused((IOException) x) : new Shares.Refused(500, "the upload failed");
        }
        long size = -1;
        try {
            size = shares.files().stat(login, virtual).size();
        } catch (IOException ignored) {
            // gone already: the size stays unknown
        }
        shares.fire(ShareEvents.UPLOAD, s, e.withOutcome(size, used.uses(), null));
        if (dropBox) {
            // the name it was stored under would tell that the one asked for is taken
            Http.json(response, callback, 201, Map.of("size", size));
            return;
        }
        Http.json(response, callback, created ? 201 : 200, Map.of("path", visitorPath(share, virtual), "size", size));
    }

    /**
     * The name a drop box stores a file under: the one asked for when it is free, else the first free of
     * {@code name (2).ext}, {@code name (3).ext}, ... (a name taken between this choice and the end of the upload is
     * still never replaced: the upload then fails with 409, which tells nothing about the name asked for).
     */
    private static String freeName(Login login, String virtual) throws Shares.Refused {
        String dir = Shares.parentOf(virtual);
        String name = virtual.substring(virtual.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        try {
            for (int n = 1; n <= 1000; n++) {
                String candidate = n == 1 ? virtual : (dir.equals("/") ? "" : dir) + "/" + stem + " (" + n + ")" + ext;
                if (!Files.exists(login.root().real(candidate, false), LinkOption.NOFOLLOW_LINKS)) {
                    return candidate;
                }
            }
        } catch (IOException x) {
            throw refused(x);
        }
        throw new Shares.Refused(409, "too many files of that name; choose another name");
    }

    /** Ends a response whose body was written through {@link Lazy}. */
    private static void end(Lazy out, Callback callback) {
        try {
            out.close();
            callback.succeeded();
        } catch (IOException x) {
            callback.failed(x);
        }
    }

    private static String failure(Throwable x) {
        return x instanceof IOException ? WebFiles.reason((IOException) x) : "the operation failed";
    }

    /** Ends a transfer that failed: a problem if nothing was sent yet, else the connection is broken off. */
    private void abort(Request request, Response response, Callback callback, Lazy out, Throwable x) {
        if (!out.started && !response.isCommitted()) {
            response.getHeaders().remove(HttpHeader.CONTENT_DISPOSITION);
            response.getHeaders().remove(HttpHeader.CONTENT_LENGTH);
            fail(request, response, callback, x instanceof IOException ? refused((IOException) x)
                    : new Shares.Refused(500, "the operation failed"));
            return;
        }
        LOG.info("a share transfer broke off: {}", x.toString());
        callback.failed(x);
    }

    private static String attachment(String name) {
        String ascii = name.replaceAll("[^\\x20-\\x7e]|[\"\\\\]", "_");
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''"
                + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    // ---- pages -----------------------------------------------------------------------------------------------------

    private void page(Response response, Callback callback) throws Shares.Refused {
        byte[] html = resource("share.html");
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html; charset=utf-8");
        response.write(true, ByteBuffer.wrap(html), callback);
    }

    private void asset(String name, Request request, Response response, Callback callback) {
        String type = ASSETS.get(name);
        if (type == null) {
            fail(request, response, callback, new Shares.Refused(404, "no such file"));
            return;
        }
        byte[] b;
        try {
            b = resource(name);
        } catch (Shares.Refused e) {
            fail(request, response, callback, e);
            return;
        }
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.write(true, ByteBuffer.wrap(b), callback);
    }

    private static byte[] resource(String name) throws Shares.Refused {
        try (InputStream in = ShareRoute.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new Shares.Refused(500, "the page is missing from the server");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new Shares.Refused(500, "the page is missing from the server");
        }
    }

    /** Answers a refusal: an HTML page for a browser's navigation, else a problem document. */
    private static void fail(Request request, Response response, Callback callback, Shares.Refused e) {
        if (e.status() == 405) {
            response.getHeaders().put(HttpHeader.ALLOW, e.getMessage().substring(4).replace(" or ", ", "));
        }
        String accept = request.getHeaders().get(HttpHeader.ACCEPT);
        if (accept != null && accept.contains("text/html")) {
            String title = e.status() == 410 ? "This share link has ended" : e.status() == 404
                    ? "No such share link" : Http.title(e.status());
            String html = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                    + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                    + "<title>" + escape(title) + "</title><link rel=\"stylesheet\" href=\"/s/assets/share.css\">"
                    + "</head><body><main class=\"card\"><h1>" + escape(title) + "</h1><p class=\"detail\">"
                    + escape(e.getMessage()) + "</p></main></body></html>\n";
            response.setStatus(e.status());
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html; charset=utf-8");
            response.write(true, ByteBuffer.wrap(html.getBytes(StandardCharsets.UTF_8)), callback);
            return;
        }
        Http.problem(response, callback, e.status(), Http.title(e.status()), e.getMessage());
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }

    /** The response's body stream, opened (and the headers committed) only at the first byte. */
    private static final class Lazy extends OutputStream {
        private final Response response;
        private OutputStream out;
        boolean started;

        Lazy(Response response) {
            this.response = response;
        }

        private OutputStream out() {
            if (out == null) {
                started = true;
                out = Content.Sink.asOutputStream(response);
            }
            return out;
        }

        @Override
        public void write(int b) throws IOException {
            out().write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out().write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            if (out != null) {
                out.flush();
            }
        }

        @Override
        public void close() throws IOException {
            out().close();
        }
    }

    /** Counts the bytes written through it. */
    private static final class Counting extends FilterOutputStream {
        long count;

        Counting(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }

    private static String nameOf(String virtual) {
        int slash = virtual.lastIndexOf('/');
        return virtual.equals("/") ? "/" : virtual.substring(slash + 1);
    }
}
