package dev.termlet.demos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.TermletServer;
import dev.termlet.test.TestClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
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
            try (TestClient client = TestClient.password("127.0.0.1", server.port(), "alice", "secret")) {
                client.awaitScreen(screen -> screen.cursorLine().equals("echo>"));
                client.typeLine("hello");
                assertThat(client.awaitText("world!")).containsLine("echo> hello").containsLine("world!")
                        .contains("Welcome to the Termlet echo demo, alice!");
                client.typeLine("exit");
                assertThat(client.awaitClosed(Duration.ofSeconds(10))).isTrue();
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
}
