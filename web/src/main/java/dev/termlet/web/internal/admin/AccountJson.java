package dev.termlet.web.internal.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.termlet.auth.Account;
import dev.termlet.auth.AuthMethod;
import dev.termlet.auth.FilePermission;
import dev.termlet.auth.Forwarding;
import dev.termlet.web.internal.Http;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Accounts as the admin API shows and takes them. The answer never holds the password hash (only whether there is a
 * password); a request sets a password in clear text ({@code password}), which is hashed at once. Unknown fields and
 * wrong types are refused, so a typo never goes unnoticed.
 */
final class AccountJson {
    /** The fields a request may set, besides {@code name}. */
    static final Set<String> FIELDS = Set.of("password", "enabled", "permissions", "filePermissions", "quota",
            "home", "readOnly", "umask", "authMethods", "authorizedKeys", "prompt", "banner", "idleTimeoutSeconds",
            "echo", "bandwidth", "forwarding", "role", "metadata");

    private AccountJson() {}

    /**
     * The account as JSON.
     *
     * @param a the account
     * @return its fields, without the hash
     */
    static ObjectNode toJson(Account a) {
        ObjectNode n = Http.JSON.createObjectNode();
        n.put("name", a.name());
        n.put("enabled", a.enabled());
        n.put("hasPassword", a.passwordHash() != null);
        ArrayNode perms = n.putArray("permissions");
        a.permissions().stream().sorted().forEach(perms::add);
        ObjectNode fp = n.putObject("filePermissions");
        a.filePermissions().forEach((dir, set) -> {
            ArrayNode l = fp.putArray(dir);
            set.stream().sorted().forEach(p -> l.add(p.wireName()));
        });
        n.putObject("quota").put("bytes", a.quotaBytes()).put("files", a.quotaFiles());
        if (a.home().isPresent()) {
            n.put("home", a.home().get());
        } else {
            n.putNull("home");
        }
        n.put("readOnly", a.readOnly());
        if (a.umask().isPresent()) {
            n.put("umask", String.format(Locale.ROOT, "%03o", a.umask().getAsInt()));
        } else {
            n.putNull("umask");
        }
        ArrayNode methods = n.putArray("authMethods");
        a.authMethods().stream().sorted().forEach(m -> methods.add(m.wireName()));
        ArrayNode keys = n.putArray("authorizedKeys");
        a.authorizedKeys().forEach(keys::add);
        n.put("prompt", a.prompt());
        n.put("banner", a.banner());
        if (a.idleTimeout() == null) {
            n.putNull("idleTimeoutSeconds");
        } else {
            n.put("idleTimeoutSeconds", a.idleTimeout().toSeconds());
        }
        n.put("echo", a.echo());
        n.putObject("bandwidth").put("uploadKiBps", a.uploadBandwidth()).put("downloadKiBps",
                a.downloadBandwidth());
        ArrayNode fw = n.putArray("forwarding");
        a.forwarding().stream().sorted().forEach(f -> fw.add(f.name().toLowerCase(Locale.ROOT)));
        n.put("role", a.role().orElse(null));
        ObjectNode md = n.putObject("metadata");
        a.metadata().forEach(md::put);
        return n;
    }

    /**
     * Applies the fields of a request to a builder.
     *
     * @param b the builder
     * @param body the request's object
     * @param allowName whether {@code name} may be there (creation)
     * @throws Http.BadRequest for an unknown field or a wrong value
     */
    static void apply(Account.Builder b, JsonNode body, boolean allowName) throws Http.BadRequest {
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f) && !(allowName && f.equals("name"))) {
                throw bad("unknown field '" + f + "'");
            }
        }
        try {
            if (body.has("password")) {
                JsonNode p = body.get("password");
                if (p.isNull()) {
                    b.passwordHash(null);
                } else {
                    String pw = text(p, "password");
                    if (pw.isEmpty() || pw.length() > 1024) {
                        throw bad("password must be 1 to 1024 characters");
                    }
                    char[] chars = pw.toCharArray();
                    b.password(chars);
                    java.util.Arrays.fill(chars, '\0');
                }
            }
            if (body.has("enabled")) {
                b.enabled(bool(body.get("enabled"), "enabled"));
            }
            if (body.has("permissions")) {
                b.permissions(strings(body.get("permissions"), "permissions"));
            }
            if (body.has("filePermissions")) {
                JsonNode fp = body.get("filePermissions");
                if (!fp.isObject()) {
                    throw bad("filePermissions must be an object of directory to permission names");
                }
                Map<String, List<FilePermission>> dirs = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = fp.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    List<FilePermission> l = new ArrayList<>();
                    for (String s : strings(e.getValue(), "filePermissions." + e.getKey())) {
                        l.add(FilePermission.parse(s));
                    }
                    dirs.put(e.getKey(), l);
                }
                b.clearFilePermissions();
                for (Map.Entry<String, List<FilePermission>> e : dirs.entrySet()) {
                    b.filePermissions(e.getKey(), e.getValue());
                }
            }
            if (body.has("quota")) {
                JsonNode q = body.get("quota");
                if (!q.isObject()) {
                    throw bad("quota must be an object with bytes and files");
                }
                only(q, "quota", "bytes", "files");
                Account probe = b.build();
                b.quota(q.has("bytes") ? number(q.get("bytes"), "quota.bytes") : probe.quotaBytes(),
                        q.has("files") ? number(q.get("files"), "quota.files") : probe.quotaFiles());
            }
            if (body.has("home")) {
                String home = nullableText(body.get("home"), "home");
                // an absolute home would give the account any directory of the server's OS user (the data directory,
                // other homes, the service user's ~/.ssh): only the application sets one, never a remote caller
                if (home != null && (home.startsWith("/") || home.startsWith("\\")
                        || java.nio.file.Path.of(home).isAbsolute() || home.matches("^[A-Za-z]:.*"))) {
                    throw bad("home must be a directory relative to the homes (an absolute home is set by the"
                            + " application only)");
                }
                b.home(home);
            }
            if (body.has("readOnly")) {
                b.readOnly(bool(body.get("readOnly"), "readOnly"));
            }
            if (body.has("umask")) {
                String u = nullableText(body.get("umask"), "umask");
                if (u != null && !u.matches("0?[0-7]{1,3}")) {
                    throw bad("umask must be octal text such as \"022\", or null");
                }
                b.umask(u == null ? null : Integer.parseInt(u, 8));
            }
            if (body.has("authMethods")) {
                List<AuthMethod> m = new ArrayList<>();
                for (String s : strings(body.get("authMethods"), "authMethods")) {
                    m.add(AuthMethod.parse(s));
                }
                b.authMethods(m);
            }
            if (body.has("authorizedKeys")) {
                b.authorizedKeys(strings(body.get("authorizedKeys"), "authorizedKeys"));
            }
            if (body.has("prompt")) {
                b.prompt(nullableText(body.get("prompt"), "prompt"));
            }
            if (body.has("banner")) {
                b.banner(nullableText(body.get("banner"), "banner"));
            }
            if (body.has("idleTimeoutSeconds")) {
                JsonNode t = body.get("idleTimeoutSeconds");
                b.idleTimeout(t.isNull() ? null : Duration.ofSeconds(number(t, "idleTimeoutSeconds")));
            }
            if (body.has("echo")) {
                b.echo(bool(body.get("echo"), "echo"));
            }
            if (body.has("bandwidth")) {
                JsonNode q = body.get("bandwidth");
                if (!q.isObject()) {
                    throw bad("bandwidth must be an object with uploadKiBps and downloadKiBps");
                }
                only(q, "bandwidth", "uploadKiBps", "downloadKiBps");
                Account probe = b.build();
                b.bandwidth(q.has("uploadKiBps") ? number(q.get("uploadKiBps"), "bandwidth.uploadKiBps")
                        : probe.uploadBandwidth(), q.has("downloadKiBps")
                        ? number(q.get("downloadKiBps"), "bandwidth.downloadKiBps") : probe.downloadBandwidth());
            }
            if (body.has("forwarding")) {
                List<Forwarding> f = new ArrayList<>();
                for (String s : strings(body.get("forwarding"), "forwarding")) {
                    try {
                        f.add(Forwarding.valueOf(s.toUpperCase(Locale.ROOT)));
                    } catch (IllegalArgumentException e) {
                        throw bad("forwarding is a list of \"local\" and \"remote\"");
                    }
                }
                b.forwarding(f.toArray(new Forwarding[0]));
            }
            if (body.has("role")) {
                b.role(nullableText(body.get("role"), "role"));
            }
            if (body.has("metadata")) {
                JsonNode md = body.get("metadata");
                if (!md.isObject()) {
                    throw bad("metadata must be an object of text values");
                }
                Map<String, String> m = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = md.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    m.put(e.getKey(), text(e.getValue(), "metadata." + e.getKey()));
                }
                b.metadata(m);
            }
        } catch (IllegalArgumentException e) {
            // the builder's own checks: their messages name the field and the rule, never a server path
            throw bad(e.getMessage());
        }
    }

    private static void only(JsonNode n, String what, String... allowed) throws Http.BadRequest {
        Set<String> ok = Set.of(allowed);
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!ok.contains(f)) {
                throw bad("unknown field '" + what + "." + f + "'");
            }
        }
    }

    private static Http.BadRequest bad(String detail) {
        return new Http.BadRequest(400, detail);
    }

    private static String text(JsonNode n, String what) throws Http.BadRequest {
        if (!n.isTextual()) {
            throw bad(what + " must be text");
        }
        return n.asText();
    }

    private static String nullableText(JsonNode n, String what) throws Http.BadRequest {
        return n.isNull() ? null : text(n, what);
    }

    private static boolean bool(JsonNode n, String what) throws Http.BadRequest {
        if (!n.isBoolean()) {
            throw bad(what + " must be true or false");
        }
        return n.asBoolean();
    }

    private static long number(JsonNode n, String what) throws Http.BadRequest {
        if (!n.canConvertToLong() || !n.isIntegralNumber() || n.asLong() < 0) {
            throw bad(what + " must be a whole number, 0 or more");
        }
        return n.asLong();
    }

    private static List<String> strings(JsonNode n, String what) throws Http.BadRequest {
        if (!n.isArray()) {
            throw bad(what + " must be a list of text");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : n) {
            out.add(text(e, what + "[]"));
        }
        return out;
    }
}
