package dev.termlet.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.Test;

/** Account validation, defaults, immutability and {@link AuthMethod} names. */
class AccountTest {

    @Test
    void defaults() {
        Account a = Account.builder("alice").build();
        assertThat(a.name()).isEqualTo("alice");
        assertThat(a.passwordHash()).isNull();
        assertThat(a.authorizedKeys()).isEmpty();
        assertThat(a.prompt()).isNull();
        assertThat(a.banner()).isNull();
        assertThat(a.idleTimeout()).isNull();
        assertThat(a.echo()).isTrue();
        assertThat(a.permissions()).isEmpty();
        assertThat(a.authMethods()).isEmpty();
        assertThat(a.enabled()).isTrue();
        for (AuthMethod m : AuthMethod.values()) {
            assertThat(a.allows(m)).as(m.name()).isTrue();
        }
        assertThat(a.allows(null)).isFalse();
    }

    @Test
    void validNames() {
        for (String n : List.of("a", "alice", "Bob.Smith", "first.last@example.com", "a-b_c", "0", "x".repeat(64))) {
            assertThat(Account.builder(n).build().name()).isEqualTo(n);
            assertThat(Account.validName(n)).as(n).isTrue();
        }
    }

    @Test
    void invalidNamesAreRejectedWithAClearMessage() {
        List<String> bad = new ArrayList<>(List.of("", " ", "a b", "../etc", ".", "..", ".hidden", "a/b", "a\\b",
                "ä", "a:b", "a\nb", "x".repeat(65)));
        bad.add(null);
        for (String n : bad) {
            assertThat(Account.validName(n)).as(String.valueOf(n)).isFalse();
            assertThatThrownBy(() -> Account.builder(n)).as(String.valueOf(n))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("invalid account name")
                    .hasMessageContaining("1 to 64");
        }
    }

    @Test
    void toStringNeverShowsTheHashOrPassword() {
        Account a = Account.builder("alice").password("hunter2".toCharArray()).addPermission("admin").build();
        assertThat(a.passwordHash()).startsWith("$argon2id$");
        assertThat(AccountStore.DEFAULT_HASHER.verify("hunter2".toCharArray(), a.passwordHash())).isTrue();
        assertThat(a.toString()).contains("alice").doesNotContain("argon2").doesNotContain("hunter2")
                .doesNotContain(a.passwordHash().substring(a.passwordHash().lastIndexOf('$') + 1));
    }

    @Test
    void allFieldsAndToBuilder() throws Exception {
        String key = PublicKeyEntry.toString(KeyUtils.generateKeyPair("ssh-ed25519", 256).getPublic());
        Account a = Account.builder("bob").passwordHash("$argon2id$x").addAuthorizedKey("  " + key + " bob@host  ")
                .prompt("bob> ").banner("Welcome\r\n").idleTimeout(Duration.ofMinutes(5)).echo(false)
                .addPermission("admin").addPermission("files").authMethods(Set.of(AuthMethod.PUBLICKEY))
                .enabled(false).build();
        assertThat(a.authorizedKeys()).containsExactly(key + " bob@host");
        assertThat(a.prompt()).isEqualTo("bob> ");
        assertThat(a.banner()).isEqualTo("Welcome\r\n");
        assertThat(a.idleTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(a.echo()).isFalse();
        assertThat(a.permissions()).containsExactlyInAnyOrder("admin", "files");
        assertThat(a.hasPermission("admin")).isTrue();
        assertThat(a.hasPermission("root")).isFalse();
        assertThat(a.hasPermission(null)).isFalse();
        assertThat(a.allows(AuthMethod.PUBLICKEY)).isTrue();
        assertThat(a.allows(AuthMethod.PASSWORD)).isFalse();
        assertThat(a.allows(AuthMethod.KEYBOARD_INTERACTIVE)).isFalse();
        assertThat(a.enabled()).isFalse();

        Account copy = a.toBuilder().build();
        assertThat(copy).isEqualTo(a).hasSameHashCodeAs(a);
        Account changed = a.toBuilder().enabled(true).authMethods(Set.of()).permissions(List.of("x")).build();
        assertThat(changed).isNotEqualTo(a);
        assertThat(changed.allows(AuthMethod.PASSWORD)).isTrue();
        assertThat(changed.permissions()).containsExactly("x");
        assertThat(a.permissions()).containsExactlyInAnyOrder("admin", "files"); // original untouched
    }

    @Test
    void accountsAreImmutable() {
        Account.Builder b = Account.builder("carol").addPermission("a");
        Account a = b.build();
        b.addPermission("b");
        assertThat(a.permissions()).containsExactly("a");
        assertThatThrownBy(() -> a.permissions().add("x")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> a.authorizedKeys().add("x")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> a.authMethods().add(AuthMethod.PASSWORD))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void builderRejectsBadValues() {
        Account.Builder b = Account.builder("dave");
        assertThatThrownBy(() -> b.addAuthorizedKey("garbage")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("authorized_keys");
        assertThatThrownBy(() -> b.addAuthorizedKey(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.authorizedKeys(List.of("ssh-ed25519 AAAA")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.addPermission(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.idleTimeout(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.password(null)).isInstanceOf(NullPointerException.class);
        assertThat(b.idleTimeout(Duration.ZERO).build().idleTimeout()).isZero();
    }

    @Test
    void authMethodNames() {
        assertThat(AuthMethod.parse("password")).isEqualTo(AuthMethod.PASSWORD);
        assertThat(AuthMethod.parse("PASSWORD")).isEqualTo(AuthMethod.PASSWORD);
        for (String s : List.of("publickey", "public-key", "key", "PublicKey", " Key ")) {
            assertThat(AuthMethod.parse(s)).as(s).isEqualTo(AuthMethod.PUBLICKEY);
        }
        for (String s : List.of("keyboard-interactive", "interactive", "Keyboard-Interactive")) {
            assertThat(AuthMethod.parse(s)).as(s).isEqualTo(AuthMethod.KEYBOARD_INTERACTIVE);
        }
        List<String> bad = new ArrayList<>(List.of("none", "", "hostbased", "pass"));
        bad.add(null);
        for (String s : bad) {
            assertThatThrownBy(() -> AuthMethod.parse(s)).as(String.valueOf(s))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("password").hasMessageContaining("publickey")
                    .hasMessageContaining("keyboard-interactive");
        }
        assertThat(AuthMethod.PASSWORD.wireName()).isEqualTo("password");
        assertThat(AuthMethod.PUBLICKEY.wireName()).isEqualTo("publickey");
        assertThat(AuthMethod.KEYBOARD_INTERACTIVE.wireName()).isEqualTo("keyboard-interactive");
        for (AuthMethod m : AuthMethod.values()) {
            assertThat(AuthMethod.parse(m.wireName())).isEqualTo(m);
        }
    }

    @Test
    void roleAndMetadataAreValidatedAndKept() {
        Account a = Account.builder("a").role("ops").metadata("description", "Ann").build();
        assertThat(a.toBuilder().build()).isEqualTo(a);
        assertThat(a.toBuilder().role(null).build()).isNotEqualTo(a);
        assertThat(a.toBuilder().metadata("description", null).build().metadata()).isEmpty();
        assertThatThrownBy(() -> Account.builder("a").role("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Account.builder("a").role("x\u0000")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Account.builder("a").metadata("Bad Key", "v"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Account.builder("a").metadata("k", "\u001b[2J"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(a.toString()).doesNotContain("Ann");
    }

    @Test
    void umaskIsValidatedAndCleared() {
        assertThat(Account.builder("a").build().umask()).isEmpty();
        Account a = Account.builder("a").umask(077).build();
        assertThat(a.umask()).hasValue(077);
        assertThat(a.toBuilder().build()).isEqualTo(a);
        assertThat(a.toBuilder().umask(null).build().umask()).isEmpty();
        assertThat(a.toBuilder().umask(0).build().umask()).hasValue(0);
        assertThat(a.toBuilder().umask(0777).build().umask()).hasValue(0777);
        assertThat(a.toBuilder().umask(022).build()).isNotEqualTo(a);
        assertThatThrownBy(() -> Account.builder("a").umask(01000)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("umask must be 0 to 0777 (octal), not 01000");
        assertThatThrownBy(() -> Account.builder("a").umask(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not -1");
    }
}
