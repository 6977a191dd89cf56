package com.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.test.ExecResult;
import dev.termlet.test.TermletExtension;
import dev.termlet.test.TestClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class HelloTest {
    // runs Hello in this JVM on a free port, with a temporary data directory and the account alice
    @RegisterExtension
    static TermletExtension termlet = TermletExtension.builder()
            .handlers(new Hello())
            .account("alice", "secret")
            .build();

    @Test
    void welcomesTheUser(TestClient client) {          // logged in as alice, on an 80x24 terminal
        assertThat(client.awaitText("Welcome, alice!")).hasLine(0, "Welcome, alice!");
    }

    @Test
    void answersHello(TestClient client) {
        client.awaitText("Welcome, alice!");
        client.typeLine("hello");
        assertThat(client.awaitText("world!")).containsLine("> hello").containsLine("world!")
                .doesNotContain("You said");
    }

    @Test
    void echoesAnythingElse(TestClient client) {
        client.typeLine("good morning");
        client.awaitText("You said: good morning");
    }

    @Test
    void answersOverExecToo(TestClient client) {        // as `ssh -p 2222 alice@127.0.0.1 hello`
        ExecResult result = client.exec("hello");
        assertThat(result.out()).isEqualTo("world!\n");
        assertThat(result.status()).isZero();
    }

    @Test
    void exitEndsTheSession(TestClient client) {
        client.typeLine("exit");                        // a built-in command
        assertThat(client.awaitClosed(Duration.ofSeconds(10))).isTrue();
        assertThat(client.exitStatus()).isZero();
    }
}
