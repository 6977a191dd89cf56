package dev.termlet.demos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.termlet.AuthRequest;
import dev.termlet.AuthResult;
import dev.termlet.Client;
import dev.termlet.Question;
import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import dev.termlet.annotations.OnUser;
import dev.termlet.auth.Account;
import dev.termlet.auth.AuthMethod;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The auth demo: an {@code auth} handler that asks an HTTP service (a tiny one the demo starts on
 * loopback), and keyboard-interactive logins with a TOTP second factor that a real authenticator app can
 * answer.
 */
@Command(name = "auth", mixinStandardHelpOptions = true,
        description = "External auth over HTTP, and keyboard-interactive with a TOTP second factor (RFC 6238).")
public final class AuthDemo implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    DemoOptions options = new DemoOptions();

    private HttpServer http;
    private final Map<String, String> secrets = new TreeMap<>();

    /** The stand-in for a company's identity service: knows one user, "web" with password "letmein". */
    private HttpServer startIdentityService() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/check", exchange -> {
            String result = "defer";
            try {
                JsonNode body = JSON.readTree(exchange.getRequestBody());
                String user = body.path("user").asText();
                if (user.equals("web")) {
                    result = "letmein".equals(body.path("password").asText()) ? "allow" : "deny";
                }
            } catch (IOException e) {
                result = "deny";
            }
            byte[] out = JSON.writeValueAsBytes(Map.of("result", result));
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, out.length);
            try (OutputStream o = exchange.getResponseBody()) {
                o.write(out);
            }
        });
        server.start();
        return server;
    }

    /** The auth handlers. */
    public final class Handlers {
        private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        private final URI endpoint;

        Handlers(URI endpoint) {
            this.endpoint = endpoint;
        }

        /** Asks the identity service; any failure denies (fail closed). */
        private AuthResult ask(String user, String password) {
            try {
                HttpRequest req = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(3))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(
                                Map.of("user", user, "password", password == null ? "" : password))))
                        .build();
                HttpResponse<byte[]> r = client.send(req, HttpResponse.BodyHandlers.ofByteArray());
                String result = JSON.readTree(r.body()).path("result").asText();
                return result.equals("allow") ? AuthResult.ALLOW : result.equals("deny") ? AuthResult.DENY
                        : AuthResult.DEFER;
            } catch (IOException e) {
                return AuthResult.DENY;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return AuthResult.DENY;
            }
        }

        @OnUser("auth-interactive-questions")
        List<Question> questions(AuthRequest r) {
            return secrets.containsKey(r.user())
                    ? List.of(new Question("Password: ", false), new Question("Verification code: ", true))
                    : List.of(new Question("Password: ", false));
        }

        @OnUser("auth")
        AuthResult auth(AuthRequest r) {
            String secret = secrets.get(r.user());
            if (r.method() == AuthMethod.PUBLICKEY) {
                return AuthResult.DEFER;
            }
            if (secret != null) {
                // a second factor is required: password logins cannot skip it
                if (r.method() != AuthMethod.KEYBOARD_INTERACTIVE || r.answers().size() < 2
                        || !Totp.verify(secret, r.answers().get(1), Instant.now())) {
                    return AuthResult.DENY;
                }
            }
            String password = r.method() == AuthMethod.PASSWORD ? r.password()
                    : r.answers().isEmpty() ? "" : r.answers().get(0);
            return ask(r.user(), password);
        }

        @OnUser("connect")
        void hello(Client c) {
            c.println("Hello " + c.user() + ": you got in " + (c.account().isPresent() ? "with a local account"
                    : "through the identity service") + ".");
        }
    }

    /**
     * The TOTP secret of a user created with {@code --user}.
     *
     * @param user the user
     * @return the Base32 secret, or null
     */
    public String secret(String user) {
        return secrets.get(user);
    }

    /**
     * Starts the identity service and the SSH server; each {@code --user} account gets a TOTP secret,
     * printed with its {@code otpauth://} URI.
     *
     * @return the running server
     * @throws IOException if the identity service cannot start or the secrets cannot be kept
     */
    public TermletServer start() throws IOException {
        http = startIdentityService();
        URI endpoint = URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/check");
        TermletServer server = options.apply(Termlet.server())
                .prompt("auth> ")
                .register(new Handlers(endpoint))
                .build();
        options.seedAccounts(server.accounts());
        Path file = options.data.resolve("totp-secrets.json");
        if (Files.exists(file)) {
            JSON.readTree(file.toFile()).fields().forEachRemaining(e -> secrets.put(e.getKey(), e.getValue().asText()));
        }
        for (Account a : server.accounts().list()) {
            if (!secrets.containsKey(a.name())) {
                secrets.put(a.name(), Totp.newSecret());
            }
            // with a second factor, only keys and keyboard-interactive are allowed
            server.accounts().save(a.toBuilder().authMethods(Set.of(AuthMethod.KEYBOARD_INTERACTIVE,
                    AuthMethod.PUBLICKEY)).build());
            System.out.println("TOTP for " + a.name() + ": " + Totp.uri("Termlet demo", a.name(), secrets.get(a.name())));
        }
        // the secrets are credentials: mode 0600, replaced atomically
        Path tmp = Files.createTempFile(options.data, ".totp", ".tmp",
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        Files.write(tmp, JSON.writeValueAsBytes(secrets));
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        System.out.println("identity service on " + endpoint + " (user 'web', password 'letmein')");
        return server.start();
    }

    /** Stops the identity service. */
    public void stopIdentityService() {
        if (http != null) {
            http.stop(0);
        }
    }

    @Override
    public Integer call() throws Exception {
        options.refuseLocal(spec, "auth", "is about logging in over SSH");
        try {
            return DemoOptions.serve("auth", start());
        } finally {
            stopIdentityService();
        }
    }
}
