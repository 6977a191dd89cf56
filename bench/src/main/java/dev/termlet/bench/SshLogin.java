package dev.termlet.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Collectors;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import picocli.CommandLine.Option;

/** How the load tools reach and log in to a server over SSH (a picocli mixin shared by {@code load} and {@code transfer}). */
final class SshLogin {
    @Option(names = "--port", description = "Server port (default: ${DEFAULT-VALUE}).")
    int port = 2222;

    @Option(names = "--user", description = "User (default: ${DEFAULT-VALUE}).")
    String user = "bench";

    @Option(names = "--password", description = "Password (default: ${DEFAULT-VALUE}).")
    String password = "bench";

    @Option(names = "--identity", description = "Log in with this OpenSSH private key instead of the password.")
    Path identity;

    @Option(names = "--kex", description = "Only this key exchange, e.g. curve25519-sha256 (default: the client's list).")
    String kex;

    @Option(names = "--cipher", description = "Only this cipher, e.g. aes128-gcm@openssh.com (default: the client's list).")
    String cipher;

    @Option(names = "--label", description = "A label printed with the result (default: ${DEFAULT-VALUE}).")
    String label = "server";

    /**
     * A started client with these settings.
     *
     * @return the client
     * @throws IllegalArgumentException if the client lacks the key exchange asked for
     */
    SshClient client() {
        SshClient client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
        if (kex != null) {
            var chosen = client.getKeyExchangeFactories().stream().filter(f -> f.getName().equals(kex))
                    .collect(Collectors.toList());
            if (chosen.isEmpty()) {
                throw new IllegalArgumentException("the client has no key exchange " + kex);
            }
            client.setKeyExchangeFactories(chosen);
        }
        if (cipher != null) {
            var chosen = client.getCipherFactories().stream().filter(f -> f.getName().equals(cipher))
                    .collect(Collectors.toList());
            if (chosen.isEmpty()) {
                throw new IllegalArgumentException("the client has no cipher " + cipher);
            }
            client.setCipherFactories(chosen);
        }
        if (identity != null) {
            client.setKeyIdentityProvider(new FileKeyPairProvider(identity));
        }
        // as OpenSSH does for an interactive session, and asyncssh for every connection: without it, the client's
        // small writes wait for the server's delayed acknowledgements (40 ms each), and a handshake measures those
        org.apache.sshd.core.CoreModuleProperties.TCP_NODELAY.set(client, true);
        client.start();
        return client;
    }

    /**
     * Connects and logs in.
     *
     * @param client a client from {@link #client()}
     * @return the authenticated session
     * @throws IOException if the connection or the login fails
     */
    ClientSession login(SshClient client) throws IOException {
        ClientSession session = client.connect(user, "127.0.0.1", port).verify(Duration.ofSeconds(30)).getSession();
        try {
            if (identity == null) {
                session.addPasswordIdentity(password);
            }
            session.auth().verify(Duration.ofSeconds(30));
            return session;
        } catch (IOException | RuntimeException e) {
            session.close(true);
            throw e;
        }
    }
}
