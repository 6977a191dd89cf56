package dev.termlet.fileops;

import dev.termlet.fileops.internal.hooks.ChainedAuth;
import dev.termlet.fileops.internal.hooks.ExternalAuth;
import dev.termlet.fileops.internal.hooks.HookRuntime;
import dev.termlet.fileops.internal.hooks.HookTarget;
import dev.termlet.fileops.internal.hooks.KeyboardInteractiveHook;
import dev.termlet.fileops.internal.hooks.LoginHooks;

import dev.termlet.Authenticator;
import dev.termlet.event.EventKind;
import dev.termlet.event.EventRegistry;
import dev.termlet.event.EventType;
import dev.termlet.event.Events;
import dev.termlet.spi.ExtensionContext;
import dev.termlet.spi.ServerExtension;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * External hooks, the way SFTPGo runs them: any event can go to a program (SFTPGo's arguments and
 * {@code SFTPGO_ACTION_*} variables, in a clean environment) or to an HTTP URL (a POST of SFTPGo's JSON
 * notification), so SFTPGo hook scripts run unchanged.
 *
 * <p>Hooks on {@code pre-*} events and on {@code new-connection} ({@code post-connect}) run in the event's
 * flow, and a failure (non-zero exit, non-2xx answer, no answer, time limit) refuses the operation. Hooks on
 * other events are notifications: written to {@code DATA/hooks/outbox} first, delivered by a bounded pool,
 * retried, and re-sent after a restart. {@link Builder#sync} runs chosen events in their flow instead (for
 * {@code upload}, a failing hook then has the file removed, like SFTPGo's {@code execute_sync}).
 *
 * <p>An outbox file (private: directory 0700, files 0600) names its hook and holds only the event's data; the
 * program or URL, its environment and its settings always come from this configuration when the notification
 * is sent. A file that names a hook or an event not configured here, or that cannot be read, is moved to
 * {@code DATA/hooks/quarantine} and logged, never sent.
 *
 * <pre>{@code
 * Termlet.server()
 *     .extension(FileOps.sftp())
 *     .extension(Hooks.builder()
 *         .program(Path.of("/opt/hooks/notify.sh"), "upload", "pre-delete")
 *         .http(URI.create("http://127.0.0.1:8080/hook"), "upload", "download")
 *         .build())
 *     .authenticator(Hooks.externalAuth(Path.of("/opt/hooks/auth.sh")))
 *     .start();
 * }</pre>
 */
public final class Hooks implements ServerExtension {
    private final Settings settings;
    private final Map<HookTarget, Set<EventType>> bindings;
    private final Set<EventType> sync;
    /** The occurrences a hook bound only by narrowing aliases ({@code AfterRenameDir}) gets, by hook and event. */
    private final Map<HookTarget, Map<EventType, java.util.function.Predicate<Object[]>>> narrowed;

    /** What {@link Builder} sets, shared with the package's delivery code. */
    public record Settings(Duration timeout, int retries, Duration backoff, Duration retryInterval, Duration keepFor,
            int workers, int queueLimit) {}

    private Hooks(Builder b) {
        this.settings = new Settings(b.timeout, b.retries, b.backoff, b.retryInterval, b.keepFor, b.workers,
                b.queueLimit);
        this.bindings = new LinkedHashMap<>();
        b.bindings.forEach((k, v) -> bindings.put(k, Set.copyOf(v)));
        this.sync = Set.copyOf(b.sync);
        this.narrowed = new LinkedHashMap<>();
        b.narrowed.forEach((k, v) -> narrowed.put(k, Map.copyOf(v)));
    }

    /** @return a builder with the defaults described on {@link Builder} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * SFTPGo's external authentication hook as a program, with a 30 s time limit.
     *
     * @param program the absolute path of the program
     * @return an authenticator for {@code Termlet.server().authenticator(...)}
     * @see #externalAuth(Path, Duration)
     */
    public static Authenticator externalAuth(Path program) {
        return externalAuth(program, Duration.ofSeconds(30));
    }

    /**
     * SFTPGo's external authentication hook as a program. It reads {@code SFTPGO_AUTHD_USERNAME},
     * {@code SFTPGO_AUTHD_IP}, {@code SFTPGO_AUTHD_PROTOCOL} ({@code SSH}), {@code SFTPGO_AUTHD_PASSWORD},
     * {@code SFTPGO_AUTHD_PUBLIC_KEY} (authorized_keys form) and {@code SFTPGO_AUTHD_KEYBOARD_INTERACTIVE}
     * ({@code 1}, with the first answer in {@code SFTPGO_AUTHD_PASSWORD}), and writes a user as JSON: with the
     * same {@code username} the login is allowed; with an empty username, other output, a non-zero exit or
     * past the time limit it is denied; with no output the account store decides.
     *
     * @param program the absolute path of the program
     * @param timeout how long the program may run
     * @return an authenticator for {@code Termlet.server().authenticator(...)}
     */
    public static Authenticator externalAuth(Path program, Duration timeout) {
        return new ExternalAuth(HookTarget.program(program), positive(timeout, "timeout"));
    }

    /**
     * SFTPGo's external authentication hook as a program, asked only for the methods of SFTPGo's
     * {@code external_auth_scope}; attempts by other methods go to the account store.
     *
     * @param program the absolute path of the program
     * @param timeout how long the program may run
     * @param scope 0 for every method, else the sum of 1 (password, SSH and FTP), 2 (public key) and 4
     *     (keyboard-interactive); 8 (TLS certificate) is accepted and matches nothing, as Termlet has no such logins
     * @return an authenticator for {@code Termlet.server().authenticator(...)}
     * @throws IllegalArgumentException for a scope outside 0 to 15
     * @see #externalAuth(Path, Duration)
     */
    public static Authenticator externalAuth(Path program, Duration timeout, int scope) {
        return new ExternalAuth(HookTarget.program(program), positive(timeout, "timeout"), scope);
    }

    /**
     * SFTPGo's external authentication hook as an HTTP endpoint, with a 30 s time limit.
     *
     * @param url the URL
     * @return an authenticator for {@code Termlet.server().authenticator(...)}
     * @see #externalAuth(URI, Duration)
     */
    public static Authenticator externalAuth(URI url) {
        return externalAuth(url, Duration.ofSeconds(30));
    }

    /**
     * SFTPGo's external authentication hook as an HTTP endpoint: a POST of {@code username}, {@code ip},
     * {@code protocol}, and {@code password}, {@code public_key} or {@code keyboard_interactive}. A 2xx answer
     * with a user whose {@code username} matches allows; an empty 2xx answer lets the account store decide;
     * anything else denies.
     *
     * @param url the URL
     * @param timeout the time limit of the request
     * @return an authenticator for {@code Termlet.server().authenticator(...)}
     */
    public static Authenticator externalAuth(URI url, Duration timeout) {
        return new ExternalAuth(HookTarget.http(url), positive(timeout, "timeout"));
    }

    /**
     * SFTPGo's external authentication hook as an HTTP endpoint, asked only for the methods of
     * {@code external_auth_scope} (see {@link #externalAuth(Path, Duration, int)}).
     *
     * @param url the URL
     * @param timeout the time limit of the request
     * @param scope 0 for every method, else the sum of 1 (password), 2 (public key), 4 (keyboard-interactive), 8
     * @return an authenticator for {@code Termlet.server().authenticator(...)}
     * @throws IllegalArgumentException for a scope outside 0 to 15
     */
    public static Authenticator externalAuth(URI url, Duration timeout, int scope) {
        return new ExternalAuth(HookTarget.http(url), positive(timeout, "timeout"), scope);
    }

    /**
     * Asks several of these authenticators in order, as SFTPGo chains its hooks (for example external auth, or
     * pre-login, before the keyboard-interactive hook): the first answer that is not "defer" decides, and when all
     * defer the account store does. With a keyboard-interactive hook in the chain, a keyboard-interactive attempt
     * first asks the others with no answers (external auth then gets {@code SFTPGO_AUTHD_KEYBOARD_INTERACTIVE=1} and
     * may create or update the user, as in SFTPGo); a denial ends the attempt, else the hook's rounds decide.
     *
     * @param authenticators the authenticators, in order
     * @return one authenticator for {@code Termlet.server().authenticator(...)}
     * @throws IllegalArgumentException for none, or more than one keyboard-interactive hook
     */
    public static Authenticator chain(Authenticator... authenticators) {
        for (Authenticator a : authenticators) {
            Objects.requireNonNull(a, "authenticator");
        }
        return ChainedAuth.of(java.util.List.of(authenticators));
    }

    /**
     * SFTPGo's keyboard-interactive authentication hook ({@code keyboard_interactive_auth_hook}) as a program, with
     * SFTPGo's 60 s for the whole attempt.
     *
     * @param program the absolute path of the program
     * @return an authenticator for {@code Termlet.server().authenticator(...)}
     * @see #keyboardInteractive(Path, Duration)
     */
    public static Authenticator keyboardInteractive(Path program) {
        return keyboardInteractive(program, Duration.ofSeconds(60));
    }

    /**
     * SFTPGo's keyboard-interactive authentication hook as a program: started once per keyboard-interactive
     * attempt of a stored, enabled account, with {@code SFTPGO_AUTHD_USERNAME}, {@code SFTPGO_AUTHD_IP} and
     * {@code SFTPGO_AUTHD_PASSWORD} (the stored hash), it writes each round of questions as one JSON line
     * ({@code instruction}, {@code questions}, {@code echos}, optional {@code check_password} 1 to have the answer
     * checked against the stored password, the program then reading {@code OK}), reads the answers on stdin one per
     * line, and ends with {@code {"auth_result":1}} (allowed) or another value (denied). A failing, silent, slow or
     * garbled program denies. Password and public-key logins go to the account store.
     *
     * @param program the absolute path of the program
     * @param timeout how long the whole attempt may take; the program is then killed
     * @return an authenticator for {@code Termlet.server().authenticator(...)}
     */
    public static Authenticator keyboardInteractive(Path program, Duration timeout) {
        return new KeyboardInteractiveHook(HookTarget.program(program), positive(timeout, "timeout"));
    }

    /**
     * SFTPGo's keyboard-interactive authentication hook as a URL: a POST per round of {@code request_id} (the same
     * for the attempt), {@code step}, {@code username}, {@code ip}, {@code password} (the stored hash), and the
     * previous round's {@code questions} and {@code answers} (null at first), answered with 200 and the JSON a
     * program writes.
     *
     * @param url the URL
     * @param timeout how long the whole attempt may take
     * @return an authenticator for {@code Termlet.server().authenticator(...)}
     */
    public static Authenticator keyboardInteractive(URI url, Duration timeout) {
        return new KeyboardInteractiveHook(HookTarget.http(url), positive(timeout, "timeout"));
    }

    /**
     * SFTPGo's pre-login hook ({@code pre_login_hook}, "dynamic user creation or modification") as a program: before
     * each login attempt it reads {@code SFTPGO_LOGIND_USER} (the stored user as JSON, without password hash or
     * keys; {@code "id":0} when there is none), {@code SFTPGO_LOGIND_METHOD}, {@code SFTPGO_LOGIND_IP} and
     * {@code SFTPGO_LOGIND_PROTOCOL}, and writes nothing (no change) or a user, whole or only the fields to change
     * ({@code status}, {@code permissions}, {@code quota_size}, {@code quota_files}, {@code password},
     * {@code public_keys}, ...), which is stored; the account store then checks the credentials. A non-zero exit,
     * or a user that cannot be honoured, denies the login.
     *
     * @param program the absolute path of the program
     * @param timeout how long it may run
     * @return an authenticator for {@code Termlet.server().authenticator(...)}
     */
    public static Authenticator preLogin(Path program, Duration timeout) {
        return new LoginHooks.PreLogin(HookTarget.program(program), positive(timeout, "timeout"));
    }

    /**
     * SFTPGo's pre-login hook as a URL: a POST of the stored user to {@code URL?login_method=&ip=&protocol=},
     * answered with 204 (no change) or 200 and a user to store; another status denies the login.
     *
     * @param url the URL
     * @param timeout the time limit of the request
     * @return an authenticator for {@code Termlet.server().authenticator(...)}
     */
    public static Authenticator preLogin(URI url, Duration timeout) {
        return new LoginHooks.PreLogin(HookTarget.http(url), positive(timeout, "timeout"));
    }

    /**
     * SFTPGo's check-password hook as a program, for password logins of stored users: it reads
     * {@code SFTPGO_AUTHD_USERNAME}, {@code SFTPGO_AUTHD_PASSWORD}, {@code SFTPGO_AUTHD_IP} and
     * {@code SFTPGO_AUTHD_PROTOCOL} and writes {@code {"status":1}} (allowed), {@code {"status":2,"to_verify":"..."}}
     * (the account store checks {@code to_verify}: password plus one-time code) or {@code {"status":0}} (denied).
     * Public-key and keyboard-interactive logins go to the account store.
     *
     * @param program the absolute path of the program
     * @param timeout how long it may run
     * @return an authenticator for {@code Termlet.server().authenticator(...)}
     */
    public static Authenticator checkPassword(Path program, Duration timeout) {
        return new LoginHooks.CheckPassword(HookTarget.program(program), positive(timeout, "timeout"));
    }

    /**
     * SFTPGo's check-password hook as a URL: a POST of {@code username}, {@code password}, {@code ip} and
     * {@code protocol}, answered with 200 and the JSON a program writes.
     *
     * @param url the URL
     * @param timeout the time limit of the request
     * @return an authenticator for {@code Termlet.server().authenticator(...)}
     */
    public static Authenticator checkPassword(URI url, Duration timeout) {
        return new LoginHooks.CheckPassword(HookTarget.http(url), positive(timeout, "timeout"));
    }

    @Override
    public void configure(ExtensionContext context) throws IOException {
        // the events each hook gets as notifications: the only ones the outbox may hold for it
        Map<HookTarget, Set<EventType>> queued = new LinkedHashMap<>();
        bindings.forEach((target, types) -> queued.put(target, types.stream()
                .filter(type -> type.kind() != EventKind.PRE && !sync.contains(type))
                .collect(java.util.stream.Collectors.toUnmodifiableSet())));
        HookRuntime runtime = new HookRuntime(settings, queued, context.dataDir().resolve("hooks").resolve("outbox"),
                context.accounts()::find);
        runtime.measure(context.meters());
        for (Map.Entry<HookTarget, Set<EventType>> b : bindings.entrySet()) {
            for (EventType type : b.getValue()) {
                boolean inFlow = type.kind() == EventKind.PRE || sync.contains(type);
                dev.termlet.spi.EventListener listener = inFlow ? runtime.synchronous(b.getKey(), type)
                        : runtime.asynchronous(b.getKey(), type);
                java.util.function.Predicate<Object[]> only = narrowed.getOrDefault(b.getKey(), Map.of()).get(type);
                if (only != null) {
                    dev.termlet.spi.EventListener all = listener;
                    listener = (t, values) -> only.test(values) ? all.onEvent(t, values) : null;
                }
                context.on(type, !inFlow, listener);
            }
        }
        context.sshServer().addCloseFutureListener(f -> runtime.shutdown());
        runtime.start();
    }

    private static Duration positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, not " + d);
        }
        return d;
    }

    /**
     * Configures {@link Hooks}. Defaults: 30 s per program run or HTTP request, 3 retries for HTTP starting 1 s
     * apart and doubling, undelivered notifications retried every minute and kept for a day, 4 delivery
     * threads with up to 1000 notifications waiting for one.
     */
    public static final class Builder {
        private final EventRegistry registry = EventRegistry.standard();
        private final Map<HookTarget, Set<EventType>> bindings = new LinkedHashMap<>();
        private final Set<EventType> sync = new LinkedHashSet<>();
        private final Map<HookTarget, Map<EventType, java.util.function.Predicate<Object[]>>> narrowed =
                new LinkedHashMap<>();
        private Duration timeout = Duration.ofSeconds(30);
        private int retries = 3;
        private Duration backoff = Duration.ofSeconds(1);
        private Duration retryInterval = Duration.ofMinutes(1);
        private Duration keepFor = Duration.ofDays(1);
        private int workers = 4;
        private int queueLimit = 1000;

        private Builder() {}

        /**
         * Runs a program on events, as SFTPGo runs a custom-action hook.
         *
         * @param program the absolute path of the program
         * @param events event names or aliases ({@code "upload"}, {@code "pre-delete"}, {@code "ssh_cmd"},
         *     {@code "post-connect"}, ...)
         * @return this builder
         * @throws IllegalArgumentException for a relative path or an unknown event name
         */
        public Builder program(Path program, String... events) {
            return bind(HookTarget.program(program), events);
        }

        /**
         * Sends events to an HTTP endpoint, as SFTPGo does with a URL hook.
         *
         * @param url an http or https URL
         * @param events event names or aliases
         * @return this builder
         * @throws IllegalArgumentException for another scheme or an unknown event name
         */
        public Builder http(URI url, String... events) {
            return bind(HookTarget.http(url), events);
        }

        /**
         * SFTPGo's post-connect hook as a program: it reads {@code SFTPGO_CONNECTION_IP} and
         * {@code SFTPGO_CONNECTION_PROTOCOL}; a non-zero exit refuses the connection.
         *
         * @param program the absolute path of the program
         * @return this builder
         */
        public Builder postConnect(Path program) {
            return program(program, Events.NEW_CONNECTION.name());
        }

        /**
         * SFTPGo's post-connect hook as a URL: a GET with {@code ip} and {@code protocol}; an answer other
         * than 2xx refuses the connection.
         *
         * @param url the URL
         * @return this builder
         */
        public Builder postConnect(URI url) {
            return http(url, Events.NEW_CONNECTION.name());
        }

        /**
         * SFTPGo's user actions as a program: it gets {@code action username ID status expiration_date home_dir uid
         * gid} as arguments and {@code SFTPGO_USER_ACTION}, {@code SFTPGO_USER} (the user as JSON, without password
         * hash or keys) when an account is added, updated or deleted.
         *
         * @param program the absolute path of the program
         * @return this builder
         */
        public Builder userActions(Path program) {
            return program(program, Events.ACCOUNT_ADD.name(), Events.ACCOUNT_UPDATE.name(),
                    Events.ACCOUNT_DELETE.name());
        }

        /**
         * SFTPGo's user actions (data provider {@code actions}) as a URL: a POST to {@code URL?action=add|update|delete}
         * with the user as JSON, without password hash or keys.
         *
         * @param url the URL
         * @return this builder
         */
        public Builder userActions(URI url) {
            return http(url, Events.ACCOUNT_ADD.name(), Events.ACCOUNT_UPDATE.name(), Events.ACCOUNT_DELETE.name());
        }

        /**
         * SFTPGo's current data-provider actions as a program, for accounts: on {@code account-add},
         * {@code account-update} and {@code account-delete} it reads {@code SFTPGO_PROVIDER_ACTION} ({@code add},
         * {@code update}, {@code delete}), {@code SFTPGO_PROVIDER_OBJECT_TYPE} ({@code user}),
         * {@code SFTPGO_PROVIDER_OBJECT_NAME}, {@code SFTPGO_PROVIDER_USERNAME} ({@code __system__}),
         * {@code SFTPGO_PROVIDER_IP}, {@code SFTPGO_PROVIDER_ROLE}, {@code SFTPGO_PROVIDER_TIMESTAMP} and
         * {@code SFTPGO_PROVIDER_OBJECT} (the user as JSON, without password hash or keys).
         *
         * @param program the absolute path of the program
         * @return this builder
         * @see #userActions(Path) the older form
         */
        public Builder providerActions(Path program) {
            return bind(HookTarget.program(program).asProvider(), Events.ACCOUNT_ADD.name(),
                    Events.ACCOUNT_UPDATE.name(), Events.ACCOUNT_DELETE.name());
        }

        /**
         * SFTPGo's current data-provider actions as a URL: a POST of the user as JSON to
         * {@code URL?action=...&username=__system__&ip=&object_type=user&object_name=...&timestamp=...}.
         *
         * @param url the URL
         * @return this builder
         * @see #userActions(URI) the older form
         */
        public Builder providerActions(URI url) {
            return bind(HookTarget.http(url).asProvider(), Events.ACCOUNT_ADD.name(), Events.ACCOUNT_UPDATE.name(),
                    Events.ACCOUNT_DELETE.name());
        }

        /**
         * SFTPGo's post-login hook as a program, for successful and failed logins ({@code post_login_scope} 0).
         *
         * @param program the absolute path of the program
         * @return this builder
         * @see #postLogin(Path, int)
         */
        public Builder postLogin(Path program) {
            return postLogin(program, 0);
        }

        /**
         * SFTPGo's post-login hook as a program: it reads {@code SFTPGO_LOGIND_USER} (the user as JSON, without
         * password hash or keys), {@code SFTPGO_LOGIND_IP}, {@code SFTPGO_LOGIND_METHOD} ({@code password},
         * {@code publickey}, {@code keyboard-interactive}), {@code SFTPGO_LOGIND_STATUS} (1 ok, 0 failed) and
         * {@code SFTPGO_LOGIND_PROTOCOL} ({@code SSH}, {@code FTP}). It is a notification: its exit status is
         * only logged.
         *
         * @param program the absolute path of the program
         * @param scope SFTPGo's {@code post_login_scope}: 0 every login, 1 failed logins only, 2 successful only
         * @return this builder
         * @throws IllegalArgumentException for another scope
         */
        public Builder postLogin(Path program, int scope) {
            return program(program, loginEvents(scope));
        }

        /**
         * SFTPGo's post-login hook as a URL, for successful and failed logins.
         *
         * @param url the URL
         * @return this builder
         * @see #postLogin(URI, int)
         */
        public Builder postLogin(URI url) {
            return postLogin(url, 0);
        }

        /**
         * SFTPGo's post-login hook as a URL: a POST of the user as JSON to
         * {@code URL?login_method=...&ip=...&protocol=...&status=1}.
         *
         * @param url the URL
         * @param scope SFTPGo's {@code post_login_scope}: 0 every login, 1 failed logins only, 2 successful only
         * @return this builder
         * @throws IllegalArgumentException for another scope
         */
        public Builder postLogin(URI url, int scope) {
            return http(url, loginEvents(scope));
        }

        private static String[] loginEvents(int scope) {
            switch (scope) {
                case 0:
                    return new String[] {Events.AUTH_SUCCESS.name(), Events.AUTH_FAIL.name()};
                case 1:
                    return new String[] {Events.AUTH_FAIL.name()};
                case 2:
                    return new String[] {Events.AUTH_SUCCESS.name()};
                default:
                    throw new IllegalArgumentException("post_login_scope is 0 (all), 1 (failed) or 2 (successful), not "
                            + scope);
            }
        }

        /**
         * SFTPGo's post-disconnect hook as a program: it reads {@code SFTPGO_CONNECTION_IP},
         * {@code SFTPGO_CONNECTION_PROTOCOL}, {@code SFTPGO_CONNECTION_USERNAME} and
         * {@code SFTPGO_CONNECTION_DURATION} (milliseconds).
         *
         * @param program the absolute path of the program
         * @return this builder
         */
        public Builder postDisconnect(Path program) {
            return program(program, Events.CONNECTION_CLOSED.name());
        }

        /**
         * SFTPGo's post-disconnect hook as a URL: a GET with {@code ip}, {@code protocol}, {@code username}
         * and {@code connection_duration}.
         *
         * @param url the URL
         * @return this builder
         */
        public Builder postDisconnect(URI url) {
            return http(url, Events.CONNECTION_CLOSED.name());
        }

        /**
         * Sets how long a program may run, or an HTTP request may take, before it counts as failed (a program
         * is then killed with everything it started).
         *
         * @param limit the limit
         * @return this builder
         */
        public Builder timeout(Duration limit) {
            this.timeout = positive(limit, "timeout");
            return this;
        }

        /**
         * Sets how many times an HTTP hook is tried again after no answer or a server error (5xx, 408, 429);
         * programs run once.
         *
         * @param times the retries, 0 for none
         * @return this builder
         */
        public Builder retries(int times) {
            if (times < 0) {
                throw new IllegalArgumentException("retries must be 0 or more, not " + times);
            }
            this.retries = times;
            return this;
        }

        /**
         * Sets the wait before the first HTTP retry; each further wait doubles, up to a minute.
         *
         * @param first the first wait
         * @return this builder
         */
        public Builder backoff(Duration first) {
            this.backoff = positive(first, "backoff");
            return this;
        }

        /**
         * Sets how often the outbox is swept for notifications still undelivered (after their retries, or
         * because the delivery queue was full).
         *
         * @param interval the interval
         * @return this builder
         */
        public Builder retryInterval(Duration interval) {
            this.retryInterval = positive(interval, "retryInterval");
            return this;
        }

        /**
         * Sets how long an undelivered notification is kept in the outbox before it is given up.
         *
         * @param age the longest age
         * @return this builder
         */
        public Builder keepFor(Duration age) {
            this.keepFor = positive(age, "keepFor");
            return this;
        }

        /**
         * Sets the size of the delivery pool and of its queue; past the queue, notifications wait in the
         * outbox for the next sweep.
         *
         * @param threads delivery threads
         * @param queued notifications waiting for a thread
         * @return this builder
         */
        public Builder workers(int threads, int queued) {
            if (threads <= 0 || queued <= 0) {
                throw new IllegalArgumentException("workers and queue must be positive");
            }
            this.workers = threads;
            this.queueLimit = queued;
            return this;
        }

        /**
         * Runs the hooks of these post-events in the event's flow, like SFTPGo's {@code execute_sync}: the
         * client waits for them, and a failing hook of a refusable event ({@code upload}) refuses it, which
         * removes the uploaded file. Synchronous hooks do not use the outbox. {@code pre-*} events are always
         * synchronous.
         *
         * @param events event names or aliases
         * @return this builder
         */
        public Builder sync(String... events) {
            for (String name : events) {
                sync.add(resolve(name));
            }
            return this;
        }

        /** @return the hooks, ready for {@code Termlet.server().extension(...)} */
        public Hooks build() {
            return new Hooks(this);
        }

        private Builder bind(HookTarget target, String... events) {
            if (events.length == 0) {
                throw new IllegalArgumentException("hook " + target.describe() + " names no event");
            }
            Set<EventType> types = bindings.computeIfAbsent(target, t -> new LinkedHashSet<>());
            Map<EventType, java.util.function.Predicate<Object[]>> only =
                    narrowed.computeIfAbsent(target, t -> new LinkedHashMap<>());
            for (String name : events) {
                EventType type = resolve(name);
                // a narrowing alias (AfterRenameDir) binds part of its event, unless the whole is bound too
                java.util.function.Predicate<Object[]> part = type.aliasFilter(name);
                if (types.add(type)) {
                    if (part != null) {
                        only.put(type, part);
                    }
                } else if (only.containsKey(type)) {
                    if (part == null) {
                        only.remove(type);
                    } else {
                        only.put(type, only.get(type).or(part));
                    }
                }
                // SFTPGo reports a failed transfer as the action itself, with an error status, and a write into
                // an existing file (Termlet's pre-modify and modify) as an upload
                if (type.equals(FileEvents.UPLOAD)) {
                    types.add(FileEvents.UPLOAD_FAILED);
                    types.add(FileEvents.MODIFY);
                } else if (type.equals(FileEvents.PRE_UPLOAD)) {
                    types.add(FileEvents.PRE_MODIFY);
                } else if (type.equals(FileEvents.DOWNLOAD)) {
                    types.add(FileEvents.DOWNLOAD_FAILED);
                }
            }
            return this;
        }

        private EventType resolve(String name) {
            Objects.requireNonNull(name, "event name");
            return registry.find(name).orElseThrow(() -> new IllegalArgumentException("unknown event '" + name + "'"
                    + registry.suggest(name).map(s -> "; did you mean '" + s + "'?").orElse("")));
        }
    }
}
