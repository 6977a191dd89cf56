package dev.termlet.web.internal.share;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.termlet.io.PrivateFiles;
import dev.termlet.web.ShareMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The share links, kept in memory and in {@code DATA/web/shares.json} (written whole and atomically, readable by the
 * server's user only; passwords only as hashes). A file that cannot be read stops the server rather than losing the
 * shares. Thread-safe.
 */
public final class ShareStore {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Map<String, Share> byId = new LinkedHashMap<>();
    private final Map<String, Share> byToken = new LinkedHashMap<>();

    /**
     * Reads the store, or starts an empty one.
     *
     * @param file the JSON file
     * @throws IOException if it is there but cannot be read
     */
    public ShareStore(Path file) throws IOException {
        this.file = file;
        if (Files.exists(file)) {
            JsonNode root;
            try {
                root = JSON.readTree(Files.readAllBytes(file));
            } catch (IOException e) {
                throw new IOException("cannot read the share links in " + file + ": " + e.getMessage(), e);
            }
            if (root == null || !root.path("shares").isArray()) {
                throw new IOException("cannot read the share links in " + file + ": no \"shares\" array");
            }
            for (JsonNode n : root.get("shares")) {
                Share s = read(n);
                byId.put(s.id(), s);
                byToken.put(s.token(), s);
            }
        }
    }

    private static Share read(JsonNode n) throws IOException {
        try {
            String id = text(n, "id");
            String token = text(n, "token");
            String owner = text(n, "owner");
            String path = text(n, "path");
            if (id == null || token == null || owner == null || path == null || token.length() < 22) {
                throw new IOException("a share lacks its id, token, owner or path");
            }
            return new Share(id, token, owner, path, n.path("directory").asBoolean(false),
                    ShareMode.valueOf(text(n, "mode")), Instant.parse(text(n, "created")),
                    text(n, "expires") == null ? null : Instant.parse(text(n, "expires")), text(n, "passwordHash"),
                    n.path("maxUses").asInt(0), n.path("uses").asInt(0));
        } catch (RuntimeException e) {
            throw new IOException("a share cannot be read: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private void save() throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode a = root.putArray("shares");
        for (Share s : byId.values()) {
            ObjectNode n = a.addObject();
            n.put("id", s.id());
            n.put("token", s.token());
            n.put("owner", s.owner());
            n.put("path", s.path());
            n.put("directory", s.directory());
            n.put("mode", s.mode().name());
            n.put("created", s.created().toString());
            n.put("expires", s.expires() == null ? null : s.expires().toString());
            n.put("passwordHash", s.passwordHash());
            n.put("maxUses", s.maxUses());
            n.put("uses", s.uses());
        }
        PrivateFiles.createDirectories(file.getParent());
        PrivateFiles.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    }

    /**
     * Adds a share and saves.
     *
     * @param s the share
     * @throws IOException if it cannot be saved (then it is not added)
     */
    public synchronized void add(Share s) throws IOException {
        if (byId.containsKey(s.id()) || byToken.containsKey(s.token())) {
            throw new IOException("a share with the same id or token exists");
        }
        byId.put(s.id(), s);
        byToken.put(s.token(), s);
        try {
            save();
        } catch (IOException e) {
            byId.remove(s.id());
            byToken.remove(s.token());
            throw e;
        }
    }

    /**
     * @param token a link's token
     * @return its share
     */
    public synchronized Optional<Share> byToken(String token) {
        return Optional.ofNullable(token == null ? null : byToken.get(token));
    }

    /**
     * @param id a share's id
     * @return the share
     */
    public synchronized Optional<Share> byId(String id) {
        return Optional.ofNullable(id == null ? null : byId.get(id));
    }

    /**
     * @param owner a user
     * @return the user's shares, oldest first
     */
    public synchronized List<Share> of(String owner) {
        return byId.values().stream().filter(s -> s.owner().equals(owner))
                .sorted(Comparator.comparing(Share::created)).collect(Collectors.toList());
    }

    /** @return every share, oldest first */
    public synchronized List<Share> all() {
        List<Share> out = new ArrayList<>(byId.values());
        out.sort(Comparator.comparing(Share::created));
        return out;
    }

    /**
     * Deletes a share and saves.
     *
     * @param id its id
     * @return whether it was there
     * @throws IOException if the store cannot be saved (the share stays)
     */
    public synchronized boolean delete(String id) throws IOException {
        Share s = byId.remove(id);
        if (s == null) {
            return false;
        }
        byToken.remove(s.token());
        try {
            save();
        } catch (IOException e) {
            byId.put(s.id(), s);
            byToken.put(s.token(), s);
            throw e;
        }
        return true;
    }

    /**
     * Deletes every share of a user (a removed account).
     *
     * @param owner the user
     * @return how many were deleted
     * @throws IOException if the store cannot be saved
     */
    public synchronized int deleteOf(String owner) throws IOException {
        List<Share> gone = of(owner);
        for (Share s : gone) {
            byId.remove(s.id());
            byToken.remove(s.token());
        }
        if (!gone.isEmpty()) {
            save();
        }
        return gone.size();
    }

    /**
     * Takes one use of a share, if it has one left, and saves.
     *
     * @param id the share's id
     * @return the share with the use counted, or empty when it is gone or used up
     * @throws IOException if the store cannot be saved (no use is taken)
     */
    public synchronized Optional<Share> take(String id) throws IOException {
        Share s = byId.get(id);
        if (s == null || s.usedUp()) {
            return Optional.empty();
        }
        Share next = s.withUses(s.uses() + 1);
        put(next);
        try {
            save();
        } catch (IOException e) {
            put(s);
            throw e;
        }
        return Optional.of(next);
    }

    /**
     * Gives back a use that was taken for a transfer that did not happen (refused or failed).
     *
     * @param id the share's id
     */
    public synchronized void giveBack(String id) {
        Share s = byId.get(id);
        if (s == null || s.uses() == 0) {
            return;
        }
        put(s.withUses(s.uses() - 1));
        try {
            save();
        } catch (IOException e) {
            // the use stays counted on disk: the share ends sooner, never later
            org.slf4j.LoggerFactory.getLogger(ShareStore.class).warn("cannot save the share links: {}",
                    e.getMessage());
        }
    }

    private void put(Share s) {
        byId.put(s.id(), s);
        byToken.put(s.token(), s);
    }
}
