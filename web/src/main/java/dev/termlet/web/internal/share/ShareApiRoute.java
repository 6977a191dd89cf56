package dev.termlet.web.internal.share;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.termlet.web.internal.Http;
import dev.termlet.web.internal.Login;
import dev.termlet.web.internal.Logins;
import dev.termlet.web.internal.Route;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.MDC;

/**
 * A logged-in browser's share links, at {@code /api/shares} (the session cookie, and the CSRF token for changes):
 * <ul>
 *   <li>{@code GET /api/shares}: the user's shares;</li>
 *   <li>{@code POST /api/shares} with {@code {"path", "mode": "read"|"write"|"upload-only", "expires": ISO instant,
 *       or "expiresIn": "7d", "password", "maxUses"}}: a new share (201, with its {@code url});</li>
 *   <li>{@code GET /api/shares/ID}: one share; {@code DELETE /api/shares/ID}: deletes it (204).</li>
 * </ul>
 * Errors are RFC 9457 problem documents.
 */
public final class ShareApiRoute implements Route {
    private final Logins logins;
    private final Shares shares;
    private final Function<Request, String> base;

    /**
     * @param logins the logins
     * @param shares the shares
     * @param base the base address of links for a request ({@code https://host:port})
     */
    public ShareApiRoute(Logins logins, Shares shares, Function<Request, String> base) {
        this.logins = logins;
        this.shares = shares;
        this.base = base;
    }

    @Override
    public String prefix() {
        return "/api/shares";
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Optional<Login> login = Http.browser(logins, request);
        if (login.isEmpty()) {
            Http.problem(response, callback, 401, "Unauthorized", "log in first (and send the CSRF token with changes)");
            return true;
        }
        Login l = login.get();
        MDC.setContextMap(l.mdc());
        String path = Request.getPathInContext(request);
        String id = path.length() > prefix().length() + 1 ? path.substring(prefix().length() + 1) : null;
        String m = request.getMethod();
        if (id == null && m.equals("GET")) {
            ArrayNode a = Http.JSON.createArrayNode();
            for (Share s : shares.store().of(l.user())) {
                a.add(view(s, base.apply(request)));
            }
            Http.json(response, callback, 200, a);
        } else if (id == null && m.equals("POST")) {
            create(l, request, response, callback);
        } else if (id != null && (m.equals("GET") || m.equals("DELETE"))) {
            Optional<Share> s = shares.store().byId(id).filter(x -> x.owner().equals(l.user()));
            if (s.isEmpty()) {
                Http.problem(response, callback, 404, "Not found", "no such share");
            } else if (m.equals("GET")) {
                Http.json(response, callback, 200, view(s.get(), base.apply(request)));
            } else {
                try {
                    shares.store().delete(id);
                } catch (IOException e) {
                    Http.problem(response, callback, 500, "Internal error", "the share could not be deleted");
                    return true;
                }
                response.setStatus(204);
                callback.succeeded();
            }
        } else {
            response.getHeaders().put(HttpHeader.ALLOW, id == null ? "GET, POST" : "GET, DELETE");
            Http.problem(response, callback, 405, "Method not allowed", null);
        }
        return true;
    }

    private void create(Login l, Request request, Response response, Callback callback) {
        JsonNode body;
        try {
            body = Http.readJson(request, "the share");
        } catch (Http.BadRequest e) {
            Http.problem(response, callback, e.status(), Http.title(e.status()), e.getMessage());
            return;
        }
        char[] password = body.path("password").isTextual() ? body.get("password").asText().toCharArray() : null;
        try {
            if (!body.path("path").isTextual()) {
                throw new Shares.Refused(400, "path is required");
            }
            Instant expires = null;
            if (body.hasNonNull("expires")) {
                try {
                    expires = Instant.parse(body.get("expires").asText());
                } catch (DateTimeParseException e) {
                    throw new Shares.Refused(400, "expires must be an ISO-8601 instant (2030-01-31T12:00:00Z)");
                }
            }
            if (body.hasNonNull("expiresIn")) {
                Duration d = Shares.duration(body.get("expiresIn").asText());
                if (d == null || expires != null) {
                    throw new Shares.Refused(400, "expiresIn must be a lifetime such as 7d, 12h or PT30M, without"
                            + " expires");
                }
                expires = shares.now().plus(d.compareTo(Shares.MAX_LIFETIME) > 0 ? Shares.MAX_LIFETIME.plusDays(1) : d);
            }
            JsonNode max = body.path("maxUses");
            if (!max.isMissingNode() && !max.isNull() && !max.canConvertToInt()) {
                throw new Shares.Refused(400, "maxUses must be a whole number");
            }
            String mode = body.path("mode").asText("read");
            Share s = shares.create(l, l.session(), new Shares.Spec(body.get("path").asText(), Shares.mode(mode),
                    expires, password, max.asInt(0)));
            response.getHeaders().put(HttpHeader.LOCATION, prefix() + "/" + s.id());
            Http.json(response, callback, 201, view(s, base.apply(request)));
        } catch (Shares.Refused e) {
            Http.problem(response, callback, e.status(), Http.title(e.status()), e.getMessage());
        } finally {
            if (password != null) {
                Arrays.fill(password, '\0');
            }
        }
    }

    /**
     * A share as the API shows it to its owner.
     *
     * @param s the share
     * @param base the base address of links
     * @return the JSON
     */
    static ObjectNode view(Share s, String base) {
        ObjectNode n = Http.JSON.createObjectNode();
        n.put("id", s.id());
        n.put("url", base + "/s/" + s.token());
        n.put("path", s.path());
        n.put("directory", s.directory());
        n.put("mode", Shares.wire(s.mode()));
        n.put("created", s.created().toString());
        n.put("expires", s.expires() == null ? null : s.expires().toString());
        n.put("password", s.passwordProtected());
        n.put("maxUses", s.maxUses());
        n.put("uses", s.uses());
        return n;
    }
}
