package dev.termlet.demos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.TermletServer;
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
        try (DemoSsh bob = new DemoSsh(server.port(), "bob", "pw")) {
            String help = bob.exec("help")[1];
            assertThat(help).contains("Server:").contains("Tools:").contains("System:").contains("convert")
                    .doesNotContain("maintenance");
            assertThat(bob.exec("convert 100 --to KELVIN")[1]).isEqualTo("100.00 CELSIUS = 373.15 KELVIN\n");
            assertThat(bob.exec("convert 212 -f fahrenheit -t celsius")[1]).isEqualTo("212.00 FAHRENHEIT = 100.00 CELSIUS\n");
            String[] bad = bob.exec("convert hot");
            assertThat(bad[0]).isEqualTo("2");
            assertThat(bad[2]).contains("'hot' is not a double");
            assertThat(bob.exec("maintenance on")[0]).isEqualTo("126");
            assertThat(bob.exec("copy -n 3 --delay 1ms")[1]).isEqualTo("copied 3 files\n");
        }
        try (DemoSsh root = new DemoSsh(server.port(), "root", "pw")) {
            assertThat(root.exec("maintenance on")[1]).isEqualTo("Maintenance mode on.\n");
            assertThat(root.exec("help")[1]).contains("maintenance");
        }
    }

    @Test
    void progressBarAndMenuInATerminal() throws Exception {
        try (DemoSsh s = new DemoSsh(server.port(), "bob", "pw").shell(80, 24)) {
            s.await("admin> ");
            s.send("copy -n 10 --delay 5ms\r");
            String drawn = s.await("copied 10 files");
            assertThat(drawn).contains("Copying [").contains("100%").contains("10/10").contains("done");
            s.await("admin> ");
            s.send("pick\r");
            s.await("canary");
            s.send("\u001b[B\u001b[B\r");
            s.await("Deploying to production-us.");
            s.await("admin> ");
            s.send("pick\r");
            s.await("canary");
            s.send("can\r");
            s.await("Deploying to canary.");
            s.await("admin> ");
            s.send("pick\r");
            s.await("canary");
            s.send("\u001b");
            s.await("Nothing picked.");
            s.await("admin> ");
            s.send("hello\r");
            s.await("hello: unknown command. Type 'help' for a list.");
        }
    }
}
