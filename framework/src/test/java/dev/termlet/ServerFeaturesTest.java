package dev.termlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.termlet.annotations.OnUser;
import dev.termlet.auth.Account;
import dev.termlet.testing.HostKeyCache;
import dev.termlet.testing.Ssh;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scanning, refusals, limits, history and per-account settings. */
class ServerFeaturesTest {
    @TempDir
    Path data;

    TermletServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private TermletServer start(TermletServer.Builder b) {
        server = b.port(0).dataDir(HostKeyCache.seed(data)).build();
        server.accounts().save(Account.builder("alice").password("secret".toCharArray()).build());
        return server.start();
    }

    @Test
    void classGraphScanFindsInstanceAndStaticHandlers() throws Exception {
        start(Termlet.server().scan("dev.termlet.scanfixture"));
        try (Ssh ssh = Ssh.password(server.port(), "alice", "secret");
                Ssh.Shell shell = ssh.shell(80, 24)) {
            shell.out().await("> ");
            shell.send("hi\r");
            shell.out().await("scanned: hi");
            assertThat(ssh.exec("fail", null).status()).isEqualTo(7);
        }
    }

    @Test
    void scanningAnEmptyPackageIsAClearError() {
        assertThatThrownBy(() -> Termlet.server().port(0).dataDir(data).scan("dev.termlet.nothing.here").build())
                .hasMessageContaining("found no class with @OnUser or @Command methods");
    }

    @Test
    void invalidHandlersStopTheStart() {
        class Bad {
            @OnUser("conect")
            void x(Client c) {}
        }
        assertThatThrownBy(() -> Termlet.server().port(0).dataDir(data).register(new Bad()).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("Did you mean 'connect'?");
    }

    /** Refuses shells and some commands with a reason. */
    public static class Refuser {
        @OnUser("pre-shell")
        boolean shell(Client c) {
            return !c.user().equals("alice");
        }

        @OnUser("open-exec")
        void exec(Client c, String command) {
            if (command.startsWith("rm")) {
                throw new RefusedException("not here");
            }
        }

        @OnUser("command")
        void command(Client c, String line) {
            c.println("ran " + line);
        }
    }

    @Test
    void preShellAndOpenExecRefuse() throws Exception {
        start(Termlet.server().register(new Refuser()).showRefusalReasons(true));
        try (Ssh ssh = Ssh.password(server.port(), "alice", "secret")) {
            Ssh.Exec refused = ssh.exec("rm -rf /", null);
            assertThat(refused.status()).isEqualTo(126);
            assertThat(refused.err()).isEqualTo("Command refused: not here\n");
            assertThat(ssh.exec("ls", null).out()).isEqualTo("ran ls\n");
            try (Ssh.Shell shell = ssh.shellNoPty()) {
                assertThat(shell.awaitClosed(Duration.ofSeconds(10))).isTrue();
                assertThat(shell.channel().getExitStatus()).isEqualTo(1);
            }
        }
    }

    /** Refuses connections from everywhere and counts them. */
    public static class NoConnections {
        static volatile String seen;

        @OnUser("new-connection")
        boolean connection(InetSocketAddress remote, String host) {
            seen = host;
            return false;
        }
    }

    @Test
    void newConnectionRefusalDropsBeforeSsh() {
        start(Termlet.server().register(new NoConnections()));
        assertThatThrownBy(() -> Ssh.password(server.port(), "alice", "secret")).isNotNull();
        assertThat(NoConnections.seen).isEqualTo("127.0.0.1");
    }

    /** Refuses the user name at auth-request. */
    public static class NoMallory {
        @OnUser("auth-request")
        boolean request(AuthRequest r) {
            return !r.user().equals("mallory");
        }
    }

    @Test
    void authRequestRefusalDeniesEveryMethod() {
        start(Termlet.server().register(new NoMallory()));
        server.accounts().save(Account.builder("mallory").password("pw".toCharArray()).build());
        assertThatThrownBy(() -> Ssh.password(server.port(), "mallory", "pw")).isNotNull();
    }

    @Test
    void perAddressLimitRefusesTheExtraConnection() throws Exception {
        start(Termlet.server().maxSessionsPerAddress(2));
        try (Ssh a = Ssh.password(server.port(), "alice", "secret");
                Ssh b = Ssh.password(server.port(), "alice", "secret")) {
            assertThat(a.session().isAuthenticated() && b.session().isAuthenticated()).isTrue();
            assertThatThrownBy(() -> Ssh.password(server.port(), "alice", "secret")).isNotNull();
            assertThat(server.connectionCount()).isEqualTo(2);
        }
    }

    @Test
    void perUserLimitDeniesTheExtraLogin() throws Exception {
        start(Termlet.server().maxSessionsPerUser(1));
        try (Ssh a = Ssh.password(server.port(), "alice", "secret")) {
            assertThat(a.session().isAuthenticated()).isTrue();
            assertThatThrownBy(() -> Ssh.password(server.port(), "alice", "secret")).isNotNull();
        }
        Thread.sleep(300);
        try (Ssh again = Ssh.password(server.port(), "alice", "secret")) {
            assertThat(again.session().isAuthenticated()).isTrue();
        }
    }

    /** Echoes lines. */
    public static class Echo {
        @OnUser("command")
        void command(Client c, String line) {
            c.println("got " + line);
        }
    }

    @Test
    void sessionsCanBeListedBroadcastToAndClosed() throws Exception {
        start(Termlet.server().register(new Echo()));
        try (Ssh ssh = Ssh.password(server.port(), "alice", "secret");
                Ssh.Shell shell = ssh.shell(80, 24)) {
            shell.out().await("> ");
            assertThat(server.sessions()).extracting(Client::user).containsExactly("alice");
            server.sessions().forEach(c -> c.println("Maintenance in 5 minutes."));
            shell.out().await("Maintenance in 5 minutes.");
            server.sessions().stream().filter(c -> c.user().equals("alice")).forEach(c -> c.close(4));
            assertThat(shell.awaitClosed(Duration.ofSeconds(10))).isTrue();
            assertThat(shell.channel().getExitStatus()).isEqualTo(4);
        }
    }

    @Test
    void historyIsKeptPerUserAcrossLogins() throws Exception {
        start(Termlet.server().register(new Echo()));
        try (Ssh ssh = Ssh.password(server.port(), "alice", "secret");
                Ssh.Shell shell = ssh.shell(80, 24)) {
            shell.out().await("> ");
            shell.send("first command\r");
            shell.out().await("got first command");
        }
        Path history = data.resolve("history/alice.history");
        assertThat(Files.readString(history)).contains("first command");
        try (Ssh ssh = Ssh.password(server.port(), "alice", "secret");
                Ssh.Shell shell = ssh.shell(80, 24)) {
            shell.out().await("> ");
            shell.send("\u001b[A\r");
            shell.out().await("got first command");
        }
    }

    @Test
    void accountPromptBannerAndNoEcho() throws Exception {
        start(Termlet.server().register(new Echo()));
        server.accounts().save(Account.builder("quiet").password("pw".toCharArray()).prompt("quiet% ")
                .banner("Quiet banner").echo(false).build());
        try (Ssh ssh = Ssh.password(server.port(), "quiet", "pw");
                Ssh.Shell shell = ssh.shell(80, 24)) {
            shell.out().await("Quiet banner");
            shell.out().await("quiet% ");
            shell.send("secretword\r");
            shell.out().await("got secretword");
            assertThat(shell.out().text().indexOf("secretword")).isEqualTo(shell.out().text().indexOf("got secretword") + 4);
        }
    }

    @Test
    void extensionListenersRunAfterHandlersAndCanRefuse() throws Exception {
        java.util.concurrent.BlockingQueue<Object[]> closed = new java.util.concurrent.LinkedBlockingQueue<>();
        java.util.List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();
        class Handler {
            @OnUser("auth-request")
            void request(AuthRequest r) {
                order.add("handler");
            }
        }
        start(Termlet.server().register(new Handler()).extension(context -> {
            context.on(dev.termlet.event.Events.AUTH_REQUEST, false, (type, values) -> {
                order.add("listener");
                return !((AuthRequest) values[0]).user().equals("mallory");
            });
            context.on(dev.termlet.event.Events.CONNECTION_CLOSED, true, (type, values) -> closed.add(values));
        }));
        try (Ssh ssh = Ssh.password(server.port(), "alice", "secret")) {
            assertThat(ssh.exec("echo hi", null).out()).contains("hi");
        }
        Object[] v = closed.poll(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(v).isNotNull();
        dev.termlet.event.ConnectionClosed cc = (dev.termlet.event.ConnectionClosed) v[0];
        assertThat(cc.address().getAddress().isLoopbackAddress()).isTrue();
        assertThat(cc.user()).isEqualTo("alice");
        assertThat(cc.duration()).isPositive();
        assertThat(cc.protocol()).isEqualTo("SSH");
        assertThat(order).containsExactly("handler", "listener");
        assertThatThrownBy(() -> Ssh.password(server.port(), "mallory", "x").close()).isInstanceOf(Exception.class);
        Object[] m = closed.poll(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(m).isNotNull();
        assertThat(((dev.termlet.event.ConnectionClosed) m[0]).user()).isNull();
    }
}
