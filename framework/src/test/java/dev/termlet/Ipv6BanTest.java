package dev.termlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.termlet.auth.Account;
import dev.termlet.testing.HostKeyCache;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.core.CoreModuleProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding 7: an IPv6 ban typed as {@code ::1} must hold against a client that connects from {@code ::1}
 * (which Java reports as {@code 0:0:0:0:0:0:0:1}), and it takes the whole /64.
 */
class Ipv6BanTest {
    @TempDir
    Path data;

    TermletServer server;
    SshClient client;

    @BeforeEach
    void ipv6Loopback() {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
        } catch (Exception e) {
            Assumptions.abort("no IPv6 loopback on this machine: " + e);
        }
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.stop();
        }
        if (server != null) {
            server.close();
        }
    }

    private ClientSession login(String user, String password) throws Exception {
        ClientSession s = client.connect(user, new InetSocketAddress(InetAddress.getByName("::1"), server.port()))
                .verify(Duration.ofSeconds(20)).getSession();
        try {
            s.addPasswordIdentity(password);
            s.auth().verify(Duration.ofSeconds(20));
            return s;
        } catch (Exception e) {
            s.close(true);
            throw e;
        }
    }

    private static String exec(ClientSession s, String command) throws Exception {
        try (ChannelExec ch = s.createExecChannel(command)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ch.setOut(out);
            ch.setErr(out);
            ch.open().verify(Duration.ofSeconds(20));
            ch.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), Duration.ofSeconds(20));
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    /** What the server sends first over [::1]: its identification, or nothing when it refuses at once. */
    private String greeting() throws Exception {
        try (Socket s = new Socket(InetAddress.getByName("::1"), server.port())) {
            s.setSoTimeout(5000);
            InputStream in = s.getInputStream();
            byte[] buf = new byte[256];
            int n;
            try {
                n = in.read(buf);
            } catch (SocketException e) {
                return "";
            }
            return n <= 0 ? "" : new String(buf, 0, n, StandardCharsets.US_ASCII);
        }
    }

    @Test
    void banOfShortFormIpv6HoldsAgainstAClientFromThatAddressAndLiftsInAnyForm() throws Exception {
        server = Termlet.server().bind("::1").port(0).dataDir(HostKeyCache.seed(data)).build();
        server.accounts().save(Account.builder("root").password("secret".toCharArray()).addPermission("admin").build());
        server.accounts().save(Account.builder("alice").password("secret".toCharArray()).build());
        server.start();
        client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
        CoreModuleProperties.PREFERRED_AUTHS.set(client, "password");
        client.start();

        try (ClientSession root = login("root", "secret")) {
            String banned = exec(root, "bans add ::1 --for 10m");
            assertThat(banned).startsWith("Banned ");

            // a new client from [::1] is refused before the SSH exchange
            assertThat(greeting()).isEmpty();
            assertThatThrownBy(() -> login("alice", "secret").close()).isNotNull();

            // the ban took the address's /64
            assertThat(banned).startsWith("Banned ::/64 until");
            assertThat(exec(root, "bans list")).contains("::/64");

            // lifted in the long form, the ban is gone for the short one
            assertThat(exec(root, "bans lift 0:0:0:0:0:0:0:1")).isEqualTo("Ban of 0:0:0:0:0:0:0:1 lifted.\n");
        }
        assertThat(greeting()).startsWith("SSH-2.0-");
        try (ClientSession alice = login("alice", "secret")) {
            assertThat(exec(alice, "whoami")).isEqualTo("alice\n");
        }
    }
}
