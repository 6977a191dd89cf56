package dev.termlet.fileops.internal.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.termlet.AuthRequest;
import dev.termlet.AuthResult;
import dev.termlet.InteractiveAuthenticator;
import dev.termlet.Question;
import dev.termlet.auth.Account;
import dev.termlet.auth.AccountStore;
import dev.termlet.auth.AuthMethod;
import dev.termlet.spi.ExtensionContext;
import dev.termlet.spi.ServerExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SFTPGo's keyboard-interactive authentication hook ({@code keyboard_interactive_auth_hook}): the hook asks the
 * questions, in as many rounds as it likes, and decides. A program is started once per attempt with
 * {@code SFTPGO_AUTHD_USERNAME}, {@code SFTPGO_AUTHD_IP} and {@code SFTPGO_AUTHD_PASSWORD} (the stored hash); it
 * writes each round as one JSON line ({@code instruction}, {@code questions}, {@code echos}, optional
 * {@code check_password}) and reads the answers on stdin, one per line, until it writes {@code auth_result}
 * (1 allows, anything else but 0 denies). A URL gets a POST per round ({@code request_id}, {@code step},
 * {@code username}, {@code ip}, {@code password}, and the last {@code questions} and {@code answers}) and answers 200
 * with the same JSON. With {@code check_password} 1 the one answer is checked against the stored password and the
 * hook gets {@code OK} instead; a wrong password ends the attempt. The user must be a stored, enabled account.
 *
 * <p>Fails closed: a hook that cannot start, exits or answers without {@code auth_result}, writes anything but one
 * JSON object per line, asks for what Termlet cannot check ({@code check_password} 2, a one-time code Termlet's
 * accounts do not hold) or takes longer than the time limit (the whole attempt; the program is then killed)
 * denies the login, with one log line. Neither answers nor the hook's output are logged.
 */
public final class KeyboardInteractiveHook implements InteractiveAuthenticator, ServerExtension {
    private static final Logger LOG = LoggerFactory.getLogger(KeyboardInteractiveHook.class);
    /** The most rounds, and questions in a round, one attempt may have. */
    static final int MAX_ROUNDS = 20;
    static final int MAX_QUESTIONS = 16;
    /** The longest line a program may write. */
    static final int MAX_LINE = 64 * 1024;

    private final HookTarget target;
    private final Duration timeout;
    private final HttpSender http;
    private volatile AccountStore store;

    /**
     * @param target the program or URL
     * @param timeout the time one login attempt may take in all
     */
    public KeyboardInteractiveHook(HookTarget target, Duration timeout) {
        this.target = target;
        this.timeout = timeout;
        this.http = target.isProgram() ? null : new HttpSender(timeout);
    }

    @Override
    public void configure(ExtensionContext context) {
        this.store = context.accounts();
    }

    /** Password and public-key logins are not this hook's: the account store decides them. */
    @Override
    public AuthResult authenticate(AuthRequest request) {
        return request.method() == AuthMethod.KEYBOARD_INTERACTIVE ? AuthResult.DENY : AuthResult.DEFER;
    }

    @Override
    public Conversation converse(AuthRequest request) {
        AccountStore accounts = store;
        if (accounts == null) {
            throw new IllegalStateException("give this hook to Termlet.server().authenticator(...)");
        }
        String user = request.user();
        String ip = SftpgoForms.ip(request.remoteAddress());
        Account account = Account.validName(user) ? accounts.find(user).orElse(null) : null;
        if (account == null || !account.enabled() || !account.allows(AuthMethod.KEYBOARD_INTERACTIVE)) {
            LOG.info("keyboard-interactive hook {}: {} from {} is not an enabled account; denied", target.describe(),
                    user, ip);
            return new Talk(user, ip) {
                @Override
                String exchange(List<String> answers) {
                    return null;
                }
            };
        }
        String hash = account.passwordHash() == null ? "" : account.passwordHash();
        return target.isProgram() ? new ProgramTalk(user, ip, hash) : new HttpTalk(user, ip, hash);
    }

    /** One attempt's rounds: what is common to a program and a URL. */
    private abstract class Talk implements Conversation {
        final String user;
        final String ip;
        final long deadline;
        private int rounds;
        private int checkPassword;
        List<String> lastQuestions;

        Talk(String user, String ip) {
            this.user = user;
            this.ip = ip;
            this.deadline = System.nanoTime() + timeout.toNanos();
        }

        /**
         * Sends the answers (none for the first round) and gets the hook's next JSON.
         *
         * @return the JSON text, or null (the reason logged) if the hook failed
         */
        abstract String exchange(List<String> answers) throws InterruptedException;

        void deny(String why) {
            LOG.info("keyboard-interactive hook {} for {} from {} {}; denied", target.describe(), user, ip, why);
        }

        long remainingMillis() {
            return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        }

        @Override
        public Round next(List<String> answers) throws InterruptedException {
            List<String> sent = answers == null ? null : new ArrayList<>(answers);
            if (sent != null && checkPassword == 1) {
                char[] chars = sent.get(0).toCharArray();
                boolean right;
                try {
                    right = store.checkPassword(user, chars, AuthMethod.KEYBOARD_INTERACTIVE);
                } finally {
                    java.util.Arrays.fill(chars, '\0');
                }
                if (!right) {
                    deny("asked for the password, and it was wrong");
                    return Round.decide(AuthResult.DENY);
                }
                sent.set(0, "OK");
            }
            if (++rounds > MAX_ROUNDS) {
                deny("asked more than " + MAX_ROUNDS + " rounds of questions");
                return Round.decide(AuthResult.DENY);
            }
            String text = exchange(sent);
            return text == null ? Round.decide(AuthResult.DENY) : read(text);
        }

        private Round read(String text) {
            JsonNode n;
            try {
                n = SftpgoForms.JSON.readTree(text);
            } catch (IOException e) {
                n = null;
            }
            if (n == null || !n.isObject()) {
                deny("answered with something other than a JSON object");
                return Round.decide(AuthResult.DENY);
            }
            JsonNode result = n.get("auth_result");
            if (result != null && !result.isNull()) {
                if (!result.isInt()) {
                    deny("gave an auth_result that is not a number");
                    return Round.decide(AuthResult.DENY);
                }
                if (result.asInt() == 1) {
                    return Round.decide(AuthResult.ALLOW);
                }
                if (result.asInt() != 0) {
                    deny("answered auth_result " + result.asInt());
                    return Round.decide(AuthResult.DENY);
                }
            }
            JsonNode questions = n.path("questions");
            JsonNode echos = n.path("echos");
            JsonNode instruction = n.get("instruction");
            JsonNode check = n.get("check_password");
            if (!questions.isArray() || questions.isEmpty() || questions.size() > MAX_QUESTIONS || !echos.isArray()
                    || echos.size() != questions.size()
                    || (instruction != null && !instruction.isNull() && !instruction.isTextual())
                    || (check != null && !check.isNull() && !check.isInt())) {
                deny("asked no questions, or not as SFTPGo describes them (questions, as many echos, instruction)");
                return Round.decide(AuthResult.DENY);
            }
            List<Question> asked = new ArrayList<>();
            List<String> texts = new ArrayList<>();
            for (int i = 0; i < questions.size(); i++) {
                if (!questions.get(i).isTextual() || !echos.get(i).isBoolean()) {
                    deny("asked a question that is not text, or an echo that is not true or false");
                    return Round.decide(AuthResult.DENY);
                }
                texts.add(questions.get(i).asText());
                asked.add(new Question(questions.get(i).asText(), echos.get(i).asBoolean()));
            }
            int cp = check == null || check.isNull() ? 0 : check.asInt();
            if (cp == 2) {
                deny("asked Termlet to check a one-time code (check_password 2), which its accounts do not hold");
                return Round.decide(AuthResult.DENY);
            }
            if (cp != 0 && (cp != 1 || asked.size() != 1)) {
                deny("gave check_password " + cp + (cp == 1 ? " with more than one question" : ""));
                return Round.decide(AuthResult.DENY);
            }
            checkPassword = cp;
            lastQuestions = texts;
            return Round.ask(instruction == null || instruction.isNull() ? "" : instruction.asText(), asked);
        }

        @Override
        public void close() {
            // nothing held
        }
    }

    /** A program, started for the attempt, that talks on stdin and stdout. */
    private final class ProgramTalk extends Talk {
        private static final Object END = new Object();
        private static final Object TOO_LONG = new Object();
        private final String hash;
        private final BlockingQueue<Object> lines = new LinkedBlockingQueue<>();
        private Process process;
        private OutputStream stdin;
        private volatile boolean closed;

        ProgramTalk(String user, String ip, String hash) {
            super(user, ip);
            this.hash = hash;
        }

        private boolean start() {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("SFTPGO_AUTHD_USERNAME", user);
            env.put("SFTPGO_AUTHD_IP", ip);
            env.put("SFTPGO_AUTHD_PASSWORD", hash);
            ProcessBuilder pb = ProgramRunner.builder(target.program(), List.of(), env);
            pb.redirectError(ProcessBuilder.Redirect.DISCARD);
            try {
                process = pb.start();
            } catch (IOException e) {
                deny("cannot start: " + e.getMessage());
                return false;
            }
            stdin = process.getOutputStream();
            Thread reader = new Thread(() -> readLines(process.getInputStream()), "termlet-kbd-hook-" + process.pid());
            reader.setDaemon(true);
            reader.start();
            // the whole attempt has the time limit: a program left waiting for answers that never come is killed
            Process p = process;
            CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
                if (p.isAlive()) {
                    ProgramRunner.killTree(p);
                }
            });
            return true;
        }

        private void readLines(InputStream in) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            try (InputStream s = in) {
                int b;
                while ((b = s.read()) >= 0) {
                    if (b == '\n') {
                        lines.add(line.toString(StandardCharsets.UTF_8));
                        line.reset();
                    } else if (line.size() >= MAX_LINE) {
                        lines.add(TOO_LONG);
                        return;
                    } else {
                        line.write(b);
                    }
                }
                if (line.size() > 0) {
                    lines.add(line.toString(StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // killed or closed
            } finally {
                lines.add(END);
            }
        }

        @Override
        String exchange(List<String> answers) throws InterruptedException {
            if (answers == null) {
                if (!start()) {
                    return null;
                }
            } else {
                StringBuilder text = new StringBuilder();
                for (String a : answers) {
                    if (breaksLine(a)) {
                        deny("got an answer with a line break, which would read as two");
                        return null;
                    }
                    text.append(a).append('\n');
                }
                try {
                    stdin.write(text.toString().getBytes(StandardCharsets.UTF_8));
                    stdin.flush();
                } catch (IOException e) {
                    deny("stopped reading answers");
                    return null;
                }
            }
            Object got = lines.poll(remainingMillis(), TimeUnit.MILLISECONDS);
            if (got == null) {
                deny("wrote nothing within " + timeout + " (killed)");
                return null;
            }
            if (got == TOO_LONG) {
                deny("wrote a line longer than " + MAX_LINE + " bytes");
                return null;
            }
            if (got == END) {
                deny(closed ? "was stopped" : "ended without an auth_result" + exitStatus());
                return null;
            }
            return (String) got;
        }

        private String exitStatus() {
            try {
                if (process.waitFor(1, TimeUnit.SECONDS)) {
                    return " (exit status " + process.exitValue() + ")";
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "";
        }

        @Override
        public void close() {
            closed = true;
            if (process != null) {
                try {
                    stdin.close();
                } catch (IOException e) {
                    // the program is gone already
                }
                if (process.isAlive()) {
                    ProgramRunner.killTree(process);
                }
            }
        }
    }

    /** A URL, POSTed once per round with the same request id. */
    private final class HttpTalk extends Talk {
        private final String hash;
        private final String requestId = java.util.UUID.randomUUID().toString().replace("-", "");
        private int step;

        HttpTalk(String user, String ip, String hash) {
            super(user, ip);
            this.hash = hash;
        }

        @Override
        String exchange(List<String> answers) throws InterruptedException {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("request_id", requestId);
            json.put("step", ++step);
            json.put("username", user);
            json.put("ip", ip);
            json.put("password", hash);
            json.put("answers", answers);
            json.put("questions", answers == null ? null : lastQuestions);
            long left = remainingMillis();
            if (left <= 0) {
                deny("took longer than " + timeout);
                return null;
            }
            HttpSender.Result r = http.send("POST", target.url().toString(), SftpgoForms.toJson(json),
                    Duration.ofMillis(left), true);
            if (r.status() != 200) {
                deny(r.ok() ? "answered " + r.status() + ", not 200" : "failed: " + r.describe());
                return null;
            }
            return r.body();
        }
    }

    /**
     * Whether an answer holds anything a hook script could split lines on: CR and LF (one answer per line), and
     * also VT, FF, NEL and the Unicode line and paragraph separators, which Python's {@code splitlines()} and
     * similar take as line ends.
     */
    static boolean breaksLine(String answer) {
        return answer.chars().anyMatch(c -> c == '\n' || c == '\r' || c == 0x0B || c == 0x0C || c == 0x85
                || c == 0x1C || c == 0x1D || c == 0x1E || c == 0x2028 || c == 0x2029);
    }
}
