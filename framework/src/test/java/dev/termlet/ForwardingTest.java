package dev.termlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.annotations.OnUser;
import dev.termlet.auth.Account;
import dev.termlet.auth.Forwarding;
import dev.termlet.event.ForwardRequest;
import dev.termlet.testing.HostKeyCache;
import dev.termlet.testing.OpenSsh;
import dev.termlet.testing.Recorder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TCP forwarding with OpenSSH's {@code ssh -L} and {@code ssh -R} against a real echo server on 127.0.0.1: off
 * unless the account allows the kind, and each request refusable by {@code BeforeOpenClientFwd} /
 * {@code BeforeOpenServerFwd}.
 */
class ForwardingTest {
    @TempDir
    Path data;

    @TempDir
    Path client;

    final Recorder events = new Recorder();
    final List<Process> processes = new ArrayList<>();
    TermletServer server;
    OpenSsh ssh;
    ServerSocket echo;
    ServerSocket refusedEcho;

    /** Records forwarding requests; refuses those to or on the ports the test marks. */
    public class Handlers {
        @OnUser("BeforeOpenClientFwd")
        boolean local(ForwardRequest r) {
            events.add("local " + r.kind() + " " + r.user() + " " + r.host() + ":" + r.port());
            return r.port() != refusedEcho.getLocalPort();
        }

        @OnUser("BeforeOpenServerFwd")
        boolean remote(ForwardRequest r) {
            events.add("remote " + r.kind() + " " + r.user() + " " + r.host() + ":" + r.port());
            return r.port() != refusedRemotePort;
        }
    }

    volatile int refusedRemotePort = -1;

    @BeforeEach
    void start() throws Exception {
        echo = echoServer();
        refusedEcho = echoServer();
        server = Termlet.server().port(0).dataDir(HostKeyCache.seed(data)).register(new Handlers()).start();
        ssh = new OpenSsh(client, server.port());
        server.accounts().save(Account.builder("alice").addAuthorizedKey(ssh.publicKey())
                .forwarding(Forwarding.LOCAL, Forwarding.REMOTE).build());
        server.accounts().save(Account.builder("bob").addAuthorizedKey(ssh.publicKey()).build());
    }

    @AfterEach
    void stop() throws Exception {
        for (Process p : processes) {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        server.close();
        echo.close();
        refusedEcho.close();
    }

    private static ServerSocket echoServer() throws IOException {
        ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!s.isClosed()) {
                try {
                    Socket c = s.accept();
                    Thread w = new Thread(() -> {
                        try (c; InputStream in = c.getInputStream(); OutputStream out = c.getOutputStream()) {
                            in.transferTo(out);
                        } catch (IOException e) {
                            // the peer went away
                        }
                    });
                    w.setDaemon(true);
                    w.start();
                } catch (IOException e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        return s;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private Process ssh(String user, String... forward) throws IOException {
        List<String> cmd = ssh.keyArgs();
        cmd.addAll(List.of("-N", "-o", "ExitOnForwardFailure=yes"));
        cmd.addAll(List.of(forward));
        cmd.add(user + "@127.0.0.1");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(client.resolve(user + ".log")
                .toFile()).start();
        processes.add(p);
        return p;
    }

    /** Sends a line through a port and returns what came back (null if the connection ended or was reset first). */
    private static String roundTrip(int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write("ping\n".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            byte[] buf = new byte[5];
            int n = 0;
            while (n < 5) {
                int r;
                try {
                    r = s.getInputStream().read(buf, n, 5 - n);
                } catch (java.net.SocketException reset) {
                    return null;
                }
                if (r < 0) {
                    return null;
                }
                n += r;
            }
            return new String(buf, StandardCharsets.US_ASCII);
        }
    }

    /** Waits until the ssh client listens on a local port. */
    private static void awaitListening(int port, Process p) throws Exception {
        for (int i = 0; i < 200; i++) {
            assertThat(p.isAlive()).as("ssh exited with " + (p.isAlive() ? 0 : p.exitValue())).isTrue();
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1_000);
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("nothing listens on " + port);
    }

    @Test
    void localForwardingReachesTheEchoServerWhenAllowed() throws Exception {
        int port = freePort();
        int refusedPort = freePort();
        Process p = ssh("alice", "-L", port + ":127.0.0.1:" + echo.getLocalPort(),
                "-L", refusedPort + ":127.0.0.1:" + refusedEcho.getLocalPort());
        awaitListening(port, p);
        assertThat(roundTrip(port)).isEqualTo("ping\n");
        assertThat(events.await("local ")).isEqualTo("local LOCAL alice 127.0.0.1:" + echo.getLocalPort());
        // the handler refuses this one: the channel open fails and ssh closes the connection
        assertThat(roundTrip(refusedPort)).isNull();
        events.await(e -> e.endsWith(":" + refusedEcho.getLocalPort()), java.time.Duration.ofSeconds(10));
        assertThat(roundTrip(port)).isEqualTo("ping\n");
    }

    @Test
    void localForwardingIsOffForAnAccountThatDoesNotAllowIt() throws Exception {
        int port = freePort();
        Process p = ssh("bob", "-L", port + ":127.0.0.1:" + echo.getLocalPort());
        awaitListening(port, p);
        assertThat(roundTrip(port)).isNull();
        assertThat(events.all()).noneMatch(e -> e.startsWith("local "));
    }

    @Test
    void remoteForwardingListensOnTheServerWhenAllowed() throws Exception {
        int port = freePort();
        Process p = ssh("alice", "-R", "127.0.0.1:" + port + ":127.0.0.1:" + echo.getLocalPort());
        awaitListening(port, p);
        assertThat(roundTrip(port)).isEqualTo("ping\n");
        assertThat(events.await("remote ")).isEqualTo("remote REMOTE alice 127.0.0.1:" + port);

        refusedRemotePort = freePort();
        Process refused = ssh("alice", "-R", "127.0.0.1:" + refusedRemotePort + ":127.0.0.1:" + echo.getLocalPort());
        assertThat(refused.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(refused.exitValue()).isEqualTo(255);
        assertThat(java.nio.file.Files.readString(client.resolve("alice.log"))).contains("forwarding failed");
    }

    @Test
    void remoteForwardingIsOffForAnAccountThatDoesNotAllowIt() throws Exception {
        int port = freePort();
        Process p = ssh("bob", "-R", "127.0.0.1:" + port + ":127.0.0.1:" + echo.getLocalPort());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(255);
        assertThat(java.nio.file.Files.readString(client.resolve("bob.log"))).contains("forwarding failed");
        assertThat(events.all()).noneMatch(e -> e.startsWith("remote "));
    }

    @Test
    void remoteForwardingRefusesNonLoopbackAddresses() throws Exception {
        int port = freePort();
        Process p = ssh("alice", "-R", "0.0.0.0:" + port + ":127.0.0.1:" + echo.getLocalPort());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(255);
    }
}
