package dev.termlet.auth;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.termlet.io.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded account store: {@code users.json} in the data directory, held in memory and guarded by this
 * object's lock. Every change is written to a temporary file in the same directory (mode 0600 on POSIX file
 * systems, set before any content is written), forced to disk and atomically renamed over the old file, so a
 * crash never leaves a half-written store. Unknown fields are ignored; {@code idleTimeoutSeconds} may be
 * fractional (millisecond precision).
 *
 * <pre>{@code
 * {"version":1,"users":[{"name":"alice","passwordHash":"$argon2id$...","authorizedKeys":[],
 *   "prompt":null,"banner":null,"idleTimeoutSeconds":null,"echo":true,"permissions":["admin"],
 *   "authMethods":["password"],"enabled":true,
 *   "filePermissions":{"/":["list","download"],"/incoming":["list","upload"]},"quotaBytes":0,"quotaFiles":0,
 *   "umask":"027","forwarding":["local","remote"],"role":"sales","metadata":{"description":"Alice A."}}]}
 * }</pre>
 *
 * <p>{@code filePermissions} use SFTPGo's names (see {@link FilePermission}); absent means every permission.
 * Quotas of 0 mean no limit. {@code forwarding} lists the SSH TCP forwardings the user may open (see
 * {@link Forwarding}); absent means none. {@code role} and {@code metadata} (text by key) are passed on to hooks.
 */
public final class JsonAccountStore implements AccountStore {
    private static final Logger LOG = LoggerFactory.getLogger(JsonAccountStore.class);
    /** Error messages hide anything that looks like a PHC hash, and the text of unrecognized JSON tokens. */
    private static final Pattern HASH_LIKE = Pattern.compile("\\$argon2[^\\s'\"]*");
    private static final Pattern BAD_TOKEN = Pattern.compile("(Unrecognized token ')[^']*(')");
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** One lock per file within this JVM: a file lock is held by the whole process, not by a thread or channel. */
    private static final ConcurrentHashMap<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

    private final Path file;
    private final TreeMap<String, Account> accounts = new TreeMap<>();
    /** The file's identity, size and time when this store last read or wrote it successfully. */
    private Object seen = "none";
    /** The SHA-256 of the content this store last read or wrote, or null when there was no file. */
    private byte[] seenHash;
    /** Changes found on disk by {@link #save} and {@link #remove}, not yet taken by {@link #takeChangesFromDisk}. */
    private final List<Account> diskAdded = new ArrayList<>();
    private final List<Account> diskUpdated = new ArrayList<>();
    private final List<Account> diskRemoved = new ArrayList<>();

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
            PrivateFiles.createDirectories(dataDir);
            Object stamp = store.stamp();
            if (Files.exists(store.file)) {
                byte[] bytes = Files.readAllBytes(store.file);
                store.load(bytes);
                store.seenHash = sha256(bytes);
                store.seen = stamp;
                LOG.info("loaded {} account(s) from {}", store.accounts.size(), store.file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + store.file, e);
        }
        return store;
    }

    /**
     * Reads {@code users.json} again, for changes made to it outside the server, and replaces the accounts in memory
     * with the file's. The file is read under the store's lock, so a change the server is writing at the same time
     * is either wholly in it or not. A missing or malformed file changes nothing (the exception says why), unless the
     * store is empty and the file was never made.
     *
     * @return the accounts added, changed and removed
     * @throws IllegalStateException if the file is missing or malformed; the accounts in memory are kept
     * @throws UncheckedIOException if the file cannot be read
     */
    @Override
    public synchronized Changes reload() {
        Object stamp = stamp();
        if (!Files.exists(file)) {
            if (accounts.isEmpty()) {
                seen = stamp;
                seenHash = null;
                return Changes.NONE;
            }
            throw new IllegalStateException("account store " + file + " is missing; the " + accounts.size()
                    + " account(s) in memory are kept. Restore the file (an empty store is"
                    + " {\"version\":1,\"users\":[]}).");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        byte[] hash = sha256(bytes);
        if (Arrays.equals(hash, seenHash)) {
            seen = stamp;
            return Changes.NONE;
        }
        JsonAccountStore fresh = new JsonAccountStore(file);
        fresh.load(bytes);
        Changes changes = replaceWith(fresh.accounts, null, false);
        seen = stamp;
        seenHash = hash;
        if (!changes.isEmpty()) {
            LOG.info("reloaded {}: {} account(s) added {}, {} changed {}, {} removed {}", file,
                    changes.added().size(), names(changes.added()), changes.updated().size(),
                    names(changes.updated()), changes.removed().size(), names(changes.removed()));
        }
        return changes;
    }

    /**
     * Whether {@code users.json} differs (identity, size or modification time) from the file this store last read
     * or wrote successfully: a cheap check, for a watcher deciding when to {@link #reload()}. After a failed reload
     * it stays true until a reload succeeds.
     *
     * @return whether a reload may find changes
     */
    @Override
    public synchronized Optional<Boolean> changedOutside() {
        return Optional.of(!stamp().equals(seen));
    }

    /**
     * The changes made to {@code users.json} by someone else (another process, an editor) that {@link #save} or
     * {@link #remove} found and applied before making their own change, since the last call; so that whoever
     * observes this store can act on them as on the changes a {@link #reload()} returns.
     *
     * @return the accounts added, changed and removed on disk; they are forgotten here
     */
    public synchronized Changes takeChangesFromDisk() {
        if (diskAdded.isEmpty() && diskUpdated.isEmpty() && diskRemoved.isEmpty()) {
            return Changes.NONE;
        }
        Changes out = new Changes(diskAdded, diskUpdated, diskRemoved);
        diskAdded.clear();
        diskUpdated.clear();
        diskRemoved.clear();
        return out;
    }

    /**
     * Replaces the accounts in memory with {@code fresh}.
     *
     * @param keep a name left out of the changes reported (the one a save or remove is about to set), or null
     * @param reportRemoval whether the removal of {@code keep} is reported all the same
     * @return what changed
     */
    private Changes replaceWith(TreeMap<String, Account> fresh, String keep, boolean reportRemoval) {
        List<Account> added = new ArrayList<>();
        List<Account> updated = new ArrayList<>();
        List<Account> removed = new ArrayList<>();
        for (Account a : fresh.values()) {
            Account old = accounts.get(a.name());
            if (a.name().equals(keep)) {
                continue;
            } else if (old == null) {
                added.add(a);
            } else if (!old.equals(a)) {
                updated.add(a);
            }
        }
        for (Account old : accounts.values()) {
            if (!fresh.containsKey(old.name()) && (reportRemoval || !old.name().equals(keep))) {
                removed.add(old);
            }
        }
        accounts.clear();
        accounts.putAll(fresh);
        return new Changes(added, updated, removed);
    }

    /**
     * Under the file lock, before a change: reads {@code users.json} and, if its content is not what this store
     * last read or wrote, takes the file's accounts (so that a change made by another process is kept) and records
     * the differences for {@link #takeChangesFromDisk}. A missing file keeps the accounts in memory (the write
     * makes it again).
     *
     * @param keep the name being changed, left out of the recorded changes
     * @param removing whether {@code keep} is being removed: its removal on disk is then recorded (the remove finds
     *     nothing to remove)
     * @throws IllegalStateException if the file is malformed: nothing is written over it
     */
    private void refresh(String keep, boolean removing) throws IOException {
        Object stamp = stamp();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return;
        }
        byte[] hash = sha256(bytes);
        if (Arrays.equals(hash, seenHash)) {
            seen = stamp;
            return;
        }
        JsonAccountStore fresh = new JsonAccountStore(file);
        fresh.load(bytes);
        Changes changes = replaceWith(fresh.accounts, keep, removing);
        seen = stamp;
        seenHash = hash;
        if (!changes.isEmpty()) {
            LOG.info("{} was changed outside this process: {} account(s) added {}, {} changed {}, {} removed {}",
                    file, changes.added().size(), names(changes.added()), changes.updated().size(),
                    names(changes.updated()), changes.removed().size(), names(changes.removed()));
            diskAdded.addAll(changes.added());
            diskUpdated.addAll(changes.updated());
            diskRemoved.addAll(changes.removed());
        }
    }

    /** Something to do while holding the file lock. */
    private interface Locked<T> {
        T run() throws IOException;
    }

    /**
     * Runs {@code body} holding {@code users.json.lock}: a lock of this JVM, then an exclusive lock on the file,
     * which every {@code JsonAccountStore} on the same directory takes before it changes {@code users.json}
     * (the server's and the offline {@code termlet accounts}).
     */
    private <T> T locked(Locked<T> body) throws IOException {
        Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
        ReentrantLock jvm = JVM_LOCKS.computeIfAbsent(file.toAbsolutePath().normalize(), k -> new ReentrantLock());
        jvm.lock();
        try {
            PrivateFiles.createFileIfMissing(lockFile);
            try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.WRITE);
                    FileLock lock = ch.lock()) {
                return body.run();
            }
        } finally {
            jvm.unlock();
        }
    }

    /** The file's identity, size and time, or "none" when it does not exist. */
    private Object stamp() {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return List.of(String.valueOf(a.fileKey()), a.size(), a.lastModifiedTime().toMillis(),
                    a.lastModifiedTime().toInstant().getNano());
        } catch (NoSuchFileException e) {
            return "none";
        } catch (IOException e) {
            return "unreadable " + e.getMessage();
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> names(List<Account> accounts) {
        List<String> out = new ArrayList<>();
        accounts.forEach(a -> out.add(a.name()));
        return out;
    }

    /** @return the file the store is kept in */
    public Path file() {
        return file;
    }

    private void load(byte[] bytes) {
        // users.json is UTF-8 (RFC 8259): decoded strictly here, so that Jackson's guess of another encoding
        // (UTF-16 or UTF-32 from the first bytes) never applies and a bad byte is reported as what it is
        String text;
        try {
            text = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw bad("it is not UTF-8 text");
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            String why = BAD_TOKEN.matcher(String.valueOf(e.getOriginalMessage())).replaceAll("$1...$2");
            throw bad("it is not valid JSON: " + why + where);
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
            return AccountJson.read(u);
        } catch (IllegalArgumentException e) {
            throw bad(where + ": " + e.getMessage());
        }
    }

    private IllegalStateException bad(String what) {
        String safe = HASH_LIKE.matcher(what).replaceAll("(hash hidden)");
        return new IllegalStateException("account store " + file + " is malformed: " + safe
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

    /**
     * Creates or replaces an account and rewrites the file atomically.
     *
     * @param account the account
     * @throws UncheckedIOException if the file cannot be written; the store then keeps its old content
     */
    @Override
    public synchronized void save(Account account) {
        Objects.requireNonNull(account, "account");
        try {
            locked(() -> {
                refresh(account.name(), false);
                Account previous = accounts.put(account.name(), account);
                try {
                    write();
                } catch (IOException e) {
                    if (previous == null) {
                        accounts.remove(account.name());
                    } else {
                        accounts.put(account.name(), previous);
                    }
                    throw e;
                }
                return null;
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /**
     * Removes an account and rewrites the file atomically.
     *
     * @param name the user name
     * @return true if it existed
     * @throws UncheckedIOException if the file cannot be written; the store then keeps its old content
     */
    @Override
    public synchronized boolean remove(String name) {
        try {
            return locked(() -> {
                // a change on disk is kept; an account removed there already is reported as removed from disk
                refresh(name, true);
                Account previous = accounts.remove(name);
                if (previous == null) {
                    return false;
                }
                try {
                    write();
                } catch (IOException e) {
                    accounts.put(name, previous);
                    throw e;
                }
                return true;
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private void write() throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", 1);
        ArrayNode users = root.putArray("users");
        for (Account a : accounts.values()) {
            users.add(AccountJson.write(a));
        }
        byte[] bytes = JSON.writeValueAsBytes(root);
        PrivateFiles.write(file, bytes);
        seen = stamp();
        seenHash = sha256(bytes);
    }
}
