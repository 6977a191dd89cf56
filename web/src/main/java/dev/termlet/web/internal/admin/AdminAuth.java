package dev.termlet.web.internal.admin;

import dev.termlet.auth.Account;
import dev.termlet.protector.Addresses;
import dev.termlet.protector.Strike;
import dev.termlet.spi.ExtensionContext;
import dev.termlet.spi.ForeignConnection;
import dev.termlet.web.internal.Http;
import dev.termlet.web.internal.Login;
import dev.termlet.web.internal.Logins;
import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may use the admin API: a client with an API key ({@code Authorization: Bearer KEY}), or an account with the
 * permission {@value #ADMIN} that sends Basic credentials (checked through the server's pipeline: auth events, the
 * account store, the protector) or has a browser login (its cookie, and its CSRF token for a change). A wrong key
 * or password is one of the protector's strikes against the address; a banned address is refused before anything
 * is checked; an account without the permission gets 403.
 */
final class AdminAuth {
    private static final Logger LOG = LoggerFactory.getLogger(AdminAuth.class);
    /** The account permission that makes an admin. */
    static final String ADMIN = "admin";

    private final ExtensionContext context;
    private final Logins logins;
    private final ApiKeys keys;

    AdminAuth(ExtensionContext context, Logins logins, ApiKeys keys) {
        this.context = context;
        this.logins = logins;
        this.keys = keys;
    }

    /**
     * Who called.
     *
     * @param kind {@code key} or {@code account}
     * @param name the key's name or the account's
     * @param keyId the key's id, or null for an account
     */
    record Principal(String kind, String name, String keyId) {
        boolean account() {
            return kind.equals("account");
        }
    }

    /**
     * Whether a caller would still be let in now: its key is not revoked, or its account still exists, is enabled
     * and has the permission {@value #ADMIN}. A long request (the event stream) asks again while it lasts.
     *
     * @param who the caller as authenticated
     * @return true while it is still allowed
     */
    boolean stillAllowed(Principal who) {
        if (!who.account()) {
            return keys.list().stream().anyMatch(k -> k.id().equals(who.keyId()));
        }
        Optional<Account> a = context.accounts().find(who.name());
        return a.isPresent() && a.get().enabled() && a.get().hasPermission(ADMIN);
    }

    /** A refused request: its status and what to tell the client. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        Refused(int status, String detail) {
            super(detail, null, false, false);
            this.status = status;
        }
    }

    /**
     * Decides who a request comes from.
     *
     * @param request the request
     * @return the principal
     * @throws Refused with 401 (no or wrong credentials) or 403 (banned, not an admin, no CSRF token)
     */
    Principal authenticate(Request request) throws Refused {
        String host = Addresses.host(Http.remote(request));
        if (context.protector().check(host).isPresent()) {
            throw new Refused(403, "this address is banned");
        }
        String h = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (h != null && h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            Optional<ApiKeys.Key> k = keys.verify(h.substring(7).strip());
            if (k.isEmpty()) {
                LOG.info("admin API: wrong API key from {}", host);
                context.protector().strike(host, Strike.Kind.FAILED_LOGIN, null);
                throw new Refused(401, "unknown API key");
            }
            return new Principal("key", k.get().name(), k.get().id());
        }
        if (h != null && h.regionMatches(true, 0, "Basic ", 0, 6)) {
            Optional<Http.Credentials> c = Http.basic(request);
            if (c.isEmpty()) {
                throw new Refused(401, "malformed Basic credentials");
            }
            return basic(request, c.get());
        }
        if (h != null) {
            throw new Refused(401, "use Bearer with an API key, or Basic");
        }
        Optional<String> token = Http.sessionToken(request);
        if (token.isPresent()) {
            Optional<Login> l = Http.browser(logins, request);
            if (l.isEmpty()) {
                if (logins.byToken(token.get()).isPresent()) {
                    throw new Refused(403, "send the login's CSRF token in " + Http.CSRF_HEADER);
                }
                throw new Refused(401, "the browser login has ended");
            }
            org.slf4j.MDC.setContextMap(l.get().mdc());
            return admin(l.get().user());
        }
        throw new Refused(401, "send an API key (Bearer) or an admin account's credentials");
    }

    private Principal basic(Request request, Http.Credentials c) throws Refused {
        ForeignConnection conn;
        try {
            conn = context.admit(Http.remote(request), "HTTP", () -> { });
        } catch (IOException refused) {
            throw new Refused(403, refused.getMessage());
        }
        try {
            if (!Account.validName(c.user()) || !conn.authenticate(c.user(), new String(c.password()))) {
                // the pipeline counted the strike
                throw new Refused(401, "wrong user name or password");
            }
            org.slf4j.MDC.setContextMap(conn.mdc());
            return admin(c.user());
        } finally {
            Arrays.fill(c.password(), '\0');
            conn.close();
        }
    }

    private Principal admin(String user) throws Refused {
        Optional<Account> a = context.accounts().find(user);
        if (a.isEmpty() || !a.get().enabled() || !a.get().hasPermission(ADMIN)) {
            LOG.info("admin API refused to {}: not an admin account", user);
            throw new Refused(403, "the account is not an admin");
        }
        return new Principal("account", user, null);
    }
}
