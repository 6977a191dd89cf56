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

    @Test
    void aKeyExchangeMessageBeforeKexinitIsRefusedAtOnce() throws Exception {
        server = Termlet.server().port(0).dataDir(HostKeyCache.seed(data)).build();
        server.start();
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(3000);
            java.io.InputStream in = socket.getInputStream();
            java.io.OutputStream out = socket.getOutputStream();
            out.write("SSH-2.0-Test\r\n".getBytes(StandardCharsets.US_ASCII));
            // an unencrypted packet with SSH_MSG_KEX_ECDH_INIT (30) instead of KEXINIT: length, padding length,
            // payload, padding (the whole a multiple of 8)
            byte[] payload = new byte[1 + 4 + 32];
            payload[0] = 30;
            payload[4] = 32;
            int padding = 8 - ((4 + 1 + payload.length) % 8);
            padding = padding < 4 ? padding + 8 : padding;
            java.io.ByteArrayOutputStream packet = new java.io.ByteArrayOutputStream();
            int length = 1 + payload.length + padding;
            packet.write(new byte[] {(byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8),
                (byte) length, (byte) padding});
            packet.write(payload);
            packet.write(new byte[padding]);
            out.write(packet.toByteArray());
            out.flush();
            // the server's identification and KEXINIT come, then the connection ends: no thread waits on it
            long start = System.nanoTime();
            byte[] buf = new byte[4096];
            try {
                while (in.read(buf) >= 0) {
                    // drain until the server closes
                }
            } catch (java.net.SocketException e) {
                // reset: closed too
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        }
    }
}
