package dev.termlet.fileops.internal.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.termlet.AuthRequest;
import dev.termlet.AuthResult;
import dev.termlet.Authenticator;
import dev.termlet.auth.Account;
import dev.termlet.auth.AccountStore;
import dev.termlet.auth.AuthMethod;
import dev.termlet.spi.ExtensionContext;
import dev.termlet.spi.ServerExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SFTPGo's pre-login hook and check-password hook as Termlet {@link Authenticator}s. Both are also
 * {@link ServerExtension}s: {@code Termlet.server().authenticator(...)} configures them with the account store.
 * Neither logs a password or a hook's output.
 */
public final class LoginHooks {
    private static final Logger LOG = LoggerFactory.getLogger(LoginHooks.class);

    private LoginHooks() {}

    /** What a hook answered: its output (program) or body (URL), and its HTTP status (200 for a program). */
    private record Answer(boolean ok, int status, String text) {}

    /** The account store and homes of the server, set when the server is built. */
    private abstract static class Base implements Authenticator, ServerExtension {
        final HookTarget target;
        final Duration timeout;
        final HttpSender http;
        volatile AccountStore store;
        volatile Path homes;

        Base(HookTarget target, Duration timeout) {
            this.target = target;
            this.timeout = timeout;
            this.http = target.isProgram() ? null : new HttpSender(timeout);
        }

        @Override
        public void configure(ExtensionContext context) {
            this.store = context.accounts();
            this.homes = context.dataDir().resolve("home");
        }

        /** Runs the program with these variables, or POSTs the JSON to the URL with this query. */
        Answer call(Map<String, String> env, String json, Map<String, String> query) throws InterruptedException {
            if (target.isProgram()) {
                ProgramRunner.Result r = ProgramRunner.run(target.program(), List.of(), env, timeout, false);
                if (!r.ok()) {
                    LOG.info("hook {} failed: {}", target.describe(), r.describe());
                }
                return new Answer(r.ok(), r.ok() ? 200 : -1, r.stdout());
            }
            String url = query.isEmpty() ? target.url().toString()
                    : SftpgoForms.withQuery(target.url().toString(), query);
            HttpSender.Result r = http.send("POST", url, json, timeout, true);
            if (!r.ok()) {
                LOG.info("hook {} failed: {}", target.describe(), r.describe());
            }
            return new Answer(r.ok(), r.status(), r.body());
        }

        AccountStore store() {
            AccountStore s = store;
            if (s == null) {
                throw new IllegalStateException("give this hook to Termlet.server().authenticator(...)");
            }
            return s;
        }
    }

    /**
     * SFTPGo's pre-login hook ("dynamic user creation or modification"): before each login attempt it gets the
     * stored user and may create or change it; the account store then checks the credentials. A program reads
     * {@code SFTPGO_LOGIND_USER} (the stored user as JSON, {@code "id":0} if there is none),
     * {@code SFTPGO_LOGIND_METHOD}, {@code SFTPGO_LOGIND_IP} and {@code SFTPGO_LOGIND_PROTOCOL}, and writes nothing
     * (no change) or a user, whole or only the fields to change. A URL gets a POST of the user to
     * {@code URL?login_method=&ip=&protocol=} and answers 204 (no change) or 200 with a user. A failing hook, or a
     * user that cannot be honoured, denies the login.
     */
    public static final class PreLogin extends Base {
        /**
         * @param target the program or URL
         * @param timeout how long one call may take
         */
        public PreLogin(HookTarget target, Duration timeout) {
            super(target, timeout);
        }

        @Override
        public AuthResult authenticate(AuthRequest request) throws InterruptedException {
            String name = request.user();
            if (!Account.validName(name)) {
                return AuthResult.DENY;
            }
            AccountStore accounts = store();
            Account existing = accounts.find(name).orElse(null);
            String user = SftpgoForms.toJson(SftpgoForms.userJson(existing, name, homes));
            String ip = SftpgoForms.ip(request.remoteAddress());
            Map<String, String> env = new LinkedHashMap<>();
            env.put("SFTPGO_LOGIND_USER", user);
            env.put("SFTPGO_LOGIND_METHOD", request.method().wireName());
            env.put("SFTPGO_LOGIND_IP", ip);
            env.put("SFTPGO_LOGIND_PROTOCOL", request.protocol());
            Map<String, String> query = new LinkedHashMap<>();
            query.put("login_method", request.method().wireName());
            query.put("ip", ip);
            query.put("protocol", SftpgoForms.protocol(request.protocol()));
            Answer a = call(env, user, query);
            if (!a.ok()) {
                return AuthResult.DENY;
            }
            if (a.status() == 204 || a.text().isBlank()) {
                return AuthResult.DEFER;
            }
            try {
                JsonNode node = SftpgoForms.JSON.readTree(a.text());
                if (node == null || !node.isObject()) {
                    throw new IllegalArgumentException("not a JSON user");
                }
                if (node.has("username") && !name.equals(node.path("username").asText())) {
                    throw new IllegalArgumentException("a user of another name");
                }
                Account updated = SftpgoUsers.apply(node, name, existing, homes, true);
                if (!updated.equals(existing)) {
                    accounts.save(updated);
                    LOG.info("pre-login hook {} {} {}", target.describe(), existing == null ? "created" : "changed",
                            name);
                }
                return AuthResult.DEFER;
            } catch (java.io.IOException | RuntimeException e) {
                LOG.warn("pre-login hook {} answered for {} with a user that cannot be used ({}); denied",
                        target.describe(), name, e.getMessage());
                return AuthResult.DENY;
            }
        }
    }

    /**
     * SFTPGo's check-password hook, for password logins (other methods go to the account store). A program reads
     * {@code SFTPGO_AUTHD_USERNAME}, {@code SFTPGO_AUTHD_PASSWORD}, {@code SFTPGO_AUTHD_IP} and
     * {@code SFTPGO_AUTHD_PROTOCOL}; a URL gets a POST of {@code username}, {@code password}, {@code ip},
     * {@code protocol}. Either answers {@code {"status":1}} (the password is right: the stored user logs in),
     * {@code {"status":2,"to_verify":"..."}} (the store checks {@code to_verify}, for password plus one-time
     * code) or {@code {"status":0}} (denied). Anything else denies.
     */
    public static final class CheckPassword extends Base {
        /**
         * @param target the program or URL
         * @param timeout how long one call may take
         */
        public CheckPassword(HookTarget target, Duration timeout) {
            super(target, timeout);
        }

        @Override
        public AuthResult authenticate(AuthRequest request) throws InterruptedException {
            if (request.method() != AuthMethod.PASSWORD) {
                return AuthResult.DEFER;
            }
            String name = request.user();
            AccountStore accounts = store();
            Account account = Account.validName(name) ? accounts.find(name).orElse(null) : null;
            if (account == null || !account.enabled()) {
                return AuthResult.DENY; // the hook checks a stored user's password
            }
            String password = request.password() == null ? "" : request.password();
            String ip = SftpgoForms.ip(request.remoteAddress());
            Map<String, String> env = new LinkedHashMap<>();
            env.put("SFTPGO_AUTHD_USERNAME", name);
            env.put("SFTPGO_AUTHD_PASSWORD", password);
            env.put("SFTPGO_AUTHD_IP", ip);
            env.put("SFTPGO_AUTHD_PROTOCOL", request.protocol());
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("username", name);
            json.put("password", password);
            json.put("ip", ip);
            json.put("protocol", SftpgoForms.protocol(request.protocol()));
            Answer a = call(env, SftpgoForms.toJson(json), Map.of());
            if (!a.ok() || a.status() != 200) {
                return AuthResult.DENY;
            }
            try {
                JsonNode node = SftpgoForms.JSON.readTree(a.text());
                int status = node != null && node.path("status").isInt() ? node.path("status").asInt() : 0;
                if (status == 1) {
                    return AuthResult.ALLOW;
                }
                if (status == 2 && node.path("to_verify").isTextual()) {
                    char[] rest = node.path("to_verify").asText().toCharArray();
                    try {
                        return accounts.checkPassword(name, rest, AuthMethod.PASSWORD) ? AuthResult.ALLOW
                                : AuthResult.DENY;
                    } finally {
                        java.util.Arrays.fill(rest, '\0');
                    }
                }
            } catch (java.io.IOException e) {
                LOG.warn("check-password hook {} answered for {} with no JSON; denied", target.describe(), name);
            }
            return AuthResult.DENY;
        }
    }
}
