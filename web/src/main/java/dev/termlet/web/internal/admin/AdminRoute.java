package dev.termlet.web.internal.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.termlet.Client;
import dev.termlet.auth.Account;
import dev.termlet.protector.Ban;
import dev.termlet.spi.ExtensionContext;
import dev.termlet.spi.OpenConnection;
import dev.termlet.web.internal.Http;
import dev.termlet.web.internal.Logins;
import dev.termlet.web.internal.Route;
import dev.termlet.web.internal.share.Share;
import dev.termlet.web.internal.share.Shares;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The REST admin API under {@value #PREFIX}, as its OpenAPI document ({@code openapi.json}, served here without a
 * login) describes it: accounts through the server's account store (so a removed or disabled account's sessions end
 * as with {@code termlet accounts}), the open connections (list, close, a message to a terminal), the protector's
 * bans, API keys, the share links of every user (list and delete; never their tokens nor password hashes), and
 * the event stream. Every answer that is not a success is an RFC 9457 problem document.
 */
public final class AdminRoute implements Route {
    private static final Logger LOG = LoggerFactory.getLogger(AdminRoute.class);
    /** Where the API is served. */
    public static final String PREFIX = "/api/admin/v1";
    /** The longest message sent to a terminal. */
    static final int MAX_MESSAGE = 1000;

    private final ExtensionContext context;
    private final ApiKeys keys;
    private final AdminAuth auth;
    private final EventStream events;
    private final byte[] openapi;
    private final List<Op> ops = new ArrayList<>();
    private final Object accountLock = new Object();
    private volatile Shares shares;

    /**
     * Sets the API up; its event listeners are attached now, so call it from the extension's {@code configure}.
     *
     * @param context the server
     * @param logins the web side's logins (browser logins of admins)
     * @param keys the API keys
     * @param heartbeat how often the event stream sends a heartbeat
     * @throws IOException if the OpenAPI document is missing from the jar
     */
    public AdminRoute(ExtensionContext context, Logins logins, ApiKeys keys, Duration heartbeat) throws IOException {
        this.context = context;
        this.keys = keys;
        this.auth = new AdminAuth(context, logins, keys);
        this.events = new EventStream(context, heartbeat);
        try (InputStream in = AdminRoute.class.getResourceAsStream("/dev/termlet/web/openapi.json")) {
            if (in == null) {
                throw new IOException("openapi.json is missing from termlet-web");
            }
            this.openapi = in.readAllBytes();
        }
        op("GET", "/accounts", this::listAccounts);
        op("POST", "/accounts", this::createAccount);
        op("GET", "/accounts/{name}", this::getAccount);
        op("PATCH", "/accounts/{name}", this::updateAccount);
        op("DELETE", "/accounts/{name}", this::deleteAccount);
        op("GET", "/sessions", this::listSessions);
        op("DELETE", "/sessions/{id}", this::kick);
        op("POST", "/sessions/{id}/message", this::message);
        op("GET", "/bans", this::listBans);
        op("POST", "/bans", this::ban);
        op("DELETE", "/bans/{address}", this::lift);
        op("GET", "/api-keys", this::listKeys);
        op("POST", "/api-keys", this::createKey);
        op("DELETE", "/api-keys/{id}", this::deleteKey);
        op("GET", "/shares", this::listShares);
        op("GET", "/shares/{id}", this::getShare);
        op("DELETE", "/shares/{id}", this::deleteShare);
        op("GET", "/events", this::events);
        // the OpenAPI document itself, served before authentication (see handle)
        op("GET", "/openapi.json", c -> { });
    }

    /**
     * Gives the API the share links to manage. Without it (share links turned off) the share routes stay, so the
     * OpenAPI document still describes every route, and answer 404.
     *
     * @param shares the share links, or null when they are off
     */
    public void shares(Shares shares) {
        this.shares = shares;
    }

    /** @return every route as {@code METHOD /path/{param}}, relative to {@value #PREFIX} */
    public List<String> routes() {
        List<String> out = new ArrayList<>();
        for (Op o : ops) {
            out.add(o.method + " " + o.path);
        }
        return out;
    }

    /** @return the names of the event types the event stream carries */
    public List<String> eventTypes() {
        return events.types();
    }

    @Override
    public String prefix() {
        return PREFIX;
    }

    private interface Handler {
        void handle(Call c) throws Exception;
    }

    private record Op(String method, String path, String[] segments, Handler handler) {}

    /** One request being answered, with its path parameters and its caller. */
    private record Call(Request request, Response response, Callback callback, Map<String, String> params,
            AdminAuth.Principal who) {
        String param(String name) {
            return params.get(name);
        }
    }

    private void op(String method, String path, Handler h) {
        ops.add(new Op(method, path, path.substring(1).split("/"), h));
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request).substring(PREFIX.length());
        String method = request.getMethod();
        if (path.equals("/openapi.json") && (method.equals("GET") || method.equals("HEAD"))) {
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
            response.write(true, method.equals("HEAD") ? ByteBuffer.allocate(0) : ByteBuffer.wrap(openapi), callback);
            return true;
        }
        AdminAuth.Principal who;
        try {
            who = auth.authenticate(request);
        } catch (AdminAuth.Refused r) {
            if (r.status == 401) {
                response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"termlet-admin\"");
                response.getHeaders().add(HttpHeader.WWW_AUTHENTICATE, "Basic realm=\"termlet-admin\", charset=\"UTF-8\"");
            }
            Http.problem(response, callback, r.status, Http.title(r.status), r.getMessage());
            return true;
        }
        String[] segs = path.isEmpty() || path.equals("/") ? new String[0] : path.substring(1).split("/", -1);
        Set<String> allowed = new LinkedHashSet<>();
        for (Op o : ops) {
            Map<String, String> params = match(o.segments, segs);
            if (params == null) {
                continue;
            }
            allowed.add(o.method);
            if (o.method.equals(method)) {
                Call c = new Call(request, response, callback, params, who);
                try {
                    o.handler.handle(c);
                } catch (Http.BadRequest e) {
                    Http.problem(response, callback, e.status(), Http.title(e.status()), e.getMessage());
                } catch (RuntimeException | IOException e) {
                    LOG.warn("admin API {} {} failed: {}", method, o.path, e.toString());
                    if (!response.isCommitted()) {
                        Http.problem(response, callback, 500, "Internal error", "the server could not do that");
                    } else {
                        callback.failed(e);
                    }
                }
                return true;
            }
        }
        if (!allowed.isEmpty()) {
            response.getHeaders().put(HttpHeader.ALLOW, String.join(", ", allowed));
            Http.problem(response, callback, 405, "Method not allowed", method + " is not allowed here; use "
                    + String.join(", ", allowed));
            return true;
        }
        Http.problem(response, callback, 404, "Not found", "no such resource in the admin API");
        return true;
    }

    private static Map<String, String> match(String[] template, String[] segs) {
        if (template.length != segs.length) {
            return null;
        }
        Map<String, String> params = new TreeMap<>();
        for (int i = 0; i < segs.length; i++) {
            String t = template[i];
            if (t.startsWith("{")) {
                if (segs[i].isEmpty()) {
                    return null;
                }
                params.put(t.substring(1, t.length() - 1), segs[i]);
            } else if (!t.equals(segs[i])) {
                return null;
            }
        }
        return params;
    }

    private static JsonNode body(Call c) throws Http.BadRequest {
        return Http.readJson(c.request, "the request body", "application/merge-patch+json");
    }

    private static void noContent(Call c) {
        c.response.setStatus(204);
        c.callback.succeeded();
    }

    private void audit(Call c, String what, Object about) {
        LOG.info("admin API ({} {}): {} {}", c.who.kind(), c.who.name(), what, about);
    }

    // ---- accounts

    private void listAccounts(Call c) {
        ArrayNode a = Http.JSON.createArrayNode();
        for (Account acc : context.accounts().list()) {
            a.add(AccountJson.toJson(acc));
        }
        Http.json(c.response, c.callback, 200, a);
    }

    private Account account(Call c) throws Http.BadRequest {
        String name = c.param("name");
        Optional<Account> a = Account.validName(name) ? context.accounts().find(name) : Optional.empty();
        if (a.isEmpty()) {
            throw new Http.BadRequest(404, "no account '" + (Account.validName(name) ? name : "?") + "'");
        }
        return a.get();
    }

    private void getAccount(Call c) throws Http.BadRequest {
        Http.json(c.response, c.callback, 200, AccountJson.toJson(account(c)));
    }

    private void createAccount(Call c) throws Http.BadRequest {
        JsonNode body = body(c);
        JsonNode name = body.get("name");
        if (name == null || !name.isTextual() || !Account.validName(name.asText())) {
            throw new Http.BadRequest(400, "name must be 1 to 64 letters, digits, '.', '_', '@' or '-', not starting"
                    + " with '.'");
        }
        Account.Builder b = Account.builder(name.asText());
        AccountJson.apply(b, body, true);
        Account a = b.build();
        keysManageNoAdmins(c, null, a);
        synchronized (accountLock) {
            if (context.accounts().find(a.name()).isPresent()) {
                throw new Http.BadRequest(409, "account '" + a.name() + "' exists");
            }
            context.accounts().save(a);
        }
        audit(c, "created account", a.name());
        c.response.getHeaders().put(HttpHeader.LOCATION, PREFIX + "/accounts/" + a.name());
        Http.json(c.response, c.callback, 201, AccountJson.toJson(a));
    }

    private void updateAccount(Call c) throws Http.BadRequest {
        JsonNode body = body(c);
        Account a;
        synchronized (accountLock) {
            Account before = account(c);
            Account.Builder b = before.toBuilder();
            AccountJson.apply(b, body, false);
            a = b.build();
            keysManageNoAdmins(c, before, a);
            context.accounts().save(a);
        }
        audit(c, "updated account", a.name() + " " + body.properties().stream().map(Map.Entry::getKey).toList());
        Http.json(c.response, c.callback, 200, AccountJson.toJson(a));
    }

    private void deleteAccount(Call c) throws Http.BadRequest {
        synchronized (accountLock) {
            Account a = account(c);
            keysManageNoAdmins(c, a, null);
            if (!context.accounts().remove(a.name())) {
                throw new Http.BadRequest(404, "no account '" + a.name() + "'");
            }
        }
        audit(c, "removed account", c.param("name"));
        noContent(c);
    }

    /**
     * An API key manages users, not admins: it may not make an account an admin, nor change or remove an admin
     * account (else a key could make itself an admin account with a password it chose, and through it new keys).
     * Only an admin account does that.
     */
    private static void keysManageNoAdmins(Call c, Account before, Account after) throws Http.BadRequest {
        if (c.who.account()) {
            return;
        }
        if ((before != null && before.hasPermission(AdminAuth.ADMIN))
                || (after != null && after.hasPermission(AdminAuth.ADMIN))) {
            throw new Http.BadRequest(403, "only an admin account manages admin accounts, not an API key");
        }
    }

    // ---- sessions

    private void listSessions(Call c) {
        Map<String, List<Client>> shells = new TreeMap<>();
        for (Client s : context.sessions()) {
            shells.computeIfAbsent(s.connectionId(), k -> new ArrayList<>()).add(s);
        }
        ArrayNode out = Http.JSON.createArrayNode();
        List<OpenConnection> all = new ArrayList<>(context.connections());
        all.sort((x, y) -> x.id().compareTo(y.id()));
        for (OpenConnection oc : all) {
            ObjectNode n = out.addObject();
            n.put("id", oc.id());
            n.put("protocol", oc.protocol());
            n.put("user", oc.user());
            n.put("remote", remote(oc.remote()));
            n.put("connectedSeconds", oc.age().toSeconds());
            ArrayNode t = n.putArray("terminals");
            for (Client s : shells.getOrDefault(oc.id(), List.of())) {
                t.addObject().put("sessionId", s.sessionId()).put("pty", s.hasPty()).put("terminalType",
                        s.terminalType());
            }
        }
        Http.json(c.response, c.callback, 200, out);
    }

    private OpenConnection connection(Call c) throws Http.BadRequest {
        String id = c.param("id");
        for (OpenConnection oc : context.connections()) {
            if (oc.id().equals(id)) {
                return oc;
            }
        }
        throw new Http.BadRequest(404, "no open session '" + (id.matches("[A-Za-z0-9_-]{1,40}") ? id : "?") + "'");
    }

    private void kick(Call c) throws Http.BadRequest {
        OpenConnection oc = connection(c);
        audit(c, "closed session", oc.id() + " of " + oc.user() + " (" + oc.protocol() + ")");
        oc.disconnect();
        noContent(c);
    }

    private void message(Call c) throws Http.BadRequest {
        JsonNode body = body(c);
        for (var e : body.properties()) {
            if (!e.getKey().equals("text")) {
                throw new Http.BadRequest(400, "unknown field '" + e.getKey() + "'");
            }
        }
        JsonNode t = body.get("text");
        if (t == null || !t.isTextual() || t.asText().isEmpty() || t.asText().length() > MAX_MESSAGE) {
            throw new Http.BadRequest(400, "text must be 1 to " + MAX_MESSAGE + " characters");
        }
        String text = t.asText();
        // no escape sequences or other control characters: a message must not take over the user's terminal
        if (text.codePoints().anyMatch(ch -> Character.getType(ch) == Character.CONTROL
                || Character.getType(ch) == Character.FORMAT)) {
            throw new Http.BadRequest(400, "text must not hold control characters");
        }
        OpenConnection oc = connection(c);
        int sent = 0;
        for (Client s : context.sessions()) {
            if (s.connectionId().equals(oc.id()) && s.hasPty() && s.isOpen()) {
                s.println(text);
                sent++;
            }
        }
        if (sent == 0) {
            throw new Http.BadRequest(409, "session '" + oc.id() + "' has no terminal to show a message on");
        }
        audit(c, "sent a message to", oc.id() + " of " + oc.user());
        ObjectNode n = Http.JSON.createObjectNode();
        n.put("terminals", sent);
        Http.json(c.response, c.callback, 200, n);
    }

    private static String remote(SocketAddress a) {
        if (a instanceof InetSocketAddress) {
            InetSocketAddress i = (InetSocketAddress) a;
            String host = i.getAddress() != null ? i.getAddress().getHostAddress() : i.getHostString();
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + i.getPort();
        }
        return a == null ? null : a.toString();
    }

    // ---- bans

    /**
     * A ban as JSON.
     *
     * @param b the ban
     * @return its address, end (null: permanent), offences and reason
     */
    static ObjectNode banJson(Ban b) {
        ObjectNode n = Http.JSON.createObjectNode();
        n.put("address", b.address());
        n.put("until", b.until() == null ? null : b.until().toString());
        n.put("offences", b.offences());
        n.put("reason", b.reason());
        return n;
    }

    private void listBans(Call c) {
        ArrayNode a = Http.JSON.createArrayNode();
        context.protector().bans().forEach(b -> a.add(banJson(b)));
        Http.json(c.response, c.callback, 200, a);
    }

    private void ban(Call c) throws Http.BadRequest {
        JsonNode body = body(c);
        for (var e : body.properties()) {
            if (!e.getKey().equals("address") && !e.getKey().equals("seconds")) {
                throw new Http.BadRequest(400, "unknown field '" + e.getKey() + "'");
            }
        }
        JsonNode address = body.get("address");
        JsonNode seconds = body.get("seconds");
        if (address == null || !address.isTextual()) {
            throw new Http.BadRequest(400, "address must be an IP address");
        }
        if (seconds == null || !seconds.isIntegralNumber() || seconds.asLong() < 1
                || seconds.asLong() > 10L * 365 * 24 * 3600) {
            throw new Http.BadRequest(400, "seconds must be a whole number from 1 to ten years");
        }
        Ban b;
        try {
            b = context.protector().ban(address.asText(), Duration.ofSeconds(seconds.asLong()));
        } catch (IllegalArgumentException e) {
            throw new Http.BadRequest(400, e.getMessage());
        }
        audit(c, "banned", b.address() + " until " + b.until());
        c.response.getHeaders().put(HttpHeader.LOCATION, PREFIX + "/bans/" + b.address());
        Http.json(c.response, c.callback, 201, banJson(b));
    }

    private void lift(Call c) throws Http.BadRequest {
        String address = c.param("address");
        boolean lifted;
        try {
            lifted = context.protector().lift(address);
        } catch (IllegalArgumentException e) {
            throw new Http.BadRequest(400, "not an IP address");
        } catch (IllegalStateException e) {
            // a cluster's shared protector state cannot be reached: nothing was lifted
            throw new Http.BadRequest(503, e.getMessage());
        }
        if (!lifted) {
            throw new Http.BadRequest(404, "no ban of that address");
        }
        audit(c, "lifted the ban of", address);
        noContent(c);
    }

    // ---- API keys

    private static ObjectNode keyJson(ApiKeys.Key k) {
        ObjectNode n = Http.JSON.createObjectNode();
        n.put("id", k.id());
        n.put("name", k.name());
        n.put("created", k.created().toString());
        n.put("saved", k.saved());
        return n;
    }

    private void listKeys(Call c) {
        ArrayNode a = Http.JSON.createArrayNode();
        keys.list().forEach(k -> a.add(keyJson(k)));
        Http.json(c.response, c.callback, 200, a);
    }

    private void createKey(Call c) throws Http.BadRequest, IOException {
        if (!c.who.account()) {
            throw new Http.BadRequest(403, "only an admin account makes API keys, not another key");
        }
        JsonNode body = body(c);
        for (var e : body.properties()) {
            if (!e.getKey().equals("name")) {
                throw new Http.BadRequest(400, "unknown field '" + e.getKey() + "'");
            }
        }
        JsonNode name = body.get("name");
        if (name == null || !name.isTextual() || !ApiKeys.validName(name.asText())) {
            throw new Http.BadRequest(400, "name must be 1 to 64 printable characters");
        }
        ApiKeys.Created k = keys.create(name.asText());
        audit(c, "made API key", k.record().id() + " '" + k.record().name() + "'");
        ObjectNode n = keyJson(k.record());
        n.put("key", k.key());
        c.response.getHeaders().put(HttpHeader.LOCATION, PREFIX + "/api-keys/" + k.record().id());
        Http.json(c.response, c.callback, 201, n);
    }

    private void deleteKey(Call c) throws Http.BadRequest, IOException {
        if (!keys.remove(c.param("id"))) {
            throw new Http.BadRequest(404, "no such API key");
        }
        audit(c, "revoked API key", c.param("id"));
        noContent(c);
    }

    // ---- shares

    /** A share as the admin sees it: no token (the link is the owner's to hand out) and no password hash. */
    private static ObjectNode shareJson(Share s) {
        ObjectNode n = Http.JSON.createObjectNode();
        n.put("id", s.id());
        n.put("owner", s.owner());
        n.put("path", s.path());
        n.put("directory", s.directory());
        n.put("mode", Shares.wire(s.mode()));
        n.put("created", s.created().toString());
        n.put("expires", s.expires() == null ? null : s.expires().toString());
        n.put("hasPassword", s.passwordProtected());
        n.put("maxUses", s.maxUses());
        n.put("uses", s.uses());
        return n;
    }

    private Shares shares() throws Http.BadRequest {
        Shares sh = shares;
        if (sh == null) {
            throw new Http.BadRequest(404, "share links are turned off on this server");
        }
        return sh;
    }

    private void listShares(Call c) throws Http.BadRequest {
        Shares sh = shares();
        String owner = Request.extractQueryParameters(c.request).getValue("owner");
        if (owner != null && !Account.validName(owner)) {
            throw new Http.BadRequest(400, "owner must be an account name");
        }
        ArrayNode a = Http.JSON.createArrayNode();
        for (Share s : owner == null ? sh.store().all() : sh.store().of(owner)) {
            a.add(shareJson(s));
        }
        Http.json(c.response, c.callback, 200, a);
    }

    private Share share(Shares sh, Call c) throws Http.BadRequest {
        return sh.store().byId(c.param("id")).orElseThrow(() -> new Http.BadRequest(404, "no such share"));
    }

    private void getShare(Call c) throws Http.BadRequest {
        Http.json(c.response, c.callback, 200, shareJson(share(shares(), c)));
    }

    private void deleteShare(Call c) throws Http.BadRequest, IOException {
        Shares sh = shares();
        Share s = share(sh, c);
        if (!sh.store().delete(s.id())) {
            throw new Http.BadRequest(404, "no such share");
        }
        audit(c, "deleted share", s);
        noContent(c);
    }

    // ---- events

    private void events(Call c) throws Http.BadRequest {
        Fields q;
        try {
            q = Request.extractQueryParameters(c.request);
        } catch (RuntimeException e) {
            throw new Http.BadRequest(400, "the query cannot be read");
        }
        Set<String> only = null;
        String types = q.getValue("types");
        if (types != null) {
            only = new LinkedHashSet<>();
            Set<String> known = Set.copyOf(events.types());
            for (String t : types.split(",")) {
                String n = t.strip();
                if (!known.contains(n)) {
                    throw new Http.BadRequest(400, "unknown event type '" + (n.matches("[a-z0-9-]{1,40}") ? n : "?")
                            + "'");
                }
                only.add(n);
            }
        }
        audit(c, "subscribed to events", only == null ? "all" : only);
        MDC.clear();
        events.subscribe(c.response, c.callback, only, () -> auth.stillAllowed(c.who));
    }

    @Override
    public void stop() {
        events.close();
    }
}
