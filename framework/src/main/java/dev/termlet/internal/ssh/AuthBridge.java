package dev.termlet.internal.ssh;

import dev.termlet.AuthRequest;
import dev.termlet.AuthResult;
import dev.termlet.Authenticator;
import dev.termlet.InteractiveAuthenticator;
import dev.termlet.Question;
import dev.termlet.auth.AccountStore;
import dev.termlet.auth.AuthMethod;
import dev.termlet.event.EventType;
import dev.termlet.event.Events;
import dev.termlet.internal.dispatch.Dispatcher;
import dev.termlet.internal.dispatch.EventValues;
import dev.termlet.event.Outcome;
import dev.termlet.internal.util.FairExecutor;
import dev.termlet.protector.Strike;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.server.auth.AsyncAuthException;
import org.apache.sshd.server.auth.keyboard.InteractiveChallenge;
import org.apache.sshd.server.auth.keyboard.KeyboardInteractiveAuthenticator;
import org.apache.sshd.server.auth.keyboard.PromptEntry;
import org.apache.sshd.server.auth.password.PasswordAuthenticator;
import org.apache.sshd.server.auth.pubkey.PublickeyAuthenticator;
import org.apache.sshd.server.session.ServerSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Connects MINA SSHD's authenticators to Termlet: the {@code auth-*} events, the {@code auth} callback, an
 * external {@link Authenticator} and the account store, in that order.
 *
 * <p>Decisions run on the auth executor, never on an I/O thread. The executor takes turns between client
 * addresses ({@link FairExecutor}), so that one address flooding it with attempts delays only itself. Password and
 * keyboard-interactive answers are asynchronous (the I/O thread is released at once), and one attempt per
 * connection is outstanding at a time: attempts a client sends without waiting for the answer (RFC 4252 allows
 * it) wait their turn on the connection, and one whose connection has closed meanwhile is not checked at all. Public-key checks answer synchronously, as
 * DESIGN.md requires (MINA SSHD up to 2.19 can skip the signature check of an asynchronous public-key
 * answer): without handlers or an external authenticator the store answers inline; with them the I/O thread
 * waits for the auth executor, at most 10 s (or the auth timeout if shorter). A public key's decision is cached per
 * connection, user and key, so the query and the signed request give one set of events.
 */
final class AuthBridge implements PasswordAuthenticator, PublickeyAuthenticator, KeyboardInteractiveAuthenticator {
    private static final Logger LOG = LoggerFactory.getLogger(AuthBridge.class);
    /** The longest an I/O thread waits for a synchronous decision (public keys, interactive questions). */
    private static final Duration MAX_SYNC_WAIT = Duration.ofSeconds(10);

    private final ServerRuntime runtime;
    private final AccountStore store;
    private final Authenticator external;
    private final FairExecutor pool;
    private final Duration wait;
    private final int maxWaiting;

    AuthBridge(ServerRuntime runtime, FairExecutor pool) {
        this.runtime = runtime;
        this.store = runtime.settings().accounts();
        this.external = runtime.settings().authenticator();
        this.pool = pool;
        Duration authTimeout = runtime.settings().authTimeout();
        this.wait = authTimeout.compareTo(MAX_SYNC_WAIT) < 0 ? authTimeout : MAX_SYNC_WAIT;
        this.maxWaiting = runtime.settings().maxAuthAttempts();
    }

    /** The key a connection's work is scheduled by: its address (IPv6: its network), as the limits count it. */
    static String key(Connection c) {
        String key = c.limitKey();
        return key != null ? key : dev.termlet.protector.Addresses.host(c.remote());
    }

    private Dispatcher dispatcher() {
        return runtime.dispatcher();
    }

    // ---- password ----

    @Override
    public boolean authenticate(String username, String password, ServerSession session) {
        Connection c = Connection.of(session);
        AuthRequest req = new AuthRequest(username, AuthMethod.PASSWORD, password, null, null, c.remote(), c.id());
        return async(c, req, session);
    }

    // ---- keyboard-interactive ----

    @Override
    public InteractiveChallenge generateChallenge(ServerSession session, String username, String lang,
            String subMethods) throws Exception {
        Connection c = Connection.of(session);
        AuthRequest req = new AuthRequest(username, AuthMethod.KEYBOARD_INTERACTIVE, null, null, null, c.remote(),
                c.id());
        List<Question> questions = null;
        if (dispatcher().has(Events.AUTH_INTERACTIVE_QUESTIONS)) {
            questions = sync(c, () -> {
                Outcome o = fire(c, Events.AUTH_INTERACTIVE_QUESTIONS, req);
                return toQuestions(o.result());
            });
        }
        if (questions == null || questions.isEmpty()) {
            questions = List.of(new Question("Password: ", false));
        }
        session.setAttribute(KbdState.KEY, new KbdState(username));
        InteractiveChallenge challenge = new InteractiveChallenge();
        challenge.setInteractionName("");
        challenge.setInteractionInstruction("");
        challenge.setLanguageTag("");
        for (Question q : questions) {
            challenge.addPrompt(new PromptEntry(q.prompt(), q.echo()));
        }
        return challenge;
    }

    private static List<Question> toQuestions(Object result) {
        if (!(result instanceof List)) {
            return null;
        }
        List<Question> out = new ArrayList<>();
        for (Object o : (List<?>) result) {
            if (o instanceof Question) {
                out.add((Question) o);
            } else if (o != null) {
                out.add(new Question(o.toString(), false));
            }
        }
        return out;
    }

    @Override
    public boolean authenticate(ServerSession session, String username, List<String> responses) {
        Connection c = Connection.of(session);
        KbdState state = session.getAttribute(KbdState.KEY);
        if (state == null || !state.user.equals(username)) {
            return false;
        }
        AuthRequest req = new AuthRequest(username, AuthMethod.KEYBOARD_INTERACTIVE, null, null, responses,
                c.remote(), c.id());
        return async(c, req, session);
    }

    // ---- keyboard-interactive conversations (InteractiveAuthenticator) ----

    /** @return whether keyboard-interactive logins are led by the external authenticator, round by round */
    boolean leadsConversations() {
        return external instanceof InteractiveAuthenticator;
    }

    /**
     * One step of a keyboard-interactive conversation, in the connection's turn: on the auth executor it starts the
     * conversation or hands it the answers, then either sends the next round's questions (the attempt stays open)
     * or answers the attempt.
     *
     * @param session the session
     * @param username the user name of the attempt
     * @param state the attempt's conversation
     * @param answers null to start, else the answers to the last round
     * @return false if refused at once; otherwise the answer comes later
     * @throws AsyncAuthException always, when not refused at once
     */
    Boolean converse(ServerSession session, String username, ConversationAuth.State state, List<String> answers) {
        Connection c = Connection.of(session);
        if (answers == null) {
            // MINA does not drop the attempt of a client that leaves: the conversation ends with the connection
            session.addCloseFutureListener(f -> state.drop());
        }
        AsyncAuthException async = new AsyncAuthException();
        Runnable start = () -> startStep(c, session, username, state, answers, async);
        switch (c.offerAttempt(start, maxWaiting)) {
            case START:
                start.run();
                break;
            case WAITING:
                break;
            default:
                LOG.info("attempt of {} refused: {} attempts already wait on this connection", username, maxWaiting);
                state.drop();
                return false;
        }
        throw async;
    }

    private void startStep(Connection c, ServerSession session, String username, ConversationAuth.State state,
            List<String> answers, AsyncAuthException async) {
        if (!session.isOpen() || session.isAuthenticated() || state.closed()) {
            state.close();
            next(c);
            return;
        }
        Map<String, String> mdc = c.mdcMap();
        try {
            pool.execute(key(c), () -> {
                MDC.setContextMap(mdc);
                Boolean ok = false;
                try {
                    ok = step(c, session, username, state, answers);
                } catch (RuntimeException e) {
                    LOG.warn("keyboard-interactive login of {} failed with an error", username, e);
                    ok = false;
                } finally {
                    MDC.clear();
                    if (ok == null) {
                        next(c); // questions were sent: the attempt goes on when the answers come
                    } else {
                        state.close();
                        if (state.dropped()) {
                            next(c); // MINA gave up on this attempt: nobody waits for its answer
                        } else {
                            answer(c, async, ok);
                        }
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.warn("auth executor busy; attempt of {} refused", username);
            state.close();
            answer(c, async, false);
        }
    }

    /** @return null when another round of questions was sent, else whether the attempt succeeded */
    private Boolean step(Connection c, ServerSession session, String username, ConversationAuth.State state,
            List<String> answers) {
        InteractiveAuthenticator leader = (InteractiveAuthenticator) external;
        AuthRequest first = new AuthRequest(username, AuthMethod.KEYBOARD_INTERACTIVE, null, null, null, c.remote(),
                c.id());
        InteractiveAuthenticator.Conversation conversation = state.conversation();
        if (answers == null) {
            if (!admitted(c, first)) {
                return false;
            }
            try {
                conversation = leader.converse(first);
            } catch (Exception e) {
                LOG.warn("interactive authenticator {} failed: {}", leader.getClass().getName(), e.toString());
                return failed(c, first, "the interactive authenticator failed");
            }
            if (conversation == null || !state.start(conversation)) {
                return false;
            }
        } else {
            state.answers.addAll(answers);
        }
        if (conversation == null || state.closed()) {
            return false;
        }
        InteractiveAuthenticator.Round round;
        try {
            round = conversation.next(answers);
        } catch (Exception e) {
            LOG.warn("interactive authenticator {} failed: {}", leader.getClass().getName(), e.toString());
            round = InteractiveAuthenticator.Round.decide(AuthResult.DENY);
        }
        if (round == null) {
            round = InteractiveAuthenticator.Round.decide(AuthResult.DENY);
        }
        if (!round.decided()) {
            if (state.closed() || !session.isOpen()) {
                return false;
            }
            InteractiveChallenge challenge = new InteractiveChallenge();
            challenge.setInteractionName("");
            challenge.setInteractionInstruction(round.instruction());
            challenge.setLanguageTag("");
            for (Question q : round.questions()) {
                challenge.addPrompt(new PromptEntry(q.prompt(), q.echo()));
            }
            try {
                state.asked(round.questions().size());
                org.apache.sshd.common.util.buffer.Buffer buffer = session.createBuffer(
                        org.apache.sshd.common.SshConstants.SSH_MSG_USERAUTH_INFO_REQUEST);
                challenge.append(buffer);
                session.writePacket(buffer);
                return null;
            } catch (java.io.IOException e) {
                LOG.info("cannot send the next questions to {}: {}", username, e.toString());
                return false;
            }
        }
        state.close();
        if (state.dropped()) {
            return false; // MINA gave up on this attempt meanwhile: its decision counts for nothing
        }
        AuthRequest done = new AuthRequest(username, AuthMethod.KEYBOARD_INTERACTIVE, null, null, state.answers,
                c.remote(), c.id());
        return conclude(c, done, round.result());
    }

    // ---- public key ----

    @Override
    public boolean authenticate(String username, PublicKey key, ServerSession session) {
        Connection c = Connection.of(session);
        Boolean cached = c.keyDecision(username, key);
        if (cached != null) {
            return cached;
        }
        AuthRequest req = new AuthRequest(username, AuthMethod.PUBLICKEY, null, key, null, c.remote(), c.id());
        boolean userCode = external != null || dispatcher().has(Events.AUTH) || dispatcher().has(Events.AUTH_REQUEST)
                || dispatcher().has(Events.AUTH_PUBLICKEY);
        boolean ok;
        if (userCode) {
            Boolean r = sync(c, () -> decide(c, req));
            ok = r != null && r;
        } else {
            c.mdc();
            try {
                ok = decide(c, req);
            } finally {
                MDC.clear();
            }
        }
        c.keyDecided(username, key, ok);
        return ok;
    }

    // ---- shared ----

    private boolean async(Connection c, AuthRequest req, ServerSession session) {
        AsyncAuthException async = new AsyncAuthException();
        Runnable start = () -> start(c, req, session, async);
        switch (c.offerAttempt(start, maxWaiting)) {
            case START:
                start.run();
                break;
            case WAITING:
                LOG.debug("attempt of {} waits for the one before it on this connection", req.user());
                break;
            default:
                LOG.info("attempt of {} refused: {} attempts already wait on this connection", req.user(), maxWaiting);
                return false;
        }
        throw async;
    }

    /** Starts one attempt in its connection's turn: queues its decision on the auth executor. */
    private void start(Connection c, AuthRequest req, ServerSession session, AsyncAuthException async) {
        if (!session.isOpen() || session.isAuthenticated()) {
            // nobody waits for this answer any more, or an earlier attempt succeeded: no check, no answer
            next(c);
            return;
        }
        Map<String, String> mdc = c.mdcMap();
        try {
            pool.execute(key(c), () -> {
                MDC.setContextMap(mdc);
                boolean ok = false;
                try {
                    // a client that left while its attempt waited costs no password check
                    ok = session.isOpen() && decide(c, req);
                } finally {
                    MDC.clear();
                    answer(c, async, ok);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.warn("auth executor busy; attempt of {} refused", req.user());
            answer(c, async, false);
        }
    }

    /**
     * Reports a decision (a failure only after the protector's delay, without holding a thread), then lets the
     * connection's next attempt start.
     */
    private void answer(Connection c, AsyncAuthException async, boolean ok) {
        long delay = runtime.protector().settings().failureDelay().toMillis();
        if (ok || delay <= 0) {
            async.setAuthed(ok);
            next(c);
            return;
        }
        try {
            runtime.delays().schedule(() -> {
                async.setAuthed(false);
                next(c);
            }, delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            async.setAuthed(false);
            next(c);
        }
    }

    private static void next(Connection c) {
        Runnable waiting = c.attemptDone();
        if (waiting != null) {
            waiting.run();
        }
    }

    private <T> T sync(Connection c, java.util.concurrent.Callable<T> work) {
        Map<String, String> mdc = c.mdcMap();
        FutureTask<T> f = new FutureTask<>(() -> {
            MDC.setContextMap(mdc);
            try {
                return work.call();
            } finally {
                MDC.clear();
            }
        });
        try {
            pool.execute(key(c), f);
        } catch (RejectedExecutionException e) {
            LOG.warn("auth executor busy; attempt refused");
            return null;
        }
        try {
            return f.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(true);
            return null;
        } catch (Exception e) {
            f.cancel(true);
            LOG.warn("auth decision failed or took longer than {}: {}", wait, e.toString());
            return null;
        }
    }

    private Outcome fire(Connection c, EventType type, AuthRequest req) {
        EventValues v = type.mapKeys() != null ? EventValues.withMap(type, req::toMap, req) : EventValues.of(type, req);
        return dispatcher().fire(v, c.events());
    }

    /**
     * Decides a password attempt of another protocol (FTP) on the auth executor, in its address's turn as SSH
     * attempts are, and waits for it and then for the failure delay. The protocol sends one command at a time,
     * so one attempt per connection is outstanding.
     *
     * @param c the connection
     * @param req the attempt
     * @return true if allowed
     */
    boolean decideNow(Connection c, AuthRequest req) {
        Map<String, String> mdc = c.mdcMap();
        FutureTask<Boolean> task = new FutureTask<>(() -> {
            MDC.setContextMap(mdc);
            try {
                return decide(c, req);
            } finally {
                MDC.clear();
            }
        });
        boolean ok;
        try {
            pool.execute(key(c), task);
            ok = Boolean.TRUE.equals(task.get(runtime.settings().authTimeout().toMillis(), TimeUnit.MILLISECONDS));
        } catch (RejectedExecutionException e) {
            LOG.warn("auth executor busy; attempt of {} refused", req.user());
            ok = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            task.cancel(true);
            return false;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            task.cancel(true);
            LOG.warn("auth decision failed or took longer than {}: {}", runtime.settings().authTimeout(),
                    e.toString());
            ok = false;
        }
        long delay = runtime.protector().settings().failureDelay().toMillis();
        if (!ok && delay > 0) {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return ok;
    }

    /** The whole decision for one attempt; runs on the auth executor (or inline when no user code is involved). */
    private boolean decide(Connection c, AuthRequest req) {
        try {
            return admitted(c, req) && conclude(c, req, null);
        } catch (RuntimeException e) {
            LOG.warn("authentication of {} failed with an error", req.user(), e);
            return failed(c, req, "error");
        }
    }

    /** The {@code auth-request} gate of an attempt: false (the failure reported) if this user is refused. */
    private boolean admitted(Connection c, AuthRequest req) {
        String user = req.user();
        if (c.firstRequestFor(user)) {
            Outcome o = fire(c, Events.AUTH_REQUEST, req);
            if (o.refused()) {
                c.denyUser(user);
                fire(c, Events.AUTH_DENIED, req);
                return failed(c, req, "auth-request refused");
            }
            fire(c, Events.AUTH_ALLOWED, req);
        } else if (c.userDenied(user)) {
            return failed(c, req, "auth-request refused earlier");
        }
        return true;
    }

    /**
     * The rest of the decision, after {@link #admitted}: the method's handlers, the {@code auth} handlers, then the
     * external authenticator (or what a keyboard-interactive conversation decided) and the account store.
     *
     * @param decided a conversation's decision, used in place of the external authenticator; null to ask it
     */
    private boolean conclude(Connection c, AuthRequest req, AuthResult decided) {
        String user = req.user();
        try {
            EventType methodEvent = req.method() == AuthMethod.PASSWORD ? Events.AUTH_PASSWORD
                    : req.method() == AuthMethod.PUBLICKEY ? Events.AUTH_PUBLICKEY : Events.AUTH_INTERACTIVE;
            if (fire(c, methodEvent, req).refused()) {
                return failed(c, req, methodEvent.name() + " refused");
            }
            AuthResult result = AuthResult.DEFER;
            Outcome o = fire(c, Events.AUTH, req);
            if (o.refused()) {
                result = AuthResult.DENY;
            } else if (o.result() == AuthResult.ALLOW || Boolean.TRUE.equals(o.result())) {
                result = AuthResult.ALLOW;
            } else if (o.result() == AuthResult.DENY) {
                result = AuthResult.DENY;
            }
            if (result == AuthResult.DEFER && decided != null) {
                result = decided;
            } else if (result == AuthResult.DEFER && external != null) {
                try {
                    AuthResult r = external.authenticate(req);
                    result = r == null ? AuthResult.DEFER : r;
                } catch (Exception e) {
                    LOG.warn("external authenticator {} failed: {}", external.getClass().getName(), e.toString());
                    result = AuthResult.DENY;
                }
            }
            if (result == AuthResult.DEFER) {
                result = storeDecides(req) ? AuthResult.ALLOW : AuthResult.DENY;
                if (result == AuthResult.ALLOW) {
                    c.storeApproved();
                }
            }
            if (result != AuthResult.ALLOW) {
                return failed(c, req, "credentials rejected");
            }
            if (!runtime.limits().userHasRoom(user)) {
                return failed(c, req, "too many sessions for this user");
            }
            c.pendingSuccess(req);
            runtime.metrics().login(req.protocol(), req.method().wireName(), true);
            return true;
        } catch (RuntimeException e) {
            LOG.warn("authentication of {} failed with an error", user, e);
            return failed(c, req, "error");
        }
    }

    private boolean storeDecides(AuthRequest req) {
        if (req.method() == AuthMethod.PUBLICKEY) {
            return store.checkPublicKey(req.user(), req.publicKey());
        }
        String secret = req.method() == AuthMethod.PASSWORD ? req.password()
                : req.answers().isEmpty() ? "" : req.answers().get(0);
        char[] chars = secret == null ? new char[0] : secret.toCharArray();
        try {
            return store.checkPassword(req.user(), chars, req.method());
        } finally {
            java.util.Arrays.fill(chars, '\0');
        }
    }

    private boolean failed(Connection c, AuthRequest req, String why) {
        LOG.info("authentication failed for {} by {} ({})", req.user(), req.method().wireName(), why);
        fire(c, Events.AUTH_FAIL, req);
        runtime.metrics().login(req.protocol(), req.method().wireName(), false);
        if ("error".equals(why)) {
            // the server failed (an account store that cannot be reached): not the client's fault, no strike
            return false;
        }
        boolean known;
        try {
            known = store.find(req.user()).isPresent();
        } catch (RuntimeException e) {
            LOG.warn("cannot read the account of {}: {}", req.user(), e.toString());
            return false;
        }
        // A client tries each of its keys in turn: failed keys of a known user are normal, not an attack.
        if (!known || req.method() != AuthMethod.PUBLICKEY) {
            runtime.protector().strike(dev.termlet.protector.Addresses.host(c.remote()),
                    known ? Strike.Kind.FAILED_LOGIN : Strike.Kind.UNKNOWN_USER, req.user());
        }
        return false;
    }

    /** What a keyboard-interactive challenge asked, kept on the session until the answers arrive. */
    static final class KbdState {
        static final org.apache.sshd.common.AttributeRepository.AttributeKey<KbdState> KEY =
                new org.apache.sshd.common.AttributeRepository.AttributeKey<>();
        final String user;

        KbdState(String user) {
            this.user = user;
        }
    }

}
