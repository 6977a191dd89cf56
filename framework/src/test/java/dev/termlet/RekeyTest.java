package dev.termlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.annotations.OnUser;
import dev.termlet.auth.Account;
import dev.termlet.testing.HostKeyCache;
import dev.termlet.testing.Ssh;
import java.nio.file.Path;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelShell;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.core.CoreModuleProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Key exchanges after the first: the server drops both KEXINIT payloads once a key exchange is done, so each new
 * one must set them again before the exchange hash is computed; and re-keys that both sides start at once while data
 * flows both ways.
 */
class RekeyTest {
    @TempDir
    Path data;

    TermletServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theClientCanExchangeKeysAgainAndAgain() throws Exception {
        server = Termlet.server().port(0).dataDir(HostKeyCache.seed(data)).build();
        server.accounts().save(Account.builder("alice").password("secret".toCharArray()).build());
        server.start();
        try (Ssh ssh = Ssh.password(server.port(), "alice", "secret")) {
            assertThat(ssh.exec("whoami", null).out()).isEqualTo("alice\n");
            for (int i = 0; i < 3; i++) {
                ssh.session().reExchangeKeys().verify(Duration.ofSeconds(10));
                assertThat(ssh.exec("whoami", null).out()).isEqualTo("alice\n");
            }
        }
    }

    /** Prints each line back. */
    public static class Echo {
        @OnUser("command")
        void line(Client c, String line) {
            c.println(line);
        }
    }

    @Test
    void reKeysBothSidesStartAtOnceWhileDataFlowsKeepTheConnection() throws Exception {
        long limit = 8 * 1024; // both sides ask for new keys after this many bytes, so they often ask at once
        server = Termlet.server().port(0).dataDir(HostKeyCache.seed(data)).builtins(false).prompt("")
                .extension(ctx -> CoreModuleProperties.REKEY_BYTES_LIMIT.set(ctx.sshServer(), limit))
                .register(new Echo()).build();
        server.accounts().save(Account.builder("alice").password("secret".toCharArray()).build());
        server.start();
        SshClient client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
        CoreModuleProperties.PREFERRED_AUTHS.set(client, "password");
        CoreModuleProperties.REKEY_BYTES_LIMIT.set(client, limit);
        AtomicInteger keys = new AtomicInteger();
        client.addSessionListener(new SessionListener() {
            @Override
            public void sessionEvent(Session session, Event event) {
                if (event == Event.KeyEstablished) {
                    keys.incrementAndGet();
                }
            }
        });
        client.start();
        try (ClientSession s = client.connect("alice", "127.0.0.1", server.port()).verify(Duration.ofSeconds(10))
                .getSession()) {
            s.addPasswordIdentity("secret");
            s.auth().verify(Duration.ofSeconds(20));
            ChannelShell shell = s.createShellChannel();
            shell.setUsePty(false);
            dev.termlet.testing.Output out = new dev.termlet.testing.Output();
            shell.setOut(out);
            shell.setErr(out);
            shell.open().verify(Duration.ofSeconds(10));
            String filler = "x".repeat(700);
            java.io.OutputStream in = shell.getInvertedIn();
            int lines = 1500;
            for (int i = 0; i < lines; i++) {
                in.write((i + " " + filler + "\n").getBytes(StandardCharsets.US_ASCII));
                in.flush();
                if (i % 200 == 199) {
                    out.await((i - 100) + " " + filler, Duration.ofSeconds(30));
                }
            }
            out.await((lines - 1) + " " + filler, Duration.ofSeconds(30));
            assertThat(s.isOpen()).isTrue();
            assertThat(keys.get()).as("key exchanges").isGreaterThanOrEqualTo(10);
        } finally {
            client.stop();
        }
    }
}
