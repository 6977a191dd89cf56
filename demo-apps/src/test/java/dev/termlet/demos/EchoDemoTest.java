package dev.termlet.demos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.TermletServer;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelShell;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The echo demo as a user starts it, driven over a real SSH session. */
class EchoDemoTest {
    @TempDir
    Path data;

    @Test
    void helloAnswersWorldAndExitEnds() throws Exception {
        EchoDemo demo = new EchoDemo();
        new CommandLine(demo).parseArgs("--port", "0", "--data", data.toString(), "--user", "alice:secret:admin");
        try (TermletServer server = demo.start()) {
            assertThat(server.accounts().find("alice").orElseThrow().hasPermission("admin")).isTrue();
            SshClient client = SshClient.setUpDefaultClient();
            client.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
            client.start();
            try (ClientSession s = client.connect("alice", "127.0.0.1", server.port())
                    .verify(Duration.ofSeconds(10)).getSession()) {
                s.addPasswordIdentity("secret");
                s.auth().verify(Duration.ofSeconds(20));
                ChannelShell shell = s.createShellChannel();
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                shell.setOut(out);
                shell.setErr(out);
                shell.open().verify(Duration.ofSeconds(10));
                OutputStream in = shell.getInvertedIn();
                awaitText(out, "echo> ");
                in.write("hello\r".getBytes(StandardCharsets.UTF_8));
                in.flush();
                awaitText(out, "world!");
                in.write("exit\r".getBytes(StandardCharsets.UTF_8));
                in.flush();
                shell.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), Duration.ofSeconds(10));
                assertThat(shell.isClosed() || shell.isClosing()).isTrue();
                assertThat(out.toString(StandardCharsets.UTF_8)).contains("Welcome to the Termlet echo demo, alice!");
            } finally {
                client.stop();
            }
        }
    }

    @Test
    void emptyStoreGetsAnAdminWithARandomPassword() {
        EchoDemo demo = new EchoDemo();
        new CommandLine(demo).parseArgs("--port", "0", "--data", data.toString());
        PrintStream old = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (TermletServer server = demo.start()) {
            assertThat(server.accounts().find("admin")).isPresent();
        } finally {
            System.setOut(old);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).matches("(?s)created account admin with password [A-Za-z0-9]{16} \\(shown once\\)\\s*");
    }

    @Test
    void launcherHelpListsTheDemos() {
        StringBuilder sb = new StringBuilder();
        CommandLine cl = new CommandLine(new Launcher());
        java.io.StringWriter w = new java.io.StringWriter();
        cl.setOut(new java.io.PrintWriter(w));
        assertThat(cl.execute("--help")).isZero();
        sb.append(w);
        assertThat(sb.toString()).contains("echo").contains("Usage: termlet-demos.jar");
    }

    private static void awaitText(ByteArrayOutputStream out, String text) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!out.toString(StandardCharsets.UTF_8).contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never saw '" + text + "' in: " + out.toString(StandardCharsets.UTF_8));
            }
            Thread.sleep(20);
        }
    }
}
