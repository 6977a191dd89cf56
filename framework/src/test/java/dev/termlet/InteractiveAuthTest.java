package dev.termlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.annotations.OnUser;
import dev.termlet.auth.Account;
import dev.termlet.testing.HostKeyCache;
import dev.termlet.testing.Recorder;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.keyboard.UserAuthKeyboardInteractiveFactory;
import org.apache.sshd.client.auth.keyboard.UserInteraction;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An {@link InteractiveAuthenticator} leads keyboard-interactive logins over several rounds. */
class InteractiveAuthTest {
    @TempDir
    Path data;

    final Recorder events = new Recorder();
    final List<String> steps = new CopyOnWriteArrayList<>();
    final AtomicInteger closed = new AtomicInteger();
    final AtomicInteger started = new AtomicInteger();
    TermletServer server;
    SshClient client;

    /** Three rounds: a name, then two codes at once, then a last word; "open sesame" is the only way in. */
    final InteractiveAuthenticator threeRounds = new InteractiveAuthenticator() {
        @Override
        public AuthResult authenticate(AuthRequest request) {
            return AuthResult.DEFER;
        }

        @Override
        public Conversation converse(AuthRequest request) {
            started.incrementAndGet();
            return new Conversation() {
                final List<String> all = new ArrayList<>();
                int round;

                @Override
                public Round next(List<String> answers) {
                    steps.add(request.user() + " " + round + " " + answers);
                    if (answers != null) {
                        all.addAll(answers);
                    }
                    switch (round++) {
                        case 0:
                            return Round.ask("Who are you?", List.of(new Question("Name: ", true)));
                        case 1:
                            return Round.ask("", List.of(new Question("Code 1: ", false),
                                    new Question("Code 2: ", false)));
                        case 2:
                            return Round.ask("last", List.of(new Question("Word: ", true)));
                        default:
                            return Round.decide(all.equals(List.of("ali", "1", "2", "open sesame")) ? AuthResult.ALLOW
                                    : AuthResult.DENY);
                    }
                }

                @Override
                public void close() {
                    closed.incrementAndGet();
                }
            };
        }
    };

    /** Records the auth events; refuses the user "refused" in the auth handler. */
    public class Handlers {
        @OnUser("auth-request")
        void request(AuthRequest r) {
            events.add("auth-request " + r.user());
        }

        @OnUser("auth-interactive")
        void method(AuthRequest r) {
            events.add("auth-interactive " + r.user() + " " + r.answers().size());
        }

        @OnUser("auth")
        AuthResult auth(AuthRequest r) {
            return r.user().equals("refused") ? AuthResult.DENY : AuthResult.DEFER;
        }

        @OnUser("auth-success")
        void success(AuthRequest r) {
            events.add("auth-success " + r.user());
        }
    }

    @BeforeEach
    void start() {
        server = Termlet.server().port(0).dataDir(HostKeyCache.seed(data)).register(new Handlers())
                .authenticator(threeRounds).build();
        server.accounts().save(Account.builder("ali").password("pw".toCharArray()).build());
        server.start();
        client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
        client.setUserAuthFactories(List.of(UserAuthKeyboardInteractiveFactory.INSTANCE));
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        client.start();
    }

    @AfterEach
    void stop() {
        client.stop();
        server.close();
    }

    private boolean logIn(String user, Function<String[], String[]> answers) {
        try (ClientSession s = client.connect(user, "127.0.0.1", server.port()).verify(Duration.ofSeconds(30))
                .getSession()) {
            s.setUserInteraction(new UserInteraction() {
                @Override
                public String[] interactive(ClientSession session, String name, String instruction, String lang,
                        String[] prompt, boolean[] echo) {
                    return answers.apply(prompt);
                }

                @Override
                public String getUpdatedPassword(ClientSession session, String prompt, String lang) {
                    return null;
                }
            });
            s.auth().verify(Duration.ofSeconds(30));
            return s.isAuthenticated();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static String[] right(String[] prompts) {
        String[] out = new String[prompts.length];
        for (int i = 0; i < prompts.length; i++) {
            out[i] = switch (prompts[i]) {
                case "Name: " -> "ali";
                case "Code 1: " -> "1";
                case "Code 2: " -> "2";
                default -> "open sesame";
            };
        }
        return out;
    }

    @Test
    void threeRoundsReachTheClientAndTheirAnswersComeBack() throws Exception {
        assertThat(logIn("ali", InteractiveAuthTest::right)).isTrue();
        assertThat(steps).containsExactly("ali 0 null", "ali 1 [ali]", "ali 2 [1, 2]", "ali 3 [open sesame]");
        events.await("auth-success ali");
        assertThat(events.all()).containsSubsequence("auth-request ali", "auth-interactive ali 4", "auth-success ali");
        assertThat(closed.get()).isEqualTo(1);
    }

    @Test
    void wrongOrMissingAnswersAndRefusingHandlersDeny() throws Exception {
        assertThat(logIn("ali", p -> p.length == 2 ? new String[] {"1", "3"} : right(p))).isFalse();
        steps.clear();
        // one answer to two questions: the conversation never sees it
        assertThat(logIn("ali", p -> p.length == 2 ? new String[] {"1"} : right(p))).isFalse();
        assertThat(steps).noneMatch(s -> s.startsWith("ali 2 "));
        assertThat(logIn("refused", InteractiveAuthTest::right)).as("the auth handler comes first").isFalse();
        // every conversation was closed, however it ended
        assertThat(started.get()).isPositive();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (closed.get() < started.get() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(closed.get()).isEqualTo(started.get());
    }
}
