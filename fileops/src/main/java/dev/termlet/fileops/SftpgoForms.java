package dev.termlet.fileops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.termlet.AuthRequest;
import dev.termlet.Client;
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

/**
 * Renders an event the way SFTPGo hands it to its hooks: custom actions (arguments, {@code SFTPGO_ACTION_*}
 * variables, the JSON notification), the post-connect and post-disconnect hooks ({@code SFTPGO_CONNECTION_*}
 * variables, an HTTP GET with query parameters).
 */
final class SftpgoForms {
    static final ObjectMapper JSON = new ObjectMapper();

    private SftpgoForms() {}

    /**
     * SFTPGo's action name for a Termlet event: {@code ssh-cmd} is {@code ssh_cmd}, a failed upload or
     * download is an {@code upload} or {@code download} with an error status; other names stay as they are.
     *
     * @param type the event
     * @return the action name
     */
    static String actionName(EventType type) {
        if (type.equals(FileEvents.UPLOAD_FAILED)) {
            return "upload";
        }
        if (type.equals(FileEvents.DOWNLOAD_FAILED)) {
            return "download";
        }
        return type.name().equals("ssh-cmd") ? "ssh_cmd" : type.name();
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
    static HookCall render(HookTarget target, EventType type, Object[] values, Instant now) {
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
    static HookCall render(HookTarget target, EventType type, Object[] values, Instant now, java.nio.file.Path homes) {
        if (type.equals(Events.NEW_CONNECTION) || type.equals(Events.CONNECTION_CLOSED)) {
            return connection(target, type, values, now);
        }
        if (type.equals(Events.ACCOUNT_ADD) || type.equals(Events.ACCOUNT_UPDATE) || type.equals(Events.ACCOUNT_DELETE)) {
            return user(target, type, values, now, homes);
        }
        return action(target, type, values, now);
    }

    // ---- user actions ----

    /**
     * SFTPGo's user actions: a program gets {@code action username ID status expiration_date home_dir uid gid}
     * and {@code SFTPGO_USER_ACTION}, {@code SFTPGO_USER}; a URL gets a POST to {@code URL?action=ACTION}. The
     * user JSON holds no password hash and no keys.
     */
    private static HookCall user(HookTarget target, EventType type, Object[] values, Instant now,
            java.nio.file.Path homes) {
        String action = type.equals(Events.ACCOUNT_ADD) ? "add" : type.equals(Events.ACCOUNT_UPDATE) ? "update"
                : "delete";
        dev.termlet.auth.Account a = values.length > 0 && values[0] instanceof dev.termlet.auth.Account
                ? (dev.termlet.auth.Account) values[0] : null;
        String name = a == null ? "" : a.name();
        String home = homes == null || name.isEmpty() ? "" : homes.resolve(name).toString();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", 0);
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
        String body = toJson(json);
        if (target.isProgram()) {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("SFTPGO_USER_ACTION", action);
            env.put("SFTPGO_USER", body);
            return new HookCall(target.id(), "user-" + action, now.toEpochMilli(), List.of(action, name, "0",
                    a != null && a.enabled() ? "1" : "0", "0", home, "0", "0"), env, null, null, null);
        }
        return new HookCall(target.id(), "user-" + action, now.toEpochMilli(), null, null, "POST",
                withQuery(target.url().toString(), Map.of("action", action)), body);
    }

    // ---- custom actions ----

    private static HookCall action(HookTarget target, EventType type, Object[] values, Instant now) {
        String action = actionName(type);
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
        long timestamp = nanos(now);
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
            return new HookCall(target.id(), action, now.toEpochMilli(), args, env, null, null, null);
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
        return new HookCall(target.id(), action, now.toEpochMilli(), null, null, "POST", target.url().toString(),
                toJson(json));
    }

    // ---- post-connect and post-disconnect ----

    private static HookCall connection(HookTarget target, EventType type, Object[] values, Instant now) {
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
        String name = closed ? "post-disconnect" : "post-connect";
        if (target.isProgram()) {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("SFTPGO_CONNECTION_IP", ip);
            env.put("SFTPGO_CONNECTION_PROTOCOL", protocol);
            if (closed) {
                env.put("SFTPGO_CONNECTION_USERNAME", user);
                env.put("SFTPGO_CONNECTION_DURATION", Long.toString(millis));
            }
            return new HookCall(target.id(), name, now.toEpochMilli(), List.of(), env, null, null, null);
        }
        Map<String, String> query = new LinkedHashMap<>();
        query.put("ip", ip);
        query.put("protocol", protocol);
        if (closed) {
            query.put("username", user);
            query.put("connection_duration", Long.toString(millis));
        }
        return new HookCall(target.id(), name, now.toEpochMilli(), null, null, "GET",
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
     * Linux open(2) flags, as SFTPGo reports Go's {@code os.O_*} values, from {@link FileEvent#openFlags()}.
     * {@code 512} is {@code O_TRUNC}, the bit SFTPGo's documentation tells scripts to test.
     *
     * @param flags the flags as text, or null
     * @return the flags as a number
     */
    static int openFlags(String flags) {
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
