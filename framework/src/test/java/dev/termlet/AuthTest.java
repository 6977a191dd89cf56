package dev.termlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.termlet.annotations.OnUser;
import dev.termlet.auth.Account;
import dev.termlet.auth.AuthMethod;
import dev.termlet.testing.HostKeyCache;
import dev.termlet.testing.Recorder;
import dev.termlet.testing.Ssh;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.List;
import java.util.Map;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Password, public-key and keyboard-interactive logins; the auth callback and auth-* events. */
class AuthTest {
    @TempDir
    Path data;

    final Recorder events = new Recorder();
    TermletServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private TermletServer start(Object... handlers) {
        server = Termlet.server().port(0).dataDir(HostKeyCache.seed(data)).register(handlers).build();
        server.accounts().save(Account.builder("alice").password("secret".toCharArray()).build());
        return server.start();
    }

    /** Records the auth-* events. */
    public class AuthEvents {
        @OnUser("auth-request")
        void request(AuthRequest r) {
            events.add("auth-request " + r.user());
        }

        @OnUser({"auth-password", "auth-publickey", "auth-interactive"})
        void method(AuthRequest r) {
            events.add("method " + r.method().wireName() + " " + r.user());
        }

        @OnUser("auth-success")
        void success(AuthRequest r) {
            events.add("auth-success " + r.user() + " " + r.method().wireName());
        }

        @OnUser("auth-fail")
        void fail(AuthRequest r) {
            events.add("auth-fail " + r.user());
        }
    }

    @Test
    void storePasswordLoginFiresEvents() throws Exception {
        start(new AuthEvents());
        try (Ssh ssh = Ssh.password(server.port(), "alice", "secret")) {
            assertThat(ssh.exec("whoami", null).out()).isEqualTo("alice\n");
        }
        events.await("auth-success alice password");
        assertThat(events.all()).containsSubsequence("auth-request alice", "method password alice",
                "auth-success alice password");
        assertThatThrownBy(() -> Ssh.password(server.port(), "alice", "nope")).isNotNull();
        events.await("auth-fail alice");
    }

    /** A PyserSSH-style auth callback with the data map. */
    public static class MapAuth {
        @OnUser("auth")
        boolean auth(Map<String, Object> data) {
            return "guest".equals(data.get("username")) && "letmein".equals(data.get("password"));
        }
    }

    @Test
    void authCallbackDecidesAndDenialIsFinal() throws Exception {
        start(new MapAuth());
        try (Ssh ssh = Ssh.password(server.port(), "guest", "letmein")) {
            assertThat(ssh.exec("whoami", null).out()).isEqualTo("guest\n");
        }
        // returning false denies even a user the store would accept
        assertThatThrownBy(() -> Ssh.password(server.port(), "alice", "secret")).isNotNull();
    }

    /** An auth callback that defers to the store except for one user. */
    public static class DeferringAuth {
        @OnUser("auth")
        AuthResult auth(AuthRequest r) {
            return r.user().equals("mallory") ? AuthResult.DENY : AuthResult.DEFER;
        }
    }

    @Test
    void deferLetsTheStoreDecide() throws Exception {
        start(new DeferringAuth());
        server.accounts().save(Account.builder("mallory").password("pw".toCharArray()).build());
        try (Ssh ssh = Ssh.password(server.port(), "alice", "secret")) {
            assertThat(ssh.exec("whoami", null).status()).isZero();
        }
        assertThatThrownBy(() -> Ssh.password(server.port(), "mallory", "pw")).isNotNull();
    }

    /** An auth handler that throws: the attempt fails closed. */
    public static class BrokenAuth {
        @OnUser("auth")
        boolean auth(AuthRequest r) {
            throw new IllegalStateException("auth backend down");
        }
    }

    @Test
    void throwingAuthHandlerDenies() {
        start(new BrokenAuth());
        assertThatThrownBy(() -> Ssh.password(server.port(), "alice", "secret")).isNotNull();
    }

    @Test
    void publicKeyFromAuthorizedKeys() throws Exception {
        start(new AuthEvents());
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        KeyPair good = gen.generateKeyPair();
        KeyPair other = gen.generateKeyPair();
        server.accounts().save(server.accounts().find("alice").orElseThrow().toBuilder()
                .addAuthorizedKey(PublicKeyEntry.toString(good.getPublic()) + " alice@test").build());
        try (Ssh ssh = Ssh.key(server.port(), "alice", good)) {
            assertThat(ssh.exec("whoami", null).out()).isEqualTo("alice\n");
        }
        events.await("auth-success alice publickey");
        assertThat(events.count(e -> e.equals("method publickey alice"))).isEqualTo(1);
        assertThatThrownBy(() -> Ssh.key(server.port(), "alice", other)).isNotNull();
    }

    /** The parsed keys are kept per account: a key removed from the account stops working at the next login. */
    @Test
    void aRemovedKeyStopsWorkingAtOnce() throws Exception {
        start();
        KeyPair first = org.apache.sshd.common.config.keys.KeyUtils.generateKeyPair("ssh-ed25519", 256);
        KeyPair second = org.apache.sshd.common.config.keys.KeyUtils.generateKeyPair("ssh-ed25519", 256);
        Account alice = server.accounts().find("alice").orElseThrow().toBuilder()
                .addAuthorizedKey(PublicKeyEntry.toString(first.getPublic()) + " first")
                .addAuthorizedKey(PublicKeyEntry.toString(second.getPublic()) + " second").build();
        server.accounts().save(alice);
        for (KeyPair k : List.of(first, second, first)) { // twice: the second login of a key uses the parsed keys
            try (Ssh ssh = Ssh.key(server.port(), "alice", k)) {
                assertThat(ssh.exec("whoami", null).out()).isEqualTo("alice\n");
            }
        }
        server.accounts().save(alice.toBuilder()
                .authorizedKeys(List.of(PublicKeyEntry.toString(second.getPublic()) + " second")).build());
        assertThatThrownBy(() -> Ssh.key(server.port(), "alice", first)).isNotNull();
        try (Ssh ssh = Ssh.key(server.port(), "alice", second)) {
            assertThat(ssh.exec("whoami", null).out()).isEqualTo("alice\n");
        }
        server.accounts().save(alice.toBuilder().authorizedKeys(List.of()).build());
        assertThatThrownBy(() -> Ssh.key(server.port(), "alice", second)).isNotNull();
    }

    @Test
    void accountMethodRestrictionAndDisabledAccount() throws Exception {
        start();
        server.accounts().save(Account.builder("keyonly").password("pw".toCharArray())
                .authMethods(java.util.Set.of(AuthMethod.PUBLICKEY)).build());
        server.accounts().save(Account.builder("off").password("pw".toCharArray()).enabled(false).build());
        assertThatThrownBy(() -> Ssh.password(server.port(), "keyonly", "pw")).isNotNull();
        assertThatThrownBy(() -> Ssh.password(server.port(), "off", "pw")).isNotNull();
    }

    /** Keyboard-interactive with a second question, checked by the auth handler. */
    public static class TwoFactor {
        @OnUser("auth-interactive-questions")
        List<Question> questions(AuthRequest r) {
            return List.of(new Question("Password: ", false), new Question("Code: ", true));
        }

        @OnUser("auth")
        AuthResult auth(AuthRequest r) {
            if (r.method() != AuthMethod.KEYBOARD_INTERACTIVE) {
                return AuthResult.DENY;
            }
            return r.answers().size() == 2 && r.answers().get(1).equals("123456") ? AuthResult.DEFER : AuthResult.DENY;
        }
    }

    @Test
    void keyboardInteractiveWithCustomQuestions() throws Exception {
        start(new TwoFactor());
        org.apache.sshd.client.SshClient c = org.apache.sshd.client.SshClient.setUpDefaultClient();
        c.setServerKeyVerifier(org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier.INSTANCE);
        c.setUserInteraction(new org.apache.sshd.client.auth.keyboard.UserInteraction() {
            @Override
            public String[] interactive(org.apache.sshd.client.session.ClientSession session, String name,
                    String instruction, String lang, String[] prompt, boolean[] echo) {
                events.add("prompts " + String.join("|", prompt) + " echo " + echo[1]);
                return new String[] {"secret", "123456"};
            }

            @Override
            public String getUpdatedPassword(org.apache.sshd.client.session.ClientSession session, String prompt,
                    String lang) {
                return null;
            }
        });
        c.start();
        try (org.apache.sshd.client.session.ClientSession s =
                c.connect("alice", "127.0.0.1", server.port()).verify(java.time.Duration.ofSeconds(10)).getSession()) {
            s.auth().verify(java.time.Duration.ofSeconds(20));
            assertThat(s.isAuthenticated()).isTrue();
        } finally {
            c.stop();
        }
        assertThat(events.await("prompts")).isEqualTo("prompts Password: |Code:  echo true");
    }
}
