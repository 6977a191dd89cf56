package dev.termlet.demos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.TermletServer;
import dev.termlet.test.TestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The chat and game demos driven through real SSH sessions. */
class ChatAndGameDemoTest {
    @TempDir
    Path data;

    @Test
    void chatRoom() throws Exception {
        ChatDemo demo = new ChatDemo();
        new CommandLine(demo).parseArgs("--port", "0", "--data", data.toString(), "--user", "alice:pw",
                "--user", "bob:pw");
        try (TermletServer server = demo.start();
                TestClient alice = TestClient.password("127.0.0.1", server.port(), "alice", "pw").resize(80, 24)) {
            alice.awaitOutput("alice> ");
            alice.type("hello room\r");
            try (TestClient bob = TestClient.password("127.0.0.1", server.port(), "bob", "pw").resize(80, 24)) {
                bob.awaitOutput("-- last messages --");
                bob.awaitOutput("<alice> hello room");
                bob.awaitOutput("bob> ");
                alice.awaitOutput("* bob joined");
                // alice is half-way through a line when bob talks: bob's message appears above it,
                // and what alice typed is still there when she finishes the line
                alice.type("how are");
                Thread.sleep(200);
                bob.type("hi alice\r");
                alice.awaitOutput("<bob> hi alice");
                alice.type(" you?\r");
                bob.awaitOutput("<alice> how are you?");
                bob.type("/me waves\r");
                alice.awaitOutput("* bob waves");
                bob.type("/msg alice psst\r");
                alice.awaitOutput("[bob whispers] psst");
                alice.type("/who\r");
                alice.awaitOutput("In the room: alice, bob");
                bob.type("/nick robert\r");
                alice.awaitOutput("* bob is now robert");
                bob.type("/quit\r");
                assertThat(bob.awaitClosed(java.time.Duration.ofSeconds(10))).isTrue();
                alice.awaitOutput("* robert left");
            }
        }
    }

    @Test
    void snakeGameAndHighScores() throws Exception {
        GameDemo demo = new GameDemo();
        new CommandLine(demo).parseArgs("--port", "0", "--data", data.toString(), "--user", "alice:pw");
        try (TermletServer server = demo.start();
                TestClient s = TestClient.password("127.0.0.1", server.port(), "alice", "pw").resize(30, 12)) {
            s.awaitOutput("snake> ");
            s.type("play\r");
            s.awaitOutput("Score: 0");
            s.awaitOutput("@");
            // the snake heads right from the middle and hits the wall by itself (eating the food if it lies in its
            // way: the score is 0 or 10)
            s.awaitOutput("Game over. Score: ");
            s.awaitOutput("alice");
            s.awaitOutput("snake> ");
            s.type("play\r");
            s.awaitOutput("Score: 0");
            s.type("\u001b[B");
            s.type("q");
            s.awaitOutput("Game over.");
        }
        assertThat(Files.readString(data.resolve("snake-scores.json"))).contains("\"user\":\"alice\"");
    }
}
