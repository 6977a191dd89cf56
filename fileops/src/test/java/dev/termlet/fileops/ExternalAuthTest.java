package dev.termlet.fileops;

import dev.termlet.fileops.internal.hooks.ExternalAuth;
import dev.termlet.fileops.internal.hooks.SftpgoUsers;

import static dev.termlet.fileops.HookTests.lines;
import static dev.termlet.fileops.HookTests.script;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.termlet.AuthResult;
import dev.termlet.Authenticator;
import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import dev.termlet.auth.Account;
import dev.termlet.fileops.HookTests.Receiver;
import dev.termlet.test.TestClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.sshd.sftp.client.SftpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SFTPGo's external authentication hook, as a program and as an HTTP endpoint. */
class ExternalAuthTest {
    @TempDir
    Path data;

    @TempDir
    Path dir;

    TermletServer server;
    Receiver receiver;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    private void start(Authenticator auth) {
        server = Termlet.server().port(0).dataDir(data).extension(FileOps.sftp()).authenticator(auth).start();
    }

    private boolean canLogIn(String user, String password) {
        try (TestClient client = Fixture.login(server, user, password)) {
            return client.session().isAuthenticated();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * An external auth program as SFTPGo's documentation shows one; the test only fills in SEEN and HOME (a
     * returned home must be the user's home under the data directory).
     */
    private static final String SFTPGO_AUTH_SCRIPT = String.join("\n",
            "echo \"$SFTPGO_AUTHD_USERNAME $SFTPGO_AUTHD_IP $SFTPGO_AUTHD_PROTOCOL\" >> \"@SEEN@\"",
            "if test \"$SFTPGO_AUTHD_USERNAME\" = \"test_user\" && test \"$SFTPGO_AUTHD_PASSWORD\" = \"s3cret\"; then",
            "  echo '{\"status\":1,\"username\":\"test_user\",\"expiration_date\":0,\"home_dir\":\"@HOME@\","
                    + "\"uid\":0,\"gid\":0,\"max_sessions\":0,\"quota_size\":0,\"quota_files\":100000,"
                    + "\"permissions\":{\"/\":[\"*\"]},\"filters\":{\"allowed_ip\":[],\"denied_ip\":[]},"
                    + "\"public_keys\":[]}'",
            "else",
            "  echo '{\"username\":\"\"}'",
            "fi",
            "");

    @Test
    void anExternalAuthProgramAllowsOneUserAndDeniesAnother() throws Exception {
        Path seen = dir.resolve("seen.txt");
        start(Hooks.externalAuth(script(dir, "auth.sh", SFTPGO_AUTH_SCRIPT.replace("@SEEN@", seen.toString())
                .replace("@HOME@", data.resolve("home/test_user").toString()))));
        assertThat(canLogIn("test_user", "s3cret")).isTrue();
        assertThat(canLogIn("test_user", "wrong")).isFalse();
        assertThat(canLogIn("mallory", "s3cret")).isFalse();
        assertThat(lines(seen)).contains("test_user 127.0.0.1 SSH", "mallory 127.0.0.1 SSH");
        try (TestClient testUser = Fixture.login(server, "test_user", "s3cret")) {
            SftpClient sftp = testUser.sftp();
            sftp.mkdir("mine");
        }
        assertThat(Files.isDirectory(data.resolve("home/test_user/mine"))).isTrue();
    }

    @Test
    void anExternalAuthProgramThatFailsOrHangsDenies() throws Exception {
        start(Hooks.externalAuth(script(dir, "slow.sh", "sleep 60\n"), Duration.ofSeconds(1)));
        assertThat(canLogIn("test_user", "s3cret")).isFalse();
        server.close();
        start(Hooks.externalAuth(dir.resolve("missing.sh")));
        assertThat(canLogIn("test_user", "s3cret")).isFalse();
    }

    @Test
    void anEmptyAnswerLetsTheAccountStoreDecide() throws Exception {
        start(Hooks.externalAuth(script(dir, "empty.sh", "exit 0\n")));
        server.accounts().save(Account.builder("alice").password("pw".toCharArray()).build());
        assertThat(canLogIn("alice", "pw")).isTrue();
        assertThat(canLogIn("alice", "nope")).isFalse();
        assertThat(canLogIn("bob", "pw")).isFalse();
    }

    @Test
    void anExternalAuthEndpointGetsSftpgosFieldsAndDecides() throws Exception {
        receiver = new Receiver(0).respond(r -> {
            try {
                JsonNode j = r.json();
                boolean ok = j.path("username").asText().equals("test_user")
                        && j.path("password").asText().equals("s3cret");
                return ok ? "{\"username\":\"test_user\",\"home_dir\":\"" + data.resolve("home/test_user") + "\"}"
                        : "{\"username\":\"\"}";
            } catch (IOException e) {
                return "";
            }
        });
        start(Hooks.externalAuth(receiver.uri("/auth")));
        assertThat(canLogIn("test_user", "s3cret")).isTrue();
        assertThat(canLogIn("mallory", "s3cret")).isFalse();
        JsonNode first = receiver.requests().get(0).json();
        assertThat(first.path("username").asText()).isEqualTo("test_user");
        assertThat(first.path("ip").asText()).isEqualTo("127.0.0.1");
        assertThat(first.path("protocol").asText()).isEqualTo("SSH");
        receiver.status(500);
        assertThat(canLogIn("test_user", "s3cret")).as("an error status denies").isFalse();
    }

    /** An external auth program that notes which method it was asked about and lets test_user in by any of them. */
    private static final String SCOPED_SCRIPT = String.join("\n",
            "if test -n \"$SFTPGO_AUTHD_PASSWORD\"; then M=password; elif test -n \"$SFTPGO_AUTHD_PUBLIC_KEY\"; then"
                    + " M=publickey; else M=other; fi",
            "echo \"$SFTPGO_AUTHD_USERNAME $M\" >> \"@SEEN@\"",
            "if test \"$SFTPGO_AUTHD_USERNAME\" = \"test_user\"; then",
            "  echo '{\"status\":1,\"username\":\"test_user\",\"permissions\":{\"/\":[\"*\"]}}'",
            "else",
            "  echo '{\"username\":\"\"}'",
            "fi", "");

    private boolean canLogInWithKey(String user, java.security.KeyPair key) {
        try (TestClient client = TestClient.publicKey("127.0.0.1", server.port(), user, key)) {
            return client.session().isAuthenticated();
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Test
    void externalAuthScopeChoosesTheMethodsTheHookIsAskedAbout() throws Exception {
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        java.security.KeyPair key = g.generateKeyPair();
        Path seen = dir.resolve("seen.txt");
        Path hook = script(dir, "scoped.sh", SCOPED_SCRIPT.replace("@SEEN@", seen.toString()));
        // 2: public keys only; password attempts go to the account store
        start(Hooks.externalAuth(hook, Duration.ofSeconds(30), 2));
        server.accounts().save(Account.builder("alice").password("pw".toCharArray()).build());
        assertThat(canLogIn("test_user", "anything")).as("not asked: test_user has no stored password").isFalse();
        assertThat(canLogIn("alice", "pw")).as("the store decides passwords").isTrue();
        assertThat(canLogInWithKey("test_user", key)).as("asked about the key").isTrue();
        assertThat(lines(seen)).containsOnly("test_user publickey");
        server.close();
        Files.delete(seen);
        // 1: passwords only; keys go to the account store
        start(Hooks.externalAuth(hook, Duration.ofSeconds(30), 1));
        assertThat(canLogInWithKey("test_user", key)).as("not asked about keys").isFalse();
        assertThat(canLogIn("test_user", "anything")).isTrue();
        assertThat(lines(seen)).containsOnly("test_user password");
        server.close();
        Files.delete(seen);
        // 0: every method
        start(Hooks.externalAuth(hook, Duration.ofSeconds(30), 0));
        assertThat(canLogInWithKey("test_user", key)).isTrue();
        assertThat(canLogIn("test_user", "anything")).isTrue();
        assertThat(lines(seen)).contains("test_user publickey", "test_user password");
        assertThatThrownBy(() -> Hooks.externalAuth(hook, Duration.ofSeconds(1), 16))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Hooks.externalAuth(hook, Duration.ofSeconds(1), -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void roleAndMetadataOfTheReturnedUserReachTheOtherHooks() throws Exception {
        Path seen = dir.resolve("seen.txt");
        Path auth = script(dir, "auth.sh", String.join("\n",
                "if test \"$SFTPGO_AUTHD_PASSWORD\" = \"s3cret\"; then",
                "  echo '{\"status\":1,\"username\":\"test_user\",\"role\":\"sales\",\"description\":\"Test User\","
                        + "\"additional_info\":\"cost centre 7\",\"permissions\":{\"/\":[\"*\"]}}'",
                "else",
                "  echo '{\"username\":\"\"}'",
                "fi", ""));
        Path login = script(dir, "login.sh", "echo \"login $SFTPGO_LOGIND_USER\" >> \"" + seen + "\"\n");
        Path provider = script(dir, "provider.sh",
                "echo \"provider $SFTPGO_PROVIDER_ACTION $SFTPGO_PROVIDER_ROLE\" >> \"" + seen + "\"\n");
        server = Termlet.server().port(0).dataDir(data).extension(FileOps.sftp())
                .extension(Hooks.builder().postLogin(login, 2).providerActions(provider)
                        .providerActions((receiver = new Receiver(0)).uri("/provider")).build())
                .authenticator(Hooks.externalAuth(auth)).start();
        assertThat(canLogIn("test_user", "s3cret")).isTrue();
        Account stored = server.accounts().find("test_user").orElseThrow();
        assertThat(stored.role()).hasValue("sales");
        assertThat(stored.metadata()).containsEntry("description", "Test User")
                .containsEntry("additional_info", "cost centre 7");
        assertThat(Files.readString(data.resolve("users.json"))).contains("\"role\" : \"sales\"");
        HookTests.await("the post-login hook ran", () -> lines(seen).stream().anyMatch(l -> l.startsWith("login ")));
        String user = lines(seen).stream().filter(l -> l.startsWith("login ")).findFirst().orElseThrow();
        JsonNode json = HookTests.JSON.readTree(user.substring("login ".length()));
        assertThat(json.path("role").asText()).isEqualTo("sales");
        assertThat(json.path("description").asText()).isEqualTo("Test User");
        assertThat(json.path("additional_info").asText()).isEqualTo("cost centre 7");
        server.accounts().save(stored.toBuilder().quota(0, 10).build());
        HookTests.await("the provider action ran", () -> lines(seen).contains("provider update sales"));
        HookTests.await("the provider URL was called", () -> receiver.requests().stream()
                .anyMatch(r -> r.uri().toString().contains("action=update")));
        assertThat(receiver.requests()).filteredOn(r -> r.uri().toString().contains("action=update")).first()
                .satisfies(r -> assertThat(r.uri().toString())
                        .contains("&object_name=test_user&role=sales&timestamp="));
        // an empty role in a later answer removes it, as SFTPGo's user update does
        assertThat(SftpgoUsers.apply(HookTests.JSON.readTree("{\"role\":\"\",\"description\":\"\"}"), "test_user",
                stored, data.resolve("home")).role()).isEmpty();
        assertThatThrownBy(() -> SftpgoUsers.apply(HookTests.JSON.readTree("{\"role\":7}"), "test_user", stored,
                data.resolve("home"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void answersAreReadAsSftpgoDoes() {
        assertThat(ExternalAuth.decide("ann", "{\"username\":\"ann\",\"status\":1}")).isEqualTo(AuthResult.ALLOW);
        assertThat(ExternalAuth.decide("ann", "{\"username\":\"\"}")).isEqualTo(AuthResult.DENY);
        assertThat(ExternalAuth.decide("ann", "{\"username\":\"bob\"}")).isEqualTo(AuthResult.DENY);
        assertThat(ExternalAuth.decide("ann", "not json")).isEqualTo(AuthResult.DENY);
        assertThat(ExternalAuth.decide("ann", "[1]")).isEqualTo(AuthResult.DENY);
        assertThat(ExternalAuth.decide("ann", " \n")).isEqualTo(AuthResult.DEFER);
        assertThatThrownBy(() -> Hooks.externalAuth(Path.of("auth.sh"))).isInstanceOf(IllegalArgumentException.class);
    }
}
