package dev.termlet.fileops.internal.hooks;

import dev.termlet.fileops.FileEvent;
import dev.termlet.fileops.FileEvents;
import dev.termlet.fileops.FileOperation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.termlet.AuthRequest;
import dev.termlet.Client;
import dev.termlet.auth.Account;
import dev.termlet.event.ConnectionClosed;
import dev.termlet.event.EventType;
import dev.termlet.event.Events;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Renders an event the way SFTPGo hands it to its hooks: custom actions (arguments, {@code SFTPGO_ACTION_*}
 * variables, the JSON notification), the post-connect and post-disconnect hooks ({@code SFTPGO_CONNECTION_*}
 * variables, an HTTP GET with query parameters).
 */
public final class SftpgoForms {
    /** The JSON mapper of the hook forms. */
    public static final ObjectMapper JSON = new ObjectMapper();

    private SftpgoForms() {}

    /**
     * SFTPGo's action name for a Termlet event: {@code ssh-cmd} is {@code ssh_cmd}, a failed upload or
     * download is an {@code upload} or {@code download} with an error status, a write into an existing file
     * ({@code pre-modify}, {@code modify}) is a {@code pre-upload} or {@code upload}, as SFTPGo reports it; other
     * names stay as they are.
     *
     * @param type the event
     * @return the action name
     */
    public static String actionName(EventType type) {
        java.util.Optional<FileOperation> op = FileOperation.of(type);
        if (op.isPresent() && op.get().sftpgoAction() != null) {
            String action = op.get().sftpgoAction();
            return type.equals(op.get().before()) ? "pre-" + action : action;
        }
        return type.name();
    }

    /**
     * Renders one occurrence for one hook.
     *
     * @param target the hook
     * @param type the event
     * @param values the event's values
     * @param now when it happened
     * @return the call
     */
    public static HookCall render(HookTarget target, EventType type, Object[] values, Instant now) {
        return render(target, type, values, now, null);
    }

    /**
     * Renders one occurrence for one hook.
     *
     * @param target the hook
     * @param type the event
     * @param values the event's values
     * @param now when it happened
     * @param homes where users' homes are, for the {@code home_dir} of user actions, or null
     * @return the call
     */
    public static HookCall render(HookTarget target, EventType type, Object[] values, Instant now, java.nio.file.Path homes) {
        return render(target, type, values, now, homes, NO_ACCOUNTS);
    }

    /**
     * Renders one occurrence for one hook.
     *
     * @param target the hook
     * @param type the event
     * @param values the event's values
     * @param now when it happened
     * @param homes where users' homes are, or null
     * @param accounts finds an account by name, for the user JSON of logins
     * @return the call
     */
    public static HookCall render(HookTarget target, EventType type, Object[] values, Instant now, java.nio.file.Path homes,
            Function<String, Optional<Account>> accounts) {
        return render(target, type, now.toEpochMilli(), capture(type, values, now, homes, accounts));
    }

    /** No account store: logins report only the user name. */
    static final Function<String, Optional<Account>> NO_ACCOUNTS = name -> Optional.empty();

    /**
     * The data of one occurrence, as the hook outbox keeps it: only the event's own values (user, paths, size,
     * status, address, ...), under fixed keys that depend on the kind of event (see {@link #keys}). It holds no
     * program, URL, argument list or environment: {@link #render(HookTarget, EventType, long, Map)} builds those
     * from the configured hook.
     *
     * @param type the event
     * @param values the event's values
     * @param now when it happened
     * @param homes where users' homes are, for the {@code home_dir} of user actions, or null
     * @return the data, keyed as {@link #keys} says
     */
    public static Map<String, String> capture(EventType type, Object[] values, Instant now, java.nio.file.Path homes) {
        return capture(type, values, now, homes, NO_ACCOUNTS);
    }

    /**
     * The data of one occurrence, as {@link #capture(EventType, Object[], Instant, java.nio.file.Path)} says, with
     * the account of a login looked up for its user JSON.
     *
     * @param type the event
     * @param values the event's values
     * @param now when it happened
     * @param homes where users' homes are, or null
     * @param accounts finds an account by name
     * @return the data, keyed as {@link #keys} says
     */
    public static Map<String, String> capture(EventType type, Object[] values, Instant now, java.nio.file.Path homes,
            Function<String, Optional<Account>> accounts) {
        if (isLogin(type)) {
            return loginData(type, values, homes, accounts);
        }
        if (isConnection(type)) {
            return connectionData(type, values);
        }
        if (isUser(type)) {
            return userData(values, homes);
        }
        return actionData(type, values, now);
    }

    /**
     * Builds the call of one hook from an occurrence's data: the program, URL and the form (arguments,
     * environment, JSON) come from the hook and from the event type, never from the data.
     *
     * @param target the configured hook
     * @param type the event
     * @param createdMillis when it happened, milliseconds since the epoch
     * @param data what {@link #capture} gave
     * @return the call
     * @throws IllegalArgumentException if the data is not exactly that of this kind of event (other keys, missing
     *     keys, a number that is not one)
     */
    public static HookCall render(HookTarget target, EventType type, long createdMillis, Map<String, String> data) {
        Set<String> expected = keys(type);
        if (data == null || !data.keySet().equals(expected)
                || data.values().stream().anyMatch(java.util.Objects::isNull)) {
            throw new IllegalArgumentException("not the data of a '" + type.name() + "' event");
        }
        if (isLogin(type)) {
            return login(target, type, createdMillis, data);
        }
        if (isConnection(type)) {
            return connection(target, type, createdMillis, data);
        }
        if (isUser(type)) {
            return user(target, type, createdMillis, data);
        }
        return action(target, type, createdMillis, data);
    }

    /**
     * The keys of an occurrence's data for one kind of event.
     *
     * @param type the event
     * @return the keys
     */
    static Set<String> keys(EventType type) {
        return isLogin(type) ? LOGIN_KEYS : isConnection(type) ? CONNECTION_KEYS : isUser(type) ? USER_KEYS
                : ACTION_KEYS;
    }

    private static final Set<String> ACTION_KEYS = Set.of("username", "path", "target_path", "virtual_path",
            "virtual_target_path", "ssh_cmd", "file_size", "elapsed", "status", "protocol", "ip", "session_id",
            "open_flags", "timestamp");
    private static final Set<String> CONNECTION_KEYS = Set.of("ip", "protocol", "username", "connection_duration");
    private static final Set<String> USER_KEYS = Set.of("username", "status", "home_dir", "user");
    private static final Set<String> LOGIN_KEYS = Set.of("ip", "method", "status", "protocol", "user");

    private static boolean isLogin(EventType type) {
        return type.equals(Events.AUTH_SUCCESS) || type.equals(Events.AUTH_FAIL);
    }

    private static boolean isConnection(EventType type) {
        return type.equals(Events.NEW_CONNECTION) || type.equals(Events.CONNECTION_CLOSED);
    }

    private static boolean isUser(EventType type) {
        return type.equals(Events.ACCOUNT_ADD) || type.equals(Events.ACCOUNT_UPDATE) || type.equals(Events.ACCOUNT_DELETE);
    }

    // ---- user actions ----

    private static Map<String, String> userData(Object[] values, java.nio.file.Path homes) {
        Account a = values.length > 0 && values[0] instanceof Account ? (Account) values[0] : null;
        String name = a == null ? "" : a.name();
        String home = homes == null || name.isEmpty() ? "" : homes.resolve(name).toString();
        Map<String, String> data = new LinkedHashMap<>();
        data.put("username", name);
        data.put("status", a != null && a.enabled() ? "1" : "0");
        data.put("home_dir", home);
        data.put("user", toJson(userJson(a, name, homes)));
        return data;
    }

    /**
     * An account as SFTPGo's user JSON, without password hash or keys. Termlet accounts have no id: an existing
     * account gets a positive number derived from its name, and no account gets SFTPGo's {@code id} 0 ("the user
     * does not exist", which pre-login scripts test) with only its name. The account's {@code role} and its
     * {@code description}, {@code additional_info} and {@code email} metadata are included when set.
     */
    static Map<String, Object> userJson(Account a, String name, java.nio.file.Path homes) {
        String home = homes == null || name.isEmpty() || a == null ? "" : homes.resolve(name).toString();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", a == null ? 0 : 1 + (name.hashCode() & 0x3fffffff));
        json.put("status", a != null && a.enabled() ? 1 : 0);
        json.put("username", name);
        json.put("expiration_date", 0);
        json.put("home_dir", home);
        json.put("uid", 0);
        json.put("gid", 0);
        Map<String, List<String>> perms = new LinkedHashMap<>();
        if (a != null) {
            if (a.filePermissions().isEmpty()) {
                perms.put("/", List.of("*"));
            }
            a.filePermissions().forEach((dir, set) -> perms.put(dir, set.stream().sorted()
                    .map(dev.termlet.auth.FilePermission::wireName).collect(java.util.stream.Collectors.toList())));
        }
        json.put("permissions", perms);
        json.put("quota_size", a == null ? 0 : a.quotaBytes());
        json.put("quota_files", a == null ? 0 : a.quotaFiles());
        if (a != null) {
            // SFTPGo leaves these out when empty
            for (String key : SftpgoUsers.METADATA) {
                String text = a.metadata().get(key);
                if (text != null) {
                    json.put(key, text);
                }
            }
            a.role().ifPresent(r -> json.put("role", r));
        }
        return json;
    }

    // ---- post-login ----

    private static Map<String, String> loginData(EventType type, Object[] values, java.nio.file.Path homes,
            Function<String, Optional<Account>> accounts) {
        AuthRequest r = null;
        for (Object v : values) {
            if (v instanceof AuthRequest) {
                r = (AuthRequest) v;
            }
        }
        String name = r == null ? "" : r.user();
        Account a = null;
        try {
            a = name.isEmpty() || !Account.validName(name) ? null : accounts.apply(name).orElse(null);
        } catch (RuntimeException e) {
            // the store cannot be read: the login is still reported, with only the name
        }
        Map<String, String> data = new LinkedHashMap<>();
        data.put("ip", r == null ? "" : ip(r.remoteAddress()));
        data.put("method", r == null ? "" : r.method().wireName());
        data.put("status", type.equals(Events.AUTH_SUCCESS) ? "1" : "0");
        data.put("protocol", r == null ? "SSH" : protocol(r.protocol()));
        data.put("user", toJson(userJson(a, name, homes)));
        return data;
    }

    /**
     * The user JSON of a login or user action, checked: a status of 0 or 1 and a JSON object.
     *
     * @throws IllegalArgumentException for anything else
     */
    private static String checkedUser(Map<String, String> data) {
        String status = data.get("status");
        if (!status.equals("0") && !status.equals("1")) {
            throw new IllegalArgumentException("status is 0 or 1");
        }
        String body = data.get("user");
        try {
            if (!JSON.readTree(body).isObject()) {
                throw new IllegalArgumentException("the user is not a JSON object");
            }
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the user is not JSON", e);
        }
        return body;
    }

    /**
     * SFTPGo's post-login hook: a program gets {@code SFTPGO_LOGIND_USER} (the user as JSON),
     * {@code SFTPGO_LOGIND_IP}, {@code SFTPGO_LOGIND_METHOD}, {@code SFTPGO_LOGIND_STATUS} (1 ok, 0 failed) and
     * {@code SFTPGO_LOGIND_PROTOCOL}; a URL gets a POST of the user JSON to
     * {@code URL?login_method=&ip=&protocol=&status=}.
     */
    private static HookCall login(HookTarget target, EventType type, long createdMillis, Map<String, String> data) {
        String status = data.get("status");
        String body = checkedUser(data);
        if (target.isProgram()) {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("SFTPGO_LOGIND_USER", body);
            env.put("SFTPGO_LOGIND_IP", data.get("ip"));
            env.put("SFTPGO_LOGIND_METHOD", data.get("method"));
            env.put("SFTPGO_LOGIND_STATUS", status);
            env.put("SFTPGO_LOGIND_PROTOCOL", data.get("protocol"));
            return new HookCall(target.id(), "post-login", createdMillis, List.of(), env, null, null, null);
        }
        Map<String, String> query = new LinkedHashMap<>();
        query.put("login_method", data.get("method"));
        query.put("ip", data.get("ip"));
        query.put("protocol", data.get("protocol"));
        query.put("status", status);
        return new HookCall(target.id(), "post-login", createdMillis, null, null, "POST",
                withQuery(target.url().toString(), query), body);
    }

    /**
     * SFTPGo's user actions: a program gets {@code action username ID status expiration_date home_dir uid gid}
     * and {@code SFTPGO_USER_ACTION}, {@code SFTPGO_USER}; a URL gets a POST to {@code URL?action=ACTION}. The
     * user JSON holds no password hash and no keys.
     */
    private static HookCall user(HookTarget target, EventType type, long createdMillis, Map<String, String> data) {
        String action = type.equals(Events.ACCOUNT_ADD) ? "add" : type.equals(Events.ACCOUNT_UPDATE) ? "update"
                : "delete";
        String status = data.get("status");
        String body = checkedUser(data);
        if (target.provider()) {
            return provider(target, action, createdMillis, data.get("username"), body);
        }
        if (target.isProgram()) {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("SFTPGO_USER_ACTION", action);
            env.put("SFTPGO_USER", body);
            return new HookCall(target.id(), "user-" + action, createdMillis, List.of(action, data.get("username"), "0",
                    status, "0", data.get("home_dir"), "0", "0"), env, null, null, null);
        }
        return new HookCall(target.id(), "user-" + action, createdMillis, null, null, "POST",
                withQuery(target.url().toString(), Map.of("action", action)), body);
    }

    /**
     * SFTPGo's current data-provider actions for a user: a program gets {@code SFTPGO_PROVIDER_ACTION},
     * {@code SFTPGO_PROVIDER_OBJECT_TYPE} ({@code user}), {@code SFTPGO_PROVIDER_OBJECT_NAME},
     * {@code SFTPGO_PROVIDER_USERNAME} ({@code __system__}: Termlet does not know who made the change),
     * {@code SFTPGO_PROVIDER_IP}, {@code SFTPGO_PROVIDER_ROLE} (the user's role, or empty),
     * {@code SFTPGO_PROVIDER_TIMESTAMP} (nanoseconds) and {@code SFTPGO_PROVIDER_OBJECT}; a URL gets a POST of the
     * object to {@code URL?action=&username=&ip=&object_type=&object_name=&timestamp=} (and {@code role=} if set).
     */
    private static HookCall provider(HookTarget target, String action, long createdMillis, String name, String body) {
        String timestamp = Long.toString(createdMillis * 1_000_000L);
        if (target.isProgram()) {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("SFTPGO_PROVIDER_ACTION", action);
            env.put("SFTPGO_PROVIDER_OBJECT_TYPE", "user");
            env.put("SFTPGO_PROVIDER_OBJECT_NAME", name);
            env.put("SFTPGO_PROVIDER_USERNAME", SYSTEM);
            env.put("SFTPGO_PROVIDER_IP", "");
            env.put("SFTPGO_PROVIDER_ROLE", role(body));
            env.put("SFTPGO_PROVIDER_TIMESTAMP", timestamp);
            env.put("SFTPGO_PROVIDER_OBJECT", body);
            return new HookCall(target.id(), "provider-" + action, createdMillis, List.of(), env, null, null, null);
        }
        Map<String, String> query = new LinkedHashMap<>();
        query.put("action", action);
        query.put("username", SYSTEM);
        query.put("ip", "");
        query.put("object_type", "user");
        query.put("object_name", name);
        if (!role(body).isEmpty()) {
            query.put("role", role(body)); // SFTPGo adds it only when there is one
        }
        query.put("timestamp", timestamp);
        return new HookCall(target.id(), "provider-" + action, createdMillis, null, null, "POST",
                withQuery(target.url().toString(), query), body);
    }

    /** @return the {@code role} of a user JSON, or empty */
    private static String role(String userJson) {
        try {
            return JSON.readTree(userJson).path("role").asText("");
        } catch (JsonProcessingException e) {
            return "";
        }
    }

    /** SFTPGo's name for a change with no known executor. */
    private static final String SYSTEM = "__system__";

    // ---- custom actions ----

    private static Map<String, String> actionData(EventType type, Object[] values, Instant now) {
        String user = "";
        String path = "";
        String realTarget = "";
        String virtualPath = "";
        String virtualTarget = "";
        String sshCmd = "";
        long size = 0;
        long elapsed = 0;
        int status = FileEvent.OK;
        String protocol = "SSH";
        String ip = "";
        String sessionId = "";
        int openFlags = 0;
        for (Object v : values) {
            if (v instanceof FileEvent) {
                FileEvent e = (FileEvent) v;
                user = nz(e.user());
                path = e.realPath() == null ? "" : e.realPath().toString();
                realTarget = e.realTarget() == null ? "" : e.realTarget().toString();
                virtualPath = nz(e.path());
                virtualTarget = nz(e.target());
                size = Math.max(0, e.size());
                elapsed = e.elapsed() == null ? 0 : e.elapsed().toMillis();
                status = e.status();
                protocol = e.protocol() == null ? "SSH" : e.protocol().name();
                ip = ip(e.remoteAddress());
                sessionId = nz(e.sessionId());
                openFlags = openFlags(e.openFlags());
            } else if (v instanceof AuthRequest) {
                AuthRequest r = (AuthRequest) v;
                user = r.user();
                ip = ip(r.remoteAddress());
                sessionId = nz(r.connectionId());
            } else if (v instanceof Client) {
                Client c = (Client) v;
                user = nz(c.user());
                ip = ip(c.remoteAddress());
                sessionId = nz(c.sessionId());
            } else if (v instanceof SocketAddress && ip.isEmpty()) {
                ip = ip((SocketAddress) v);
            } else if (v instanceof String && type.equals(FileEvents.SSH_CMD)) {
                sshCmd = (String) v;
            }
        }
        Map<String, String> data = new LinkedHashMap<>();
        data.put("username", nz(user));
        data.put("path", path);
        data.put("target_path", realTarget);
        data.put("virtual_path", virtualPath);
        data.put("virtual_target_path", virtualTarget);
        data.put("ssh_cmd", sshCmd);
        data.put("file_size", Long.toString(size));
        data.put("elapsed", Long.toString(elapsed));
        data.put("status", Integer.toString(status));
        data.put("protocol", protocol(protocol));
        data.put("ip", ip);
        data.put("session_id", sessionId);
        data.put("open_flags", Integer.toString(openFlags));
        data.put("timestamp", Long.toString(nanos(now)));
        return data;
    }

    private static HookCall action(HookTarget target, EventType type, long createdMillis, Map<String, String> data) {
        String action = actionName(type);
        String user = data.get("username");
        String path = data.get("path");
        String realTarget = data.get("target_path");
        String virtualPath = data.get("virtual_path");
        String virtualTarget = data.get("virtual_target_path");
        String sshCmd = data.get("ssh_cmd");
        long size = Math.max(0, Long.parseLong(data.get("file_size")));
        long elapsed = Math.max(0, Long.parseLong(data.get("elapsed")));
        int status = Integer.parseInt(data.get("status"));
        String protocol = data.get("protocol");
        String ip = data.get("ip");
        String sessionId = data.get("session_id");
        int openFlags = Integer.parseInt(data.get("open_flags"));
        long timestamp = Long.parseLong(data.get("timestamp"));
        if (target.isProgram()) {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("SFTPGO_ACTION", action);
            env.put("SFTPGO_ACTION_USERNAME", user);
            env.put("SFTPGO_ACTION_PATH", path);
            env.put("SFTPGO_ACTION_TARGET", realTarget);
            env.put("SFTPGO_ACTION_VIRTUAL_PATH", virtualPath);
            env.put("SFTPGO_ACTION_VIRTUAL_TARGET", virtualTarget);
            env.put("SFTPGO_ACTION_SSH_CMD", sshCmd);
            env.put("SFTPGO_ACTION_FILE_SIZE", Long.toString(size));
            env.put("SFTPGO_ACTION_ELAPSED", Long.toString(elapsed));
            env.put("SFTPGO_ACTION_FS_PROVIDER", "0");
            env.put("SFTPGO_ACTION_BUCKET", "");
            env.put("SFTPGO_ACTION_ENDPOINT", "");
            env.put("SFTPGO_ACTION_STATUS", Integer.toString(status));
            env.put("SFTPGO_ACTION_PROTOCOL", protocol);
            env.put("SFTPGO_ACTION_IP", ip);
            env.put("SFTPGO_ACTION_SESSION_ID", sessionId);
            env.put("SFTPGO_ACTION_OPEN_FLAGS", Integer.toString(openFlags));
            env.put("SFTPGO_ACTION_ROLE", "");
            env.put("SFTPGO_ACTION_TIMESTAMP", Long.toString(timestamp));
            // SFTPGo 1.x passed these as arguments; scripts written for it still read $1..$5
            List<String> args = List.of(action, user, path, realTarget, sshCmd);
            return new HookCall(target.id(), action, createdMillis, args, env, null, null, null);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("action", action);
        json.put("username", user);
        json.put("path", path);
        if (!realTarget.isEmpty()) {
            json.put("target_path", realTarget);
        }
        json.put("virtual_path", virtualPath);
        if (!virtualTarget.isEmpty()) {
            json.put("virtual_target_path", virtualTarget);
        }
        if (!sshCmd.isEmpty()) {
            json.put("ssh_cmd", sshCmd);
        }
        if (size > 0) {
            json.put("file_size", size);
        }
        json.put("elapsed", elapsed);
        json.put("fs_provider", 0);
        json.put("status", status);
        json.put("protocol", protocol);
        json.put("ip", ip);
        json.put("session_id", sessionId);
        json.put("timestamp", timestamp);
        if (openFlags != 0) {
            json.put("open_flags", openFlags);
        }
        return new HookCall(target.id(), action, createdMillis, null, null, "POST", target.url().toString(),
                toJson(json));
    }

    // ---- post-connect and post-disconnect ----

    private static Map<String, String> connectionData(EventType type, Object[] values) {
        boolean closed = type.equals(Events.CONNECTION_CLOSED);
        String ip = "";
        String user = "";
        long millis = 0;
        String protocol = "SSH";
        if (closed && values.length > 0 && values[0] instanceof ConnectionClosed) {
            ConnectionClosed c = (ConnectionClosed) values[0];
            ip = c.address() == null ? "" : ip(c.address());
            user = c.user() == null ? "" : c.user();
            millis = c.duration() == null ? 0 : c.duration().toMillis();
            protocol = c.protocol() == null ? "SSH" : c.protocol();
        }
        if (!closed && values.length > 0 && values[0] instanceof InetSocketAddress) {
            ip = ip((InetSocketAddress) values[0]);
        }
        if (!closed && values.length > 1 && values[1] instanceof String) {
            ip = (String) values[1];
        }
        if (!closed && values.length > 2 && values[2] instanceof dev.termlet.event.ConnectionOpened) {
            String p = ((dev.termlet.event.ConnectionOpened) values[2]).protocol();
            protocol = p == null ? "SSH" : p;
        }
        Map<String, String> data = new LinkedHashMap<>();
        data.put("ip", ip);
        data.put("protocol", protocol(protocol));
        data.put("username", user);
        data.put("connection_duration", Long.toString(millis));
        return data;
    }

    private static HookCall connection(HookTarget target, EventType type, long createdMillis,
            Map<String, String> data) {
        boolean closed = type.equals(Events.CONNECTION_CLOSED);
        String ip = data.get("ip");
        String protocol = data.get("protocol");
        String user = data.get("username");
        String millis = Long.toString(Long.parseLong(data.get("connection_duration")));
        String name = closed ? "post-disconnect" : "post-connect";
        if (target.isProgram()) {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("SFTPGO_CONNECTION_IP", ip);
            env.put("SFTPGO_CONNECTION_PROTOCOL", protocol);
            if (closed) {
                env.put("SFTPGO_CONNECTION_USERNAME", user);
                env.put("SFTPGO_CONNECTION_DURATION", millis);
            }
            return new HookCall(target.id(), name, createdMillis, List.of(), env, null, null, null);
        }
        Map<String, String> query = new LinkedHashMap<>();
        query.put("ip", ip);
        query.put("protocol", protocol);
        if (closed) {
            query.put("username", user);
            query.put("connection_duration", millis);
        }
        return new HookCall(target.id(), name, createdMillis, null, null, "GET",
                withQuery(target.url().toString(), query), null);
    }

    // ---- helpers ----

    static String withQuery(String url, Map<String, String> params) {
        StringBuilder sb = new StringBuilder(url);
        int hash = url.indexOf('#');
        if (hash >= 0) {
            sb.setLength(hash);
        }
        char sep = sb.indexOf("?") >= 0 ? '&' : '?';
        for (Map.Entry<String, String> p : params.entrySet()) {
            sb.append(sep).append(URLEncoder.encode(p.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8));
            sep = '&';
        }
        return sb.toString();
    }

    /**
     * A protocol as SFTPGo names it: WebDAV is {@code DAV}; the others (SSH, SFTP, SCP, FTP, HTTP) are the same.
     *
     * @param termlet Termlet's name
     * @return SFTPGo's
     */
    public static String protocol(String termlet) {
        return "WEBDAV".equals(termlet) ? "DAV" : termlet;
    }

    /**
     * Linux open(2) flags, as SFTPGo reports Go's {@code os.O_*} values, from {@link FileEvent#openFlags()}.
     * {@code 512} is {@code O_TRUNC}, the bit SFTPGo's documentation tells scripts to test.
     *
     * @param flags the flags as text, or null
     * @return the flags as a number
     */
    public static int openFlags(String flags) {
        if (flags == null || flags.isEmpty()) {
            return 0;
        }
        List<String> f = List.of(flags.split(","));
        boolean read = f.contains("READ");
        boolean write = f.contains("WRITE") || f.contains("APPEND");
        int n = write ? (read ? 2 : 1) : 0;
        if (f.contains("APPEND")) {
            n |= 0x400;
        }
        if (f.contains("CREATE") || f.contains("CREATE_NEW")) {
            n |= 0x40;
        }
        if (f.contains("CREATE_NEW")) {
            n |= 0x80;
        }
        if (f.contains("TRUNCATE_EXISTING")) {
            n |= 0x200;
        }
        if (f.contains("SYNC") || f.contains("DSYNC")) {
            n |= 0x101000;
        }
        return n;
    }

    static String ip(SocketAddress address) {
        if (address instanceof InetSocketAddress) {
            InetSocketAddress a = (InetSocketAddress) address;
            return a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
        }
        return address == null ? "" : address.toString();
    }

    static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
