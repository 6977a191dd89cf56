package dev.termlet.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The whole configuration, as {@code termlet.yaml} writes it: every setting of {@code TermletServer.Builder}, file
 * operations, hooks, reloading and logging. Every component is set (defaults filled in); {@code null} only where a key
 * has no default, which means "none".
 *
 * @param listeners the addresses and ports SSH listens on
 * @param dataDir the data directory
 * @param hostKeys host key files to use instead of generated ones
 * @param algorithms the SSH algorithms offered
 * @param scan packages scanned for handler classes
 * @param prompt the default prompt
 * @param banner the text shown when a shell starts
 * @param preAuthBanner the text sent before authentication
 * @param showRefusalReasons whether handlers' refusal reasons reach clients
 * @param builtins the built-in commands
 * @param completionRoot where {@code Path} arguments are completed from
 * @param limits the connection, session and input limits
 * @param timeouts the time limits
 * @param protector the protector
 * @param proxyProtocol the load balancers trusted to send PROXY protocol headers
 * @param accounts the account store
 * @param database the shared PostgreSQL (termlet-cluster)
 * @param cluster this server as one node of several (termlet-cluster)
 * @param reload what is read again while the server runs
 * @param fileops file operations (termlet-fileops)
 * @param web the web side (termlet-web)
 * @param hooks external hooks (termlet-fileops)
 * @param logging log levels
 */
public record ServerConfig(
        @ConfigKey(value = "addresses and ports SSH listens on; FTP listens on the first address", dflt = "[{address: 127.0.0.1, port: 2222}]")
        List<Listener> listeners,
        @ConfigKey(value = "host keys, users.json, history, the block-list, homes", dflt = "termlet-data")
        Path dataDir,
        @ConfigKey(value = "private host key files (OpenSSH or PEM, no passphrase) used instead of the keys generated in DATA/hostkeys", dflt = "[]")
        List<Path> hostKeys,
        @ConfigKey("the SSH algorithms offered, each list in order of preference; an empty list keeps Termlet's")
        Algorithms algorithms,
        @ConfigKey(value = "packages scanned for classes with @OnUser and @Command methods", dflt = "[]")
        List<String> scan,
        @ConfigKey(value = "the default prompt; an account's wins", dflt = "> ")
        String prompt,
        @ConfigKey("the text shown when a shell starts; an account's wins")
        String banner,
        @ConfigKey("the text sent before authentication, which every client sees")
        String preAuthBanner,
        @ConfigKey(value = "show handlers' refusal reasons to clients", dflt = "false")
        boolean showRefusalReasons,
        @ConfigKey("the built-in commands")
        Builtins builtins,
        @ConfigKey("the directory below which Tab completes Path arguments of commands")
        Path completionRoot,
        @ConfigKey("connection, session and input limits")
        Limits limits,
        @ConfigKey("time limits")
        Timeouts timeouts,
        @ConfigKey("scores and bans misbehaving addresses")
        Protector protector,
        @ConfigKey("PROXY protocol (v1, v2) from load balancers, on the SSH, FTP and HTTPS listeners")
        ProxyProtocol proxyProtocol,
        @ConfigKey("the account store")
        Accounts accounts,
        @ConfigKey("the PostgreSQL that accounts.store postgresql and the cluster use (termlet-cluster)")
        Database database,
        @ConfigKey("this server as one node of several on one database: shared bans, strikes, quota usage and sessions (termlet-cluster)")
        Cluster cluster,
        @ConfigKey("what is read again from the data directory while the server runs")
        Reload reload,
        @ConfigKey("file operations: SFTP, SCP, FTP(S)")
        FileOpsConfig fileops,
        @ConfigKey("the web side: HTTPS file client, share links, WebDAV, admin API (termlet-web)")
        WebConfig web,
        @ConfigKey("SFTPGo-style hooks: programs and HTTP endpoints")
        HooksConfig hooks,
        @ConfigKey("log levels (applied when the application logs through Logback)")
        Logging logging) {

    /**
     * One address and port SSH listens on.
     *
     * @param address an IP address or host name
     * @param port the port, 0 for any free one
     */
    public record Listener(
            @ConfigKey(value = "an IP address or host name; 0.0.0.0 for every IPv4 interface", dflt = "127.0.0.1")
            String address,
            @ConfigKey(value = "the port; 0 picks a free one", dflt = "2222", min = 0, max = 65535)
            int port) {}

    /**
     * The SSH algorithms offered, in order of preference; an empty list keeps Termlet's defaults.
     *
     * @param kex key exchange
     * @param ciphers ciphers
     * @param macs MACs
     * @param hostKey host key signatures
     * @param cipherUpgradeAfter bytes after which a session under ChaCha20-Poly1305 is re-keyed to AES-GCM
     */
    public record Algorithms(
            @ConfigKey(value = "key exchange algorithms (OpenSSH's KexAlgorithms)", dflt = "[]")
            List<String> kex,
            @ConfigKey(value = "ciphers", dflt = "[]")
            List<String> ciphers,
            @ConfigKey(value = "MACs (used with the CTR ciphers)", dflt = "[]")
            List<String> macs,
            @ConfigKey(value = "host key signature algorithms (OpenSSH's HostKeyAlgorithms)", dflt = "[]")
            List<String> hostKey,
            @ConfigKey(value = "after this many bytes a session under ChaCha20-Poly1305 is re-keyed to AES-GCM, where"
                    + " the processor runs AES and the client offers it; 0 never", dflt = "4MiB", min = 0,
                    unit = ConfigKey.Unit.SIZE)
            long cipherUpgradeAfter) {}

    /**
     * The built-in commands.
     *
     * @param enabled whether they are on
     * @param disabled built-ins turned off by name
     */
    public record Builtins(
            @ConfigKey(value = "turns every built-in command on or off", dflt = "true")
            boolean enabled,
            @ConfigKey(value = "built-in commands turned off by name (who, hostname, ...)", dflt = "[]")
            List<String> disabled) {}

    /**
     * Connection, session and input limits.
     *
     * @param maxSessions connections in all
     * @param maxSessionsPerAddress connections from one address
     * @param maxSessionsPerUser authenticated connections of one user
     * @param maxStartups OpenSSH's MaxStartups, {@code start:rate:full}
     * @param maxUnauthenticatedPerAddress unauthenticated connections from one address
     * @param maxChannelsPerConnection channels open at once on one connection
     * @param maxAuthAttempts authentication attempts per connection
     * @param maxLineLength the longest input line
     * @param historySize history lines kept per user
     */
    public record Limits(
            @ConfigKey(value = "connections in all", dflt = "1000", min = 1, max = Integer.MAX_VALUE)
            int maxSessions,
            @ConfigKey(value = "connections from one address", dflt = "100", min = 1, max = Integer.MAX_VALUE)
            int maxSessionsPerAddress,
            @ConfigKey(value = "authenticated connections of one user", dflt = "20", min = 1, max = Integer.MAX_VALUE)
            int maxSessionsPerUser,
            @ConfigKey(value = "connections not yet authenticated, as OpenSSH's MaxStartups start:rate:full: from start a new one is dropped with rate % probability, rising to 100 % at full", dflt = "10:30:100")
            String maxStartups,
            @ConfigKey(value = "connections not yet authenticated from one address (an IPv6 client's network)", dflt = "5", min = 1, max = Integer.MAX_VALUE)
            int maxUnauthenticatedPerAddress,
            @ConfigKey(value = "channels (shell, exec, SFTP, SCP) open at once on one connection", dflt = "10", min = 1, max = Integer.MAX_VALUE)
            int maxChannelsPerConnection,
            @ConfigKey(value = "authentication attempts per connection", dflt = "6", min = 1, max = Integer.MAX_VALUE)
            int maxAuthAttempts,
            @ConfigKey(value = "the longest input line, in characters", dflt = "8192", min = 1, max = Integer.MAX_VALUE)
            int maxLineLength,
            @ConfigKey(value = "history lines kept per user", dflt = "1000", min = 1, max = Integer.MAX_VALUE)
            int historySize) {}

    /**
     * Time limits.
     *
     * @param auth from the TCP accept to authentication
     * @param idle input idle limit of a session, zero for none
     * @param passwordCache how long a verified password is remembered, zero for never
     */
    public record Timeouts(
            @ConfigKey(value = "from the TCP accept to authentication (SSH and FTP); then the connection is closed and struck", dflt = "30s")
            Duration auth,
            @ConfigKey(value = "how long a session may wait for input before it is closed; 0s for no limit; an account's wins", dflt = "0s")
            Duration idle,
            @ConfigKey(value = "how long a password that passed Argon2id is remembered (as an HMAC, in memory) so the same login skips it; 0s for never", dflt = "15m")
            Duration passwordCache) {}

    /**
     * The protector: strikes, growing bans, the block-list and the safe-list.
     *
     * @param enabled whether strikes and bans happen
     * @param threshold the score that bans
     * @param observation how long strikes count
     * @param banTime the first ban's length
     * @param banGrowthPercent how much longer each repeat ban is
     * @param maxBanTime the longest ban
     * @param failureDelay the pause before a failed password is reported
     * @param maxHosts the most addresses tracked
     * @param ipv6Prefix the IPv6 network length scored and banned as one client
     * @param scores the points of each kind of strike
     * @param blockList addresses and ranges always refused
     * @param safeList addresses and ranges never struck or banned
     */
    public record Protector(
            @ConfigKey(value = "strikes and bans happen (the block- and safe-lists apply either way)", dflt = "true")
            boolean enabled,
            @ConfigKey(value = "the score that bans", dflt = "15", min = 1, max = Integer.MAX_VALUE)
            int threshold,
            @ConfigKey(value = "how long strikes count", dflt = "30m")
            Duration observation,
            @ConfigKey(value = "the first ban's length", dflt = "30m")
            Duration banTime,
            @ConfigKey(value = "how much longer each repeat ban is, in percent", dflt = "50", min = 0, max = Integer.MAX_VALUE)
            int banGrowthPercent,
            @ConfigKey(value = "the longest a growing ban gets", dflt = "7d")
            Duration maxBanTime,
            @ConfigKey(value = "the pause before a failed password is reported", dflt = "250ms")
            Duration failureDelay,
            @ConfigKey(value = "the most addresses tracked; the least recently seen are forgotten first", dflt = "100000", min = 100, max = Integer.MAX_VALUE)
            int maxHosts,
            @ConfigKey(value = "the IPv6 network length scored, banned and counted as one client", dflt = "64", min = 32, max = 128)
            int ipv6Prefix,
            @ConfigKey("the points each kind of strike adds; 0 turns it off")
            Scores scores,
            @ConfigKey(value = "addresses and CIDR ranges always refused, besides DATA/blocklist.txt", dflt = "[]")
            List<String> blockList,
            @ConfigKey(value = "addresses and CIDR ranges never struck or banned, besides DATA/safelist.txt", dflt = "[]")
            List<String> safeList) {}

    /**
     * The PROXY protocol: which load balancers must put a header naming the client in front of each connection.
     *
     * @param trusted the balancers' addresses and ranges; empty for none (no header is accepted from anyone)
     * @param headerTimeout how long a balancer's connection may take to send its header (SSH and FTP)
     */
    public record ProxyProtocol(
            @ConfigKey(value = "addresses and CIDR ranges of load balancers that must send a PROXY header (v1 or v2) first; a header from any other address is refused", dflt = "[]")
            List<String> trusted,
            @ConfigKey(value = "how long a load balancer's connection may take to send its whole header (SSH, FTP)", dflt = "10s")
            Duration headerTimeout) {}

    /**
     * The points each kind of strike adds.
     *
     * @param failedLogin a failed login
     * @param unknownUser a login as a user that does not exist
     * @param noAuth a connection that ends without authenticating
     * @param protocol a protocol violation
     * @param unknownCommand an unknown command
     */
    public record Scores(
            @ConfigKey(value = "a failed login", dflt = "1", min = 0, max = Integer.MAX_VALUE)
            int failedLogin,
            @ConfigKey(value = "a login as a user that does not exist", dflt = "2", min = 0, max = Integer.MAX_VALUE)
            int unknownUser,
            @ConfigKey(value = "a connection that closes or times out without authenticating", dflt = "1", min = 0, max = Integer.MAX_VALUE)
            int noAuth,
            @ConfigKey(value = "a protocol violation", dflt = "3", min = 0, max = Integer.MAX_VALUE)
            int protocol,
            @ConfigKey(value = "an unknown command", dflt = "0", min = 0, max = Integer.MAX_VALUE)
            int unknownCommand) {}

    /**
     * The account store.
     *
     * @param store the kind of store
     */
    public record Accounts(
            @ConfigKey(value = "the kind of store: json is DATA/users.json; postgresql is the database section's (termlet-cluster)", dflt = "json", oneOf = {"json", "postgresql"})
            String store) {}

    /**
     * The shared PostgreSQL.
     *
     * @param url the JDBC URL
     * @param user the database user
     * @param password its password
     * @param poolSize the most pooled connections
     * @param connectTimeout how long an operation waits for a connection
     * @param schema a schema of Termlet's own, or null for the user's default
     */
    public record Database(
            @ConfigKey("the PostgreSQL JDBC URL, jdbc:postgresql://HOST:5432/DATABASE")
            String url,
            @ConfigKey("the database user")
            String user,
            @ConfigKey("the user's password; keep it in a file or the environment: ${file:...} or ${env:...}")
            Secret password,
            @ConfigKey(value = "the most pooled connections", dflt = "10", min = 1, max = 1000)
            int poolSize,
            @ConfigKey(value = "how long an operation waits for a connection before it fails (a login then fails, it is never let through)", dflt = "5s")
            Duration connectTimeout,
            @ConfigKey("a schema of Termlet's own (up to 28 lower-case letters, digits and _), created if missing; unset: the user's default")
            String schema) {}

    /**
     * This server as one node of a cluster.
     *
     * @param enabled whether it is one
     * @param node its name, or null for the host name
     * @param sessionTimeout how long a node that stopped beating keeps its sessions listed
     */
    public record Cluster(
            @ConfigKey(value = "share bans, strikes, quota usage and sessions with the other nodes on the database", dflt = "false")
            boolean enabled,
            @ConfigKey("this node's name, unique in the cluster; unset: the host name")
            String node,
            @ConfigKey(value = "how long the sessions of a node that went silent (killed, cut off) are still listed", dflt = "15s")
            Duration sessionTimeout) {}

    /**
     * What is read again from the data directory while the server runs.
     *
     * @param accounts whether {@code users.json} is
     * @param protectorLists whether {@code blocklist.txt} and {@code safelist.txt} are
     * @param interval how often the files are checked
     */
    public record Reload(
            @ConfigKey(value = "read DATA/users.json again when it changes: removed or disabled accounts are logged out", dflt = "true")
            boolean accounts,
            @ConfigKey(value = "read DATA/blocklist.txt and DATA/safelist.txt again when they change", dflt = "true")
            boolean protectorLists,
            @ConfigKey(value = "how often the files are checked for changes", dflt = "2s")
            Duration interval) {}

    /**
     * Log levels.
     *
     * @param level the root level, or null to leave it
     * @param levels levels by logger name
     */
    public record Logging(
            @ConfigKey(value = "the root log level: trace, debug, info, warn, error or off; unset leaves the logging configuration's", oneOf = {"trace", "debug", "info", "warn", "error", "off"})
            String level,
            @ConfigKey(value = "log levels by logger name, for example org.apache.sshd: warn", dflt = "{}")
            Map<String, String> levels) {}
}
