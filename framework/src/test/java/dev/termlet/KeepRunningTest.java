package dev.termlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.auth.Account;
import dev.termlet.testing.Ssh;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A main() that starts the server and returns leaves it running (Termlet's other threads are all daemons). */
class KeepRunningTest {
    @TempDir
    Path data;

    /** The whole application: start, print the port, return. */
    public static final class StartAndReturn {
        /**
         * @param args the data directory
         */
        public static void main(String[] args) {
            TermletServer server = Termlet.server().port(0).dataDir(Path.of(args[0])).build();
            server.accounts().save(Account.builder("alice").password("secret".toCharArray()).build());
            server.start();
            System.out.println("port " + server.port());
        }
    }

    @Test
    void theServerOutlivesMain() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                StartAndReturn.class.getName(), dev.termlet.testing.HostKeyCache.seed(data).toString()).redirectErrorStream(true).start();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            int port = -1;
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("port ")) {
                    port = Integer.parseInt(line.substring(5));
                    break;
                }
            }
            assertThat(port).as("the port the application printed").isPositive();
            assertThat(p.waitFor(2, TimeUnit.SECONDS)).as("the JVM ended when main returned").isFalse();
            try (Ssh ssh = Ssh.password(port, "alice", "secret")) {
                assertThat(ssh.exec("whoami", null).out()).isEqualTo("alice\n");
            }
        } finally {
            p.destroy();
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("SIGTERM still ends it").isTrue();
        }
    }
}
