package dev.termlet.fileops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.SshAlgorithms;
import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import dev.termlet.auth.Account;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A session that moves much data under ChaCha20-Poly1305 is re-keyed to AES-GCM (where the JVM runs AES in hardware),
 * with OpenSSH's sftp and PuTTY's psftp as the clients: both follow the server's key exchange, every byte arrives,
 * and sessions that move little, clients that do not offer AES-GCM and a server with the upgrade off keep their cipher.
 */
class CipherUpgradeTest {
    private static final String CHACHA = "chacha20-poly1305@openssh.com";
    private static final Pattern KEX = Pattern.compile("kex: (server->client|client->server) cipher: (\\S+)");

    @TempDir
    Path data;

    @TempDir
    Path client;

    Fixture fx;
    TermletServer server;
    byte[] big;

    @BeforeEach
    void prepare() throws Exception {
        fx = new Fixture(client);
        big = new byte[3 << 20];
        new java.util.Random(7).nextBytes(big);
        Files.write(client.resolve("big.bin"), big);
        Files.write(client.resolve("small.bin"), java.util.Arrays.copyOf(big, 100_000));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void start(long after) throws Exception {
        server = Termlet.server().port(0).dataDir(data).extension(FileOps.create()).cipherUpgradeAfter(after)
                .start();
        server.accounts().save(Account.builder("alice").addAuthorizedKey(fx.publicKey())
                .password("s3cret!".toCharArray()).build());
    }

    /** OpenSSH's sftp at debug level (the key exchanges' choices are printed), with extra options first. */
    private Fixture.Result sftp(List<String> options, String batch) throws Exception {
        Path file = client.resolve("batch.txt");
        Files.writeString(file, batch);
        List<String> cmd = new ArrayList<>(List.of("sftp", "-F", "/dev/null", "-o", "StrictHostKeyChecking=no",
                "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes", "-v"));
        cmd.addAll(options);
        cmd.addAll(List.of("-b", file.toString(), "-i", fx.key.toString(), "-P", Integer.toString(server.port()),
                "alice@127.0.0.1"));
        Fixture.Result r = fx.run(Map.of(), cmd);
        assertThat(r.status()).as(r.out()).isZero();
        return r;
    }

    /** The ciphers each key exchange chose, in order, as the client printed them (one per direction). */
    private static List<String> chosen(String out, String direction) {
        List<String> names = new ArrayList<>();
        Matcher m = KEX.matcher(out);
        while (m.find()) {
            if (m.group(1).equals(direction)) {
                names.add(m.group(2));
            }
        }
        return names;
    }

    private Path home() {
        return data.resolve("home/alice");
    }

    @Test
    void aBigTransferUnderChaChaMovesToAesGcmAndEveryByteArrives() throws Exception {
        Assumptions.assumeTrue(SshAlgorithms.aesGcmInHardware(), "AES-GCM does not run in hardware here");
        start(256 * 1024);
        Fixture.Result r = sftp(List.of(), "put big.bin\nget big.bin back.bin\n");
        assertThat(Files.readAllBytes(home().resolve("big.bin"))).isEqualTo(big);
        assertThat(Files.readAllBytes(client.resolve("back.bin"))).isEqualTo(big);
        for (String direction : List.of("client->server", "server->client")) {
            List<String> names = chosen(r.out(), direction);
            assertThat(names).as(direction).hasSize(2);
            assertThat(names.get(0)).isEqualTo(CHACHA);
            // OpenSSH's client prefers aes128-gcm of the two the server offers
            assertThat(names.get(1)).isEqualTo("aes128-gcm@openssh.com");
        }
    }

    /** A client that re-keys more often than the threshold (OpenSSH's RekeyLimit) is still upgraded: bytes add up. */
    @Test
    void theClientsOwnReKeysDoNotHoldTheUpgradeOff() throws Exception {
        Assumptions.assumeTrue(SshAlgorithms.aesGcmInHardware(), "AES-GCM does not run in hardware here");
        start(1024 * 1024);
        Fixture.Result r = sftp(List.of("-o", "RekeyLimit=256K"), "put big.bin\n");
        assertThat(Files.readAllBytes(home().resolve("big.bin"))).isEqualTo(big);
        List<String> names = chosen(r.out(), "client->server");
        assertThat(names.get(0)).isEqualTo(CHACHA);
        assertThat(names).as("the ciphers of each key exchange").contains("aes128-gcm@openssh.com");
        // once upgraded, every later key exchange (the client's) stays on AES-GCM
        assertThat(names.subList(names.indexOf("aes128-gcm@openssh.com"), names.size()))
                .containsOnly("aes128-gcm@openssh.com");
    }

    @Test
    void sessionsThatMoveLittleClientsWithoutAesGcmAndAServerWithItOffKeepTheirCipher() throws Exception {
        start(4L << 20);
        Fixture.Result small = sftp(List.of(), "put small.bin\nget small.bin s.bin\n");
        assertThat(chosen(small.out(), "server->client")).containsExactly(CHACHA);
        assertThat(Files.readAllBytes(client.resolve("s.bin"))).hasSize(100_000);
        server.close();

        start(64 * 1024);
        Fixture.Result only = sftp(List.of("-c", CHACHA), "put big.bin\nget big.bin b1.bin\n");
        assertThat(chosen(only.out(), "server->client")).containsExactly(CHACHA);
        assertThat(Files.readAllBytes(client.resolve("b1.bin"))).isEqualTo(big);
        // a client that picks AES-GCM itself is left as it is
        Fixture.Result gcm = sftp(List.of("-c", "aes256-gcm@openssh.com"), "get big.bin b2.bin\n");
        assertThat(chosen(gcm.out(), "server->client")).containsExactly("aes256-gcm@openssh.com");
        assertThat(Files.readAllBytes(client.resolve("b2.bin"))).isEqualTo(big);
        server.close();

        start(0);
        Fixture.Result off = sftp(List.of(), "put big.bin\nget big.bin b3.bin\n");
        assertThat(chosen(off.out(), "server->client")).containsExactly(CHACHA);
        assertThat(Files.readAllBytes(client.resolve("b3.bin"))).isEqualTo(big);
    }
}
