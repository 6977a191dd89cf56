package dev.termlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.annotations.Command;
import dev.termlet.annotations.OnUser;
import dev.termlet.auth.Account;
import dev.termlet.testing.HostKeyCache;
import dev.termlet.testing.Output;
import dev.termlet.testing.Recorder;
import dev.termlet.testing.Ssh;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession.ClientSessionEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Account changes reach sessions that are already open: shell commands check the live account's permissions, and
 * removing or disabling an account closes its shell and exec sessions ({@code disconnected} fires).
 */
class AccountRevocationTest {
    @TempDir
    Path data;

    final Recorder events = new Recorder();
    TermletServer server;

    /** Records the session events; a command that waits for input, to hold an exec session open. */
    public class Handlers {
        @OnUser("connect")
        void connect(Client c) {
            events.add("connect " + c.user());
        }

        @OnUser("disconnected")
        void disconnected(Client c) {
            events.add("disconnected " + c.user());
        }

        @Command(description = "Waits for a line.")
        void hold(Client c) {
            c.println("holding");
            events.add("holding " + c.user() + " got " + c.readLine(""));
        }
    }

    @BeforeEach
    void start() {
        server = Termlet.server().port(0).dataDir(HostKeyCache.seed(data)).register(new Handlers()).build();
        server.accounts().save(Account.builder("root").password("secret".toCharArray()).addPermission("admin").build());
        server.accounts().save(Account.builder("boss").password("secret".toCharArray()).addPermission("admin").build());
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Account account(String name) {
        return server.accounts().find(name).orElseThrow();
    }

    @Test
    void revokedAdminCannotAddAnAdminFromAnOpenShell() throws Exception {
        try (Ssh ssh = Ssh.password(server.port(), "root", "secret"); Ssh.Shell shell = ssh.shell(100, 30)) {
            shell.out().await("> ");
            shell.send("accounts list\r");
            shell.out().await("boss");
            try (Ssh other = Ssh.password(server.port(), "boss", "secret")) {
                assertThat(other.exec("accounts revoke root admin", null).out()).contains("Permissions of 'root': -");
            }
            shell.send("accounts add mallory --permission admin\r");
            shell.out().await("Permission denied: 'accounts' needs the permission admin.");
            assertThat(shell.out().text()).doesNotContain("New password");
            assertThat(server.accounts().find("mallory")).isEmpty();
            assertThat(shell.channel().isOpen()).as("revoking a permission does not end the session").isTrue();
        }
    }

    @Test
    void adminRevokedWhileTheCommandAsksForThePasswordChangesNothing() throws Exception {
        try (Ssh ssh = Ssh.password(server.port(), "root", "secret"); Ssh.Shell shell = ssh.shell(100, 30)) {
            shell.out().await("> ");
            shell.send("accounts add mallory --permission admin\r");
            shell.out().await("New password: ");
            server.accounts().save(account("root").toBuilder().permissions(java.util.List.of()).build());
            shell.send("pw-of-mallory\r");
            shell.out().await("Repeat it: ");
            shell.send("pw-of-mallory\r");
            shell.out().await("no longer has the 'admin' permission");
            assertThat(server.accounts().find("mallory")).isEmpty();
        }
    }

    @Test
    void removingTheAccountClosesItsShellAndExecSessions() throws Exception {
        try (Ssh ssh = Ssh.password(server.port(), "root", "secret"); Ssh.Shell shell = ssh.shell(100, 30)) {
            shell.out().await("> ");
            events.await("connect root");
            ChannelExec exec = ssh.session().createExecChannel("hold");
            Output execOut = new Output();
            exec.setOut(execOut);
            exec.open().verify(Duration.ofSeconds(10));
            execOut.await("holding");
            try (Ssh other = Ssh.password(server.port(), "boss", "secret")) {
                assertThat(other.exec("accounts remove root", null).out()).isEqualTo("Account 'root' removed.\n");
            }
            shell.out().await("Session closed: your account was removed.");
            assertThat(shell.awaitClosed(Duration.ofSeconds(10))).isTrue();
            assertThat(exec.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), Duration.ofSeconds(10)))
                    .contains(ClientChannelEvent.CLOSED);
            events.await("disconnected root");
            assertThat(ssh.session().waitFor(EnumSet.of(ClientSessionEvent.CLOSED), Duration.ofSeconds(10)))
                    .as("the SSH connection is closed too").contains(ClientSessionEvent.CLOSED);
        }
        assertThat(server.accounts().find("mallory")).isEmpty();
        dev.termlet.testing.Await.until("no session left", () -> server.sessionCount() == 0);
    }

    @Test
    void anAdminWhoRemovesTheirOwnAccountIsLoggedOut() throws Exception {
        try (Ssh ssh = Ssh.password(server.port(), "root", "secret")) {
            Ssh.Exec r = ssh.exec("accounts remove root", null);
            assertThat(r.out()).contains("Session closed: your account was removed.");
            assertThat(ssh.session().waitFor(EnumSet.of(ClientSessionEvent.CLOSED), Duration.ofSeconds(10)))
                    .contains(ClientSessionEvent.CLOSED);
        }
        assertThat(server.accounts().find("root")).isEmpty();
    }

    @Test
    void disablingTheAccountClosesItsSessions() throws Exception {
        try (Ssh ssh = Ssh.password(server.port(), "root", "secret"); Ssh.Shell shell = ssh.shell(100, 30)) {
            shell.out().await("> ");
            events.await("connect root");
            server.accounts().save(account("root").toBuilder().enabled(false).build());
            shell.out().await("Session closed: your account was disabled.");
            assertThat(shell.awaitClosed(Duration.ofSeconds(10))).isTrue();
            events.await("disconnected root");
        }
        assertThat(events.count(e -> e.equals("disconnected root"))).isEqualTo(1);
    }
}
