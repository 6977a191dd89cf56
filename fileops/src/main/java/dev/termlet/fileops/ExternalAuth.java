package dev.termlet.fileops;

import com.fasterxml.jackson.databind.JsonNode;
import dev.termlet.AuthRequest;
import dev.termlet.AuthResult;
import dev.termlet.Authenticator;
import dev.termlet.auth.AuthMethod;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SFTPGo's external authentication hook as a Termlet {@link Authenticator}. The program gets the
 * {@code SFTPGO_AUTHD_*} variables and answers on stdout; the URL gets a JSON POST and answers with status
 * and body. A user object whose {@code username} is the one logging in allows; an empty answer (SFTPGo: "the
 * stored user does not need to be updated") defers to the account store; anything else denies. Passwords
 * never reach the log, and neither does the program's output (a user object may hold secrets).
 */
final class ExternalAuth implements Authenticator {
    private static final Logger LOG = LoggerFactory.getLogger(ExternalAuth.class);

    private final HookTarget target;
    private final Duration timeout;
    private final HttpSender http;

    ExternalAuth(HookTarget target, Duration timeout) {
        this.target = target;
        this.timeout = timeout;
        this.http = target.isProgram() ? null : new HttpSender(timeout);
    }

    @Override
    public AuthResult authenticate(AuthRequest request) throws InterruptedException {
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
        String answer;
        if (target.isProgram()) {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("SFTPGO_AUTHD_USERNAME", request.user());
            env.put("SFTPGO_AUTHD_USER", "");
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
            json.put("protocol", request.protocol());
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
        LOG.debug("external auth {} for {} from {}: {}", target.describe(), request.user(), ip, result);
        return result;
    }

    /**
     * Reads the hook's answer.
     *
     * @param user the user logging in
     * @param answer what the hook wrote or sent back
     * @return allow for a user object with that username, defer for an empty answer, else deny
     */
    static AuthResult decide(String user, String answer) {
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
