package dev.termlet.demos;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ChannelShell;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;

/** A small MINA SSH client for the demo tests. */
final class DemoSsh implements AutoCloseable {
    private final SshClient client = SshClient.setUpDefaultClient();
    private final ClientSession session;
    private ChannelShell shell;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private OutputStream in;
    private int mark;

    DemoSsh(int port, String user, String password) throws IOException {
        client.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
        client.start();
        session = client.connect(user, "127.0.0.1", port).verify(Duration.ofSeconds(10)).getSession();
        session.addPasswordIdentity(password);
        session.auth().verify(Duration.ofSeconds(20));
    }

    DemoSsh shell(int columns, int rows) throws IOException {
        shell = session.createShellChannel();
        shell.setPtyType("xterm-256color");
        shell.setPtyColumns(columns);
        shell.setPtyLines(rows);
        shell.setOut(out);
        shell.setErr(out);
        shell.open().verify(Duration.ofSeconds(10));
        in = shell.getInvertedIn();
        return this;
    }

    void send(String text) throws IOException {
        in.write(text.getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    String await(String text) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (true) {
            String all = out.toString(StandardCharsets.UTF_8);
            int i = all.indexOf(text, mark);
            if (i >= 0) {
                String seen = all.substring(mark, i + text.length());
                mark = i + text.length();
                return seen;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never saw '" + text + "' after: "
                        + all.substring(mark).replace("\u001b", "\\e").replace("\r", "\\r"));
            }
            Thread.sleep(20);
        }
    }

    String text() {
        return out.toString(StandardCharsets.UTF_8);
    }

    boolean awaitClosed() {
        return shell.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), Duration.ofSeconds(10))
                .contains(ClientChannelEvent.CLOSED);
    }

    /** Runs a command without a PTY; returns "status|stdout|stderr". */
    String[] exec(String command) throws IOException {
        ChannelExec ch = session.createExecChannel(command);
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        ch.setOut(o);
        ch.setErr(e);
        ch.open().verify(Duration.ofSeconds(10));
        ch.getInvertedIn().close();
        ch.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), Duration.ofSeconds(20));
        return new String[] {String.valueOf(ch.getExitStatus()), o.toString(StandardCharsets.UTF_8),
            e.toString(StandardCharsets.UTF_8)};
    }

    @Override
    public void close() throws IOException {
        session.close(false).await(Duration.ofSeconds(5));
        client.stop();
    }
}
