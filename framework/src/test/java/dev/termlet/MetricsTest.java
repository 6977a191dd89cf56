package dev.termlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.termlet.annotations.OnUser;
import dev.termlet.auth.Account;
import dev.termlet.testing.Await;
import dev.termlet.testing.HostKeyCache;
import dev.termlet.testing.Recorder;
import dev.termlet.testing.Ssh;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's meters on an application's registry, read while real clients log in, run a shell and exec. */
class MetricsTest {
    @TempDir
    Path data;

    final Recorder events = new Recorder();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    TermletServer server;

    /** Answers every line; records when a session ends. */
    public class Handlers {
        @OnUser("command")
        void command(Client c, String line) {
            c.println("got " + line);
        }

        @OnUser("disconnected")
        void disconnected(Client c) {
            events.add("disconnected " + c.user());
        }
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void start(TermletServer.Builder builder) {
        server = builder.port(0).dataDir(HostKeyCache.seed(data)).register(new Handlers()).build();
        server.accounts().save(Account.builder("alice").password("secret".toCharArray()).build());
        server.start();
    }

    private static double count(MeterRegistry r, String name, String... tags) {
        var counter = r.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void connectionsLoginsSessionsAndHandlerTimeAreMeasured() throws Exception {
        start(Termlet.server().meterRegistry(registry));
        try (Ssh ssh = Ssh.password(server.port(), "alice", "secret")) {
            assertThat(ssh.exec("hello", null).out()).isEqualTo("got hello\n");
            try (Ssh.Shell shell = ssh.shell(80, 24)) {
                shell.out().await("> ");
                assertThat(registry.get("termlet.sessions.active").tag("kind", "shell").gauge().value()).isEqualTo(1);
                shell.send("again\r");
                shell.out().await("got again");
            }
            events.await("disconnected alice");
            events.await(e -> events.count(x -> x.equals("disconnected alice")) == 2, java.time.Duration.ofSeconds(10));
        }
        assertThatThrownBy(() -> Ssh.password(server.port(), "alice", "wrong").close()).isNotNull();
        Await.until("connections closed", () -> server.connectionCount() == 0);
        Await.until("sessions ended", () -> server.sessionCount() == 0);

        assertThat(count(registry, "termlet.connections.accepted", "protocol", "SSH")).isEqualTo(2);
        assertThat(count(registry, "termlet.logins", "protocol", "SSH", "method", "password", "outcome", "success"))
                .isEqualTo(1);
        assertThat(count(registry, "termlet.logins", "protocol", "SSH", "method", "password", "outcome", "failure"))
                .isGreaterThanOrEqualTo(1);
        assertThat(count(registry, "termlet.protector.strikes", "kind", "failed_login")).isGreaterThanOrEqualTo(1);
        assertThat(count(registry, "termlet.sessions.started", "kind", "exec")).isEqualTo(1);
        assertThat(count(registry, "termlet.sessions.started", "kind", "shell")).isEqualTo(1);
        assertThat(registry.get("termlet.sessions.active").tag("kind", "shell").gauge().value()).isZero();
        assertThat(registry.get("termlet.sessions.active").tag("kind", "exec").gauge().value()).isZero();
        assertThat(registry.get("termlet.connections.open").gauge().value()).isZero();
        var commandTime = registry.get("termlet.handler.time").tags(List.of(Tag.of("event", "command"),
                Tag.of("delivery", "sync"))).timer();
        assertThat(commandTime.count()).isEqualTo(2);
        assertThat(commandTime.totalTime(java.util.concurrent.TimeUnit.NANOSECONDS)).isPositive();
    }

    @Test
    void refusedConnectionsAreCountedByReason() throws Exception {
        start(Termlet.server().meterRegistry(registry).maxSessionsPerAddress(1));
        try (Ssh first = Ssh.password(server.port(), "alice", "secret")) {
            assertThatThrownBy(() -> Ssh.password(server.port(), "alice", "secret").close()).isNotNull();
            Await.until("the refusal counted",
                    () -> count(registry, "termlet.connections.refused", "protocol", "SSH", "reason", "limit") == 1);
        }
    }

    @Test
    void aServerStartedLaterOnTheSameRegistryReportsItsOwnGauges() throws Exception {
        start(Termlet.server().meterRegistry(registry));
        server.close();
        server = Termlet.server().port(0).dataDir(HostKeyCache.seed(data.resolve("second")))
                .register(new Handlers()).meterRegistry(registry).build();
        server.accounts().save(Account.builder("alice").password("secret".toCharArray()).build());
        server.start();
        try (Ssh ssh = Ssh.password(server.port(), "alice", "secret")) {
            assertThat(registry.get("termlet.connections.open").gauge().value()).isEqualTo(1);
        }
    }
}
