package dev.termlet.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Argon2id hashes, authorized_keys parsing and the users.json store. */
class AccountStoreTest {
    @TempDir
    Path dir;

    private final PasswordHasher fast = new PasswordHasher(1024, 1, 1);

    @Test
    void hashIsPhcArgon2idAndVerifiesInConstantTime() {
        PasswordHasher h = new PasswordHasher();
        String hash = h.hash("correct horse".toCharArray());
        assertThat(hash).matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
        assertThat(h.verify("correct horse".toCharArray(), hash)).isTrue();
        assertThat(h.verify("correct horsf".toCharArray(), hash)).isFalse();
        assertThat(h.hash("x".toCharArray())).isNotEqualTo(h.hash("x".toCharArray()));
    }

    @Test
    void parametersComeFromTheStoredHash() {
        String hash = fast.hash("pw".toCharArray());
        assertThat(new PasswordHasher().verify("pw".toCharArray(), hash)).isTrue();
    }

    @Test
    void malformedHashesAreFalseNotExceptions() {
        PasswordHasher h = fast;
        for (String bad : List.of("", "plain", "$argon2i$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
                "$argon2id$v=19$m=99999999,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
                "$argon2id$v=19$m=1024,t=1,p=1$!!!$aGFzaGhhc2hoYXNoaGFzaA", "$argon2id$v=19$m=x,t=1,p=1$a$b")) {
            assertThat(h.verify("pw".toCharArray(), bad)).as(bad).isFalse();
        }
        assertThat(h.verify("pw".toCharArray(), null)).isFalse();
    }

    @Test
    void accountNamesAreValidatedAndToStringHidesTheHash() {
        assertThatThrownBy(() -> Account.builder("../etc")).hasMessageContaining("invalid account name");
        assertThatThrownBy(() -> Account.builder("a b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Account.builder("x".repeat(65))).isInstanceOf(IllegalArgumentException.class);
        Account a = Account.builder("alice").passwordHash(fast.hash("pw".toCharArray())).build();
        assertThat(a.toString()).doesNotContain("argon2").contains("alice");
    }

    @Test
    void authorizedKeyLinesWithOptionsAndComments() throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        KeyPair kp = gen.generateKeyPair();
        String line = PublicKeyEntry.toString(kp.getPublic());
        String withOptions = "from=\"127.0.0.1\",no-pty " + line + " me@host";
        assertThat(AuthorizedKeys.parseLine(withOptions)).isEqualTo(kp.getPublic());
        assertThat(AuthorizedKeys.matches(List.of("# comment", "", withOptions), kp.getPublic())).isTrue();
        assertThat(AuthorizedKeys.matches(List.of("ssh-rsa AAAAnotbase64!!"), kp.getPublic())).isFalse();
        assertThatThrownBy(() -> AuthorizedKeys.parseLine("ssh-rsa AAAAB3Nza")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Account.builder("a").addAuthorizedKey("garbage")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void storeSurvivesReopenAndIsPrivateAndAtomic() throws Exception {
        JsonAccountStore store = JsonAccountStore.open(dir);
        assertThat(store.isEmpty()).isTrue();
        store.save(Account.builder("bob").passwordHash(fast.hash("pw".toCharArray())).prompt("bob> ")
                .idleTimeout(Duration.ofMinutes(5)).echo(false).addPermission("admin")
                .authMethods(Set.of(AuthMethod.PASSWORD)).build());
        store.save(Account.builder("alice").passwordHash(fast.hash("pw2".toCharArray())).build());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file()))).isEqualTo("rw-------");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("users.json");
        }
        JsonAccountStore again = JsonAccountStore.open(dir);
        assertThat(again.list()).extracting(Account::name).containsExactly("alice", "bob");
        Account bob = again.find("bob").orElseThrow();
        assertThat(bob).isEqualTo(store.find("bob").orElseThrow());
        assertThat(bob.idleTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(bob.echo()).isFalse();
        assertThat(bob.allows(AuthMethod.PUBLICKEY)).isFalse();
        assertThat(again.checkPassword("bob", "pw".toCharArray())).isTrue();
        assertThat(again.remove("bob")).isTrue();
        assertThat(again.remove("bob")).isFalse();
        assertThat(JsonAccountStore.open(dir).find("bob")).isEmpty();
    }

    @Test
    void checksRefuseDisabledUnknownAndRestrictedAccounts() {
        JsonAccountStore store = JsonAccountStore.open(dir);
        store.save(Account.builder("off").passwordHash(fast.hash("pw".toCharArray())).enabled(false).build());
        store.save(Account.builder("keys").passwordHash(fast.hash("pw".toCharArray()))
                .authMethods(Set.of(AuthMethod.PUBLICKEY)).build());
        assertThat(store.checkPassword("off", "pw".toCharArray())).isFalse();
        assertThat(store.checkPassword("keys", "pw".toCharArray())).isFalse();
        assertThat(store.checkPassword("nobody", "pw".toCharArray())).isFalse();
    }

    @Test
    void malformedFilesGiveClearErrorsAndAreLeftUntouched() throws Exception {
        Path file = dir.resolve("users.json");
        String[][] cases = {
            {"{not json", "not valid JSON"},
            {"{\"version\":2,\"users\":[]}", "\"version\" must be 1"},
            {"{\"version\":1,\"users\":{}}", "\"users\" must be an array"},
            {"{\"version\":1,\"users\":[{\"name\":\"a\"},{\"name\":\"a\"}]}", "user 'a' appears twice"},
            {"{\"version\":1,\"users\":[{\"name\":\"../x\"}]}", "invalid account name"},
            {"{\"version\":1,\"users\":[{\"name\":\"a\",\"echo\":\"yes\"}]}", "\"echo\" must be true or false"},
            {"{\"version\":1,\"users\":[{\"name\":\"a\",\"authMethods\":[\"none\"]}]}", "unknown auth method"},
        };
        for (String[] c : cases) {
            Files.writeString(file, c[0]);
            assertThatThrownBy(() -> JsonAccountStore.open(dir)).as(c[0])
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(file.toString()).hasMessageContaining(c[1]);
            assertThat(Files.readString(file)).isEqualTo(c[0]);
        }
    }

    @Test
    void unknownFieldsAreIgnored() throws Exception {
        Files.writeString(dir.resolve("users.json"),
                "{\"version\":1,\"future\":true,\"users\":[{\"name\":\"a\",\"color\":\"blue\"}]}");
        assertThat(JsonAccountStore.open(dir).find("a")).isPresent();
    }
}
