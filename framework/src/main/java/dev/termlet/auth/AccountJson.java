package dev.termlet.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One account as a JSON object, as {@code users.json} holds it (see {@link JsonAccountStore}): the
 * one mapping of the stores that keep accounts as JSON: the file, and (through {@link Account#toJson()} and
 * {@link Account#fromJson(String)}) stores elsewhere, such as the PostgreSQL store of {@code termlet-cluster}.
 */
final class AccountJson {
    /** {@code umask}: 1 to 3 octal digits, optionally after a leading 0. */
    private static final Pattern OCTAL_MASK = Pattern.compile("0?[0-7]{1,3}");
    /** A plain mapper for callers that have none. */
    static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private AccountJson() {
    }

    /**
     * Reads an account, with the validation of {@link Account.Builder}.
     *
     * @param u a JSON object
     * @return the account
     * @throws IllegalArgumentException if a field is missing, of the wrong type or invalid (the message says which)
     */
    static Account read(JsonNode u) {
        if (u == null || !u.isObject()) {
            throw new IllegalArgumentException("an account must be a JSON object");
        }
        Account.Builder b = Account.builder(text(u, "name", true));
        b.passwordHash(text(u, "passwordHash", false));
        for (String line : strings(u, "authorizedKeys")) {
            b.addAuthorizedKey(line);
        }
        b.prompt(text(u, "prompt", false));
        b.banner(text(u, "banner", false));
        JsonNode idle = u.get("idleTimeoutSeconds");
        if (idle != null && !idle.isNull()) {
            b.idleTimeout(seconds(idle));
        }
        b.echo(bool(u, "echo", true));
        b.permissions(strings(u, "permissions"));
        List<AuthMethod> methods = new ArrayList<>();
        for (String m : strings(u, "authMethods")) {
            methods.add(AuthMethod.parse(m));
        }
        b.authMethods(methods);
        b.enabled(bool(u, "enabled", true));
        JsonNode files = u.get("filePermissions");
        if (files != null && !files.isNull()) {
            if (!files.isObject()) {
                throw new IllegalArgumentException("\"filePermissions\" must be an object of directory -> list");
            }
            var it = files.fields();
            while (it.hasNext()) {
                var e = it.next();
                List<FilePermission> granted = new ArrayList<>();
                for (String p : strings(files, e.getKey())) {
                    granted.add(FilePermission.parse(p));
                }
                b.filePermissions(e.getKey(), granted);
            }
        }
        b.quota(count(u, "quotaBytes"), count(u, "quotaFiles"));
        b.umask(umask(u));
        b.readOnly(bool(u, "readOnly", false));
        JsonNode home = u.get("home");
        if (home != null && !home.isNull()) {
            if (!home.isTextual()) {
                throw new IllegalArgumentException("\"home\" must be a string");
            }
            b.home(home.asText());
        }
        b.bandwidth(count(u, "uploadBandwidth"), count(u, "downloadBandwidth"));
        List<Forwarding> forwarding = new ArrayList<>();
        for (String f : strings(u, "forwarding")) {
            forwarding.add(Forwarding.parse(f));
        }
        b.forwarding(forwarding.toArray(new Forwarding[0]));
        b.role(text(u, "role", false));
        JsonNode meta = u.get("metadata");
        if (meta != null && !meta.isNull()) {
            if (!meta.isObject()) {
                throw new IllegalArgumentException("\"metadata\" must be an object of key -> text");
            }
            var it = meta.fields();
            while (it.hasNext()) {
                var e = it.next();
                if (!e.getValue().isTextual()) {
                    throw new IllegalArgumentException("metadata '" + e.getKey() + "' must be a string");
                }
                b.metadata(e.getKey(), e.getValue().asText());
            }
        }
        return b.build();
    }

    /**
     * Writes an account.
     *
     * @param a the account
     * @return a new JSON object holding every field (the password hash too: keep it private)
     */
    static ObjectNode write(Account a) {
        ObjectNode u = MAPPER.createObjectNode();
        u.put("name", a.name());
        u.put("passwordHash", a.passwordHash());
        ArrayNode keys = u.putArray("authorizedKeys");
        a.authorizedKeys().forEach(keys::add);
        u.put("prompt", a.prompt());
        u.put("banner", a.banner());
        Duration idle = a.idleTimeout();
        if (idle == null) {
            u.putNull("idleTimeoutSeconds");
        } else if (idle.getNano() == 0) {
            u.put("idleTimeoutSeconds", idle.getSeconds());
        } else {
            u.put("idleTimeoutSeconds", idle.getSeconds() + idle.getNano() / 1e9);
        }
        u.put("echo", a.echo());
        ArrayNode perms = u.putArray("permissions");
        a.permissions().stream().sorted().forEach(perms::add);
        ArrayNode methods = u.putArray("authMethods");
        a.authMethods().stream().sorted().forEach(m -> methods.add(m.wireName()));
        u.put("enabled", a.enabled());
        if (!a.filePermissions().isEmpty()) {
            ObjectNode fp = u.putObject("filePermissions");
            a.filePermissions().forEach((dir, granted) -> {
                ArrayNode list = fp.putArray(dir);
                granted.stream().sorted().forEach(p -> list.add(p.wireName()));
            });
        }
        u.put("quotaBytes", a.quotaBytes());
        u.put("quotaFiles", a.quotaFiles());
        if (a.umask().isPresent()) {
            u.put("umask", String.format("%03o", a.umask().getAsInt()));
        }
        if (a.readOnly()) {
            u.put("readOnly", true);
        }
        a.home().ifPresent(h -> u.put("home", h));
        if (a.uploadBandwidth() > 0 || a.downloadBandwidth() > 0) {
            u.put("uploadBandwidth", a.uploadBandwidth());
            u.put("downloadBandwidth", a.downloadBandwidth());
        }
        if (!a.forwarding().isEmpty()) {
            ArrayNode fw = u.putArray("forwarding");
            a.forwarding().forEach(f -> fw.add(f.wireName()));
        }
        a.role().ifPresent(r -> u.put("role", r));
        if (!a.metadata().isEmpty()) {
            ObjectNode meta = u.putObject("metadata");
            a.metadata().forEach(meta::put);
        }
        return u;
    }

    /** {@code "umask"}: an octal string of 1 to 3 digits, optionally after a 0 ({@code "027"}, {@code "0077"}). */
    private static Integer umask(JsonNode u) {
        JsonNode n = u.get("umask");
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual() || !OCTAL_MASK.matcher(n.asText()).matches()) {
            throw new IllegalArgumentException(
                    "\"umask\" must be an octal string from \"000\" to \"777\", like \"027\"");
        }
        return Integer.parseInt(n.asText(), 8);
    }

    private static long count(JsonNode u, String field) {
        JsonNode n = u.get(field);
        if (n == null || n.isNull()) {
            return 0;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < 0) {
            throw new IllegalArgumentException("\"" + field + "\" must be a whole number, 0 or more");
        }
        return n.asLong();
    }

    private static Duration seconds(JsonNode n) {
        if (!n.isNumber() || (n.isIntegralNumber() && !n.canConvertToLong()) || !Double.isFinite(n.asDouble())
                || n.asDouble() < 0) {
            throw new IllegalArgumentException("\"idleTimeoutSeconds\" must be a number of seconds, 0 or more");
        }
        return n.isIntegralNumber() ? Duration.ofSeconds(n.asLong())
                : Duration.ofMillis(Math.round(n.asDouble() * 1000));
    }

    private static String text(JsonNode u, String field, boolean required) {
        JsonNode n = u.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                throw new IllegalArgumentException("\"" + field + "\" is missing");
            }
            return null;
        }
        if (!n.isTextual()) {
            throw new IllegalArgumentException("\"" + field + "\" must be a string");
        }
        return n.asText();
    }

    private static boolean bool(JsonNode u, String field, boolean dflt) {
        JsonNode n = u.get(field);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.isBoolean()) {
            throw new IllegalArgumentException("\"" + field + "\" must be true or false");
        }
        return n.asBoolean();
    }

    private static List<String> strings(JsonNode u, String field) {
        JsonNode n = u.get(field);
        List<String> out = new ArrayList<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (!n.isArray()) {
            throw new IllegalArgumentException("\"" + field + "\" must be an array of strings");
        }
        for (JsonNode e : n) {
            if (!e.isTextual()) {
                throw new IllegalArgumentException("\"" + field + "\" must be an array of strings");
            }
            out.add(e.asText());
        }
        return out;
    }

}
