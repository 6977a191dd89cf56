package dev.termlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.termlet.auth.Account;
import dev.termlet.auth.AccountStore;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.kex.BuiltinDHFactories;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.client.ClientBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The builder settings a configuration file needs: several listeners, host key files, algorithm lists; and the
 * account store and the protector's lists read again from their files while the server runs.
 */
class ServerSettingsTest {
    @TempDir
    Path data;

    private static SshClient client() {
        SshClient c = SshClient.setUpDefaultClient();
        c.start();
        return c;
    }

    private static ClientSession login(SshClient client, int port, String user, String password) throws Exception {
        ClientSession s = client.connect(user, "127.0.0.1", port).verify(Duration.ofSeconds(10)).getSession();
        s.addPasswordIdentity(password);
        s.auth().verify(Duration.ofSeconds(20));
        return s;
    }

    private void seed(TermletServer server) {
        server.accounts().save(Account.builder("alice").password("secret".toCharArray()).build());
    }

    @Test
    void severalListenersShareOneServer() throws Exception {
        TermletServer.Builder b = Termlet.server().port(0).dataDir(data).alsoListen("127.0.0.1", 0);
        try (TermletServer server = b.build(); SshClient client = client()) {
            seed(server);
            server.start();
            List<InetSocketAddress> addresses = server.addresses();
            assertThat(addresses).hasSize(2);
            assertThat(addresses.get(0).getPort()).isEqualTo(server.port());
            assertThat(addresses.get(1).getPort()).isPositive().isNotEqualTo(server.port());
            for (InetSocketAddress a : addresses) {
                try (ClientSession s = login(client, a.getPort(), "alice", "secret")) {
                    assertThat(s.isAuthenticated()).isTrue();
                }
            }
        }
    }

    @Test
    void aListenerThatCannotBindFailsTheStart() throws Exception {
        try (TermletServer first = Termlet.server().port(0).dataDir(data).start()) {
            TermletServer second = Termlet.server().port(0).dataDir(data.resolve("b"))
                    .alsoListen("127.0.0.1", first.port()).build();
            assertThatThrownBy(second::start).isInstanceOf(UncheckedIOException.class)
                    .hasStackTraceContaining("cannot listen on 127.0.0.1:" + first.port());
            second.close();
        }
    }

    @Test
    void hostKeyFilesAndChosenAlgorithmsAreWhatClientsGet() throws Exception {
        Path key = data.resolve("ssh_host_ecdsa_key");
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ecdsa", "-b", "256", "-N", "", "-f", key.toString())
                .start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        TermletServer.Builder b = Termlet.server().port(0).dataDir(data).hostKeys(key)
                .algorithms(SshAlgorithms.Kind.HOST_KEY, "ecdsa-sha2-nistp256")
                .algorithms(SshAlgorithms.Kind.CIPHER, "aes128-ctr")
                .algorithms(SshAlgorithms.Kind.MAC, "hmac-sha2-256")
                .algorithms(SshAlgorithms.Kind.KEX, "ecdh-sha2-nistp256");
        SshClient client = ClientBuilder.builder().build();
        client.start();
        try (TermletServer server = b.build(); client) {
            seed(server);
            server.start();
            try (ClientSession s = login(client, server.port(), "alice", "secret")) {
                assertThat(s.getServerKey().getAlgorithm()).isEqualTo("EC");
                assertThat(s.getNegotiatedKexParameter(org.apache.sshd.common.kex.KexProposalOption.C2SENC))
                        .isEqualTo("aes128-ctr");
                assertThat(s.getNegotiatedKexParameter(org.apache.sshd.common.kex.KexProposalOption.ALGORITHMS))
                        .isEqualTo("ecdh-sha2-nistp256");
            }
        }
        assertThat(Files.exists(data.resolve("hostkeys/ssh_host_ed25519_key"))).as("no key generated").isFalse();
        // a client that offers none of the chosen ciphers gets nowhere
        SshClient other = ClientBuilder.builder().build();
        other.setCipherFactories(List.<NamedFactory<org.apache.sshd.common.cipher.Cipher>>of(
                BuiltinCiphers.aes256gcm));
        other.setKeyExchangeFactories(NamedFactory.setUpTransformedFactories(false,
                List.of(BuiltinDHFactories.ecdhp256), ClientBuilder.DH2KEX));
        other.start();
        try (TermletServer server = b.build(); other) {
            server.start();
            assertThatThrownBy(() -> login(other, server.port(), "alice", "secret")).isNotNull();
        }
    }

    @Test
    void algorithmsAreChecked() {
        assertThatThrownBy(() -> Termlet.server().algorithms(SshAlgorithms.Kind.CIPHER, "aes128-cbc"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown or refused cipher algorithm 'aes128-cbc'")
                .hasMessageContaining("chacha20-poly1305@openssh.com");
        assertThatThrownBy(() -> Termlet.server().algorithms(SshAlgorithms.Kind.MAC))
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> Termlet.server().algorithms(SshAlgorithms.Kind.HOST_KEY, "ssh-rsa"))
                .hasMessageContaining("rsa-sha2-512");
        assertThatThrownBy(() -> Termlet.server().dataDir(data)
                .algorithms(SshAlgorithms.Kind.HOST_KEY, "ecdsa-sha2-nistp256").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("generated host keys");
        assertThat(SshAlgorithms.defaults(SshAlgorithms.Kind.CIPHER)).startsWith("chacha20-poly1305@openssh.com");
        assertThat(SshAlgorithms.supported(SshAlgorithms.Kind.CIPHER))
                .containsAll(SshAlgorithms.defaults(SshAlgorithms.Kind.CIPHER));
    }

    @Test
    void aMissingHostKeyFileFailsTheStart() {
        TermletServer server = Termlet.server().port(0).dataDir(data).hostKeys(data.resolve("nope")).build();
        assertThatThrownBy(server::start).isInstanceOf(UncheckedIOException.class)
                .hasStackTraceContaining("does not exist");
        server.close();
    }

    @Test
    void accountsReloadedFromTheFileEndTheSessionsOfRemovedOnes() throws Exception {
        try (TermletServer server = Termlet.server().port(0).dataDir(data).build(); SshClient client = client()) {
            seed(server);
            server.accounts().save(Account.builder("bob").password("pw".toCharArray()).build());
            server.start();
            ClientSession alice = login(client, server.port(), "alice", "secret");
            assertThat(server.accounts().reload().isEmpty()).as("the server's own writes are no change").isTrue();

            // another program writes users.json without alice, and with carol
            Path other = data.resolve("other");
            AccountStore copy = dev.termlet.auth.JsonAccountStore.open(other);
            copy.save(server.accounts().find("bob").orElseThrow());
            copy.save(Account.builder("carol").password("pw3".toCharArray()).build());
            Files.copy(other.resolve("users.json"), data.resolve("users.json"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);

            AccountStore.Changes changes = server.accounts().reload();
            assertThat(changes.removed()).extracting(Account::name).containsExactly("alice");
            assertThat(changes.added()).extracting(Account::name).containsExactly("carol");
            assertThat(changes.updated()).isEmpty();
            alice.waitFor(java.util.EnumSet.of(org.apache.sshd.client.session.ClientSession.ClientSessionEvent.CLOSED),
                    Duration.ofSeconds(10));
            assertThat(alice.isOpen()).as("alice's connection was closed").isFalse();
            assertThatThrownBy(() -> login(client, server.port(), "alice", "secret")).isNotNull();
            try (ClientSession carol = login(client, server.port(), "carol", "pw3")) {
                assertThat(carol.isAuthenticated()).isTrue();
            }

            // a malformed file changes nothing
            Files.writeString(data.resolve("users.json"), "{\"version\":1,\"users\":[{]}");
            assertThatThrownBy(() -> server.accounts().reload()).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("not valid JSON");
            assertThat(server.accounts().find("carol")).isPresent();
        }
    }

    @Test
    void theProtectorsListsAreReadAgain() throws Exception {
        try (TermletServer server = Termlet.server().port(0).dataDir(data)
                .protector(new dev.termlet.protector.ProtectorSettings().block("192.0.2.1")).build()) {
            assertThat(server.protector().check("198.51.100.7")).isEmpty();
            Files.writeString(data.resolve("blocklist.txt"), "# by hand\n198.51.100.0/24\nnot-an-address\n");
            Files.writeString(data.resolve("safelist.txt"), "203.0.113.5\n");
            server.protector().reload();
            assertThat(server.protector().check("198.51.100.7")).isPresent();
            assertThat(server.protector().check("192.0.2.1")).as("the settings' entry stays").isPresent();
            assertThat(server.protector().safeList()).containsExactly("203.0.113.5");
            Files.writeString(data.resolve("blocklist.txt"), "");
            server.protector().reload();
            assertThat(server.protector().check("198.51.100.7")).isEmpty();
            assertThat(server.protector().blockList()).containsExactly("192.0.2.1");
        }
    }
}
