package dev.termlet.demos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.TermletServer;
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
                DemoSsh alice = new DemoSsh(server.port(), "alice", "pw").shell(80, 24)) {
            alice.await("alice> ");
            alice.send("hello room\r");
            try (DemoSsh bob = new DemoSsh(server.port(), "bob", "pw").shell(80, 24)) {
                bob.await("-- last messages --");
                bob.await("<alice> hello room");
                bob.await("bob> ");
                alice.await("* bob joined");
                // alice is half-way through a line when bob talks: bob's message appears above it,
                // and what alice typed is still there when she finishes the line
                alice.send("how are");
                Thread.sleep(200);
                bob.send("hi alice\r");
                alice.await("<bob> hi alice");
                alice.send(" you?\r");
                bob.await("<alice> how are you?");
                bob.send("/me waves\r");
                alice.await("* bob waves");
                bob.send("/msg alice psst\r");
                alice.await("[bob whispers] psst");
                alice.send("/who\r");
                alice.await("In the room: alice, bob");
                bob.send("/nick robert\r");
                alice.await("* bob is now robert");
                bob.send("/quit\r");
                assertThat(bob.awaitClosed()).isTrue();
                alice.await("* robert left");
            }
        }
    }

    @Test
    void snakeGameAndHighScores() throws Exception {
        GameDemo demo = new GameDemo();
        new CommandLine(demo).parseArgs("--port", "0", "--data", data.toString(), "--user", "alice:pw");
        try (TermletServer server = demo.start();
                DemoSsh s = new DemoSsh(server.port(), "alice", "pw").shell(30, 12)) {
            s.await("snake> ");
            s.send("play\r");
            s.await("Score: 0");
            s.await("@");
            // the snake heads right from the middle and hits the wall by itself
            s.await("Game over. Score: 0");
            s.await("alice");
            s.await("snake> ");
            s.send("play\r");
            s.await("Score: 0");
            s.send("\u001b[B");
            s.send("q");
            s.await("Game over.");
        }
        assertThat(Files.readString(data.resolve("snake-scores.json"))).contains("\"user\":\"alice\"");
    }
}
