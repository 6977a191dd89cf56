package dev.termlet.fileops;

import com.fasterxml.jackson.databind.JsonNode;
import dev.termlet.auth.Account;
import dev.termlet.auth.FilePermission;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads an SFTPGo user, as external-auth and pre-login hooks return it, into a Termlet {@link Account}:
 * {@code status}, {@code expiration_date}, {@code home_dir}, {@code permissions}, {@code quota_size},
 * {@code quota_files}, {@code role}, and {@code description}, {@code additional_info} and {@code email} (kept as
 * the account's metadata under those keys; an empty text removes the entry). A field that is absent keeps the
 * account's value (SFTPGo's pre-login hook may return only the fields to change); other SFTPGo fields are ignored. What cannot be honoured is refused, never half-applied.
 */
final class SftpgoUsers {
    /** SFTPGo's free-text user fields, kept as account metadata under the same keys. */
    static final List<String> METADATA = List.of("description", "additional_info", "email");

    private SftpgoUsers() {}

    /**
     * Applies an SFTPGo user to an account.
     *
     * @param user the user JSON
     * @param name the user logging in
     * @param existing the stored account, or null for a new one (which then has no password or key: only the hook
     *     lets it in)
     * @param homes the directory of users' homes ({@code DATA/home})
     * @return the account to store
     * @throws IllegalArgumentException for a home other than {@code DATA/home/NAME}, an unknown permission, a
     *     permission map without {@code /}, a negative quota or a field of the wrong type
     */
    static Account apply(JsonNode user, String name, Account existing, Path homes) {
        return apply(user, name, existing, homes, false);
    }

    /**
     * Applies an SFTPGo user to an account, and with {@code credentials} also its {@code password} (clear text, or
     * an Argon2id hash as Termlet stores it) and {@code public_keys}, for a pre-login hook that creates users.
     *
     * @param user the user JSON
     * @param name the user logging in
     * @param existing the stored account, or null
     * @param homes the directory of users' homes
     * @param credentials whether {@code password} and {@code public_keys} are read
     * @return the account to store
     * @throws IllegalArgumentException as {@link #apply(JsonNode, String, Account, Path)}, or for a password hash
     *     of another kind
     */
    static Account apply(JsonNode user, String name, Account existing, Path homes, boolean credentials) {
        Account.Builder b = existing != null ? existing.toBuilder() : Account.builder(name);
        if (credentials) {
            JsonNode password = user.get("password");
            if (password != null && password.isTextual() && !password.asText().isEmpty()) {
                String p = password.asText();
                if (p.startsWith("$argon2id$")) {
                    b.passwordHash(p);
                } else if (p.startsWith("$")) {
                    throw new IllegalArgumentException("password hashes other than Argon2id cannot be checked");
                } else {
                    b.password(p.toCharArray());
                }
            }
            JsonNode keys = user.get("public_keys");
            if (keys != null && keys.isArray()) {
                List<String> lines = new ArrayList<>();
                keys.forEach(k -> lines.add(k.asText()));
                b.authorizedKeys(lines);
            }
        }
        JsonNode status = user.get("status");
        if (status != null && !status.isNull()) {
            if (!status.isInt() || status.asInt() < 0 || status.asInt() > 1) {
                throw new IllegalArgumentException("status must be 0 or 1");
            }
            b.enabled(status.asInt() == 1);
        }
        long expires = number(user, "expiration_date", 0);
        if (expires > 0 && expires < System.currentTimeMillis()) {
            b.enabled(false);
        }
        JsonNode home = user.get("home_dir");
        if (home != null && !home.isNull() && !(home.isTextual() && home.asText().isEmpty())) {
            Path own = homes.toAbsolutePath().normalize().resolve(name);
            Path given = home.isTextual() ? Path.of(home.asText()) : null;
            if (given == null || !given.isAbsolute() || !given.normalize().equals(own)) {
                throw new IllegalArgumentException("home_dir must be " + own + " (Termlet keeps each user's home in "
                        + homes + "), not " + home);
            }
        }
        JsonNode perms = user.get("permissions");
        if (perms != null && !perms.isNull()) {
            if (!perms.isObject() || !perms.has("/")) {
                throw new IllegalArgumentException("permissions must be a map that sets '/'");
            }
            b.readOnly(); // clears what the account had; every directory below is set from the map
            for (Iterator<Map.Entry<String, JsonNode>> it = perms.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> dir = it.next();
                if (!dir.getValue().isArray()) {
                    throw new IllegalArgumentException("the permissions of " + dir.getKey() + " must be a list");
                }
                List<FilePermission> granted = new ArrayList<>();
                for (JsonNode p : dir.getValue()) {
                    granted.add(FilePermission.parse(p.asText()));
                }
                b.filePermissions(dir.getKey(), granted);
            }
        }
        JsonNode role = user.get("role");
        if (role != null && !role.isNull()) {
            if (!role.isTextual()) {
                throw new IllegalArgumentException("role must be a string");
            }
            b.role(role.asText().isEmpty() ? null : role.asText());
        }
        for (String key : METADATA) {
            JsonNode text = user.get(key);
            if (text != null && !text.isNull()) {
                if (!text.isTextual()) {
                    throw new IllegalArgumentException(key + " must be a string");
                }
                b.metadata(key, text.asText().isEmpty() ? null : text.asText());
            }
        }
        if (user.has("quota_size") || user.has("quota_files")) {
            long bytes = number(user, "quota_size", existing == null ? 0 : existing.quotaBytes());
            long files = number(user, "quota_files", existing == null ? 0 : existing.quotaFiles());
            b.quota(bytes, files);
        }
        return b.build();
    }

    private static long number(JsonNode user, String field, long otherwise) {
        JsonNode n = user.get(field);
        if (n == null || n.isNull()) {
            return otherwise;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw new IllegalArgumentException(field + " must be a whole number");
        }
        return n.asLong();
    }
}
