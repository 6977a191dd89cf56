package dev.termlet.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.util.EnumSet;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ChannelShell;
import org.apache.sshd.client.channel.ClientChannel;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.core.CoreModuleProperties;

/**
 * A MINA {@link SshClient} driving a server under test, for the framework's own tests. They cannot use the published
 * test kit ({@code dev.termlet.test.TestClient} in termlet-test), which depends on the framework; every other module
 * and users do.
 */
public final class Ssh implements AutoCloseable {
    private final SshClient client;
    private final ClientSession session;

    private Ssh(SshClient client, ClientSession session) {
        this.client = client;
        this.session = session;
    }

    private static SshClient newClient() {
        SshClient c = SshClient.setUpDefaultClient();
        c.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
        c.start();
        return c;
    }

    /**
     * Connects and authenticates with a password.
     *
     * @param port the server port
     * @param user the user
     * @param password the password
     * @return the connected client
     * @throws IOException if connecting or authenticating fails
     */
    public static Ssh password(int port, String user, String password) throws IOException {
        SshClient c = SshClient.setUpDefaultClient();
        c.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
        CoreModuleProperties.PREFERRED_AUTHS.set(c, "password");
        c.start();
        try {
            ClientSession s = c.connect(user, "127.0.0.1", port).verify(Duration.ofSeconds(10)).getSession();
            s.addPasswordIdentity(password);
            s.auth().verify(Duration.ofSeconds(20));
            return new Ssh(c, s);
        } catch (IOException | RuntimeException e) {
            c.stop();
            throw e;
        }
    }

    /**
     * Connects and authenticates with a key.
     *
     * @param port the server port
     * @param user the user
     * @param key the key pair
     * @return the connected client
     * @throws IOException if connecting or authenticating fails
     */
    public static Ssh key(int port, String user, KeyPair key) throws IOException {
        SshClient c = newClient();
        try {
            ClientSession s = c.connect(user, "127.0.0.1", port).verify(Duration.ofSeconds(10)).getSession();
            s.addPublicKeyIdentity(key);
            s.auth().verify(Duration.ofSeconds(20));
            return new Ssh(c, s);
        } catch (IOException | RuntimeException e) {
            c.stop();
            throw e;
        }
    }

    /** @return the MINA session */
    public ClientSession session() {
        return session;
    }

    /**
     * Opens a shell with a pseudo-terminal.
     *
     * @param columns width
     * @param rows height
     * @return the shell
     * @throws IOException if it cannot be opened
     */
    public Shell shell(int columns, int rows) throws IOException {
        ChannelShell ch = session.createShellChannel();
        ch.setPtyType("xterm-256color");
        ch.setPtyColumns(columns);
        ch.setPtyLines(rows);
        // MINA's client (2.17.1) writes the pixel height before the width, against RFC 4254 section 6.2;
        // swap them here so the server receives width = columns * 8, height = rows * 16.
        ch.setPtyWidth(rows * 16);
        ch.setPtyHeight(columns * 8);
        return Shell.open(ch);
    }

    /**
     * Opens a shell without a pseudo-terminal.
     *
     * @return the shell
     * @throws IOException if it cannot be opened
     */
    public Shell shellNoPty() throws IOException {
        ChannelShell ch = session.createShellChannel();
        ch.setUsePty(false);
        return Shell.open(ch);
    }

    /**
     * Runs a command without a PTY and waits for it to end.
     *
     * @param command the command
     * @param stdin what to send as input, or null
     * @return the result
     * @throws IOException if it fails
     */
    public Exec exec(String command, String stdin) throws IOException {
        ChannelExec ch = session.createExecChannel(command);
        Output out = new Output();
        Output err = new Output();
        ch.setOut(out);
        ch.setErr(err);
        ch.open().verify(Duration.ofSeconds(10));
        if (stdin != null) {
            OutputStream in = ch.getInvertedIn();
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
            in.flush();
        }
        ch.getInvertedIn().close();
        ch.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), Duration.ofSeconds(20));
        return new Exec(ch.getExitStatus(), out.text(), err.text());
    }

    @Override
    public void close() {
        try {
            session.close(false).await(Duration.ofSeconds(5));
        } catch (IOException e) {
            // closing anyway
        }
        client.stop();
    }

    /** The result of an exec. */
    public record Exec(Integer status, String out, String err) {}

    /** An open shell channel. */
    public static final class Shell implements AutoCloseable {
        private final ClientChannel channel;
        private final Output out = new Output();
        private final OutputStream in;

        private Shell(ClientChannel channel) throws IOException {
            this.channel = channel;
            channel.setOut(out);
            channel.setErr(out);
            channel.open().verify(Duration.ofSeconds(10));
            this.in = channel.getInvertedIn();
        }

        static Shell open(ClientChannel ch) throws IOException {
            return new Shell(ch);
        }

        /** @return the output collected */
        public Output out() {
            return out;
        }

        /** @return the channel */
        public ClientChannel channel() {
            return channel;
        }

        /**
         * Sends text.
         *
         * @param text the text
         * @throws IOException if sending fails
         */
        public void send(String text) throws IOException {
            send(text.getBytes(StandardCharsets.UTF_8));
        }

        /**
         * Sends bytes.
         *
         * @param bytes the bytes
         * @throws IOException if sending fails
         */
        public void send(byte[] bytes) throws IOException {
            in.write(bytes);
            in.flush();
        }

        /**
         * Sends a window change.
         *
         * @param columns width
         * @param rows height
         * @throws IOException if sending fails
         */
        public void resize(int columns, int rows) throws IOException {
            // sendWindowChange(columns, lines, height, width): MINA's client names pixels height first
            ((ChannelShell) channel).sendWindowChange(columns, rows, rows * 16, columns * 8);
        }

        /**
         * Waits for the channel to close.
         *
         * @param timeout how long
         * @return true if it closed
         */
        public boolean awaitClosed(Duration timeout) {
            return channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), timeout)
                    .contains(ClientChannelEvent.CLOSED);
        }

        @Override
        public void close() throws IOException {
            channel.close(false).await(Duration.ofSeconds(5));
        }
    }

}
