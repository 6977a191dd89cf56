package dev.termlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.termlet.auth.Account;
import dev.termlet.testing.HostKeyCache;
import dev.termlet.testing.Ssh;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.apache.sshd.client.channel.ChannelShell;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding 13: one connection gets at most {@code maxChannelsPerConnection} channels open at once (10 by default). */
class ChannelLimitTest {
    @TempDir
    Path data;

    TermletServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static ChannelShell open(Ssh ssh) throws Exception {
        ChannelShell ch = ssh.session().createShellChannel();
        ch.setUsePty(false);
        try {
            ch.open().verify(Duration.ofSeconds(20));
            return ch;
        } catch (Exception e) {
            ch.close(true);
            throw e;
        }
    }

    @Test
    void theEleventhChannelOnOneConnectionIsRefusedAndTheConnectionGoesOn() throws Exception {
        server = Termlet.server().port(0).dataDir(HostKeyCache.seed(data)).build();
        server.accounts().save(Account.builder("alice").password("secret".toCharArray()).build());
        server.start();
        try (Ssh ssh = Ssh.password(server.port(), "alice", "secret")) {
            List<ChannelShell> open = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                open.add(open(ssh));
            }
            assertThatThrownBy(() -> open(ssh)).hasRootCauseInstanceOf(SshChannelOpenException.class);
            assertThatThrownBy(() -> open(ssh)).hasRootCauseInstanceOf(SshChannelOpenException.class);
            assertThat(ssh.session().isOpen()).isTrue();
            assertThat(server.sessionCount()).isEqualTo(10);

            // a closed channel frees its place (the server forgets it once both sides closed it)
            ChannelShell first = open.remove(0);
            first.close(false).await(Duration.ofSeconds(20));
            first.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), Duration.ofSeconds(20));
            ChannelShell again = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (again == null) {
                try {
                    again = open(ssh);
                } catch (Exception e) {
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                    Thread.sleep(100);
                }
            }
            open.add(again);
            assertThatThrownBy(() -> open(ssh)).hasRootCauseInstanceOf(SshChannelOpenException.class);
            assertThat(ssh.session().isOpen()).isTrue();
        }
    }
}
