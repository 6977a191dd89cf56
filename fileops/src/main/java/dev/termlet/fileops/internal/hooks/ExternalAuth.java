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
import java.util.Map;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SFTPGo's external authentication hook as a Termlet {@link Authenticator}. The program gets the
 * {@code SFTPGO_AUTHD_*} variables and answers on stdout; the URL gets a JSON POST and answers with status
 * and body. A user object whose {@code username} is the one logging in allows, and its status, home, permissions
 * and quota are kept in the account store ({@link SftpgoUsers}); an empty answer (SFTPGo: "the stored user does
 * not need to be updated") defers to the account store; anything else denies. Passwords
 * never reach the log, and neither does the program's output (a user object may hold secrets).
 */
public final class ExternalAuth implements Authenticator, ServerExtension {
    private static final Logger LOG = LoggerFactory.getLogger(ExternalAuth.class);

    private final HookTarget target;
    private final Duration timeout;
    private final HttpSender http;
    /** SFTPGo's {@code external_auth_scope}: 0 every method, else 1 password, 2 public key, 4 keyboard-interactive. */
    private final int scope;
    /** Set by {@link #configure}: where a returned user's home, permissions and quota are kept. */
    private volatile AccountStore store;
    private volatile Path homes;

    @Override
    public void configure(ExtensionContext context) {
        this.store = context.accounts();
        this.homes = context.dataDir().resolve("home");
    }

    /**
     * @param target the program or URL
     * @param timeout how long one call may take
     */
    public ExternalAuth(HookTarget target, Duration timeout) {
        this(target, timeout, 0);
    }

    /**
     * @param scope SFTPGo's {@code external_auth_scope}, 0 to 15: 0 every method, else the sum of 1 (password), 2
     *     (public key), 4 (keyboard-interactive) and 8 (TLS certificate, which Termlet has no logins by)
     * @throws IllegalArgumentException for another scope
     */
    public ExternalAuth(HookTarget target, Duration timeout, int scope) {
        if (scope < 0 || scope > 15) {
            throw new IllegalArgumentException("external_auth_scope is 0 (all) or a sum of 1 (password),"
                    + " 2 (public key), 4 (keyboard-interactive) and 8 (TLS certificate), not " + scope);
        }
        this.scope = scope;
        this.target = target;
        this.timeout = timeout;
        this.http = target.isProgram() ? null : new HttpSender(timeout);
    }

    @Override
    public AuthResult authenticate(AuthRequest request) throws InterruptedException {
        if (!inScope(scope, request.method())) {
            return AuthResult.DEFER; // not this hook's method: the account store decides, as SFTPGo's provider does
        }
        String ip = SftpgoForms.ip(request.remoteAddress());
        String password = "";
        String publicKey = "";
        String interactive = "";
        if (request.method() == AuthMethod.PASSWORD) {
            password = request.password() == null ? "" : request.password();
        } else if (request.method() == AuthMethod.PUBLICKEY && request.publicKey() != null) {
            publicKey = PublicKeyEntry.toString(request.publicKey());
        } else if (request.method() == AuthMethod.KEYBOARD_INTERACTIVE) {
            // Termlet has already asked its questions: the first answer is the password
            interactive = "1";
            password = request.answers().isEmpty() ? "" : request.answers().get(0);
        }
        Map<String, Object> stored = storedUser(request.user());
        String answer;
        if (target.isProgram()) {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("SFTPGO_AUTHD_USERNAME", request.user());
            env.put("SFTPGO_AUTHD_USER", stored == null ? "" : SftpgoForms.toJson(stored));
            env.put("SFTPGO_AUTHD_IP", ip);
            env.put("SFTPGO_AUTHD_PROTOCOL", request.protocol());
            env.put("SFTPGO_AUTHD_PASSWORD", password);
            env.put("SFTPGO_AUTHD_PUBLIC_KEY", publicKey);
            env.put("SFTPGO_AUTHD_KEYBOARD_INTERACTIVE", interactive);
            env.put("SFTPGO_AUTHD_TLS_CERT", "");
            ProgramRunner.Result r = ProgramRunner.run(target.program(), java.util.List.of(), env, timeout, false);
            if (!r.ok()) {
                LOG.info("external auth {} denied {} from {}: {}", target.describe(), request.user(), ip, r.describe());
                return AuthResult.DENY;
            }
            answer = r.stdout();
        } else {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("username", request.user());
            json.put("ip", ip);
            json.put("protocol", SftpgoForms.protocol(request.protocol()));
            if (stored != null) {
                json.put("user", stored);
            }
            if (!password.isEmpty()) {
                json.put("password", password);
            }
            if (!publicKey.isEmpty()) {
                json.put("public_key", publicKey);
            }
            if (!interactive.isEmpty()) {
                json.put("keyboard_interactive", interactive);
            }
            HttpSender.Result r = http.send("POST", target.url().toString(), SftpgoForms.toJson(json), timeout, true);
            if (!r.ok()) {
                LOG.info("external auth {} denied {} from {}: {}", target.describe(), request.user(), ip, r.describe());
                return AuthResult.DENY;
            }
            answer = r.body();
        }
        AuthResult result = decide(request.user(), answer);
        if (result == AuthResult.ALLOW) {
            result = keep(request.user(), answer);
        }
        LOG.debug("external auth {} for {} from {}: {}", target.describe(), request.user(), ip, result);
        return result;
    }

    /**
     * Whether a method is in an {@code external_auth_scope}.
     *
     * @param scope the scope, 0 for every method
     * @param method the method of the attempt
     * @return true if the hook is asked about it
     */
    static boolean inScope(int scope, AuthMethod method) {
        if (scope == 0) {
            return true;
        }
        int bit = method == AuthMethod.PASSWORD ? 1 : method == AuthMethod.PUBLICKEY ? 2
                : method == AuthMethod.KEYBOARD_INTERACTIVE ? 4 : 0;
        return (scope & bit) != 0;
    }

    /** @return the stored account as SFTPGo's user JSON (no password hash, no keys), or null if there is none */
    private Map<String, Object> storedUser(String user) {
        AccountStore accounts = store;
        if (accounts == null || !Account.validName(user)) {
            return null;
        }
        try {
            return accounts.find(user).map(a -> SftpgoForms.userJson(a, user, homes)).orElse(null);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * Stores what an allowing answer says of the user (status, home, permissions, quota), as SFTPGo adds or
     * updates the user in its data provider; the account is written only when it changes.
     *
     * @return allow, or deny for a user that is disabled, expired, or asks for what cannot be honoured
     */
    private AuthResult keep(String user, String answer) {
        AccountStore accounts = store;
        if (accounts == null) {
            return AuthResult.ALLOW; // not configured by a server (used on its own): the username is all it reads
        }
        try {
            Account existing = accounts.find(user).orElse(null);
            Account updated = SftpgoUsers.apply(SftpgoForms.JSON.readTree(answer), user, existing, homes);
            if (!updated.equals(existing)) {
                accounts.save(updated);
            }
            if (!updated.enabled()) {
                LOG.info("external auth {} allowed {}, but the user it returned is disabled or expired; denied",
                        target.describe(), user);
                return AuthResult.DENY;
            }
            return AuthResult.ALLOW;
        } catch (java.io.IOException | RuntimeException e) {
            LOG.warn("external auth {} allowed {}, but its user cannot be used ({}); denied", target.describe(), user,
                    e.getMessage());
            return AuthResult.DENY;
        }
    }

    /**
     * Reads the hook's answer.
     *
     * @param user the user logging in
     * @param answer what the hook wrote or sent back
     * @return allow for a user object with that username, defer for an empty answer, else deny
     */
    public static AuthResult decide(String user, String answer) {
        if (answer == null || answer.isBlank()) {
            return AuthResult.DEFER;
        }
        try {
            JsonNode node = SftpgoForms.JSON.readTree(answer);
            if (node != null && node.isObject() && node.path("username").isTextual()) {
                String name = node.path("username").asText();
                return !name.isEmpty() && name.equals(user) ? AuthResult.ALLOW : AuthResult.DENY;
            }
        } catch (java.io.IOException e) {
            LOG.warn("external auth answer for {} is not a JSON user; denied", user);
        }
        return AuthResult.DENY;
    }
}
