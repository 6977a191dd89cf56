package dev.termlet.auth;

import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A user account: password hash, authorized keys, prompt, banner, idle limit, input echo, permissions,
 * allowed auth methods, whether it is enabled, file permissions, quotas, the umask for new files, a role and free-form
 * metadata (which hooks get: SFTPGo's {@code role}, {@code description}, {@code additional_info}). Immutable and
 * thread-safe; change it with {@link #toBuilder()}. {@link #toString()} never shows the hash or the keys.
 */
public final class Account {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

    private final String name;
    private final String passwordHash;
    private final List<String> authorizedKeys;
    private final String prompt;
    private final String banner;
    private final Duration idleTimeout;
    private final boolean echo;
    private final Set<String> permissions;
    private final Set<AuthMethod> authMethods;
    private final boolean enabled;
    private final Map<String, Set<FilePermission>> filePermissions;
    private final long quotaBytes;
    private final long quotaFiles;
    private final Integer umask;
    private final boolean readOnly;
    private final String home;
    private final long uploadBandwidth;
    private final long downloadBandwidth;
    private final Set<Forwarding> forwarding;
    private final String role;
    private final Map<String, String> metadata;
    /**
     * The authorized keys parsed, on the first public-key check of this account: an account is immutable, so a
     * change (a key removed) is a new {@code Account} that parses its own keys; nothing here can outlive it.
     */
    private volatile List<PublicKey> parsedKeys;

    private Account(Builder b) {
        this.name = b.name;
        this.passwordHash = b.passwordHash;
        this.authorizedKeys = List.copyOf(b.authorizedKeys);
        this.prompt = b.prompt;
        this.banner = b.banner;
        this.idleTimeout = b.idleTimeout;
        this.echo = b.echo;
        this.permissions = Set.copyOf(b.permissions);
        this.authMethods = b.authMethods.isEmpty() ? Set.of() : Set.copyOf(b.authMethods);
        this.enabled = b.enabled;
        Map<String, Set<FilePermission>> fp = new TreeMap<>();
        b.filePermissions.forEach((k, v) -> fp.put(k, v.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(v))));
        this.filePermissions = Collections.unmodifiableMap(fp);
        this.quotaBytes = b.quotaBytes;
        this.quotaFiles = b.quotaFiles;
        this.umask = b.umask;
        this.readOnly = b.readOnly;
        this.home = b.home;
        this.uploadBandwidth = b.uploadBandwidth;
        this.downloadBandwidth = b.downloadBandwidth;
        this.forwarding = b.forwarding.isEmpty() ? Set.of()
                : java.util.Collections.unmodifiableSet(java.util.EnumSet.copyOf(b.forwarding));
        this.role = b.role;
        this.metadata = Collections.unmodifiableMap(new TreeMap<>(b.metadata));
    }

    /**
     * Starts a new account.
     *
     * @param name 1 to 64 characters of ASCII letters, digits, {@code . _ @ -}, not starting with a dot (names
     *     become directory names, so {@code .} and {@code ..} must be impossible)
     * @return a builder
     * @throws IllegalArgumentException for an invalid name
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * Whether a name is a valid account name.
     *
     * @param name the name
     * @return true if valid
     */
    public static boolean validName(String name) {
        return name != null && NAME.matcher(name).matches() && !name.startsWith(".");
    }

    /** @return a builder holding this account's values */
    public Builder toBuilder() {
        Builder b = new Builder(name);
        b.passwordHash = passwordHash;
        b.authorizedKeys.addAll(authorizedKeys);
        b.prompt = prompt;
        b.banner = banner;
        b.idleTimeout = idleTimeout;
        b.echo = echo;
        b.permissions.addAll(permissions);
        b.authMethods.addAll(authMethods);
        b.enabled = enabled;
        b.filePermissions.putAll(filePermissions);
        b.quotaBytes = quotaBytes;
        b.quotaFiles = quotaFiles;
        b.umask = umask;
        b.readOnly = readOnly;
        b.home = home;
        b.uploadBandwidth = uploadBandwidth;
        b.downloadBandwidth = downloadBandwidth;
        b.forwarding.addAll(forwarding);
        b.role = role;
        b.metadata.putAll(metadata);
        return b;
    }

    /** @return the user name */
    public String name() {
        return name;
    }

    /** @return the Argon2id PHC hash, or null when the account has no password */
    public String passwordHash() {
        return passwordHash;
    }

    /** @return the OpenSSH {@code authorized_keys} lines */
    public List<String> authorizedKeys() {
        return authorizedKeys;
    }

    /**
     * The authorized keys as keys, parsed once per account (a login checks them; parsing them for every check cost a
     * public-key login a base64 decoding and a key construction per line). Lines that do not parse are skipped with
     * the warning of {@link AuthorizedKeys#parse}, once.
     *
     * @return the keys, in order
     */
    List<PublicKey> parsedAuthorizedKeys() {
        List<PublicKey> keys = parsedKeys;
        if (keys == null) {
            keys = List.copyOf(AuthorizedKeys.parse(authorizedKeys));
            parsedKeys = keys;
        }
        return keys;
    }

    /** @return the prompt, or null for the server's */
    public String prompt() {
        return prompt;
    }

    /** @return the banner, or null for the server's */
    public String banner() {
        return banner;
    }

    /** @return the idle limit ({@link Duration#ZERO} for none), or null for the server's */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** @return whether typed input is echoed */
    public boolean echo() {
        return echo;
    }

    /** @return the permissions */
    public Set<String> permissions() {
        return permissions;
    }

    /** @return the allowed methods; empty means all */
    public Set<AuthMethod> authMethods() {
        return authMethods;
    }

    /** @return whether the account may log in */
    public boolean enabled() {
        return enabled;
    }

    /**
     * The file permissions by directory (virtual paths such as {@code /} or {@code /incoming}); a directory's
     * entry applies to it and everything below it unless a deeper entry says otherwise. Empty means every
     * permission everywhere.
     *
     * @return the permissions by directory, sorted
     */
    public Map<String, Set<FilePermission>> filePermissions() {
        return filePermissions;
    }

    /**
     * The file permissions that apply in a directory: those of the deepest configured directory containing it.
     *
     * @param virtualDir a normalized virtual directory ({@code /}, {@code /a/b})
     * @return the permissions there
     */
    public Set<FilePermission> filePermissionsIn(String virtualDir) {
        if (filePermissions.isEmpty()) {
            return Set.of(FilePermission.ALL);
        }
        String dir = virtualDir == null || virtualDir.isEmpty() ? "/" : virtualDir;
        while (true) {
            Set<FilePermission> p = filePermissions.get(dir);
            if (p != null) {
                return p;
            }
            if (dir.equals("/")) {
                return Set.of();
            }
            int slash = dir.lastIndexOf('/');
            dir = slash <= 0 ? "/" : dir.substring(0, slash);
        }
    }

    /**
     * Whether a file permission is granted in a directory.
     *
     * @param virtualDir a normalized virtual directory
     * @param wanted the permission
     * @return true if granted
     */
    public boolean mayInDirectory(String virtualDir, FilePermission wanted) {
        if (readOnly && wanted != FilePermission.LIST && wanted != FilePermission.DOWNLOAD) {
            return false;
        }
        for (FilePermission p : filePermissionsIn(virtualDir)) {
            if (p.grants(wanted)) {
                return true;
            }
        }
        return false;
    }

    /** @return the most bytes the user's files may take, 0 for no limit */
    public long quotaBytes() {
        return quotaBytes;
    }

    /** @return the most files the user may have, 0 for no limit */
    public long quotaFiles() {
        return quotaFiles;
    }

    /**
     * The umask for files and directories this user creates (bits cleared from the protocol's requested mode).
     *
     * @return the mask (0 to 0777), or empty to use the server's (see {@code TermletServer.Builder#umask})
     */
    public java.util.OptionalInt umask() {
        return umask == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(umask);
    }

    /** @return whether the account may only list and download, whatever its file permissions say */
    public boolean readOnly() {
        return readOnly;
    }

    /**
     * The root of this user's files, where it is not the default {@code DATA/home/NAME}.
     *
     * @return a directory (relative to the directory of homes, or absolute), or empty for the default
     */
    public Optional<String> home() {
        return Optional.ofNullable(home);
    }

    /** @return the most KiB per second this user's uploads may take together, 0 for no limit */
    public long uploadBandwidth() {
        return uploadBandwidth;
    }

    /** @return the most KiB per second this user's downloads may take together, 0 for no limit */
    public long downloadBandwidth() {
        return downloadBandwidth;
    }

    /** @return the TCP forwardings this user may open; none by default */
    public Set<Forwarding> forwarding() {
        return forwarding;
    }

    /**
     * The role of this user (SFTPGo's {@code role}), which hooks are told; Termlet itself grants nothing by it.
     *
     * @return the role, or empty for none
     */
    public Optional<String> role() {
        return Optional.ofNullable(role);
    }

    /**
     * Free-form text about this user for other systems, which hooks are told; SFTPGo's user fields
     * {@code description}, {@code additional_info} and {@code email} are kept under those keys.
     *
     * @return the metadata by key, sorted
     */
    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * Whether a method may be used.
     *
     * @param method the method
     * @return true if allowed
     */
    public boolean allows(AuthMethod method) {
        return method != null && (authMethods.isEmpty() || authMethods.contains(method));
    }

    /**
     * Whether the account has a permission.
     *
     * @param permission the permission
     * @return true if it has it
     */
    public boolean hasPermission(String permission) {
        return permission != null && permissions.contains(permission);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Account)) {
            return false;
        }
        Account a = (Account) o;
        return name.equals(a.name) && Objects.equals(passwordHash, a.passwordHash)
                && authorizedKeys.equals(a.authorizedKeys) && Objects.equals(prompt, a.prompt)
                && Objects.equals(banner, a.banner) && Objects.equals(idleTimeout, a.idleTimeout) && echo == a.echo
                && permissions.equals(a.permissions) && authMethods.equals(a.authMethods) && enabled == a.enabled
                && filePermissions.equals(a.filePermissions) && quotaBytes == a.quotaBytes
                && quotaFiles == a.quotaFiles && Objects.equals(umask, a.umask) && readOnly == a.readOnly
                && Objects.equals(home, a.home) && uploadBandwidth == a.uploadBandwidth
                && downloadBandwidth == a.downloadBandwidth && forwarding.equals(a.forwarding)
                && Objects.equals(role, a.role) && metadata.equals(a.metadata);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    /** @return the name, state and counts; never the hash or key material */
    @Override
    public String toString() {
        return "Account[" + name + (enabled ? "" : ", disabled") + ", password=" + (passwordHash != null)
                + ", keys=" + authorizedKeys.size() + ", permissions=" + permissions + "]";
    }

    /**
     * This account as one JSON object in the shape of a {@code users.json} entry (see {@link JsonAccountStore}), for an
     * account store of your own that keeps accounts as JSON. It holds the password hash: keep it private.
     *
     * @return the JSON text
     */
    public String toJson() {
        return AccountJson.write(this).toString();
    }

    /**
     * Reads an account written by {@link #toJson()} (or an entry of {@code users.json}), with the validation of
     * {@link Builder}; unknown fields are ignored.
     *
     * @param json one JSON object
     * @return the account
     * @throws IllegalArgumentException if it is not a JSON object, or a field is missing, of the wrong type or invalid
     *     (the message names the field, never a hash)
     */
    public static Account fromJson(String json) {
        com.fasterxml.jackson.databind.JsonNode node;
        try {
            node = AccountJson.MAPPER.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("an account must be a JSON object (the text is not JSON)");
        }
        return AccountJson.read(node);
    }

    /** Builds an {@link Account}. */
    public static final class Builder {
        private final String name;
        private String passwordHash;
        private final List<String> authorizedKeys = new ArrayList<>();
        private String prompt;
        private String banner;
        private Duration idleTimeout;
        private boolean echo = true;
        private final Set<String> permissions = new LinkedHashSet<>();
        private final Set<AuthMethod> authMethods = EnumSet.noneOf(AuthMethod.class);
        private boolean enabled = true;
        private final Map<String, Set<FilePermission>> filePermissions = new TreeMap<>();
        private boolean readOnly;
        private String home;
        private long uploadBandwidth;
        private long downloadBandwidth;
        private long quotaBytes;
        private long quotaFiles;
        private Integer umask;
        private final Set<Forwarding> forwarding = java.util.EnumSet.noneOf(Forwarding.class);
        private String role;
        private final Map<String, String> metadata = new TreeMap<>();

        private Builder(String name) {
            if (!validName(name)) {
                String shown = name == null ? "(null)" : name.length() > 80 ? "'" + name.substring(0, 80) + "...'"
                        : "'" + name + "'";
                throw new IllegalArgumentException("invalid account name " + shown
                        + ": use 1 to 64 letters, digits, '.', '_', '@' or '-', not starting with '.'");
            }
            this.name = name;
        }

        /**
         * Sets the password, hashed with Argon2id by {@link AccountStore#DEFAULT_HASHER}.
         * @param plain the password; the array is not modified, the caller should wipe it
         * @return this builder
         */
        public Builder password(char[] plain) {
            Objects.requireNonNull(plain, "password");
            this.passwordHash = AccountStore.DEFAULT_HASHER.hash(plain);
            return this;
        }

        /**
         * Sets the stored hash as it is (for stores that load accounts).
         * @param hash an Argon2id PHC string from {@link PasswordHasher#hash}, or null for no password
         * @return this builder
         */
        public Builder passwordHash(String hash) {
            this.passwordHash = hash;
            return this;
        }

        /**
         * Replaces the authorized keys.
         * @param lines OpenSSH {@code authorized_keys} lines
         * @return this builder
         * @throws IllegalArgumentException if a line holds no valid key
         */
        public Builder authorizedKeys(Collection<String> lines) {
            authorizedKeys.clear();
            lines.forEach(this::addAuthorizedKey);
            return this;
        }

        /**
         * Adds an authorized key.
         * @param line an OpenSSH {@code authorized_keys} line
         * @return this builder
         * @throws IllegalArgumentException if the line holds no valid key
         */
        public Builder addAuthorizedKey(String line) {
            AuthorizedKeys.parseLine(line);
            authorizedKeys.add(line.trim());
            return this;
        }

        /**
         * Sets the prompt.
         * @param text the prompt, or null for the server's
         * @return this builder
         */
        public Builder prompt(String text) {
            this.prompt = text;
            return this;
        }

        /**
         * Sets the banner.
         * @param text the banner, or null for the server's
         * @return this builder
         */
        public Builder banner(String text) {
            this.banner = text;
            return this;
        }

        /**
         * Sets the idle limit.
         * @param limit the limit, {@link Duration#ZERO} for none, or null for the server's
         * @return this builder
         * @throws IllegalArgumentException if the limit is negative
         */
        public Builder idleTimeout(Duration limit) {
            if (limit != null && limit.isNegative()) {
                throw new IllegalArgumentException("idle timeout must not be negative: " + limit);
            }
            this.idleTimeout = limit;
            return this;
        }

        /**
         * Sets whether typed input is echoed.
         * @param on true to echo
         * @return this builder
         */
        public Builder echo(boolean on) {
            this.echo = on;
            return this;
        }

        /**
         * Replaces the permissions.
         * @param names permission names
         * @return this builder
         */
        public Builder permissions(Collection<String> names) {
            permissions.clear();
            names.forEach(this::addPermission);
            return this;
        }

        /**
         * Adds a permission.
         * @param permission the permission name
         * @return this builder
         * @throws IllegalArgumentException if the name is null or blank
         */
        public Builder addPermission(String permission) {
            if (permission == null || permission.isBlank()) {
                throw new IllegalArgumentException("a permission name must not be blank");
            }
            permissions.add(permission);
            return this;
        }

        /**
         * Restricts the auth methods.
         * @param methods the allowed methods; empty allows all
         * @return this builder
         */
        public Builder authMethods(Collection<AuthMethod> methods) {
            authMethods.clear();
            for (AuthMethod m : methods) {
                authMethods.add(Objects.requireNonNull(m, "auth method"));
            }
            return this;
        }

        /**
         * Enables or disables the account.
         * @param on true to let the user log in
         * @return this builder
         */
        public Builder enabled(boolean on) {
            this.enabled = on;
            return this;
        }

        /**
         * Sets the file permissions in a directory and below it.
         *
         * @param virtualDir an absolute virtual directory such as {@code /} or {@code /incoming}
         * @param granted the permissions; empty denies everything there
         * @return this builder
         * @throws IllegalArgumentException if the directory is not absolute or holds {@code .}, {@code ..} or
         *     empty segments
         */
        public Builder filePermissions(String virtualDir, Collection<FilePermission> granted) {
            String dir = normalizeDir(virtualDir);
            Set<FilePermission> set = EnumSet.noneOf(FilePermission.class);
            for (FilePermission p : granted) {
                set.add(Objects.requireNonNull(p, "file permission"));
            }
            filePermissions.put(dir, set);
            return this;
        }

        /**
         * Removes every directory's file permissions (the account then has every permission everywhere until
         * {@link #filePermissions(String, Collection)} sets some).
         *
         * @return this builder
         */
        public Builder clearFilePermissions() {
            filePermissions.clear();
            return this;
        }

        /**
         * Sets the read-only flag: while it is on, the account may only list and download, whatever its file
         * permissions say (PyserSSH's and SFTPGo's per-user read-only switch).
         *
         * @param on true for read-only
         * @return this builder
         */
        public Builder readOnly(boolean on) {
            this.readOnly = on;
            return this;
        }

        /**
         * Puts this user's files somewhere other than {@code DATA/home/NAME}.
         *
         * @param dir a directory relative to the directory of homes (such as {@code "projects/shared"}) or an
         *     absolute path; null for the default
         * @return this builder
         * @throws IllegalArgumentException for an empty path, one with control characters, or a relative one that
         *     climbs out with {@code ..}
         */
        public Builder home(String dir) {
            if (dir != null) {
                if (dir.isBlank() || dir.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                    throw new IllegalArgumentException("home must be a directory path");
                }
                java.nio.file.Path p = java.nio.file.Path.of(dir).normalize();
                if (!p.isAbsolute() && (p.startsWith("..") || p.toString().isEmpty())) {
                    throw new IllegalArgumentException("a relative home must stay below the directory of homes: "
                            + dir);
                }
            }
            this.home = dir;
            return this;
        }

        /**
         * Limits the user's transfer rates (all sessions together), as SFTPGo's {@code upload_bandwidth} and
         * {@code download_bandwidth}.
         *
         * @param uploadKiBps the most KiB per second for uploads, 0 for no limit
         * @param downloadKiBps the most KiB per second for downloads, 0 for no limit
         * @return this builder
         * @throws IllegalArgumentException if a value is negative
         */
        public Builder bandwidth(long uploadKiBps, long downloadKiBps) {
            if (uploadKiBps < 0 || downloadKiBps < 0) {
                throw new IllegalArgumentException("bandwidth limits must not be negative");
            }
            this.uploadBandwidth = uploadKiBps;
            this.downloadBandwidth = downloadKiBps;
            return this;
        }

        /**
         * Makes the account read-only: list and download everywhere, nothing else (replaces the file
         * permissions).
         *
         * @return this builder
         */
        public Builder readOnly() {
            filePermissions.clear();
            filePermissions.put("/", EnumSet.of(FilePermission.LIST, FilePermission.DOWNLOAD));
            return this;
        }

        /**
         * Sets the quota.
         *
         * @param bytes the most bytes the user's files may take, 0 for no limit
         * @param files the most files, 0 for no limit
         * @return this builder
         * @throws IllegalArgumentException if a value is negative
         */
        public Builder quota(long bytes, long files) {
            if (bytes < 0 || files < 0) {
                throw new IllegalArgumentException("quota values must not be negative");
            }
            this.quotaBytes = bytes;
            this.quotaFiles = files;
            return this;
        }

        /**
         * Sets the TCP forwardings this user may open ({@code ssh -L}, {@code ssh -R}); none by default.
         *
         * @param kinds the allowed kinds (none to allow none)
         * @return this builder
         */
        public Builder forwarding(Forwarding... kinds) {
            forwarding.clear();
            forwarding.addAll(java.util.List.of(kinds));
            return this;
        }

        /**
         * Sets the user's role (SFTPGo's {@code role}), passed on to hooks.
         *
         * @param name 1 to 255 printable characters, or null for none
         * @return this builder
         * @throws IllegalArgumentException for an empty, long or unprintable role
         */
        public Builder role(String name) {
            if (name != null && (name.isEmpty() || name.length() > 255
                    || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f))) {
                throw new IllegalArgumentException("a role is 1 to 255 printable characters");
            }
            this.role = name;
            return this;
        }

        /**
         * Sets one metadata entry, or removes it.
         *
         * @param key 1 to 64 lower-case letters, digits and {@code _} (such as {@code description})
         * @param value the text (at most 4096 characters, no control characters but line breaks and tabs), or null
         *     to remove the entry
         * @return this builder
         * @throws IllegalArgumentException for an invalid key or value, or more than 32 entries
         */
        public Builder metadata(String key, String value) {
            if (key == null || !key.matches("[a-z0-9_]{1,64}")) {
                throw new IllegalArgumentException("a metadata key is 1 to 64 of a-z, 0-9 and _, not " + key);
            }
            if (value == null) {
                metadata.remove(key);
                return this;
            }
            if (value.length() > 4096 || value.chars().anyMatch(c -> (c < 0x20 && c != '\n' && c != '\t'
                    && c != '\r') || c == 0x7f)) {
                throw new IllegalArgumentException("metadata '" + key + "' must be at most 4096 printable characters");
            }
            if (!metadata.containsKey(key) && metadata.size() >= 32) {
                throw new IllegalArgumentException("an account has at most 32 metadata entries");
            }
            metadata.put(key, value);
            return this;
        }

        /**
         * Replaces the metadata.
         *
         * @param entries the entries (see {@link #metadata(String, String)})
         * @return this builder
         */
        public Builder metadata(Map<String, String> entries) {
            metadata.clear();
            entries.forEach(this::metadata);
            return this;
        }

        /**
         * Sets the umask for files and directories this user creates.
         *
         * @param mask the bits to clear, 0 to 0777 (for example {@code 027}), or null to use the server's
         * @return this builder
         * @throws IllegalArgumentException if the mask is outside 0 to 0777
         */
        public Builder umask(Integer mask) {
            if (mask != null && (mask < 0 || mask > 0777)) {
                throw new IllegalArgumentException("umask must be 0 to 0777 (octal), not "
                        + (mask < 0 ? Integer.toString(mask) : "0" + Integer.toOctalString(mask)));
            }
            this.umask = mask;
            return this;
        }

        private static String normalizeDir(String dir) {
            if (dir == null || !dir.startsWith("/")) {
                throw new IllegalArgumentException("a file-permission directory must be absolute, like /incoming: "
                        + dir);
            }
            if (dir.equals("/")) {
                return dir;
            }
            String d = dir.endsWith("/") ? dir.substring(0, dir.length() - 1) : dir;
            for (String seg : d.substring(1).split("/", -1)) {
                if (seg.isEmpty() || seg.equals(".") || seg.equals("..") || seg.chars().anyMatch(c -> c < 0x20)) {
                    throw new IllegalArgumentException("invalid file-permission directory: " + dir);
                }
            }
            return d;
        }

        /** @return the account */
        public Account build() {
            return new Account(this);
        }
    }
}
