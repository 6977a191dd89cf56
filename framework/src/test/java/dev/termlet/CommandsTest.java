package dev.termlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.termlet.annotations.Argument;
import dev.termlet.annotations.Command;
import dev.termlet.annotations.OnUser;
import dev.termlet.annotations.Option;
import dev.termlet.auth.Account;
import dev.termlet.testing.HostKeyCache;
import dev.termlet.testing.Recorder;
import dev.termlet.testing.Ssh;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** @Command dispatch, parsing, help, completion, permissions and built-ins over real SSH. */
class CommandsTest {
    @TempDir
    Path data;

    @TempDir
    Path files;

    final Recorder events = new Recorder();
    TermletServer server;

    /** Colours for enum conversion and completion. */
    public enum Colour { red, green, blue }

    /** The application's commands. */
    public class Commands {
        @Command(category = "Fun", aliases = "hi", description = "Greets someone.")
        void greet(Client c, @Argument(label = "NAME", description = "who") String name,
                @Option(names = {"--loud", "-l"}, description = "shout") boolean loud,
                @Option(names = {"--times", "-n"}, defaultValue = "1") int times) {
            for (int i = 0; i < times; i++) {
                c.println(loud ? ("HELLO, " + name + "!").toUpperCase() : "Hello, " + name + ".");
            }
        }

        @Command(category = "Fun", description = "Paints things.")
        void paint(Client c, @Argument(label = "COLOUR") Colour colour, @Argument(label = "THINGS") List<String> things) {
            c.println(colour + ": " + String.join("|", things));
        }

        @Command(category = "Tools", description = "Waits.")
        int sleep(Client c, @Option(names = "--for", required = true) Duration d, @Option(names = "--file") Path file) {
            c.println("would wait " + d.toMillis() + " ms" + (file != null ? " for " + file : ""));
            return 5;
        }

        @Command(category = "Admin", permissions = "admin", description = "Deletes everything.")
        void wipe(Client c) {
            c.println("wiped");
            events.add("wiped by " + c.user());
        }

        @Command(category = "Tools", description = "Fails.")
        void fail(Client c) {
            throw new IllegalStateException("broken tool");
        }

        @OnUser("command")
        void other(Client c, String line) {
            c.println("handler got: " + line);
        }

        @OnUser("command-denied")
        void denied(Client c, String line) {
            events.add("denied " + c.user() + " " + line);
        }
    }

    @BeforeEach
    void start() throws Exception {
        Files.createDirectories(files.resolve("docs"));
        Files.writeString(files.resolve("readme.txt"), "x");
        server = Termlet.server().port(0).dataDir(HostKeyCache.seed(data)).register(new Commands())
                .completionRoot(files).build();
        server.accounts().save(Account.builder("alice").password("secret".toCharArray()).build());
        server.accounts().save(Account.builder("root").password("secret".toCharArray()).addPermission("admin").build());
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void typedArgumentsOptionsAndQuoting() throws Exception {
        try (Ssh ssh = Ssh.password(server.port(), "alice", "secret")) {
            assertThat(ssh.exec("greet Bob", null).out()).isEqualTo("Hello, Bob.\n");
            assertThat(ssh.exec("hi 'Bob Smith' --loud -n 2", null).out()).isEqualTo("HELLO, BOB SMITH!\nHELLO, BOB SMITH!\n");
            assertThat(ssh.exec("greet \"a \\\"quoted\\\" name\"", null).out()).isEqualTo("Hello, a \"quoted\" name.\n");
            assertThat(ssh.exec("greet back\\ slash", null).out()).isEqualTo("Hello, back slash.\n");
            assertThat(ssh.exec("paint GREEN sky 'grass blades' leaf", null).out()).isEqualTo("green: sky|grass blades|leaf\n");
            Ssh.Exec sleep = ssh.exec("sleep --for 1m30s --file /tmp/x", null);
            assertThat(sleep.out()).isEqualTo("would wait 90000 ms for /tmp/x\n");
            assertThat(sleep.status()).isEqualTo(5);
            assertThat(ssh.exec("sleep --for PT2S", null).out()).startsWith("would wait 2000 ms");
        }
    }

    @Test
    void usageErrorsExitWithTwoAndShowUsage() throws Exception {
        try (Ssh ssh = Ssh.password(server.port(), "alice", "secret")) {
            Ssh.Exec notInt = ssh.exec("greet Bob --times lots", null);
            assertThat(notInt.status()).isEqualTo(2);
            assertThat(notInt.err()).contains("greet: Invalid value for option '--times'").contains("'lots' is not an int")
                    .contains("Usage: greet");
            Ssh.Exec missing = ssh.exec("greet", null);
            assertThat(missing.status()).isEqualTo(2);
            assertThat(missing.err()).contains("Missing required parameter: 'NAME'");
            Ssh.Exec badEnum = ssh.exec("paint purple x", null);
            assertThat(badEnum.status()).isEqualTo(2);
            assertThat(badEnum.err()).contains("expected one of [red, green, blue]");
            Ssh.Exec badDuration = ssh.exec("sleep --for soon", null);
            assertThat(badDuration.err()).contains("'soon' is not a duration");
            Ssh.Exec unknownOption = ssh.exec("greet Bob --shout", null);
            assertThat(unknownOption.status()).isEqualTo(2);
            assertThat(unknownOption.err()).contains("Unknown option: '--shout'");
            Ssh.Exec quote = ssh.exec("greet 'Bob", null);
            assertThat(quote.status()).isEqualTo(2);
            assertThat(quote.err()).isEqualTo("greet: unterminated single quote\n");
        }
    }

    @Test
    void exitStatusesForErrorsUnknownAndHandlers() throws Exception {
        try (Ssh ssh = Ssh.password(server.port(), "alice", "secret")) {
            Ssh.Exec failed = ssh.exec("fail", null);
            assertThat(failed.status()).isEqualTo(1);
            assertThat(failed.err()).contains("IllegalStateException: broken tool");
            Ssh.Exec handled = ssh.exec("something else", null);
            assertThat(handled.status()).isZero();
            assertThat(handled.out()).isEqualTo("handler got: something else\n");
        }
    }

    @Test
    void unknownCommandIs127WithoutCommandHandlers() throws Exception {
        server.close();
        server = Termlet.server().port(0).dataDir(HostKeyCache.seed(data)).start();
        server.accounts().save(Account.builder("alice").password("secret".toCharArray()).build());
        try (Ssh ssh = Ssh.password(server.port(), "alice", "secret")) {
            Ssh.Exec r = ssh.exec("frobnicate now", null);
            assertThat(r.status()).isEqualTo(127);
            assertThat(r.err()).isEqualTo("frobnicate: unknown command. Type 'help' for a list.\n");
        }
    }

    @Test
    void permissionsCannotBeBypassed() throws Exception {
        try (Ssh ssh = Ssh.password(server.port(), "alice", "secret")) {
            Ssh.Exec denied = ssh.exec("wipe", null);
            assertThat(denied.status()).isEqualTo(126);
            assertThat(denied.err()).isEqualTo("Permission denied: 'wipe' needs the permission admin.\n");
            // exact words only: no prefix, sudo-style or quoting tricks reach the command
            assertThat(ssh.exec("!wipe", null).out()).isEqualTo("handler got: !wipe\n");
            assertThat(ssh.exec("wipenow", null).out()).isEqualTo("handler got: wipenow\n");
            assertThat(ssh.exec("'wipe'", null).status()).isEqualTo(126);
            assertThat(ssh.exec("w\\ipe", null).status()).isEqualTo(126);
            assertThat(ssh.exec("WIPE", null).out()).isEqualTo("handler got: WIPE\n");
            assertThat(ssh.exec("help wipe", null).status()).isEqualTo(1);
            assertThat(ssh.exec("help", null).out()).doesNotContain("wipe");
            assertThat(ssh.exec("accounts list", null).status()).isEqualTo(126);
        }
        events.await("denied alice wipe");
        assertThat(events.all()).noneMatch(e -> e.startsWith("wiped"));
        try (Ssh ssh = Ssh.password(server.port(), "root", "secret")) {
            assertThat(ssh.exec("wipe", null).out()).isEqualTo("wiped\n");
            assertThat(ssh.exec("help", null).out()).contains("wipe");
        }
    }

    @Test
    void helpListsByCategoryAndShowsUsage() throws Exception {
        try (Ssh ssh = Ssh.password(server.port(), "alice", "secret")) {
            String list = ssh.exec("help", null).out();
            assertThat(list).contains("Fun:\n").contains("greet").contains("Greets someone. (also: hi)")
                    .contains("System:\n").contains("whoami").contains("Tools:\n");
            assertThat(list.indexOf("Fun:")).isLessThan(list.indexOf("System:"));
            String usage = ssh.exec("help greet", null).out();
            assertThat(usage).contains("Usage: greet").contains("-l, --loud").contains("NAME").contains("Greets someone.");
            assertThat(ssh.exec("greet --help", null).out()).contains("Usage: greet");
        }
    }

    @Test
    void builtins() throws Exception {
        try (Ssh ssh = Ssh.password(server.port(), "alice", "secret")) {
            assertThat(ssh.exec("whoami", null).out()).isEqualTo("alice\n");
            assertThat(ssh.exec("echo a 'b  c'", null).out()).isEqualTo("a b  c\n");
            assertThat(ssh.exec("uptime", null).out()).startsWith("up ");
            assertThat(ssh.exec("date", null).out()).matches("(?s)\\w{3}, .*\\d{4}.*\n");
            assertThat(ssh.exec("hostname", null).out()).isNotBlank();
            assertThat(ssh.exec("who", null).out()).contains("alice");
            assertThat(ssh.exec("exit 3", null).status()).isEqualTo(3);
        }
    }

    @Test
    void accountsAreManagedWithoutPasswordsInHistory() throws Exception {
        try (Ssh ssh = Ssh.password(server.port(), "root", "secret");
                Ssh.Shell shell = ssh.shell(100, 30)) {
            shell.out().await("> ");
            shell.send("accounts add carol --permission ops\r");
            shell.out().await("New password: ");
            shell.send("s3cr3t-pw\r");
            shell.out().await("Repeat it: ");
            shell.send("s3cr3t-pw\r");
            shell.out().await("Account 'carol' added.");
            shell.send("accounts grant carol audit\r");
            shell.out().await("Permissions of 'carol': audit,ops");
            shell.send("accounts list\r");
            shell.out().await("carol");
            shell.send("history\r");
            shell.out().await("history");
            assertThat(shell.out().text()).doesNotContain("s3cr3t-pw");
        }
        assertThat(Files.readString(data.resolve("history/root.history"))).contains("accounts add carol")
                .doesNotContain("s3cr3t-pw");
        try (Ssh carol = Ssh.password(server.port(), "carol", "s3cr3t-pw")) {
            assertThat(carol.exec("whoami", null).out()).isEqualTo("carol\n");
        }
        try (Ssh ssh = Ssh.password(server.port(), "root", "secret")) {
            assertThat(ssh.exec("accounts remove carol", null).out()).isEqualTo("Account 'carol' removed.\n");
        }
        assertThatThrownBy(() -> Ssh.password(server.port(), "carol", "s3cr3t-pw")).isNotNull();
    }

    @Test
    void historyClear() throws Exception {
        try (Ssh ssh = Ssh.password(server.port(), "alice", "secret");
                Ssh.Shell shell = ssh.shell(100, 30)) {
            shell.out().await("> ");
            shell.send("greet Zed\r");
            shell.out().await("Hello, Zed.");
            shell.send("history clear\r");
            shell.out().await("History cleared.");
            shell.send("history\r");
            shell.out().await("1  history\r\n");
            assertThat(shell.out().text().substring(shell.out().text().lastIndexOf("History cleared.")))
                    .doesNotContain("greet Zed");
        }
    }

    @Test
    void tabCompletesNamesOptionsEnumsAndPaths() throws Exception {
        try (Ssh ssh = Ssh.password(server.port(), "alice", "secret");
                Ssh.Shell shell = ssh.shell(100, 30)) {
            shell.out().await("> ");
            shell.send("gre\t");
            shell.send("Ann --lo\t");
            shell.send("\r");
            shell.out().await("HELLO, ANN!");
            shell.send("paint gr\t");
            shell.send("x\r");
            shell.out().await("green: x");
            shell.send("sleep --for 1s --file rea\t");
            shell.send("\r");
            shell.out().await("would wait 1000 ms for readme.txt");
            shell.send("wi\t\r");
            shell.out().await("handler got: wi");
        }
    }

    @Test
    void builtinsCanBeTurnedOffAndCollisionsAreReported() {
        class Mine {
            @Command(description = "mine")
            void who(Client c) {}
        }
        assertThatThrownBy(() -> Termlet.server().port(0).dataDir(data).register(new Mine()).build())
                .hasMessageContaining("command name 'who' is already used by")
                .hasMessageContaining("turn the built-in off");
        TermletServer s = Termlet.server().port(0).dataDir(HostKeyCache.seed(data)).disableBuiltins("who")
                .register(new Mine()).build();
        s.close();
        assertThatThrownBy(() -> Termlet.server().disableBuiltins("nope")).hasMessageContaining("no built-in command 'nope'");
    }

    @Test
    void invalidCommandsAreReportedAtStart() {
        class Bad {
            @Command
            String wrongReturn(Client c) {
                return "";
            }
        }
        assertThatThrownBy(() -> Termlet.server().port(0).dataDir(data).register(new Bad()).build())
                .hasMessageContaining("#wrongReturn: a @Command returns void or an int exit status, not String.");
    }

    @Test
    void picocliAnnotationsWhereTermletsBelongAreReported() {
        class Mixed {
            @Command(description = "greets")
            void greet(Client c, @picocli.CommandLine.Option(names = "--loud") boolean loud) {}

            @picocli.CommandLine.Command(description = "meant for Termlet")
            void wave(Client c) {}

            @Command(description = "counts")
            void count(Client c, @picocli.CommandLine.Parameters String n) {}
        }
        assertThatThrownBy(() -> Termlet.server().port(0).dataDir(data).register(new Mixed()).build())
                .hasMessageContaining("#greet: parameter 2 carries picocli's @Option, which Termlet does not read;"
                        + " use dev.termlet.annotations.Option or Argument.")
                .hasMessageContaining("#wave: carries picocli's @Command, which Termlet does not read;"
                        + " use dev.termlet.annotations.Command.")
                .hasMessageContaining("#count: parameter 2 carries picocli's @Parameters")
                .hasMessageContaining("import picocli.CommandLine and write @CommandLine.Command");
    }

    /** A launcher with picocli's options whose commands are Termlet's: the two sets of annotations side by side. */
    @picocli.CommandLine.Command(name = "tool", mixinStandardHelpOptions = true)
    static class Launcher {
        @picocli.CommandLine.Option(names = "--greeting")
        String greeting = "hello";

        @Command(description = "greets")
        void greet(Client c, @Option(names = "--to") String to) {
            c.println(greeting + ", " + to);
        }

        /** picocli's own subcommand method: no Client, so Termlet leaves it alone. */
        @picocli.CommandLine.Command(name = "version")
        int version() {
            return 0;
        }
    }

    @Test
    void aClassCanCarryPicocliAndTermletAnnotationsTogether() throws Exception {
        Launcher launcher = new Launcher();
        new picocli.CommandLine(launcher).parseArgs("--greeting", "hi");
        TermletServer s = Termlet.server().port(0).dataDir(HostKeyCache.seed(data)).register(launcher).build();
        s.accounts().save(Account.builder("alice").password("pw".toCharArray()).build());
        s.start();
        try (Ssh ssh = Ssh.password(s.port(), "alice", "pw")) {
            assertThat(ssh.exec("greet --to bob", null).out()).isEqualTo("hi, bob\n");
        } finally {
            s.close();
        }
    }
}
