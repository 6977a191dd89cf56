package dev.termlet.web.internal.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.termlet.io.PrivateFiles;
import dev.termlet.web.internal.Http;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The admin API's keys. A key is {@code tka_} and 43 characters of 32 random bytes; only its SHA-256 is kept (the
 * key has 256 bits of entropy, so a slow hash adds nothing). Keys made through the API are saved in
 * {@code DATA/web/api-keys.json} (mode 0600); keys the application gives at startup live in memory only. Thread-safe.
 */
public final class ApiKeys {
    /** The start of every key, so that a leaked one is easy to recognise in logs and scanners. */
    public static final String PREFIX = "tka_";
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * One key, without its secret.
     *
     * @param id its id, for listing and revoking
     * @param name what it is for
     * @param sha256 the hex SHA-256 of the key
     * @param created when it was made
     * @param saved whether it is kept in the file (false: given at startup, for this run only)
     */
    public record Key(String id, String name, String sha256, Instant created, boolean saved) {}

    private final Path file;
    private final List<Key> keys = new ArrayList<>();

    /**
     * Reads the saved keys.
     *
     * @param file the key file (it need not exist)
     * @throws IOException if it exists and cannot be read
     */
    public ApiKeys(Path file) throws IOException {
        this.file = file;
        if (Files.exists(file)) {
            JsonNode root = Http.JSON.readTree(Files.readAllBytes(file));
            for (JsonNode k : root.path("keys")) {
                keys.add(new Key(k.path("id").asText(), k.path("name").asText(), k.path("sha256").asText(),
                        Instant.parse(k.path("created").asText()), true));
            }
        }
    }

    /** @return a new random key */
    public static String newKey() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /**
     * Checks a name for a key.
     *
     * @param name the name
     * @return whether it is 1 to 64 printable characters
     */
    public static boolean validName(String name) {
        return name != null && !name.isBlank() && name.length() <= 64
                && name.chars().noneMatch(c -> c < 0x20 || c == 0x7f);
    }

    /**
     * Adds a key for this run only (not saved).
     *
     * @param name what it is for
     * @param key the key, at least 32 characters
     */
    public synchronized void addTransient(String name, String key) {
        keys.add(new Key(newId(), name, sha256(key), Instant.now(), false));
    }

    /**
     * Makes a key and saves its hash.
     *
     * @param name what it is for
     * @return the key's record and the key itself (shown once)
     * @throws IOException if the file cannot be written (nothing is added then)
     */
    public synchronized Created create(String name) throws IOException {
        String key = newKey();
        Key k = new Key(newId(), name, sha256(key), Instant.now(), true);
        keys.add(k);
        try {
            save();
        } catch (IOException e) {
            keys.remove(k);
            throw e;
        }
        return new Created(k, key);
    }

    /**
     * A key just made.
     *
     * @param record its record
     * @param key the key; never logged, shown to the client once
     */
    public record Created(Key record, String key) {
        @Override
        public String toString() {
            return "Created[" + record.id() + "]";
        }
    }

    /**
     * Revokes a key.
     *
     * @param id its id
     * @return whether it existed
     * @throws IOException if the file cannot be written (the key stays then)
     */
    public synchronized boolean remove(String id) throws IOException {
        Optional<Key> k = keys.stream().filter(x -> x.id().equals(id)).findFirst();
        if (k.isEmpty()) {
            return false;
        }
        keys.remove(k.get());
        if (k.get().saved()) {
            try {
                save();
            } catch (IOException e) {
                keys.add(k.get());
                throw e;
            }
        }
        return true;
    }

    /** @return the keys, without secrets */
    public synchronized List<Key> list() {
        return List.copyOf(keys);
    }

    /**
     * Finds the key a client sent, comparing every hash in constant time.
     *
     * @param presented the key from the request
     * @return its record, or empty
     */
    public Optional<Key> verify(String presented) {
        if (presented == null || !presented.startsWith(PREFIX) || presented.length() > 200) {
            return Optional.empty();
        }
        byte[] h = sha256(presented).getBytes(StandardCharsets.US_ASCII);
        Key found = null;
        for (Key k : list()) {
            if (MessageDigest.isEqual(h, k.sha256().getBytes(StandardCharsets.US_ASCII))) {
                found = k;
            }
        }
        return Optional.ofNullable(found);
    }

    private void save() throws IOException {
        ObjectNode root = Http.JSON.createObjectNode();
        ArrayNode a = root.putArray("keys");
        for (Key k : keys) {
            if (k.saved()) {
                a.addObject().put("id", k.id()).put("name", k.name()).put("sha256", k.sha256())
                        .put("created", k.created().toString());
            }
        }
        PrivateFiles.write(file, Http.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    }

    private static String newId() {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        return "k" + HexFormat.of().formatHex(b);
    }

    private static String sha256(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }
}
