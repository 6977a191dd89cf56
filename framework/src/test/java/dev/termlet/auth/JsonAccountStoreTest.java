package dev.termlet.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The users.json store with real files: persistence, atomic private writes, malformed files and the checks. */
class JsonAccountStoreTest {
    /** Cheap hashes: verify reads the cost from the hash, so checks stay fast. */
    private static final PasswordHasher FAST = new PasswordHasher(1024, 1, 1);
    private static KeyPair key;
    private static KeyPair otherKey;

    @TempDir
    Path dir;

    @BeforeAll
    static void keys() throws Exception {
        key = KeyUtils.generateKeyPair("ssh-ed25519", 256);
        otherKey = KeyUtils.generateKeyPair("ssh-ed25519", 256);
    }

    private static String hash(String pw) {
        return FAST.hash(pw.toCharArray());
    }

    private List<String> filesInDir() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            // users.json.lock: the lock every writer of users.json takes; it stays, empty
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.equals("users.json.lock")).sorted()
                    .collect(Collectors.toList());
        }
    }

    @Test
    void opensAnEmptyStoreAndCreatesTheDirectory() {
        Path data = dir.resolve("a/b/data");
        JsonAccountStore store = JsonAccountStore.open(data);
        assertThat(Files.isDirectory(data)).isTrue();
        assertThat(store.file()).isEqualTo(data.resolve("users.json"));
        assertThat(store.isEmpty()).isTrue();
        assertThat(store.list()).isEmpty();
        assertThat(store.find("nobody")).isEmpty();
        assertThat(store.find(null)).isEmpty();
        assertThat(Files.exists(store.file())).isFalse();
    }

    @Test
    void saveReloadReplaceAndRemoveAcrossInstances() {
        JsonAccountStore store = JsonAccountStore.open(dir);
        Account bob = Account.builder("bob").passwordHash(hash("pw")).addAuthorizedKey("no-pty "
                        + PublicKeyEntry.toString(key.getPublic()) + " bob@laptop")
                .prompt("bob> ").banner("Hello, \"bob\"\r\nä日本\n").idleTimeout(Duration.ofMinutes(5)).echo(false)
                .addPermission("admin").addPermission("files")
                .authMethods(Set.of(AuthMethod.PASSWORD, AuthMethod.PUBLICKEY)).role("sales")
                .metadata("description", "Bob B.").metadata("additional_info", "line one\nline two").build();
        Account sleepy = Account.builder("sleepy").idleTimeout(Duration.ofMillis(700)).enabled(false).build();
        store.save(bob);
        store.save(Account.builder("carol").build());
        store.save(Account.builder("alice").passwordHash(hash("pw2")).build());
        store.save(sleepy);
        assertThat(store.list()).extracting(Account::name).containsExactly("alice", "bob", "carol", "sleepy");

        JsonAccountStore again = JsonAccountStore.open(dir);
        assertThat(again.list()).extracting(Account::name).containsExactly("alice", "bob", "carol", "sleepy");
        assertThat(again.find("bob")).contains(bob);
        assertThat(again.find("bob").orElseThrow().role()).hasValue("sales");
        assertThat(again.find("bob").orElseThrow().metadata()).containsEntry("additional_info", "line one\nline two");
        assertThat(again.find("sleepy")).contains(sleepy);
        assertThat(again.find("sleepy").orElseThrow().idleTimeout()).isEqualTo(Duration.ofMillis(700));
        assertThat(again.find("carol").orElseThrow().echo()).isTrue();

        again.save(bob.toBuilder().prompt("$ ").build()); // replace
        assertThat(again.list()).hasSize(4);
        assertThat(again.remove("carol")).isTrue();
        assertThat(again.remove("carol")).isFalse();
        assertThat(again.remove("nobody")).isFalse();

        JsonAccountStore third = JsonAccountStore.open(dir);
        assertThat(third.find("carol")).isEmpty();
        assertThat(third.find("bob").orElseThrow().prompt()).isEqualTo("$ ");
        assertThat(third.list()).extracting(Account::name).containsExactly("alice", "bob", "sleepy");
    }

    @Test
    void theFileFollowsTheDocumentedSchema() throws Exception {
        JsonAccountStore store = JsonAccountStore.open(dir);
        store.save(Account.builder("bob").passwordHash(hash("pw")).idleTimeout(Duration.ofSeconds(90))
                .addPermission("admin").authMethods(Set.of(AuthMethod.KEYBOARD_INTERACTIVE, AuthMethod.PASSWORD))
                .build());
        JsonNode root = new ObjectMapper().readTree(store.file().toFile());
        assertThat(root.get("version").asInt()).isEqualTo(1);
        JsonNode u = root.get("users").get(0);
        List<String> fields = new ArrayList<>();
        u.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("name", "passwordHash", "authorizedKeys", "prompt", "banner",
                "idleTimeoutSeconds", "echo", "permissions", "authMethods", "enabled", "quotaBytes", "quotaFiles");
        assertThat(u.get("name").asText()).isEqualTo("bob");
        assertThat(u.get("passwordHash").asText()).startsWith("$argon2id$v=19$m=1024,t=1,p=1$");
        assertThat(u.get("idleTimeoutSeconds").asLong()).isEqualTo(90);
        assertThat(u.get("prompt").isNull()).isTrue();
        assertThat(u.get("echo").asBoolean()).isTrue();
        assertThat(u.get("authMethods").toString()).isEqualTo("[\"password\",\"keyboard-interactive\"]");
        assertThat(u.get("permissions").toString()).isEqualTo("[\"admin\"]");
    }

    @Test
    void fileIsPrivateAndWritesLeaveNoTemporaryFiles() throws Exception {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX file system");
        JsonAccountStore store = JsonAccountStore.open(dir);
        for (int i = 0; i < 5; i++) {
            store.save(Account.builder("user" + i).passwordHash(hash("pw")).build());
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file())))
                    .isEqualTo("rw-------");
        }
        store.remove("user0");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file()))).isEqualTo("rw-------");
        assertThat(filesInDir()).containsExactly("users.json");
    }

    @Test
    void aFailedWriteKeepsTheOldState() throws Exception {
        JsonAccountStore store = JsonAccountStore.open(dir);
        store.save(Account.builder("alice").build());
        // Make the rename impossible: users.json becomes a non-empty directory.
        Files.delete(store.file());
        Files.createDirectories(store.file().resolve("blocker"));
        assertThatThrownBy(() -> store.save(Account.builder("bob").build()))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining(store.file().toString());
        assertThat(store.find("bob")).isEmpty();
        assertThatThrownBy(() -> store.remove("alice")).isInstanceOf(UncheckedIOException.class);
        assertThat(store.find("alice")).isPresent();
        assertThat(filesInDir()).containsExactly("users.json");
    }

    @Test
    void concurrentSavesAreAllKept() throws Exception {
        JsonAccountStore store = JsonAccountStore.open(dir);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                work.add(pool.submit(() -> {
                    for (int i = 0; i < 10; i++) {
                        store.save(Account.builder("u" + thread + "-" + i).build());
                        store.list();
                    }
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.list()).hasSize(80);
        assertThat(JsonAccountStore.open(dir).list()).hasSize(80);
        assertThat(filesInDir()).containsExactly("users.json");
    }

    @Test
    void malformedFilesGiveClearErrorsAndAreLeftUntouched() throws Exception {
        Path file = dir.resolve("users.json");
        String[][] cases = {
            {"{not json", "not valid JSON"},
            {"{\"version\":1,\"users\":[]", "not valid JSON"},
            {"", "top level must be an object"},
            {"[]", "top level must be an object"},
            {"{\"version\":1,\"users\":[]} trailing", "not valid JSON"},
            {"{\"users\":[]}", "\"version\" must be 1"},
            {"{\"version\":2,\"users\":[]}", "\"version\" must be 1"},
            {"{\"version\":\"1\",\"users\":[]}", "\"version\" must be 1"},
            {"{\"version\":1}", "\"users\" must be an array"},
            {"{\"version\":1,\"users\":{}}", "\"users\" must be an array"},
            {"{\"version\":1,\"users\":[42]}", "users[0] must be an object"},
            {"{\"version\":1,\"users\":[{\"name\":\"a\"},{\"name\":\"a\"}]}", "user 'a' appears twice"},
            {"{\"version\":1,\"users\":[{\"name\":\"a\",\"name\":\"b\"}]}", "Duplicate field 'name'"},
            {"{\"version\":1,\"users\":[{}]}", "users[0]: \"name\" is missing"},
            {"{\"version\":1,\"users\":[{\"name\":7}]}", "\"name\" must be a string"},
            {"{\"version\":1,\"users\":[{\"name\":\"ok\"},{\"name\":\"../x\"}]}", "users[1]: invalid account name"},
            {"{\"version\":1,\"users\":[{\"name\":\"a\",\"passwordHash\":1}]}", "\"passwordHash\" must be a string"},
            {"{\"version\":1,\"users\":[{\"name\":\"a\",\"echo\":\"yes\"}]}", "\"echo\" must be true or false"},
            {"{\"version\":1,\"users\":[{\"name\":\"a\",\"enabled\":1}]}", "\"enabled\" must be true or false"},
            {"{\"version\":1,\"users\":[{\"name\":\"a\",\"permissions\":\"admin\"}]}", "\"permissions\" must be an array"},
            {"{\"version\":1,\"users\":[{\"name\":\"a\",\"authorizedKeys\":[1]}]}", "\"authorizedKeys\" must be an array"},
            {"{\"version\":1,\"users\":[{\"name\":\"a\",\"authorizedKeys\":[\"ssh-rsa AAAA!!\"]}]}", "authorized_keys line"},
            {"{\"version\":1,\"users\":[{\"name\":\"a\",\"authMethods\":[\"none\"]}]}", "unknown auth method"},
            {"{\"version\":1,\"users\":[{\"name\":\"a\",\"idleTimeoutSeconds\":\"5\"}]}", "\"idleTimeoutSeconds\" must be"},
            {"{\"version\":1,\"users\":[{\"name\":\"a\",\"idleTimeoutSeconds\":-1}]}", "\"idleTimeoutSeconds\" must be"},
        };
        for (String[] c : cases) {
            Files.writeString(file, c[0]);
            assertThatThrownBy(() -> JsonAccountStore.open(dir)).as(c[0])
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining(c[1]);
            assertThat(Files.readString(file)).as(c[0]).isEqualTo(c[0]);
            assertThat(filesInDir()).containsExactly("users.json");
        }
    }

    @Test
    void bytesThatAreNotUtf8AreMalformedNotAnIoFailure() throws Exception {
        Path file = dir.resolve("users.json");
        // four bytes that Jackson would take for UTF-32 (found by FuzzTest), and a bare continuation byte
        byte[][] cases = {{0, 0, 0, '{', 0, (byte) 0xfe, 0, 0}, {'{', (byte) 0x80, '}'}, {0, 0, 0, '{'}};
        for (byte[] c : cases) {
            Files.write(file, c);
            assertThatThrownBy(() -> JsonAccountStore.open(dir)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("is malformed");
            assertThat(Files.readAllBytes(file)).isEqualTo(c);
        }
    }

    @Test
    void parseErrorsGiveTheLocation() throws Exception {
        Files.writeString(dir.resolve("users.json"), "{\"version\":1,\n\"users\":[\n  {\"name\":\"a\",}\n]}");
        assertThatThrownBy(() -> JsonAccountStore.open(dir)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("line 3");
    }

    @Test
    void errorMessagesNeverShowHashes() throws Exception {
        String h = hash("pw");
        String secretPart = h.substring(h.lastIndexOf('$') + 1);
        String[] files = {
            // a duplicate user whose hash is right there
            "{\"version\":1,\"users\":[{\"name\":\"a\",\"passwordHash\":\"" + h + "\"},{\"name\":\"a\"}]}",
            // a hash that lost its opening quote: the JSON parser reports an unrecognized token
            "{\"version\":1,\"users\":[{\"name\":\"a\",\"passwordHash\":" + h + "\"}]}",
            "{\"version\":1,\"users\":[{\"name\":\"a\",\"passwordHash\":" + secretPart + "}]}",
            // a hash pasted into the wrong field
            "{\"version\":1,\"users\":[{\"name\":\"a\",\"authMethods\":[\"" + h + "\"]}]}",
        };
        for (String f : files) {
            Files.writeString(dir.resolve("users.json"), f);
            assertThatThrownBy(() -> JsonAccountStore.open(dir)).as(f).isInstanceOf(IllegalStateException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(secretPart)
                            .doesNotContain(secretPart.substring(0, 12)).doesNotContain("argon2id$v"));
        }
    }

    @Test
    void unknownFieldsAreIgnoredAndMissingOnesTakeDefaults() throws Exception {
        Files.writeString(dir.resolve("users.json"), "{\"version\":1,\"future\":{\"x\":[1]},\"users\":["
                + "{\"name\":\"a\",\"color\":\"blue\",\"idleTimeoutSeconds\":1.5},{\"name\":\"b\",\"prompt\":null}]}");
        JsonAccountStore store = JsonAccountStore.open(dir);
        Account a = store.find("a").orElseThrow();
        assertThat(a.enabled()).isTrue();
        assertThat(a.echo()).isTrue();
        assertThat(a.passwordHash()).isNull();
        assertThat(a.idleTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(store.find("b").orElseThrow().prompt()).isNull();
    }

    @Test
    void checkPassword() {
        JsonAccountStore store = JsonAccountStore.open(dir);
        store.save(Account.builder("alice").passwordHash(hash("pw")).build());
        store.save(Account.builder("pwonly").passwordHash(hash("pw")).authMethods(Set.of(AuthMethod.PASSWORD)).build());
        store.save(Account.builder("off").passwordHash(hash("pw")).enabled(false).build());
        store.save(Account.builder("keys").passwordHash(hash("pw")).authMethods(Set.of(AuthMethod.PUBLICKEY)).build());
        store.save(Account.builder("kbd").passwordHash(hash("pw"))
                .authMethods(Set.of(AuthMethod.KEYBOARD_INTERACTIVE)).build());
        store.save(Account.builder("nohash").build());
        assertThat(store.checkPassword("alice", "pw".toCharArray())).isTrue();
        assertThat(store.checkPassword("pwonly", "pw".toCharArray())).isTrue();
        assertThat(store.checkPassword("alice", "wrong".toCharArray())).isFalse();
        assertThat(store.checkPassword("alice", "".toCharArray())).isFalse();
        assertThat(store.checkPassword("off", "pw".toCharArray())).isFalse();
        assertThat(store.checkPassword("keys", "pw".toCharArray())).isFalse();
        assertThat(store.checkPassword("kbd", "pw".toCharArray())).isFalse();
        assertThat(store.checkPassword("nohash", "pw".toCharArray())).isFalse();
        assertThat(store.checkPassword("nobody", "pw".toCharArray())).isFalse();
        assertThat(store.checkPassword(null, "pw".toCharArray())).isFalse();
        char[] pw = "pw".toCharArray();
        store.checkPassword("alice", pw);
        assertThat(pw).containsExactly('p', 'w');
        assertThat(store.hasher()).isSameAs(AccountStore.DEFAULT_HASHER);
    }

    @Test
    void checkPublicKey() {
        String line = PublicKeyEntry.toString(key.getPublic());
        JsonAccountStore store = JsonAccountStore.open(dir);
        store.save(Account.builder("alice").addAuthorizedKey("from=\"127.0.0.1\" " + line + " laptop").build());
        store.save(Account.builder("keyonly").addAuthorizedKey(line).authMethods(Set.of(AuthMethod.PUBLICKEY)).build());
        store.save(Account.builder("off").addAuthorizedKey(line).enabled(false).build());
        store.save(Account.builder("pwonly").addAuthorizedKey(line).authMethods(Set.of(AuthMethod.PASSWORD)).build());
        JsonAccountStore reopened = JsonAccountStore.open(dir);
        for (AccountStore s : List.of(store, reopened)) {
            assertThat(s.checkPublicKey("alice", key.getPublic())).isTrue();
            assertThat(s.checkPublicKey("keyonly", key.getPublic())).isTrue();
            assertThat(s.checkPublicKey("alice", otherKey.getPublic())).isFalse();
            assertThat(s.checkPublicKey("off", key.getPublic())).isFalse();
            assertThat(s.checkPublicKey("pwonly", key.getPublic())).isFalse();
            assertThat(s.checkPublicKey("nobody", key.getPublic())).isFalse();
            assertThat(s.checkPublicKey(null, key.getPublic())).isFalse();
            assertThat(s.checkPublicKey("alice", null)).isFalse();
        }
    }

    @Test
    void filePermissionsAndQuotasRoundTripAndResolveByDeepestDirectory() throws Exception {
        JsonAccountStore store = JsonAccountStore.open(dir);
        store.save(Account.builder("carol").filePermissions("/", List.of(FilePermission.LIST, FilePermission.DOWNLOAD))
                .filePermissions("/incoming/", List.of(FilePermission.LIST, FilePermission.UPLOAD))
                .filePermissions("/admin", List.of(FilePermission.ALL)).quota(1024, 3).build());
        Account c = JsonAccountStore.open(dir).find("carol").orElseThrow();
        assertThat(c.quotaBytes()).isEqualTo(1024);
        assertThat(c.quotaFiles()).isEqualTo(3);
        assertThat(c.mayInDirectory("/", FilePermission.DOWNLOAD)).isTrue();
        assertThat(c.mayInDirectory("/docs/deep", FilePermission.UPLOAD)).isFalse();
        assertThat(c.mayInDirectory("/incoming/x", FilePermission.UPLOAD)).isTrue();
        assertThat(c.mayInDirectory("/incoming", FilePermission.DOWNLOAD)).isFalse();
        assertThat(c.mayInDirectory("/incomingx", FilePermission.UPLOAD)).isFalse();
        assertThat(c.mayInDirectory("/admin/a", FilePermission.DELETE_DIRS)).isTrue();
        JsonNode u = new ObjectMapper().readTree(dir.resolve("users.json").toFile()).get("users").get(0);
        assertThat(u.get("filePermissions").get("/incoming").toString()).isEqualTo("[\"list\",\"upload\"]");
        assertThat(Account.builder("dave").build().mayInDirectory("/x", FilePermission.CHMOD)).isTrue();
        assertThat(Account.builder("erin").readOnly().build().mayInDirectory("/x", FilePermission.UPLOAD)).isFalse();
    }

    @Test
    void badFilePermissionsAndQuotasAreClearErrors() throws Exception {
        Files.writeString(dir.resolve("users.json"),
                "{\"version\":1,\"users\":[{\"name\":\"a\",\"filePermissions\":{\"/\":[\"lst\"]}}]}");
        assertThatThrownBy(() -> JsonAccountStore.open(dir)).hasMessageContaining("unknown file permission 'lst'")
                .hasMessageContaining("create_dirs");
        Files.writeString(dir.resolve("users.json"),
                "{\"version\":1,\"users\":[{\"name\":\"a\",\"filePermissions\":{\"/a/../b\":[\"*\"]}}]}");
        assertThatThrownBy(() -> JsonAccountStore.open(dir)).hasMessageContaining("invalid file-permission directory");
        Files.writeString(dir.resolve("users.json"), "{\"version\":1,\"users\":[{\"name\":\"a\",\"quotaBytes\":-5}]}");
        assertThatThrownBy(() -> JsonAccountStore.open(dir)).hasMessageContaining("\"quotaBytes\" must be a whole number");
    }

    @Test
    void umaskRoundTripsAsAnOctalString() throws Exception {
        JsonAccountStore store = JsonAccountStore.open(dir);
        store.save(Account.builder("carol").umask(027).build());
        store.save(Account.builder("dave").build());
        JsonAccountStore again = JsonAccountStore.open(dir);
        assertThat(again.find("carol").orElseThrow().umask()).hasValue(027);
        assertThat(again.find("dave").orElseThrow().umask()).isEmpty();
        JsonNode users = new ObjectMapper().readTree(dir.resolve("users.json").toFile()).get("users");
        assertThat(users.get(0).get("umask").asText()).isEqualTo("027");
        assertThat(users.get(1).has("umask")).as("unset is left out").isFalse();
        for (String[] ok : new String[][] {{"\"0\"", "0"}, {"\"77\"", "63"}, {"\"0077\"", "63"}, {"\"777\"", "511"},
            {"null", "-1"}}) {
            Files.writeString(dir.resolve("users.json"), "{\"version\":1,\"users\":[{\"name\":\"a\",\"umask\":" + ok[0]
                    + "}]}");
            assertThat(JsonAccountStore.open(dir).find("a").orElseThrow().umask().orElse(-1)).as(ok[0])
                    .isEqualTo(Integer.parseInt(ok[1]));
        }
    }

    @Test
    void badUmasksAreClearErrors() throws Exception {
        for (String bad : List.of("\"8\"", "\"1000\"", "\"0o22\"", "\"\"", "\"-22\"", "\"22 \"", "18", "\"07777\"")) {
            Files.writeString(dir.resolve("users.json"), "{\"version\":1,\"users\":[{\"name\":\"a\",\"umask\":" + bad
                    + "}]}");
            assertThatThrownBy(() -> JsonAccountStore.open(dir)).as(bad)
                    .hasMessageContaining("users[0]: \"umask\" must be an octal string from \"000\" to \"777\"")
                    .hasMessageContaining("users.json");
        }
    }

    @Test
    void forwardingRoundTripsAndIsOffByDefault() throws Exception {
        JsonAccountStore store = JsonAccountStore.open(dir);
        store.save(Account.builder("carol").forwarding(Forwarding.LOCAL).build());
        store.save(Account.builder("dave").build());
        JsonAccountStore again = JsonAccountStore.open(dir);
        assertThat(again.find("carol").orElseThrow().forwarding()).containsExactly(Forwarding.LOCAL);
        assertThat(again.find("dave").orElseThrow().forwarding()).isEmpty();
        JsonNode users = new ObjectMapper().readTree(dir.resolve("users.json").toFile()).get("users");
        assertThat(users.get(0).get("forwarding").toString()).isEqualTo("[\"local\"]");
        assertThat(users.get(1).has("forwarding")).as("none is left out").isFalse();
        Files.writeString(dir.resolve("users.json"),
                "{\"version\":1,\"users\":[{\"name\":\"a\",\"forwarding\":[\"Remote\",\"local\"]}]}");
        assertThat(JsonAccountStore.open(dir).find("a").orElseThrow().forwarding())
                .containsExactlyInAnyOrder(Forwarding.LOCAL, Forwarding.REMOTE);
        Files.writeString(dir.resolve("users.json"),
                "{\"version\":1,\"users\":[{\"name\":\"a\",\"forwarding\":[\"x11\"]}]}");
        assertThatThrownBy(() -> JsonAccountStore.open(dir)).hasMessageContaining("unknown forwarding 'x11'");
    }
}
