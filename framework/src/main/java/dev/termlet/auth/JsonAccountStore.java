package dev.termlet.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.termlet.internal.util.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The embedded account store: {@code users.json} in the data directory. Every change is written to a
 * temporary file in the same directory, forced to disk and renamed over the old file, so a crash never
 * leaves a half-written store; the file is mode 0600.
 *
 * <pre>{@code
 * {"version":1,"users":[{"name":"alice","passwordHash":"$argon2id$...","authorizedKeys":[],
 *   "prompt":null,"banner":null,"idleTimeoutSeconds":null,"echo":true,"permissions":["admin"],
 *   "authMethods":["password"],"enabled":true}]}
 * }</pre>
 */
public final class JsonAccountStore implements AccountStore {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path file;
    private final TreeMap<String, Account> accounts = new TreeMap<>();

    private JsonAccountStore(Path file) {
        this.file = file;
    }

    /**
     * Opens the store in a data directory, creating the directory if needed and loading
     * {@code users.json} if present.
     *
     * @param dataDir the data directory
     * @return the store
     * @throws UncheckedIOException if the directory or file cannot be read
     * @throws IllegalStateException if the file is malformed (the message names the file and the problem)
     */
    public static JsonAccountStore open(Path dataDir) {
        JsonAccountStore store = new JsonAccountStore(dataDir.resolve("users.json"));
        try {
            Files.createDirectories(dataDir);
            if (Files.exists(store.file)) {
                store.load(Files.readAllBytes(store.file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + store.file, e);
        }
        return store;
    }

    /** @return the file the store is kept in */
    public Path file() {
        return file;
    }

    private void load(byte[] bytes) {
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw bad("it is not valid JSON: " + e.getOriginalMessage() + " at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (root == null || !root.isObject()) {
            throw bad("the top level must be an object with \"version\" and \"users\"");
        }
        JsonNode version = root.get("version");
        if (version == null || !version.isInt() || version.asInt() != 1) {
            throw bad("\"version\" must be 1");
        }
        JsonNode users = root.get("users");
        if (users == null || !users.isArray()) {
            throw bad("\"users\" must be an array");
        }
        int index = 0;
        for (JsonNode u : users) {
            Account a = readAccount(u, index++);
            if (accounts.putIfAbsent(a.name(), a) != null) {
                throw bad("user '" + a.name() + "' appears twice");
            }
        }
    }

    private Account readAccount(JsonNode u, int index) {
        String where = "users[" + index + "]";
        if (!u.isObject()) {
            throw bad(where + " must be an object");
        }
        try {
            Account.Builder b = Account.builder(text(u, "name", where, true));
            b.passwordHash(text(u, "passwordHash", where, false));
            for (String line : strings(u, "authorizedKeys", where)) {
                b.addAuthorizedKey(line);
            }
            b.prompt(text(u, "prompt", where, false));
            b.banner(text(u, "banner", where, false));
            JsonNode idle = u.get("idleTimeoutSeconds");
            if (idle != null && !idle.isNull()) {
                if (!idle.canConvertToLong() || !idle.isIntegralNumber() || idle.asLong() < 0) {
                    throw bad(where + ".idleTimeoutSeconds must be a whole number of seconds");
                }
                b.idleTimeout(Duration.ofSeconds(idle.asLong()));
            }
            b.echo(bool(u, "echo", where, true));
            b.permissions(strings(u, "permissions", where));
            List<AuthMethod> methods = new ArrayList<>();
            for (String m : strings(u, "authMethods", where)) {
                methods.add(AuthMethod.parse(m));
            }
            b.authMethods(methods);
            b.enabled(bool(u, "enabled", where, true));
            return b.build();
        } catch (IllegalArgumentException e) {
            throw bad(where + ": " + e.getMessage());
        }
    }

    private static String text(JsonNode u, String field, String where, boolean required) {
        JsonNode n = u.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                throw new IllegalArgumentException("\"" + field + "\" is missing");
            }
            return null;
        }
        if (!n.isTextual()) {
            throw new IllegalArgumentException("\"" + field + "\" must be a string");
        }
        return n.asText();
    }

    private static boolean bool(JsonNode u, String field, String where, boolean dflt) {
        JsonNode n = u.get(field);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.isBoolean()) {
            throw new IllegalArgumentException("\"" + field + "\" must be true or false");
        }
        return n.asBoolean();
    }

    private static List<String> strings(JsonNode u, String field, String where) {
        JsonNode n = u.get(field);
        List<String> out = new ArrayList<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (!n.isArray()) {
            throw new IllegalArgumentException("\"" + field + "\" must be an array of strings");
        }
        for (JsonNode e : n) {
            if (!e.isTextual()) {
                throw new IllegalArgumentException("\"" + field + "\" must be an array of strings");
            }
            out.add(e.asText());
        }
        return out;
    }

    private IllegalStateException bad(String what) {
        return new IllegalStateException("account store " + file + " is malformed: " + what
                + ". Fix or restore the file; it was left untouched.");
    }

    @Override
    public synchronized Optional<Account> find(String name) {
        return Optional.ofNullable(name == null ? null : accounts.get(name));
    }

    @Override
    public synchronized List<Account> list() {
        return List.copyOf(accounts.values());
    }

    @Override
    public synchronized boolean isEmpty() {
        return accounts.isEmpty();
    }

    @Override
    public synchronized void save(Account account) {
        Account previous = accounts.put(account.name(), account);
        try {
            write();
        } catch (IOException e) {
            if (previous == null) {
                accounts.remove(account.name());
            } else {
                accounts.put(account.name(), previous);
            }
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    @Override
    public synchronized boolean remove(String name) {
        Account previous = accounts.remove(name);
        if (previous == null) {
            return false;
        }
        try {
            write();
        } catch (IOException e) {
            accounts.put(name, previous);
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return true;
    }

    private void write() throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", 1);
        ArrayNode users = root.putArray("users");
        for (Account a : accounts.values()) {
            ObjectNode u = users.addObject();
            u.put("name", a.name());
            u.put("passwordHash", a.passwordHash());
            ArrayNode keys = u.putArray("authorizedKeys");
            a.authorizedKeys().forEach(keys::add);
            u.put("prompt", a.prompt());
            u.put("banner", a.banner());
            if (a.idleTimeout() == null) {
                u.putNull("idleTimeoutSeconds");
            } else {
                u.put("idleTimeoutSeconds", a.idleTimeout().getSeconds());
            }
            u.put("echo", a.echo());
            ArrayNode perms = u.putArray("permissions");
            a.permissions().stream().sorted().forEach(perms::add);
            ArrayNode methods = u.putArray("authMethods");
            a.authMethods().stream().sorted().forEach(m -> methods.add(m.wireName()));
            u.put("enabled", a.enabled());
        }
        AtomicFiles.writePrivate(file, JSON.writeValueAsBytes(root));
    }
}
