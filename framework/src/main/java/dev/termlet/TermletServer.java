package dev.termlet;

import dev.termlet.auth.AccountStore;
import dev.termlet.auth.JsonAccountStore;
import dev.termlet.event.EventRegistry;
import dev.termlet.internal.Settings;
import dev.termlet.internal.command.BuiltinCommands;
import dev.termlet.internal.command.CommandDispatcher;
import dev.termlet.internal.dispatch.HandlerRegistry;
import dev.termlet.internal.dispatch.HandlerScanner;
import dev.termlet.internal.ssh.ServerRuntime;
import dev.termlet.protector.Protector;
import dev.termlet.protector.ProtectorSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A Termlet SSH server. Build one with {@link Termlet#server()}; {@link #close()} stops it gracefully.
 */
public final class TermletServer implements AutoCloseable {
    private final ServerRuntime runtime;
    private final Settings settings;
    private final EventRegistry events;
    private final List<Path> hostKeys;
    private final java.util.Map<SshAlgorithms.Kind, List<String>> algorithms;

    private TermletServer(ServerRuntime runtime, Settings settings, EventRegistry events, List<Path> hostKeys,
            java.util.Map<SshAlgorithms.Kind, List<String>> algorithms) {
        this.runtime = runtime;
        this.settings = settings;
        this.events = events;
        this.hostKeys = hostKeys;
        this.algorithms = algorithms;
    }

    /**
     * Opens the port of a server made with {@link Builder#build()}. From then until {@link #stop} the server keeps
     * the JVM running (one non-daemon thread), so a {@code main} may start it and return.
     *
     * @return this server
     * @throws UncheckedIOException if the host keys cannot be prepared or a port cannot be bound
     * @throws IllegalStateException if none of the {@link Builder#hostKeys host key files} can sign with the chosen
     *     host key algorithms
     */
    public TermletServer start() {
        try {
            if (!hostKeys.isEmpty() && runtime.sshServer().getKeyPairProvider() == null) {
                org.apache.sshd.common.keyprovider.KeyPairProvider keys =
                        dev.termlet.internal.ssh.HostKeys.loadFiles(hostKeys);
                checkHostKeys(dev.termlet.internal.ssh.HostKeys.types(keys));
                runtime.sshServer().setKeyPairProvider(keys);
            }
            runtime.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start SSH on " + settings.bindAddress() + ":" + settings.port(), e);
        }
        return this;
    }

    /**
     * Runs one session of this server's handlers in the terminal the JVM was started from, without SSH: the local
     * console, for development and for local tools (PyserSSH's local TTY mode). The session runs as the operating
     * system's user ({@code user.name}); see {@link #runLocal(String)}.
     *
     * @return the session's exit status
     * @see #runLocal(String)
     */
    public int runLocal() {
        return runLocal(System.getProperty("user.name", "local"));
    }

    /**
     * Runs one session of this server's handlers in the terminal the JVM was started from, without SSH, and returns
     * when it ends. The session is the one an SSH shell gets: {@code connectpty}, {@code pre-shell}, the banner,
     * {@code connect}, then the prompt and line editor; {@code type} and {@code rawtype} for keys, {@code command}
     * for lines, {@code resized} when the terminal's window changes ({@code SIGWINCH}), and {@code disconnected}
     * when it ends: {@code exit}, Ctrl-D on an empty line, {@link Client#close()}, the idle limit, or the JVM
     * shutting down ({@code SIGTERM}, {@code SIGINT} from another process, {@code System.exit}). There is no
     * authentication: the account of that name, if the store has one, gives the session its prompt, banner,
     * permissions and idle limit. The remote address is {@code local console}, not an
     * {@link java.net.InetSocketAddress}. The terminal is put in raw mode while the session runs (Ctrl-C edits the
     * line, as over SSH) and restored afterwards.
     *
     * <p>When standard input or output is not a terminal, the session runs without a PTY, as {@code ssh -T} would:
     * lines from standard input, the end of input ends it.
     *
     * <p>No port is opened unless {@link #start()} was called, in which case SSH clients and the local console share
     * the server (the local session is among {@link #sessions()}). This method does not stop the server: close it
     * when done, or use {@link Builder#runLocal()}.
     *
     * @param user the user name the session runs as
     * @return the session's exit status
     * @throws java.io.UncheckedIOException if the system terminal cannot be opened
     * @throws IllegalStateException if a local console session is already running in this JVM
     */
    public int runLocal(String user) {
        Objects.requireNonNull(user, "user");
        return new dev.termlet.internal.session.LocalConsole(runtime, user).run();
    }

    /** @return the port the server listens on (the real one when 0 was asked for) */
    public int port() {
        return runtime.port();
    }

    /** @return the address the server listens on */
    public String host() {
        return settings.bindAddress();
    }

    /**
     * Every address and port the server listens on: those of {@link Builder#bind(String)} and
     * {@link Builder#port(int)} first, then those of {@link Builder#alsoListen(String, int)}, with the ports
     * actually bound.
     *
     * @return the addresses; empty before {@link #start()}
     */
    public List<java.net.InetSocketAddress> addresses() {
        return ((dev.termlet.internal.ssh.ListeningSshServer) runtime.sshServer()).listening();
    }

    /** Refuses host keys none of which can sign with the chosen host key algorithms. */
    private void checkHostKeys(List<String> keyTypes) {
        List<String> chosen = algorithms.get(SshAlgorithms.Kind.HOST_KEY);
        if (chosen == null) {
            return;
        }
        for (String type : keyTypes) {
            for (String sig : dev.termlet.internal.ssh.Algorithms.signaturesOf(type)) {
                if (chosen.contains(sig)) {
                    return;
                }
            }
        }
        throw new IllegalStateException("none of the host keys " + hostKeys + " (" + keyTypes
                + ") can sign with the host key algorithms " + chosen + "; add a key of one of those types or an"
                + " algorithm of the keys' types");
    }

    /** @return the account store */
    public AccountStore accounts() {
        return settings.accounts();
    }

    /** @return the protector: bans, the block-list and strikes, for programmatic use */
    public Protector protector() {
        return runtime.protector();
    }

    /** @return the data directory */
    public Path dataDir() {
        return settings.dataDir();
    }

    /** @return the event registry the handlers were checked against */
    public EventRegistry events() {
        return events;
    }

    /** @return the number of open SSH connections */
    public int connectionCount() {
        return runtime.connectionCount();
    }

    /**
     * The running shell and exec sessions, for broadcasting, sending to one user or closing sessions. On a node of a
     * cluster (termlet-cluster's {@code Cluster}), the other nodes' sessions follow this node's: their
     * {@link Client#node()} names their node, and output and {@code close} reach them through the database.
     *
     * <pre>{@code
     * server.sessions().forEach(c -> c.println("Maintenance in 5 minutes."));   // broadcast
     * server.sessions().stream().filter(c -> c.user().equals("bob")).forEach(Client::close);   // kick
     * }</pre>
     *
     * @return a snapshot of the sessions
     */
    public java.util.List<Client> sessions() {
        return runtime.sessions();
    }

    /** @return whether the server accepts connections: started, and not stopping or stopped */
    public boolean isRunning() {
        return runtime.isRunning();
    }

    /** @return the number of running shell and exec sessions of this server (on a cluster, of this node) */
    public int sessionCount() {
        return runtime.sessionCount();
    }

    /**
     * Stops gracefully: new connections are refused, every session is told and closed (each fires
     * {@code disconnected}), and the transport closes once they ended or the grace period passed.
     *
     * @param grace how long to wait for sessions
     */
    public void stop(Duration grace) {
        runtime.stop(grace);
    }

    /**
     * Waits until the server has stopped ({@link #stop}, {@link #close}, or a shutdown hook that calls one); returns at
     * once for a server that is not started.
     *
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public void await() throws InterruptedException {
        runtime.await();
    }

    /** Stops with a grace period of 5 seconds. */
    @Override
    public void close() {
        stop(Duration.ofSeconds(5));
    }

    /**
     * Configures a server. Defaults: bind {@code 127.0.0.1}, port 2222, data directory {@code termlet-data},
     * the JSON account store in the data directory, prompt {@code "> "}, no banner, no idle limit, 30 s from
     * connecting to authenticated, 6 auth attempts, 1000 connections in all, 100 per address, 20 per user; of
     * connections not yet authenticated 5 per address and OpenSSH's MaxStartups {@code 10:30:100} in all; 10
     * channels per connection, lines up to 8192 characters, 1000 lines of history per user, refusal reasons hidden,
     * the protector on with {@link ProtectorSettings}' defaults, umask {@code 022}.
     */
    public static final class Builder {
        private String bind = "127.0.0.1";
        private int port = 2222;
        private Path dataDir = Path.of("termlet-data");
        private AccountStore accounts;
        private Authenticator authenticator;
        private String banner;
        private String preAuthBanner;
        private String prompt = "> ";
        private Duration idleTimeout = Duration.ZERO;
        private Duration authTimeout = Duration.ofSeconds(30);
        private int maxAuthAttempts = 6;
        private int maxSessions = 1000;
        private int maxSessionsPerAddress = 100;
        private int maxSessionsPerUser = 20;
        private int maxLineLength = 8192;
        private int historySize = 1000;
        private boolean showRefusalReasons;
        private int eventQueueLimit = 10_000;
        private boolean builtins = true;
        private final java.util.Set<String> disabledBuiltins = new java.util.TreeSet<>();
        private Path completionRoot;
        private ProtectorSettings protector = new ProtectorSettings();
        private io.micrometer.core.instrument.MeterRegistry meterRegistry;
        private Duration passwordCache;
        private Long cipherUpgradeAfter;
        private int maxUnauthenticated = 100;
        private int umask = 022;
        private int startupsBegin = 10;
        private int startupsRate = 30;
        private int maxUnauthenticatedPerAddress = 5;
        private int maxChannelsPerConnection = 10;
        private ProxyProtocol proxyProtocol;
        private final List<dev.termlet.spi.ServerExtension> extensions = new ArrayList<>();
        private final List<String> packages = new ArrayList<>();
        private final List<Object> handlers = new ArrayList<>();
        private EventRegistry events;
        private final List<java.net.InetSocketAddress> moreListeners = new ArrayList<>();
        private final List<Path> hostKeys = new ArrayList<>();
        private final java.util.Map<SshAlgorithms.Kind, List<String>> algorithms =
                new java.util.EnumMap<>(SshAlgorithms.Kind.class);

        Builder() {}

        /**
         * Sets the address to listen on.
         *
         * @param address an IP address or host name; {@code 0.0.0.0} for all interfaces
         * @return this builder
         */
        public Builder bind(String address) {
            this.bind = Objects.requireNonNull(address, "address");
            return this;
        }

        /**
         * Sets the port.
         *
         * @param port the port, or 0 for any free port (read it back with {@link TermletServer#port()})
         * @return this builder
         */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535, not " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * Adds a listener: the server also accepts SSH connections on this address and port, besides those of
         * {@link #bind(String)} and {@link #port(int)}. Every listener shares the limits, protector, accounts and
         * sessions; termlet-fileops' FTP listens on the {@link #bind(String)} address only.
         *
         * @param address an IP address or host name
         * @param port the port, or 0 for any free port (read it back with {@link TermletServer#addresses()})
         * @return this builder
         */
        public Builder alsoListen(String address, int port) {
            Objects.requireNonNull(address, "address");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535, not " + port);
            }
            moreListeners.add(java.net.InetSocketAddress.createUnresolved(address, port));
            return this;
        }

        /**
         * Uses these host keys instead of the ones generated in {@code DATA/hostkeys}: OpenSSH or PEM private key
         * files without a passphrase, for example {@code /etc/ssh/ssh_host_ed25519_key}. They are read when the
         * server starts; a missing or unreadable file fails the start, a file readable by group or others is logged.
         *
         * @param files the private key files, in order of preference
         * @return this builder
         */
        public Builder hostKeys(Path... files) {
            for (Path f : files) {
                hostKeys.add(Objects.requireNonNull(f, "file"));
            }
            return this;
        }

        /**
         * Chooses the algorithms of one kind the server offers, in order of preference, instead of Termlet's
         * defaults ({@link SshAlgorithms#defaults}). Only modern algorithms can be chosen
         * ({@link SshAlgorithms#supported}).
         *
         * @param kind the kind: key exchange, cipher, MAC or host key
         * @param names the names, for example {@code "chacha20-poly1305@openssh.com", "aes256-gcm@openssh.com"}
         * @return this builder
         * @throws IllegalArgumentException for no name, a repeated name or a name that is not supported (the message
         *     lists the supported ones)
         */
        public Builder algorithms(SshAlgorithms.Kind kind, String... names) {
            Objects.requireNonNull(kind, "kind");
            List<String> list = List.of(names);
            dev.termlet.internal.ssh.Algorithms.check(kind, list);
            algorithms.put(kind, list);
            return this;
        }

        /**
         * Sets the data directory: host keys, {@code users.json}, history.
         *
         * @param dir the directory, created if missing
         * @return this builder
         */
        public Builder dataDir(Path dir) {
            this.dataDir = Objects.requireNonNull(dir, "dir");
            return this;
        }

        /**
         * Uses another account store instead of {@code users.json}.
         *
         * @param store the store
         * @return this builder
         */
        public Builder accounts(AccountStore store) {
            this.accounts = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * Adds an external authenticator, asked after the {@code auth} handlers and before the store. An
         * authenticator that is also a {@link dev.termlet.spi.ServerExtension} is configured as one (it gets the
         * account store and data directory).
         *
         * @param authenticator the authenticator
         * @return this builder
         */
        public Builder authenticator(Authenticator authenticator) {
            this.authenticator = authenticator;
            return this;
        }

        /**
         * Scans packages (and their sub-packages) for classes with {@link dev.termlet.annotations.OnUser}
         * or {@link dev.termlet.annotations.Command} methods; each class needs a no-argument constructor unless all its handlers are static.
         *
         * @param packageNames the packages
         * @return this builder
         */
        public Builder scan(String... packageNames) {
            packages.addAll(List.of(packageNames));
            return this;
        }

        /**
         * Registers handler objects, for example beans from a DI container.
         *
         * @param handlerObjects objects with {@link dev.termlet.annotations.OnUser} or
         *     {@link dev.termlet.annotations.Command} methods
         * @return this builder
         */
        public Builder register(Object... handlerObjects) {
            for (Object o : handlerObjects) {
                handlers.add(Objects.requireNonNull(o, "handler"));
            }
            return this;
        }

        /**
         * Sets the banner sent before authentication ({@code SSH_MSG_USERAUTH_BANNER}), which clients such as OpenSSH
         * show before asking for a password: a legal notice, say. Unlike {@link #banner(String)} it reaches every
         * client, logged in or not, so it must say nothing secret.
         *
         * @param text the banner, or null for none (the default)
         * @return this builder
         */
        public Builder preAuthBanner(String text) {
            this.preAuthBanner = text;
            return this;
        }

        /**
         * Sets the text shown when a shell starts (PyserSSH's banner); an account's own banner wins.
         *
         * @param text the banner, or null for none
         * @return this builder
         */
        public Builder banner(String text) {
            this.banner = text;
            return this;
        }

        /**
         * Sets the default prompt; an account's own prompt wins, and a handler can change it per session.
         *
         * @param text the prompt
         * @return this builder
         */
        public Builder prompt(String text) {
            this.prompt = Objects.requireNonNull(text, "text");
            return this;
        }

        /**
         * Sets how long a session may wait for input before {@code timeout} fires and it closes; an
         * account's own limit wins.
         *
         * @param limit the limit, {@link Duration#ZERO} for none
         * @return this builder
         */
        public Builder idleTimeout(Duration limit) {
            this.idleTimeout = Objects.requireNonNull(limit, "limit");
            return this;
        }

        /**
         * Sets how long a connection may take from its TCP accept to authentication, the SSH identification and key
         * exchange included (FTP: until its login). A connection still not authenticated then is closed and earns
         * the protector's {@code NO_AUTH} strike. 30 s by default.
         *
         * @param limit the limit, positive
         * @return this builder
         */
        public Builder authTimeout(Duration limit) {
            Objects.requireNonNull(limit, "limit");
            if (limit.isNegative() || limit.isZero()) {
                throw new IllegalArgumentException("authTimeout must be positive, not " + limit);
            }
            this.authTimeout = limit;
            return this;
        }

        /**
         * Sets the most authentication attempts per connection.
         *
         * @param attempts the limit
         * @return this builder
         */
        public Builder maxAuthAttempts(int attempts) {
            this.maxAuthAttempts = positive(attempts, "maxAuthAttempts");
            return this;
        }

        /**
         * Sets the most connections in all.
         *
         * @param max the limit
         * @return this builder
         */
        public Builder maxSessions(int max) {
            this.maxSessions = positive(max, "maxSessions");
            return this;
        }

        /**
         * Sets the most connections from one address.
         *
         * @param max the limit
         * @return this builder
         */
        public Builder maxSessionsPerAddress(int max) {
            this.maxSessionsPerAddress = positive(max, "maxSessionsPerAddress");
            return this;
        }

        /**
         * Sets the most authenticated connections of one user.
         *
         * @param max the limit
         * @return this builder
         */
        public Builder maxSessionsPerUser(int max) {
            this.maxSessionsPerUser = positive(max, "maxSessionsPerUser");
            return this;
        }

        /**
         * Sets the longest input line; a longer line is refused with a message.
         *
         * @param max the limit in characters
         * @return this builder
         */
        public Builder maxLineLength(int max) {
            this.maxLineLength = positive(max, "maxLineLength");
            return this;
        }

        /**
         * Sets how many lines of history are kept per user.
         *
         * @param lines the number of lines
         * @return this builder
         */
        public Builder historySize(int lines) {
            this.historySize = positive(lines, "historySize");
            return this;
        }

        /**
         * Shows refusal reasons from handlers to clients (off by default: reasons are only logged).
         *
         * @param show whether to show them
         * @return this builder
         */
        public Builder showRefusalReasons(boolean show) {
            this.showRefusalReasons = show;
            return this;
        }

        /**
         * Turns all built-in commands ({@code help}, {@code whoami}, {@code who}, {@code uptime}, {@code date},
         * {@code hostname}, {@code history}, {@code clear}, {@code echo}, {@code exit}, {@code accounts}) on or
         * off; they are on by default.
         *
         * @param on whether they are on
         * @return this builder
         */
        public Builder builtins(boolean on) {
            this.builtins = on;
            return this;
        }

        /**
         * Turns some built-in commands off.
         *
         * @param names built-in command names, for example {@code "who", "hostname"}
         * @return this builder
         * @throws IllegalArgumentException for a name that is no built-in
         */
        public Builder disableBuiltins(String... names) {
            for (String n : names) {
                if (!BuiltinCommands.NAMES.contains(n)) {
                    throw new IllegalArgumentException("no built-in command '" + n + "'; built-ins are "
                            + BuiltinCommands.NAMES);
                }
                disabledBuiltins.add(n);
            }
            return this;
        }

        /**
         * Lets Tab complete {@code Path} arguments of commands with the files below a directory (never
         * outside it). Without it, paths are not completed.
         *
         * @param root the directory
         * @return this builder
         */
        public Builder completionRoot(Path root) {
            this.completionRoot = root;
            return this;
        }

        /**
         * Sets how the protector scores and bans misbehaving addresses (on by default; see
         * {@link ProtectorSettings} for the defaults).
         *
         * @param settings the settings
         * @return this builder
         */
        public Builder protector(ProtectorSettings settings) {
            this.protector = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /**
         * Accepts PROXY protocol headers (HAProxy's versions 1 and 2) from the given load balancers on every
         * listener (SSH, and the FTP and HTTPS listeners of the modules), so that limits, bans, events, hooks and
         * logs see each client's real address. A connection from a trusted address that sends no valid header
         * within the timeout is closed; one from another address that sends a header is closed too. See
         * docs/proxy-protocol.md.
         *
         * @param settings the trusted addresses, or null to accept no header (the default)
         * @return this builder
         */
        public Builder proxyProtocol(ProxyProtocol settings) {
            this.proxyProtocol = settings;
            return this;
        }

        /**
         * Adds a module to the server, for example {@code FileOps} from termlet-fileops.
         *
         * @param extension the module
         * @return this builder
         */
        public Builder extension(dev.termlet.spi.ServerExtension extension) {
            extensions.add(Objects.requireNonNull(extension, "extension"));
            return this;
        }

        /**
         * Sets a hard limit on connections that have not authenticated yet, without random early drop: the same as
         * {@code maxStartups(max, 100, max)}. More are refused before any SSH exchange (FTP: with 421).
         *
         * @param max the limit
         * @return this builder
         */
        public Builder maxUnauthenticated(int max) {
            return maxStartups(max, 100, max);
        }

        /**
         * Sets random early drop of connections not yet authenticated, as OpenSSH's {@code MaxStartups
         * start:rate:full} ({@code 10:30:100} by default): below {@code start} every connection is admitted; from
         * {@code start} a new one is refused with probability {@code rate} percent, rising linearly to 100 % at
         * {@code full}. SSH and FTP connections count together. See also
         * {@link #maxUnauthenticatedPerAddress(int)}, which keeps one address from reaching {@code start} alone.
         *
         * @param start the unauthenticated connections at which dropping begins
         * @param rate the drop probability at {@code start}, 0..100
         * @param full the unauthenticated connections at which every new one is refused
         * @return this builder
         */
        public Builder maxStartups(int start, int rate, int full) {
            positive(start, "maxStartups start");
            positive(full, "maxStartups full");
            if (rate < 0 || rate > 100) {
                throw new IllegalArgumentException("maxStartups rate must be 0..100, not " + rate);
            }
            if (start > full) {
                throw new IllegalArgumentException("maxStartups start (" + start + ") must not exceed full (" + full
                        + ")");
            }
            this.startupsBegin = start;
            this.startupsRate = rate;
            this.maxUnauthenticated = full;
            return this;
        }

        /**
         * Sets the most connections not yet authenticated from one address (an IPv6 client's whole network of
         * {@link ProtectorSettings#ipv6Prefix(int)}), SSH and FTP together; 5 by default, below the
         * {@link #maxStartups(int, int, int)} start, so that one address alone never causes drops for others.
         * More are refused at once.
         *
         * @param max the limit
         * @return this builder
         */
        public Builder maxUnauthenticatedPerAddress(int max) {
            this.maxUnauthenticatedPerAddress = positive(max, "maxUnauthenticatedPerAddress");
            return this;
        }

        /**
         * Sets the most channels (shell, exec, SFTP and SCP sessions) open at once on one connection; a channel
         * more is refused ({@code OPEN_RESOURCE_SHORTAGE}) and the connection goes on.
         *
         * @param max the limit
         * @return this builder
         */
        public Builder maxChannelsPerConnection(int max) {
            this.maxChannelsPerConnection = positive(max, "maxChannelsPerConnection");
            return this;
        }

        /**
         * Sets the umask for files and directories users create over the file protocols, for accounts that set
         * none of their own ({@link dev.termlet.auth.Account#umask()}); read it with
         * {@link dev.termlet.spi.ExtensionContext#umask(String)}.
         *
         * @param mask the bits to clear from a requested mode, 0 to 0777 (default {@code 022})
         * @return this builder
         * @throws IllegalArgumentException if the mask is outside 0 to 0777
         */
        public Builder umask(int mask) {
            if (mask < 0 || mask > 0777) {
                throw new IllegalArgumentException("umask must be 0 to 0777 (octal), not "
                        + (mask < 0 ? Integer.toString(mask) : "0" + Integer.toOctalString(mask)));
            }
            this.umask = mask;
            return this;
        }

        /**
         * Uses another event registry, for example one with application-defined events.
         *
         * @param registry the registry
         * @return this builder
         */
        public Builder events(EventRegistry registry) {
            this.events = Objects.requireNonNull(registry, "registry");
            return this;
        }

        private static int positive(int value, String name) {
            if (value <= 0) {
                throw new IllegalArgumentException(name + " must be positive, not " + value);
            }
            return value;
        }

        /**
         * How long a password that passed Argon2id is remembered for the next login of the same account with the same
         * password ({@link dev.termlet.auth.PasswordHasher#cacheVerified}); {@code Duration.ZERO} turns it off.
         * Default: 15 minutes. It applies to the account store's hasher.
         *
         * @param time how long, zero for never
         * @return this builder
         */
        public Builder passwordCache(Duration time) {
            if (time.isNegative()) {
                throw new IllegalArgumentException("negative password cache time " + time);
            }
            this.passwordCache = time;
            return this;
        }

        /**
         * After how many bytes (in either direction, counted across the key exchanges the client starts) a session
         * that negotiated ChaCha20-Poly1305 is re-keyed to AES-GCM, where this JVM runs AES-GCM on the processor's AES instructions
         * and the client offers it. OpenSSH's client, like most, prefers ChaCha20-Poly1305, which the JVM computes in
         * Java; AES-GCM takes 30-80 % of the server's CPU for the same data (Java 17 and 25) (docs/performance.md). The
         * server offers only its AES-GCM ciphers in that key exchange, and the client picks among them. Sessions that
         * move less never re-key for it. Default: 4 MiB; 0 turns it off.
         *
         * @param bytes the threshold, 0 for never
         * @return this builder
         */
        public Builder cipherUpgradeAfter(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("negative cipher upgrade threshold " + bytes);
            }
            this.cipherUpgradeAfter = bytes;
            return this;
        }

        /**
         * Measures the server on a Micrometer registry: connections, sessions, logins, the protector, time in
         * handlers, and what extensions add (file operations, hooks); the meters are listed in docs/operations.md.
         * Without a registry nothing is measured.
         *
         * @param registry the application's registry (Prometheus, JMX, a composite...)
         * @return this builder
         */
        public Builder meterRegistry(io.micrometer.core.instrument.MeterRegistry registry) {
            this.meterRegistry = java.util.Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * Validates the handlers and prepares the server without opening the port.
         *
         * @return the server, not yet listening
         * @throws IllegalStateException if a handler is invalid (the message lists each problem), or if the chosen
         *     host key algorithms cannot use the generated host keys
         * @throws UncheckedIOException if the data directory cannot be prepared
         */
        public TermletServer build() {
            List<String> hostKeyAlgorithms = algorithms.get(SshAlgorithms.Kind.HOST_KEY);
            if (hostKeys.isEmpty() && hostKeyAlgorithms != null && hostKeyAlgorithms.stream().noneMatch(
                    a -> a.equals("ssh-ed25519") || a.startsWith("rsa-sha2-"))) {
                throw new IllegalStateException("the generated host keys (Ed25519, RSA) cannot sign with the host key"
                        + " algorithms " + hostKeyAlgorithms + "; add ssh-ed25519 or rsa-sha2-512, or give host key"
                        + " files of those types (hostKeys)");
            }
            EventRegistry registry = events != null ? events : EventRegistry.standard();
            HandlerRegistry handlerRegistry = new HandlerRegistry(registry);
            CommandDispatcher commands = new CommandDispatcher();
            BuiltinCommands builtinCommands = null;
            if (builtins) {
                builtinCommands = new BuiltinCommands();
                commands.register(builtinCommands);
                commands.remove(disabledBuiltins);
            }
            for (String p : packages) {
                HandlerScanner.scan(p, handlerRegistry, commands);
            }
            for (Object h : handlers) {
                int found = handlerRegistry.register(h) + commands.register(h);
                if (found == 0) {
                    throw new IllegalStateException(h.getClass().getName() + " was registered but has no @OnUser or"
                            + " @Command methods.");
                }
            }
            commands.validate();
            try {
                dev.termlet.internal.ssh.ObservedAccountStore store = new dev.termlet.internal.ssh.ObservedAccountStore(
                        accounts != null ? accounts : JsonAccountStore.open(dataDir));
                if (passwordCache != null) {
                    store.hasher().cacheVerified(passwordCache);
                }
                Settings settings = new Settings(bind, port, dataDir, store, authenticator, banner, prompt,
                        idleTimeout, authTimeout, maxAuthAttempts, maxSessions, maxSessionsPerUser,
                        maxSessionsPerAddress, maxLineLength, historySize, showRefusalReasons, eventQueueLimit,
                        builtins, java.util.Set.copyOf(disabledBuiltins), completionRoot, protector,
                        maxUnauthenticated, umask, maxChannelsPerConnection, startupsBegin, startupsRate,
                        maxUnauthenticatedPerAddress, proxyProtocol);
                List<dev.termlet.spi.ServerExtension> all = new ArrayList<>(extensions);
                if (authenticator instanceof dev.termlet.spi.ServerExtension && !all.contains(authenticator)) {
                    all.add((dev.termlet.spi.ServerExtension) authenticator);
                }
                ServerRuntime runtime = new ServerRuntime(settings, handlerRegistry.toDispatcher(), commands,
                        List.copyOf(all), new dev.termlet.internal.metrics.ServerMetrics(meterRegistry));
                if (builtinCommands != null) {
                    builtinCommands.attach(runtime);
                }
                store.listener(runtime::accountChanged);
                ((dev.termlet.internal.ssh.ListeningSshServer) runtime.sshServer()).alsoListen(moreListeners);
                algorithms.forEach((kind, names) -> dev.termlet.internal.ssh.Algorithms.apply(runtime.sshServer(),
                        kind, names));
                if (cipherUpgradeAfter != null) {
                    dev.termlet.internal.ssh.Algorithms.cipherUpgradeAfter(runtime.sshServer(), cipherUpgradeAfter);
                }
                if (preAuthBanner != null && !preAuthBanner.isEmpty()) {
                    org.apache.sshd.core.CoreModuleProperties.WELCOME_BANNER.set(runtime.sshServer(),
                            preAuthBanner.endsWith("\n") ? preAuthBanner : preAuthBanner + "\n");
                }
                return new TermletServer(runtime, settings, registry, List.copyOf(hostKeys),
                        new java.util.EnumMap<>(algorithms));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot prepare the server in " + dataDir, e);
            }
        }

        /**
         * Builds the server, runs one session on the local console as the operating system's user (see
         * {@link TermletServer#runLocal(String)}) without opening a port, and stops the server when the session ends.
         *
         * <pre>{@code
         * int status = Termlet.server().register(new Hello()).runLocal();
         * }</pre>
         *
         * @return the session's exit status
         * @throws IllegalStateException if a handler is invalid
         */
        public int runLocal() {
            try (TermletServer server = build()) {
                return server.runLocal();
            }
        }

        /**
         * Builds the server and opens its port.
         *
         * @return the running server
         * @throws IllegalStateException if a handler is invalid
         * @throws UncheckedIOException if the host keys cannot be prepared or the port cannot be bound
         */
        public TermletServer start() {
            return build().start();
        }
    }
}
