package dev.termlet.web.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * A browser's login, at {@code /api/session}:
 * <ul>
 *   <li>{@code POST} with {@code {"user": ..., "password": ...}} ({@code application/json} only, so a form of
 *       another site cannot post it) logs in: the session cookie, and {@code {"user", "csrf"}};</li>
 *   <li>{@code GET} tells who is logged in, with the CSRF token (401 when no one is);</li>
 *   <li>{@code DELETE} logs out (with the CSRF token).</li>
 * </ul>
 * Failed logins count as the protector's strikes, as over SSH; a banned address is refused (403).
 */
public final class SessionRoute implements Route {
    private static final Logger LOG = LoggerFactory.getLogger(SessionRoute.class);
    private final Logins logins;

    /** @param logins the logins */
    public SessionRoute(Logins logins) {
        this.logins = logins;
    }

    @Override
    public String prefix() {
        return "/api/session";
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        switch (request.getMethod()) {
            case "POST":
                login(request, response, callback);
                return true;
            case "GET": {
                Optional<Login> l = Http.browser(logins, request);
                if (l.isEmpty()) {
                    Http.problem(response, callback, 401, "Unauthorized", "not logged in");
                } else {
                    Http.json(response, callback, 200, Map.of("user", l.get().user(), "csrf", l.get().csrf()));
                }
                return true;
            }
            case "DELETE": {
                Optional<Login> l = Http.browser(logins, request);
                if (l.isEmpty()) {
                    Http.problem(response, callback, 401, "Unauthorized", "not logged in");
                    return true;
                }
                MDC.setContextMap(l.get().mdc());
                logins.logout(Http.sessionToken(request).orElse(null));
                Http.sessionCookie(request, response, null);
                response.setStatus(204);
                callback.succeeded();
                return true;
            }
            default:
                response.getHeaders().put(HttpHeader.ALLOW, "GET, POST, DELETE");
                Http.problem(response, callback, 405, "Method not allowed", null);
                return true;
        }
    }

    private void login(Request request, Response response, Callback callback) {
        JsonNode body;
        try {
            body = Http.readJson(request, "the login");
        } catch (Http.BadRequest e) {
            Http.problem(response, callback, e.status(), Http.title(e.status()), e.getMessage());
            return;
        }
        String user = body.path("user").asText("");
        char[] password = body.path("password").asText("").toCharArray();
        try {
            Optional<Logins.Browser> b = logins.browser(Http.remote(request), user, password);
            if (b.isEmpty()) {
                Http.problem(response, callback, 401, "Unauthorized", "wrong user name or password");
                return;
            }
            MDC.setContextMap(b.get().login().mdc());
            LOG.info("{} logged in over HTTPS", user);
            Http.sessionCookie(request, response, b.get().token());
            Http.json(response, callback, 200, Map.of("user", b.get().login().user(), "csrf",
                    b.get().login().csrf()));
        } catch (IOException refused) {
            Http.problem(response, callback, 403, "Forbidden", refused.getMessage());
        } finally {
            java.util.Arrays.fill(password, '\0');
        }
    }
}
