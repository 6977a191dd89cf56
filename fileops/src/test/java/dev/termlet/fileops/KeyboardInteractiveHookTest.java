package dev.termlet.fileops;

import static dev.termlet.fileops.HookTests.PATIENCE;
import static dev.termlet.fileops.HookTests.lines;
import static dev.termlet.fileops.HookTests.script;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.termlet.Authenticator;
import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import dev.termlet.auth.Account;
import dev.termlet.fileops.HookTests.Receiver;
import dev.termlet.test.TestClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.keyboard.UserAuthKeyboardInteractiveFactory;
import org.apache.sshd.client.auth.keyboard.UserInteraction;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SFTPGo's keyboard-interactive authentication hook: SFTPGo's two documented example programs, unchanged, and
 * its HTTP form, driven by MINA's SSH client answering every round through a {@link UserInteraction}.
 */
class KeyboardInteractiveHookTest {
    @TempDir
    Path data;

    @TempDir
    Path dir;

    TermletServer server;
    Receiver receiver;
    SshClient client;

    /** What the client was asked: one entry per round, "instruction|prompt/echo|prompt/echo...". */
    final List<String> rounds = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * MINA's client by hand: {@link #logIn} answers each prompt by its text and records every round's instruction and
     * echo flags, which {@link TestClient#keyboardInteractive} (answers in order) does not.
     */
    @BeforeEach
    void client() {
        client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
        client.setUserAuthFactories(List.of(UserAuthKeyboardInteractiveFactory.INSTANCE));
        client.start();
    }

    @AfterEach
    void stop() {
        client.stop();
        if (server != null) {
            server.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    private void start(Authenticator hook) {
        server = Termlet.server().port(0).dataDir(data).extension(FileOps.sftp()).authenticator(hook).build();
        server.accounts().save(Account.builder("alice").password("pw".toCharArray()).build());
        server.accounts().save(Account.builder("off").password("pw".toCharArray()).enabled(false).build());
        server.start();
    }

    /** Logs in answering each prompt from the map (by prompt text); true if the server let the client in. */
    private boolean logIn(String user, Map<String, String> answers) {
        return logIn(user, prompt -> answers.getOrDefault(prompt, "?"));
    }

    private boolean logIn(String user, Function<String, String> answer) {
        try (ClientSession s = client.connect(user, "127.0.0.1", server.port()).verify(PATIENCE).getSession()) {
            s.setUserInteraction(new UserInteraction() {
                @Override
                public String[] interactive(ClientSession session, String name, String instruction, String lang,
                        String[] prompt, boolean[] echo) {
                    StringBuilder seen = new StringBuilder(instruction);
                    for (int i = 0; i < prompt.length; i++) {
                        seen.append('|').append(prompt[i]).append('/').append(echo[i]);
                    }
                    rounds.add(seen.toString());
                    return Arrays.stream(prompt).map(answer).toArray(String[]::new);
                }

                @Override
                public String getUpdatedPassword(ClientSession session, String prompt, String lang) {
                    return null;
                }
            });
            s.auth().verify(PATIENCE);
            boolean in = s.isAuthenticated();
            if (in) {
                try (SftpClient sftp = SftpClientFactory.instance().createSftpClient(s)) {
                    sftp.mkdir("in-" + System.nanoTime());
                }
            }
            return in;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** SFTPGo's first documented example, as it is: two rounds, accepted if the third answer is "answer3". */
    static final String SFTPGO_TWO_ROUNDS = String.join("\n",
            "#!/bin/sh",
            "",
            "echo '{\"questions\":[\"Question1: \",\"Question2: \"],\"instruction\":\"This is a sample for keyboard "
                    + "interactive authentication\",\"echos\":[true,false]}'",
            "",
            "read ANSWER1",
            "read ANSWER2",
            "",
            "echo '{\"questions\":[\"Question3: \"],\"instruction\":\"\",\"echos\":[true]}'",
            "",
            "read ANSWER3",
            "",
            "if test \"$ANSWER3\" = \"answer3\"; then",
            "  echo '{\"auth_result\":1}'",
            "else",
            "  echo '{\"auth_result\":-1}'",
            "fi", "");

    /** SFTPGo's second documented example, as it is: the server checks the password, then a one-time token. */
    static final String SFTPGO_CHECK_PASSWORD = String.join("\n",
            "#!/bin/sh",
            "",
            "echo '{\"questions\":[\"Password: \"],\"instruction\":\"This is a sample for keyboard interactive "
                    + "authentication\",\"echos\":[false],\"check_password\":1}'",
            "",
            "read ANSWER1",
            "",
            "if test \"$ANSWER1\" != \"OK\"; then",
            "  exit 1",
            "fi",
            "",
            "echo '{\"questions\":[\"One time token: \"],\"instruction\":\"\",\"echos\":[false]}'",
            "",
            "read ANSWER2",
            "",
            "if test \"$ANSWER2\" = \"token\"; then",
            "  echo '{\"auth_result\":1}'",
            "else",
            "  echo '{\"auth_result\":-1}'",
            "fi", "");

    private Path sftpgoScript(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        file.toFile().setExecutable(true);
        return file;
    }

    @Test
    void sftpgosTwoRoundExampleRunsUnchanged() throws Exception {
        start(Hooks.keyboardInteractive(sftpgoScript("kbd.sh", SFTPGO_TWO_ROUNDS)));
        assertThat(logIn("alice", Map.of("Question1: ", "a1", "Question2: ", "a2", "Question3: ", "answer3")))
                .isTrue();
        assertThat(rounds).containsExactly(
                "This is a sample for keyboard interactive authentication|Question1: /true|Question2: /false",
                "|Question3: /true");
        assertThat(logIn("alice", Map.of("Question3: ", "wrong"))).isFalse();
        assertThat(logIn("off", Map.of("Question3: ", "answer3"))).as("a disabled account").isFalse();
        assertThat(logIn("nobody", Map.of("Question3: ", "answer3"))).as("no such account").isFalse();
    }

    /** Runs OpenSSH's ssh (sftp subsystem, no input) answering keyboard-interactive prompts through an askpass. */
    private int openSsh(String user, Path askpass) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("ssh", "-F", "/dev/null", "-o", "StrictHostKeyChecking=no", "-o",
                "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-o",
                "PreferredAuthentications=keyboard-interactive", "-o", "NumberOfPasswordPrompts=1", "-p", Integer.toString(server.port()), "-s", user + "@127.0.0.1",
                "sftp");
        pb.environment().put("SSH_ASKPASS", askpass.toString());
        pb.environment().put("SSH_ASKPASS_REQUIRE", "force");
        pb.environment().put("DISPLAY", ":0");
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.redirectErrorStream(true);
        pb.redirectOutput(dir.resolve("ssh.out").toFile());
        Process p = pb.start();
        if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("ssh hung");
        }
        return p.exitValue();
    }

    @Test
    void openSshAnswersEveryRoundOfSftpgosExample() throws Exception {
        start(Hooks.keyboardInteractive(sftpgoScript("kbd.sh", SFTPGO_TWO_ROUNDS)));
        Path asked = dir.resolve("asked.txt");
        Path askpass = script(dir, "askpass.sh", String.join("\n",
                "echo \"$1\" | tr '\\n' ' ' >> \"" + asked + "\"; echo >> \"" + asked + "\"",
                "case \"$1\" in *Question1*) echo a1;; *Question2*) echo a2;; *Question3*) echo \"$ANSWER3\";; esac",
                ""));
        Path right = script(dir, "right.sh", "ANSWER3=answer3 exec \"" + askpass + "\" \"$@\"\n");
        Path wrong = script(dir, "wrong.sh", "ANSWER3=nope exec \"" + askpass + "\" \"$@\"\n");
        assertThat(openSsh("alice", right)).as(Files.readString(dir.resolve("ssh.out"))).isZero();
        assertThat(lines(asked)).hasSize(3);
        assertThat(lines(asked).get(0)).contains("Question1: ");
        assertThat(lines(asked).get(2)).contains("Question3: ");
        assertThat(openSsh("alice", wrong)).isEqualTo(255);
    }

    @Test
    void sftpgosCheckPasswordExampleRunsUnchanged() throws Exception {
        start(Hooks.keyboardInteractive(sftpgoScript("kbd-pw.sh", SFTPGO_CHECK_PASSWORD)));
        assertThat(logIn("alice", Map.of("Password: ", "pw", "One time token: ", "token"))).isTrue();
        assertThat(rounds).containsExactly(
                "This is a sample for keyboard interactive authentication|Password: /false",
                "|One time token: /false");
        rounds.clear();
        assertThat(logIn("alice", Map.of("Password: ", "nope", "One time token: ", "token"))).isFalse();
        assertThat(rounds).as("a wrong password ends the attempt before the token")
                .noneMatch(r -> r.contains("One time token"));
        assertThat(logIn("alice", Map.of("Password: ", "pw", "One time token: ", "nope"))).isFalse();
        // the store's own password check is not a way round the hook
        try (TestClient alice = Fixture.login(server, "alice", "pw")) {
            assertThat(alice.session().isAuthenticated()).as("password logins still go to the account store").isTrue();
        }
    }

    @Test
    void chainedAfterExternalAuthTheUserIsCreatedThenTheRoundsDecide() throws Exception {
        Path seen = dir.resolve("seen.txt");
        // SFTPGo calls external auth first for a keyboard-interactive login, with no password
        Path external = script(dir, "external.sh", String.join("\n",
                "echo \"$SFTPGO_AUTHD_USERNAME kbd=$SFTPGO_AUTHD_KEYBOARD_INTERACTIVE pw=$SFTPGO_AUTHD_PASSWORD\" >> \""
                        + seen + "\"",
                "if test \"$SFTPGO_AUTHD_USERNAME\" = \"kim\" && test -n \"$SFTPGO_AUTHD_KEYBOARD_INTERACTIVE\"; then",
                "  echo '{\"status\":1,\"username\":\"kim\",\"role\":\"ops\",\"permissions\":{\"/\":[\"*\"]}}'",
                "else",
                "  echo '{\"username\":\"\"}'",
                "fi", ""));
        start(Hooks.chain(Hooks.externalAuth(external),
                Hooks.keyboardInteractive(sftpgoScript("kbd.sh", SFTPGO_TWO_ROUNDS))));
        assertThat(server.accounts().find("kim")).isEmpty();
        assertThat(logIn("kim", Map.of("Question3: ", "answer3"))).isTrue();
        assertThat(server.accounts().find("kim").orElseThrow().role()).hasValue("ops");
        assertThat(lines(seen)).containsExactly("kim kbd=1 pw=");
        assertThat(logIn("kim", Map.of("Question3: ", "wrong"))).as("the rounds still decide").isFalse();
        rounds.clear();
        assertThat(logIn("mallory", Map.of("Question3: ", "answer3"))).as("external auth denied").isFalse();
        assertThat(rounds).as("no questions after a denial").isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Hooks.chain(Hooks.keyboardInteractive(dir.resolve(
                "a.sh")), Hooks.keyboardInteractive(dir.resolve("b.sh")))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theProgramGetsSftpgosVariablesAndTheAnswersOnePerLine() throws Exception {
        Path seen = dir.resolve("seen.txt");
        start(Hooks.keyboardInteractive(script(dir, "vars.sh", String.join("\n",
                "case \"$SFTPGO_AUTHD_PASSWORD\" in '$argon2id$'*) H=hash;; *) H=none;; esac",
                "echo \"$SFTPGO_AUTHD_USERNAME $SFTPGO_AUTHD_IP $H\" >> \"" + seen + "\"",
                "echo '{\"questions\":[\"A: \",\"B: \"],\"echos\":[true,true]}'",
                "read A; read B",
                "echo \"A=$A B=$B\" >> \"" + seen + "\"",
                "echo '{\"auth_result\":1}'", ""))));
        assertThat(logIn("alice", Map.of("A: ", "one two", "B: ", "three"))).isTrue();
        List<String> got = lines(seen);
        assertThat(got).containsExactly("alice 127.0.0.1 hash", "A=one two B=three");
    }

    @Test
    void failingSilentSlowOrGarbledProgramsDeny() throws Exception {
        Map<String, String> any = Map.of("Q: ", "x");
        String ask = "echo '{\"questions\":[\"Q: \"],\"echos\":[true]}'\nread A\n";
        for (String body : List.of(
                "exit 0\n", // no auth_result
                ask + "exit 3\n", // exits after the answers
                "echo 'Hello, this is not JSON'\n", // garbage
                "echo '{\"questions\":[\"Q: \"],\"echos\":[true,false]}'\n", // echos do not match
                "echo '{\"questions\":[\"Q: \"],\"echos\":[true],\"check_password\":2}'\n", // a TOTP code
                ask + "echo '{\"auth_result\":\"1\"}'\n", // a string, not a number
                "head -c 70000 /dev/zero | tr '\\0' a\n")) { // a line that never ends
            rounds.clear();
            if (server != null) {
                server.close();
            }
            start(Hooks.keyboardInteractive(script(dir, "bad.sh", body)));
            assertThat(logIn("alice", any)).as(body).isFalse();
        }
        server.close();
        start(Hooks.keyboardInteractive(script(dir, "slow.sh", "sleep 30\n"), Duration.ofSeconds(1)));
        long t0 = System.nanoTime();
        assertThat(logIn("alice", any)).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
        server.close();
        start(Hooks.keyboardInteractive(dir.resolve("missing.sh")));
        assertThat(logIn("alice", any)).isFalse();
    }

    @Test
    void aClientThatLeavesMidConversationHasTheProgramKilled() throws Exception {
        Path pid = dir.resolve("pid");
        start(Hooks.keyboardInteractive(script(dir, "wait.sh", "echo $$ > \"" + pid + "\"\n"
                + "echo '{\"questions\":[\"Q: \"],\"echos\":[true]}'\nread A\necho '{\"auth_result\":1}'\n")));
        assertThat(logIn("alice", prompt -> {
            throw new IllegalStateException("the user walks away");
        })).isFalse();
        HookTests.await("the pid was written", () -> !lines(pid).isEmpty());
        long program = Long.parseLong(lines(pid).get(0).trim());
        HookTests.await("the program is gone", () -> ProcessHandle.of(program).map(p -> !p.isAlive()).orElse(true));
    }

    @Test
    void anAnswerWithALineBreakDenies() throws Exception {
        // many failed logins in a row: loopback is safe-listed, so each denial is the hook's, not a ban
        server = Termlet.server().port(0).dataDir(data).extension(FileOps.sftp())
                .protector(new dev.termlet.protector.ProtectorSettings().safe("127.0.0.0/8"))
                .authenticator(Hooks.keyboardInteractive(script(dir, "any.sh",
                        "echo '{\"questions\":[\"Q: \"],\"echos\":[true]}'\nread A\necho '{\"auth_result\":1}'\n")))
                .build();
        server.accounts().save(Account.builder("alice").password("pw".toCharArray()).build());
        server.start();
        assertThat(logIn("alice", Map.of("Q: ", "x\n{\"auth_result\":1}"))).isFalse();
        for (String separator : List.of("\r", "\u000B", "\u000C", "\u0085", "\u001E", "\u2028", "\u2029")) {
            assertThat(logIn("alice", Map.of("Q: ", "x" + separator + "y"))).as("U+%04X", (int) separator.charAt(0))
                    .isFalse();
        }
        assertThat(logIn("alice", Map.of("Q: ", "x"))).isTrue();
    }

    @Test
    void theHttpFormPostsEachRoundWithOneRequestId() throws Exception {
        receiver = new Receiver(0).respond(r -> {
            try {
                JsonNode j = r.json();
                if (j.path("answers").isNull()) {
                    return "{\"questions\":[\"Password: \"],\"check_password\":1,\"instruction\":\"hi\","
                            + "\"echos\":[false]}";
                }
                if (j.path("questions").get(0).asText().equals("Password: ")) {
                    return j.path("answers").get(0).asText().equals("OK")
                            ? "{\"questions\":[\"Question2: \"],\"instruction\":\"\",\"echos\":[true]}"
                            : "{\"auth_result\":-1}";
                }
                return j.path("answers").get(0).asText().equals("answer2") ? "{\"auth_result\":1}"
                        : "{\"auth_result\":-1}";
            } catch (IOException e) {
                return "";
            }
        });
        start(Hooks.keyboardInteractive(receiver.uri("/kbd"), Duration.ofSeconds(30)));
        assertThat(logIn("alice", Map.of("Password: ", "pw", "Question2: ", "answer2"))).isTrue();
        List<JsonNode> posts = new ArrayList<>();
        for (HookTests.Receiver.Request r : receiver.requests()) {
            posts.add(r.json());
        }
        assertThat(posts).hasSize(3);
        assertThat(posts).extracting(j -> j.path("request_id").asText()).containsOnly(
                posts.get(0).path("request_id").asText());
        assertThat(posts.get(0).path("username").asText()).isEqualTo("alice");
        assertThat(posts.get(0).path("ip").asText()).isEqualTo("127.0.0.1");
        assertThat(posts.get(0).path("password").asText()).startsWith("$argon2id$");
        assertThat(posts.get(1).path("answers").get(0).asText()).as("the password itself is never sent")
                .isEqualTo("OK");
        assertThat(posts.get(2).path("questions").get(0).asText()).isEqualTo("Question2: ");
        assertThat(logIn("alice", Map.of("Password: ", "bad", "Question2: ", "answer2"))).isFalse();
        receiver.status(500);
        assertThat(logIn("alice", Map.of("Password: ", "pw", "Question2: ", "answer2"))).isFalse();
    }
}
