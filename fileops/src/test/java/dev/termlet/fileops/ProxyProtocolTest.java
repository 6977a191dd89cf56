package dev.termlet.fileops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.Client;
import dev.termlet.ProxyProtocol;
import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import dev.termlet.annotations.OnUser;
import dev.termlet.auth.Account;
import dev.termlet.event.ConnectionOpened;
import dev.termlet.protector.Addresses;
import dev.termlet.test.Haproxy;
import dev.termlet.test.TestClient;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPReply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PROXY protocol through Debian's HAProxy ({@code send-proxy} and {@code send-proxy-v2}) in front of the SSH and
 * FTP listeners: OpenSSH's ssh and sftp and Commons Net's FTPClient connect from 127.0.0.2 or 127.0.0.3 (Linux's
 * loopback takes any 127/8 source), HAProxy from 127.0.0.1, the only trusted address; the server must see the
 * clients' addresses everywhere, ban them one by one, and refuse forged, malformed and late headers.
 */
class ProxyProtocolTest {
    @TempDir
    Path data;

    @TempDir
    Path clientDir;

    Fixture fx;
    TermletServer server;
    FileOps files;
    int passivePort;

    /** Prints the session's address and every session's, as {@code who} lists them; records connections. */
    public class Handlers {
        @OnUser("exec")
        int exec(Client c, String command) {
            c.println("me " + Addresses.host(c.remoteAddress()));
            c.println("all " + server.sessions().stream().map(s -> Addresses.host(s.remoteAddress()))
                    .sorted().collect(Collectors.joining(",")));
            return 0;
        }

        @OnUser("new-connection")
        void opened(ConnectionOpened o) {
            fx.add("open " + o.protocol() + " " + Addresses.canonical(o.address().getAddress()));
        }
    }

    @BeforeEach
    void start() throws Exception {
        fx = new Fixture(clientDir);
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            passivePort = s.getLocalPort();
        }
        files = FileOps.create().ftp(0).ftpAllowPlain(true).ftpPassivePorts(Integer.toString(passivePort));
        server = Termlet.server().port(0).bind("127.0.0.1").dataDir(data).extension(files).register(new Handlers())
                .proxyProtocol(ProxyProtocol.trusting("127.0.0.1").headerTimeout(Duration.ofSeconds(2))).build();
        server.accounts().save(Account.builder("alice").password("secret".toCharArray())
                .addAuthorizedKey(fx.publicKey()).build());
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Fixture.Result ssh(int port, String source, String command) throws Exception {
        return fx.run(java.util.Map.of(), List.of("ssh", "-F", "/dev/null", "-o", "StrictHostKeyChecking=no", "-o",
                "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-o", "BatchMode=yes", "-o",
                "ConnectTimeout=20", "-b", source, "-n", "-i", fx.key.toString(), "-p", Integer.toString(port),
                "alice@127.0.0.1", command));
    }

    @Test
    void sshSeesTheClientsAddressThroughVersionOneAndTwo() throws Exception {
        for (String option : List.of("send-proxy", "send-proxy-v2")) {
            try (Haproxy lb = Haproxy.tcp(server.port(), option)) {
                Fixture.Result r = ssh(lb.port(), "127.0.0.2", "where");
                assertThat(r.status()).as(option + ": " + r.out() + lb.output()).isZero();
                assertThat(r.out()).contains("me 127.0.0.2").contains("all 127.0.0.2").doesNotContain("127.0.0.1");
                assertThat(fx.await(l -> l.equals("open SSH 127.0.0.2"))).isTrue();
            }
        }
        assertThat(fx.events()).noneMatch(l -> l.endsWith(" 127.0.0.1"));
    }

    @Test
    void sftpThroughTheBalancer() throws Exception {
        Files.writeString(clientDir.resolve("up.txt"), "through the balancer\n");
        try (Haproxy lb = Haproxy.tcp(server.port(), "send-proxy-v2")) {
            Path batch = clientDir.resolve("batch");
            Files.writeString(batch, "put up.txt\nls -l\n");
            Fixture.Result r = fx.run(java.util.Map.of(), List.of("sftp", "-F", "/dev/null", "-o",
                    "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-o",
                    "BatchMode=yes", "-o", "BindAddress=127.0.0.3", "-b", batch.toString(), "-i", fx.key.toString(),
                    "-P", Integer.toString(lb.port()), "alice@127.0.0.1"));
            assertThat(r.status()).as(r.out()).isZero();
            assertThat(r.out()).contains("up.txt");
        }
        assertThat(Files.readString(data.resolve("home/alice/up.txt"))).isEqualTo("through the balancer\n");
        assertThat(fx.await(l -> l.equals("open SSH 127.0.0.3"))).isTrue();
    }

    @Test
    void aBanOfTheRealAddressHoldsThroughTheBalancer() throws Exception {
        server.protector().ban("127.0.0.2", Duration.ofHours(1));
        try (Haproxy lb = Haproxy.tcp(server.port(), "send-proxy")) {
            Fixture.Result banned = ssh(lb.port(), "127.0.0.2", "where");
            assertThat(banned.status()).as(banned.out()).isNotZero();
            assertThat(banned.out()).doesNotContain("me ");
            Fixture.Result other = ssh(lb.port(), "127.0.0.3", "where");
            assertThat(other.status()).as(other.out()).isZero();
            assertThat(other.out()).contains("me 127.0.0.3");
        }
        assertThat(fx.events()).doesNotContain("open SSH 127.0.0.2");
    }

    /** Connects from an address, writes bytes, and returns what the server sent until it closed (null if never). */
    private static byte[] exchange(String source, int port, byte[]... writes) throws Exception {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(source, 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            for (byte[] w : writes) {
                out.write(w);
                out.flush();
            }
            InputStream in = s.getInputStream();
            java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            try {
                for (int n; (n = in.read(buf)) >= 0;) {
                    got.write(buf, 0, n);
                }
            } catch (SocketException reset) {
                // a reset is a close too
            }
            return got.toByteArray();
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] v2(int command, int famProto, byte[] body) {
        byte[] sig = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
        byte[] h = new byte[16 + body.length];
        System.arraycopy(sig, 0, h, 0, 12);
        h[12] = (byte) (0x20 | command);
        h[13] = (byte) famProto;
        h[14] = (byte) (body.length >> 8);
        h[15] = (byte) body.length;
        System.arraycopy(body, 0, h, 16, body.length);
        return h;
    }

    @Test
    void anUntrustedClientCannotNameItsAddress() throws Exception {
        // from 127.0.0.2 directly: a forged header is refused on SSH and on FTP, before any identification or greeting
        byte[] ssh = exchange("127.0.0.2", server.port(), ascii("PROXY TCP4 9.9.9.9 127.0.0.1 4444 22\r\nSSH-2.0-x\r\n"));
        assertThat(new String(ssh, StandardCharsets.US_ASCII)).doesNotContain("Welcome");
        byte[] ftp = exchange("127.0.0.2", files.ftpPort(),
                v2(1, 0x11, new byte[] {9, 9, 9, 9, 127, 0, 0, 1, 0x11, 0x5c, 0, 21}));
        // the FTP greeting is sent at once to a client that is not a balancer; nothing after the forged header
        assertThat(new String(ftp, StandardCharsets.US_ASCII)).doesNotContain("331").doesNotContain("530");
        assertThat(fx.events()).noneMatch(l -> l.contains("9.9.9.9"));
        // an untrusted client without a header is served as without the PROXY protocol
        Fixture.Result direct = ssh(server.port(), "127.0.0.2", "where");
        assertThat(direct.status()).as(direct.out()).isZero();
        assertThat(direct.out()).contains("me 127.0.0.2");
        FTPClient c = new FTPClient();
        c.setDefaultTimeout(20_000);
        c.connect(InetAddress.getByName("127.0.0.1"), files.ftpPort(), InetAddress.getByName("127.0.0.2"), 0);
        assertThat(c.login("alice", "secret")).as(c.getReplyString()).isTrue();
        c.disconnect();
    }

    @Test
    void badHeadersFromTheBalancerAreClosedAndOthersGoOn() throws Exception {
        try (Haproxy lb = Haproxy.tcp(server.port(), "send-proxy-v2");
                TestClient live = TestClient.password("127.0.0.1", lb.port(), "alice", "secret")) {
            assertThat(live.exec("where").out()).contains("me 127.0.0.1");
            List<byte[]> bad = new ArrayList<>(List.of(
                    ascii("SSH-2.0-OpenSSH_9.2\r\n"),                                  // no header at all
                    ascii("PROXY TCP4 1.2.3.4 5.6.7.8 1 2" + " ".repeat(100) + "\r\n"), // longer than 107 bytes
                    ascii("PROXY TCP4 1.2.3.400 5.6.7.8 1 2\r\n"),                    // not an address
                    ascii("PROXY TCP6 1.2.3.4 5.6.7.8 1 2\r\n"),                      // wrong family
                    ascii("PROXY TCP4 1.2.3.4 5.6.7.8 1 99999\r\n"),                  // not a port
                    ascii("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\n"),                        // no CR
                    v2(1, 0x11, new byte[5]),                                         // address block too short
                    v2(3, 0x11, new byte[12]),                                        // no such command
                    v2(1, 0x11, new byte[5000])));                                    // longer than allowed
            for (int port : new int[] {server.port(), files.ftpPort()}) {
                for (byte[] b : bad) {
                    byte[] got = exchange("127.0.0.1", port, b);
                    assertThat(got).as("answer to %s on %d", new String(b, StandardCharsets.ISO_8859_1).strip(), port)
                            .isEmpty();
                }
                // truncated: half a v2 header, then the client closes its side
                assertThat(exchange("127.0.0.1", port, java.util.Arrays.copyOf(v2(1, 0x11, new byte[12]), 20)))
                        .isEmpty();
                // slow: a partial header that is never finished is closed at the 2 s header deadline
                assertThat(exchange("127.0.0.1", port, ascii("PROXY TCP4 1.2"))).isEmpty();
            }
            assertThat(live.exec("where").out()).contains("me 127.0.0.1");
        }
        assertThat(fx.events()).noneMatch(l -> l.contains("1.2.3.4"));
    }

    @Test
    void aHealthCheckKeepsTheBalancersAddress() throws Exception {
        // LOCAL (what HAProxy's checks send) and UNKNOWN: the connection is served as the balancer's own
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write(v2(0, 0x00, new byte[0]));
            s.getOutputStream().write(ascii("SSH-2.0-check\r\n"));
            byte[] ident = s.getInputStream().readNBytes(8);
            assertThat(new String(ident, StandardCharsets.US_ASCII)).isEqualTo("SSH-2.0-");
        }
        byte[] unknown = exchange("127.0.0.1", files.ftpPort(), ascii("PROXY UNKNOWN\r\nQUIT\r\n"));
        assertThat(new String(unknown, StandardCharsets.US_ASCII)).startsWith("220").contains("221");
        assertThat(fx.await(l -> l.equals("open FTP 127.0.0.1"))).isTrue();
    }

    /**
     * Opens a passive data connection from 127.0.0.2 to a port on 127.0.0.9 after EPSV, runs a transfer command on
     * it, and returns the bytes read (or sent) and the command's final reply.
     */
    private static String transfer(FTPClient c, int dataPort, String command, byte[] upload) throws Exception {
        assertThat(c.sendCommand("EPSV")).as(c.getReplyString()).isEqualTo(229);
        try (Socket d = new Socket()) {
            d.bind(new InetSocketAddress("127.0.0.2", 0));
            d.connect(new InetSocketAddress("127.0.0.9", dataPort), 10_000);
            d.setSoTimeout(20_000);
            int first = c.sendCommand(command);
            assertThat(FTPReply.isPositivePreliminary(first)).as(c.getReplyString()).isTrue();
            String got;
            if (upload != null) {
                d.getOutputStream().write(upload);
                d.shutdownOutput();
                got = "";
                d.getInputStream().read();
            } else {
                got = new String(d.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            }
            d.close();
            assertThat(c.completePendingCommand()).as(c.getReplyString()).isTrue();
            return got;
        }
    }

    @Test
    void ftpSeesTheClientsAddressAndPassiveDataGoesThroughTheBalancer() throws Exception {
        // HAProxy on 127.0.0.9 forwards the control port (with a header) and a data port (without: FtpServer's data
        // connections carry none) to the server's passive port on 127.0.0.1
        String config = """
                defaults
                    mode tcp
                    timeout connect 5s
                    timeout client 1m
                    timeout server 1m
                frontend control
                    bind 127.0.0.9:${port:control}
                    default_backend control
                backend control
                    server node 127.0.0.1:%d %s
                frontend passive
                    bind 127.0.0.9:${port:passive}
                    default_backend passive
                backend passive
                    server node 127.0.0.1:%d
                """;
        for (String option : List.of("send-proxy", "send-proxy-v2")) {
            try (Haproxy lb = Haproxy.start(config.formatted(files.ftpPort(), option, passivePort))) {
                FTPClient c = new FTPClient();
                c.setDefaultTimeout(20_000);
                c.connect(InetAddress.getByName("127.0.0.9"), lb.port("control"), InetAddress.getByName("127.0.0.2"),
                        0);
                assertThat(FTPReply.isPositiveCompletion(c.getReplyCode())).as(c.getReplyString()).isTrue();
                assertThat(c.login("alice", "secret")).as(c.getReplyString()).isTrue();
                assertThat(c.setFileType(FTPClient.BINARY_FILE_TYPE)).isTrue();
                String name = "ftp-" + option + ".txt";
                transfer(c, lb.port("passive"), "STOR " + name, "via ftp\n".getBytes(StandardCharsets.UTF_8));
                assertThat(transfer(c, lb.port("passive"), "NLST", null)).contains(name);
                // PASV names the node itself: a data connection straight from the client is not the control
                // connection's peer (the balancer), so FtpServer's passive address check refuses it
                c.setPassiveLocalIPAddress("127.0.0.2");
                c.setIpAddressFromPasvResponse(true);
                c.setRemoteVerificationEnabled(false);
                c.enterLocalPassiveMode();
                assertThat(c.listNames()).isNull();
                c.disconnect();
                assertThat(fx.await(l -> l.equals("open FTP 127.0.0.2"))).isTrue();
            }
        }
        assertThat(Files.readString(data.resolve("home/alice/ftp-send-proxy-v2.txt"))).isEqualTo("via ftp\n");
        assertThat(fx.events()).noneMatch(l -> l.endsWith(" 127.0.0.1") || l.endsWith(" 127.0.0.9"));
    }
}
