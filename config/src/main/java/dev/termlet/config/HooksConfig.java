package dev.termlet.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * SFTPGo-style hooks (termlet-fileops' {@code Hooks}): programs and HTTP endpoints told of events, the connection,
 * login and account hooks, and the authentication hooks.
 *
 * @param programs programs run on events
 * @param http HTTP endpoints told of events
 * @param postConnect SFTPGo's post-connect hook
 * @param postDisconnect SFTPGo's post-disconnect hook
 * @param postLogin SFTPGo's post-login hook
 * @param userActions SFTPGo's user actions
 * @param providerActions SFTPGo's data-provider actions
 * @param timeout the time limit of one run or request
 * @param retries HTTP retries
 * @param backoff the first retry's wait
 * @param retryInterval how often the outbox is swept
 * @param keepFor how long an undelivered notification is kept
 * @param workers delivery threads
 * @param queued notifications waiting for a thread
 * @param sync post-events whose hooks run in the event's flow
 * @param externalAuth SFTPGo's external authentication hook
 * @param preLogin SFTPGo's pre-login hook
 * @param checkPassword SFTPGo's check-password hook
 * @param keyboardInteractive SFTPGo's keyboard-interactive authentication hook
 */
public record HooksConfig(
        @ConfigKey(value = "programs (absolute paths) run on events, with SFTPGo's arguments and variables", dflt = "[]")
        List<Program> programs,
        @ConfigKey(value = "HTTP endpoints that get a POST of SFTPGo's JSON on events", dflt = "[]")
        List<Http> http,
        @ConfigKey("SFTPGo's post-connect hook (event new-connection)")
        Target postConnect,
        @ConfigKey("SFTPGo's post-disconnect hook (event connection-closed)")
        Target postDisconnect,
        @ConfigKey("SFTPGo's post-login hook (events auth-success, auth-fail)")
        PostLogin postLogin,
        @ConfigKey("SFTPGo's user actions, SFTPGO_USER_ACTION (events account-add, -update, -delete)")
        Target userActions,
        @ConfigKey("SFTPGo's data-provider actions, SFTPGO_PROVIDER_* (events account-add, -update, -delete)")
        Target providerActions,
        @ConfigKey(value = "the time limit of one program run or HTTP request", dflt = "30s")
        Duration timeout,
        @ConfigKey(value = "HTTP retries after no answer, 5xx, 408 or 429", dflt = "3", min = 0, max = 100)
        int retries,
        @ConfigKey(value = "the wait before the first retry; it doubles each time, up to a minute", dflt = "1s")
        Duration backoff,
        @ConfigKey(value = "how often the outbox is swept for undelivered notifications", dflt = "1m")
        Duration retryInterval,
        @ConfigKey(value = "how long an undelivered notification is kept before it is given up", dflt = "1d")
        Duration keepFor,
        @ConfigKey(value = "delivery threads", dflt = "4", min = 1, max = 1000)
        int workers,
        @ConfigKey(value = "notifications waiting for a delivery thread", dflt = "1000", min = 1, max = Integer.MAX_VALUE)
        int queued,
        @ConfigKey(value = "post-events whose hooks run in the event's flow (SFTPGo's execute_sync)", dflt = "[]")
        List<String> sync,
        @ConfigKey("SFTPGo's external authentication hook; decides logins")
        ExternalAuth externalAuth,
        @ConfigKey("SFTPGo's pre-login hook; may create or change the user before each login")
        AuthHook preLogin,
        @ConfigKey("SFTPGo's check-password hook, for password logins of stored users")
        AuthHook checkPassword,
        @ConfigKey("SFTPGo's keyboard-interactive authentication hook; asks the questions and decides (default time limit 60s)")
        AuthHook keyboardInteractive) {

    /**
     * A program run on events.
     *
     * @param path the program
     * @param events the events
     */
    public record Program(
            @ConfigKey("the program's absolute path")
            Path path,
            @ConfigKey("event names or aliases: upload, pre-delete, ssh_cmd, BeforeFileUpload, ...")
            List<String> events) {}

    /**
     * An HTTP endpoint told of events.
     *
     * @param url the endpoint
     * @param events the events
     */
    public record Http(
            @ConfigKey(value = "an http or https URL", mayHoldSecret = true)
            String url,
            @ConfigKey("event names or aliases")
            List<String> events) {}

    /**
     * Where a hook goes: a program or a URL, one of them.
     *
     * @param program an absolute path
     * @param url an http or https URL
     */
    public record Target(
            @ConfigKey("a program's absolute path (give program or url)")
            Path program,
            @ConfigKey(value = "an http or https URL (give program or url)", mayHoldSecret = true)
            String url) {}

    /**
     * The post-login hook.
     *
     * @param program an absolute path
     * @param url an http or https URL
     * @param scope SFTPGo's {@code post_login_scope}
     */
    public record PostLogin(
            @ConfigKey("a program's absolute path (give program or url)")
            Path program,
            @ConfigKey(value = "an http or https URL (give program or url)", mayHoldSecret = true)
            String url,
            @ConfigKey(value = "SFTPGo's post_login_scope: 0 every login, 1 failed ones, 2 successful ones", dflt = "0", min = 0, max = 2)
            int scope) {}

    /**
     * An authentication hook.
     *
     * @param program an absolute path
     * @param url an http or https URL
     * @param timeout its time limit
     */
    public record AuthHook(
            @ConfigKey("a program's absolute path (give program or url)")
            Path program,
            @ConfigKey(value = "an http or https URL (give program or url)", mayHoldSecret = true)
            String url,
            @ConfigKey("the hook's time limit; unset: 30s (keyboard-interactive: 60s for the whole attempt)")
            Duration timeout) {}

    /**
     * The external authentication hook.
     *
     * @param program an absolute path
     * @param url an http or https URL
     * @param timeout its time limit
     * @param scope SFTPGo's {@code external_auth_scope}
     */
    public record ExternalAuth(
            @ConfigKey("a program's absolute path (give program or url)")
            Path program,
            @ConfigKey(value = "an http or https URL (give program or url)", mayHoldSecret = true)
            String url,
            @ConfigKey("the hook's time limit; unset: 30s")
            Duration timeout,
            @ConfigKey(value = "SFTPGo's external_auth_scope: 0 every method, else the sum of 1 password, 2 public key, 4 keyboard-interactive", dflt = "0", min = 0, max = 15)
            int scope) {}
}
