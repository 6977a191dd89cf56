package dev.termlet.demos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.TermletServer;
import dev.termlet.test.ExecResult;
import dev.termlet.test.Keystroke;
import dev.termlet.test.TestClient;
import dev.termlet.test.VirtualScreen;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The admin demo driven over SSH: categories, typed options, a permission, a progress bar and a menu. */
class AdminDemoTest {
    @TempDir
    Path data;

    TermletServer server;

    @BeforeEach
    void start() {
        AdminDemo demo = new AdminDemo();
        new CommandLine(demo).parseArgs("--port", "0", "--data", data.toString(), "--user", "root:pw:admin",
                "--user", "bob:pw");
        server = demo.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void helpTypedOptionsAndPermissions() throws Exception {
        try (TestClient bob = TestClient.password("127.0.0.1", server.port(), "bob", "pw")) {
            String help = bob.exec("help").out();
            assertThat(help).contains("Server:").contains("Tools:").contains("System:").contains("convert")
                    .doesNotContain("maintenance");
            assertThat(bob.exec("convert 100 --to KELVIN").out()).isEqualTo("100.00 CELSIUS = 373.15 KELVIN\n");
            assertThat(bob.exec("convert 212 -f fahrenheit -t celsius").out()).isEqualTo("212.00 FAHRENHEIT = 100.00 CELSIUS\n");
            ExecResult bad = bob.exec("convert hot");
            assertThat(bad.status()).isEqualTo(2);
            assertThat(bad.err()).contains("'hot' is not a double");
            assertThat(bob.exec("maintenance on").status()).isEqualTo(126);
            assertThat(bob.exec("copy -n 3 --delay 1ms").out()).isEqualTo("copied 3 files\n");
        }
        try (TestClient root = TestClient.password("127.0.0.1", server.port(), "root", "pw")) {
            assertThat(root.exec("maintenance on").out()).isEqualTo("Maintenance mode on.\n");
            assertThat(root.exec("help").out()).contains("maintenance");
        }
    }

    @Test
    void progressBarAndMenuInATerminal() throws Exception {
        try (TestClient s = TestClient.password("127.0.0.1", server.port(), "bob", "pw").resize(80, 24)) {
            s.awaitOutput("admin> ");
            s.typeLine("copy -n 10 --delay 5ms");
            String drawn = s.awaitOutput("copied 10 files");
            assertThat(drawn).contains("Copying [").contains("100%").contains("10/10").contains("done");
            // the bar ends as one finished line; the prompt comes back below it
            VirtualScreen done = s.awaitScreen(x -> x.cursorLine().equals("admin>"));
            assertThat(done).contains("100%").containsLine("copied 10 files");
            s.typeLine("pick");
            s.awaitText("canary");
            s.press(Keystroke.DOWN, Keystroke.DOWN, Keystroke.ENTER);
            assertThat(s.awaitText("Deploying to production-us.")).doesNotContain("> staging");
            s.awaitScreen(x -> x.cursorLine().equals("admin>"));
            s.typeLine("pick");
            s.awaitText("canary");
            s.typeLine("can");
            s.awaitText("Deploying to canary.");
            s.awaitScreen(x -> x.cursorLine().equals("admin>"));
            s.typeLine("pick");
            s.awaitText("canary");
            s.press(Keystroke.ESCAPE);
            s.awaitText("Nothing picked.");
            s.awaitScreen(x -> x.cursorLine().equals("admin>"));
            s.typeLine("hello");
            s.awaitText("hello: unknown command. Type 'help' for a list.");
        }
    }
}
