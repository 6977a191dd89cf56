package dev.termlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.annotations.OnUser;
import dev.termlet.auth.Account;
import dev.termlet.internal.util.Threads;
import dev.termlet.testing.HostKeyCache;
import dev.termlet.testing.Ssh;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Handlers run on the session's own thread: virtual on Java 21+, a platform thread on 17; never a MINA thread. */
class SessionThreadsTest {
    @TempDir
    Path data;

    /** Reports the thread it runs on. */
    public static class Where {
        @OnUser("command")
        void command(Client c, String line) {
            Thread t = Thread.currentThread();
            if (line.equals("dirty")) {
                org.slf4j.MDC.put("left", "behind");
                t.setName("renamed");
                t.interrupt();
                c.println("dirtied");
                return;
            }
            c.println("virtual=" + Threads.isVirtual(t) + " name=" + t.getName() + " mdc=" + org.slf4j.MDC.get("left")
                    + " interrupted=" + t.isInterrupted() + " session=" + org.slf4j.MDC.get("session"));
        }
    }

    @Test
    void sessionThreadKind() throws Exception {
        try (TermletServer server = Termlet.server().port(0).dataDir(HostKeyCache.seed(data))
                .register(new Where()).build()) {
            server.accounts().save(Account.builder("alice").password("secret".toCharArray()).build());
            server.start();
            try (Ssh ssh = Ssh.password(server.port(), "alice", "secret")) {
                String out = ssh.exec("where", null).out();
                boolean expectVirtual = Runtime.version().feature() >= 21;
                assertThat(out).startsWith("virtual=" + expectVirtual + " name=termlet-session-");
            }
        }
    }

    /** On Java 17 a session thread runs later sessions: what a handler left on it is gone before the next. */
    @Test
    void aLaterSessionFindsTheThreadClean() throws Exception {
        try (TermletServer server = Termlet.server().port(0).dataDir(HostKeyCache.seed(data))
                .register(new Where()).build()) {
            server.accounts().save(Account.builder("alice").password("secret".toCharArray()).build());
            server.start();
            for (int i = 0; i < 5; i++) {
                try (Ssh ssh = Ssh.password(server.port(), "alice", "secret")) {
                    assertThat(ssh.exec("dirty", null).out()).contains("dirtied");
                    String out = ssh.exec("where", null).out();
                    assertThat(out).contains("name=termlet-session-").contains(" mdc=null ")
                            .contains(" interrupted=false ").doesNotContain("session=null");
                }
            }
        }
    }
}
