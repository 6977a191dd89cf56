package dev.termlet.internal.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.internal.util.SerialExecutor;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConnectionTest {
    @Test
    void idsAreTheLetterCAndSixHexDigitsAndDistinct() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            Connection c = new Connection(new InetSocketAddress("127.0.0.1", 2222),
                    new SerialExecutor(Runnable::run, 10));
            assertThat(c.id()).matches("c[0-9a-f]{6}");
            ids.add(c.id());
        }
        assertThat(ids).hasSize(300);
    }
}
