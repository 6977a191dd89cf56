package dev.termlet.demos;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.termlet.Client;
import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import dev.termlet.annotations.Command;
import dev.termlet.annotations.OnUser;
import dev.termlet.terminal.Key;
import dev.termlet.terminal.Screen;
import dev.termlet.terminal.Table;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;
import picocli.CommandLine;

/**
 * The game demo: snake, full screen, in real time. Arrow keys or WASD steer, {@code p} pauses, {@code q}
 * quits; the board follows the window's size; the best scores are kept in the data directory.
 */
@CommandLine.Command(name = "game", mixinStandardHelpOptions = true,
        description = "Snake, full screen: raw keys, the alternate screen, resize, high scores in the data directory.")
public final class GameDemo implements Callable<Integer> {

    @CommandLine.Mixin
    DemoOptions options = new DemoOptions();

    /** One high score. */
    public record Score(String user, int score, String date) {}

    /** The high-score table, kept as JSON in the data directory and replaced atomically. */
    public static final class HighScores {
        private static final ObjectMapper JSON = new ObjectMapper();
        private final Path file;

        HighScores(Path dataDir) {
            this.file = dataDir.resolve("snake-scores.json");
        }

        synchronized List<Score> top() {
            try {
                return Files.exists(file) ? JSON.readValue(file.toFile(), new TypeReference<List<Score>>() {})
                        : new ArrayList<>();
            } catch (IOException e) {
                return new ArrayList<>();
            }
        }

        synchronized void add(Score s) throws IOException {
            List<Score> all = new ArrayList<>(top());
            all.add(s);
            all.sort(Comparator.comparingInt(Score::score).reversed());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            JSON.writeValue(tmp.toFile(), all.subList(0, Math.min(10, all.size())));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /** The game's commands. */
    public static final class Game {
        private final HighScores scores;
        private final Random random = new Random();

        Game(HighScores scores) {
            this.scores = scores;
        }

        @OnUser("connect")
        void hello(Client c) {
            c.println("Termlet snake. Type 'play' to start, 'scores' for the best scores, 'exit' to leave.");
        }

        @Command(category = "Game", description = "Plays snake (arrows or WASD, p pauses, q quits).")
        int play(Client c) throws IOException {
            if (c.terminal().isEmpty()) {
                c.eprintln("play needs a terminal: ssh -t");
                return 1;
            }
            int score = run(c.terminal().get());
            c.println("Game over. Score: " + score);
            scores.add(new Score(c.user(), score, LocalDate.now().toString()));
            showScores(c);
            return 0;
        }

        @Command(category = "Game", description = "Shows the best scores.")
        void scores(Client c) {
            showScores(c);
        }

        private void showScores(Client c) {
            Table t = Table.of("#", "Player", "Score", "Date").align(0, Table.Align.RIGHT).align(2, Table.Align.RIGHT);
            int i = 1;
            for (Score s : scores.top()) {
                t.row(i++, s.user(), s.score(), s.date());
            }
            t.render(c.size().columns()).forEach(c::println);
        }

        private int[] food(int w, int h, Deque<int[]> snake) {
            for (int tries = 0; tries < 1000; tries++) {
                int[] f = {random.nextInt(Math.max(1, w)), random.nextInt(Math.max(1, h))};
                if (snake.stream().noneMatch(p -> p[0] == f[0] && p[1] == f[1])) {
                    return f;
                }
            }
            return new int[] {0, 0};
        }

        /** Plays one game and returns the score; the screen is restored however it ends. */
        private int run(Terminal terminal) throws IOException {
            int score = 0;
            try (Screen screen = Screen.open(terminal)) {
                int w = screen.width();
                int h = screen.height() - 1;
                Deque<int[]> snake = new ArrayDeque<>();
                snake.addFirst(new int[] {w / 2, h / 2});
                int dx = 1;
                int dy = 0;
                int[] food = food(w, h, snake);
                boolean paused = false;
                long next = System.nanoTime();
                while (true) {
                    draw(screen, snake, food, score, paused);
                    long wait = Math.max(1, (next - System.nanoTime()) / 1_000_000);
                    Key k = screen.readKey(wait);
                    if (k != null) {
                        if (k.is("q") || k.is("ESCAPE") || k.is("CTRL+C")) {
                            return score;
                        } else if (k.is("p")) {
                            paused = !paused;
                        } else if (k.is("RESIZE")) {
                            w = screen.width();
                            h = screen.height() - 1;
                            if (food[0] >= w || food[1] >= h) {
                                food = food(w, h, snake);
                            }
                        } else if ((k.is("UP") || k.is("w")) && dy == 0) {
                            dx = 0;
                            dy = -1;
                        } else if ((k.is("DOWN") || k.is("s")) && dy == 0) {
                            dx = 0;
                            dy = 1;
                        } else if ((k.is("LEFT") || k.is("a")) && dx == 0) {
                            dx = -1;
                            dy = 0;
                        } else if ((k.is("RIGHT") || k.is("d")) && dx == 0) {
                            dx = 1;
                            dy = 0;
                        }
                        continue;
                    }
                    next = System.nanoTime() + (dy == 0 ? 110_000_000L : 180_000_000L);
                    if (paused) {
                        continue;
                    }
                    int[] head = snake.peekFirst();
                    int[] moved = {head[0] + dx, head[1] + dy};
                    boolean hit = moved[0] < 0 || moved[1] < 0 || moved[0] >= w || moved[1] >= h
                            || snake.stream().anyMatch(p -> p[0] == moved[0] && p[1] == moved[1]);
                    if (hit) {
                        screen.bell();
                        return score;
                    }
                    snake.addFirst(moved);
                    if (moved[0] == food[0] && moved[1] == food[1]) {
                        score += 10;
                        food = food(w, h, snake);
                    } else {
                        snake.removeLast();
                    }
                }
            }
        }

        private static void draw(Screen screen, Deque<int[]> snake, int[] food, int score, boolean paused) {
            int w = screen.width();
            int h = screen.height() - 1;
            char[][] cells = new char[Math.max(0, h)][Math.max(0, w)];
            for (char[] row : cells) {
                java.util.Arrays.fill(row, ' ');
            }
            if (food[1] < h && food[0] < w) {
                cells[food[1]][food[0]] = '*';
            }
            boolean first = true;
            for (int[] p : snake) {
                if (p[1] >= 0 && p[1] < h && p[0] >= 0 && p[0] < w) {
                    cells[p[1]][p[0]] = first ? '@' : 'o';
                }
                first = false;
            }
            List<AttributedString> lines = new ArrayList<>();
            lines.add(new AttributedStringBuilder().style(AttributedStyle.INVERSE)
                    .append(String.format("%-" + Math.max(1, w) + "s", " Score: " + score
                            + (paused ? "  PAUSED" : "") + "   arrows/WASD steer, p pause, q quit"))
                    .toAttributedString());
            AttributedStyle body = AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN);
            AttributedStyle fruit = AttributedStyle.BOLD.foreground(AttributedStyle.RED);
            for (char[] row : cells) {
                AttributedStringBuilder b = new AttributedStringBuilder();
                for (char ch : row) {
                    b.style(ch == '*' ? fruit : ch == ' ' ? AttributedStyle.DEFAULT : body).append(ch);
                }
                lines.add(b.toAttributedString());
            }
            screen.draw(lines);
        }
    }

    /**
     * Builds the server from the options, creates the {@code --user} accounts and opens the port.
     *
     * @return the running server
     */
    public TermletServer start() {
        return server().start();
    }

    /**
     * Builds the server from the options and creates the {@code --user} accounts, without opening the port.
     *
     * @return the server, not started
     */
    public TermletServer server() {
        TermletServer server = options.apply(Termlet.server())
                .prompt("snake> ")
                .register(new Game(new HighScores(options.data)))
                .build();
        options.seedAccounts(server.accounts());
        return server;
    }

    @Override
    public Integer call() throws Exception {
        return options.run("game", server());
    }
}
