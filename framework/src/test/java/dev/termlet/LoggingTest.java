package dev.termlet;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.termlet.annotations.Command;
import dev.termlet.annotations.OnUser;
import dev.termlet.auth.Account;
import dev.termlet.protector.ProtectorSettings;
import dev.termlet.testing.HostKeyCache;
import dev.termlet.testing.Output;
import dev.termlet.testing.Ssh;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Predicate;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.util.buffer.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** What the server logs: the bound port, a server no one can log in to, the MDC of auth lines, no WARN for clients. */
class LoggingTest {
    @TempDir
    Path data;

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private TermletServer server;

    /** Reads its input to the end, then says how many lines it read. */
    public static class Reader {
        @Command(description = "counts input lines")
        void count(Client c) {
            int n = 0;
            while (c.readLine("") != null) {
                n++;
            }
            c.println(n + " lines");
        }
    }

    /** Admits one user without any account. */
    public static class Gate {
        @OnUser("auth")
        AuthResult auth(AuthRequest r) {
            return "guest".equals(r.user()) ? AuthResult.ALLOW : AuthResult.DEFER;
        }
    }

    @BeforeEach
    void capture() {
        log.start();
        root.addAppender(log);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        root.detachAppender(log);
    }

    private List<ILoggingEvent> events(Predicate<ILoggingEvent> which) {
        synchronized (log) {
            return log.list.stream().filter(which).toList();
        }
    }

    private List<ILoggingEvent> noOneCanLogIn() {
        return events(e -> e.getLoggerName().endsWith("LoginCheck") && e.getLevel() == Level.WARN);
    }

    private TermletServer.Builder builder() {
        return Termlet.server().port(0).dataDir(HostKeyCache.seed(data))
                .protector(new ProtectorSettings().safe("127.0.0.0/8").failureDelay(Duration.ZERO));
    }

    @Test
    void theBoundPortIsLoggedAndAServerNoOneCanLogInToSaysSo() {
        server = builder().start();
        assertThat(events(e -> e.getLevel() == Level.INFO
                && e.getFormattedMessage().startsWith("SSH listening on 127.0.0.1:" + server.port() + " ")))
                .hasSize(1);
        assertThat(server.port()).isPositive();
        assertThat(noOneCanLogIn()).singleElement().satisfies(e -> assertThat(e.getFormattedMessage())
                .contains("No one can log in", data.resolve("users.json").toString(), "Account.builder",
                        "authenticator", "@OnUser(\"auth\")", "docs/auth.md"));
    }

    @Test
    void anAccountThatCanLogInOrAnAuthHandlerSilencesTheWarning() {
        // an account without password or key, and a disabled one, cannot log in: still the warning
        server = builder().build();
        server.accounts().save(Account.builder("nokey").build());
        server.accounts().save(Account.builder("off").password("x".toCharArray()).enabled(false).build());
        server.start();
        assertThat(noOneCanLogIn()).hasSize(1);
        server.close();

        server = builder().build();
        server.accounts().save(Account.builder("alice").password("s3cret!".toCharArray()).build());
        server.start();
        server.close();

        server = builder().register(new Gate()).start();
        server.close();

        server = builder().authenticator(r -> AuthResult.DEFER).start();
        assertThat(noOneCanLogIn()).as("only the first server warns").hasSize(1);
    }

    @Test
    void authLinesCarryTheConnectionTheUserAndTheRemoteAddress() throws Exception {
        server = builder().build();
        server.accounts().save(Account.builder("alice").password("s3cret!".toCharArray()).build());
        server.start();
        try (Ssh ssh = Ssh.password(server.port(), "alice", "s3cret!")) {
            assertThat(ssh.exec("whoami", null).out()).contains("alice");
        }
        try (Ssh ssh = Ssh.password(server.port(), "mallory", "guess")) {
            throw new AssertionError("mallory logged in");
        } catch (IOException expected) {
            // refused
        }
        ILoggingEvent ok = waitFor(e -> e.getFormattedMessage().startsWith("user alice authenticated"));
        assertThat(ok.getMDCPropertyMap()).containsEntry("user", "alice").containsKey("connection")
                .hasEntrySatisfying("remote", r -> assertThat(r).startsWith("127.0.0.1:"));
        ILoggingEvent failed = waitFor(e -> e.getFormattedMessage().startsWith("authentication failed for mallory"));
        assertThat(failed.getMDCPropertyMap()).containsEntry("user", "mallory").containsKey("connection")
                .hasEntrySatisfying("remote", r -> assertThat(r).startsWith("127.0.0.1:"));
        assertThat(failed.getMDCPropertyMap().get("connection")).isNotEqualTo(ok.getMDCPropertyMap().get("connection"));
    }

    private ILoggingEvent waitFor(Predicate<ILoggingEvent> which) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < end) {
            List<ILoggingEvent> found = events(which);
            if (!found.isEmpty()) {
                return found.get(0);
            }
            Thread.sleep(20);
        }
        throw new AssertionError("not logged; the log has: "
                + events(e -> true).stream().map(ILoggingEvent::getFormattedMessage).toList());
    }

    @Test
    void aClientThatSendsEofTwiceCausesNoWarning() throws Exception {
        server = builder().register(new Reader()).build();
        server.accounts().save(Account.builder("alice").password("s3cret!".toCharArray()).build());
        server.start();
        try (Ssh ssh = Ssh.password(server.port(), "alice", "s3cret!")) {
            ClientSession session = ssh.session();
            List<String> outputs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ChannelExec ch = session.createExecChannel("count");
                Output out = new Output();
                ch.setOut(out);
                ch.setErr(new Output());
                ch.open().verify(Duration.ofSeconds(10));
                ch.getInvertedIn().write("a\nb\n".getBytes(StandardCharsets.UTF_8));
                ch.getInvertedIn().flush();
                // as rclone does: EOF, and EOF again (MINA's own client would send it once)
                for (int eof = 0; eof < 2; eof++) {
                    Buffer b = session.createBuffer(SshConstants.SSH_MSG_CHANNEL_EOF, Integer.BYTES);
                    b.putUInt(ch.getRecipient());
                    session.writePacket(b).verify(Duration.ofSeconds(5));
                }
                ch.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), Duration.ofSeconds(20));
                outputs.add(out.text().strip() + " status " + ch.getExitStatus());
            }
            assertThat(outputs).containsOnly("2 lines status 0");
        }
        // the server's side (the test's client warns that it accepts any host key)
        assertThat(events(e -> e.getLevel().isGreaterOrEqual(Level.WARN)
                && !e.getLoggerName().startsWith("org.apache.sshd.client")))
                .extracting(ILoggingEvent::getFormattedMessage).isEmpty();
    }
}
