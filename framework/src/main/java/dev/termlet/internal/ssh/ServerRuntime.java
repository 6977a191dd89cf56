package dev.termlet.internal.ssh;

import dev.termlet.Client;
import dev.termlet.auth.Account;
import dev.termlet.auth.AccountStore;
import dev.termlet.event.Events;
import dev.termlet.internal.command.BuiltinContext;
import dev.termlet.internal.command.CommandDispatcher;
import dev.termlet.internal.Settings;
import dev.termlet.internal.dispatch.Dispatcher;
import dev.termlet.internal.dispatch.EventValues;
import dev.termlet.event.Outcome;
import dev.termlet.internal.session.ClientSession;
import dev.termlet.internal.session.SessionHost;
import dev.termlet.internal.ssh.ObservedAccountStore;
import dev.termlet.io.PrivateFiles;
import dev.termlet.internal.util.SerialExecutor;
import dev.termlet.internal.util.Threads;
import dev.termlet.protector.Protector;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.sshd.common.io.IoSession;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.keyboard.UserAuthKeyboardInteractiveFactory;
import org.apache.sshd.server.auth.password.UserAuthPasswordFactory;
import org.apache.sshd.server.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.server.session.ServerSessionImpl;
import org.apache.sshd.server.session.SessionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running Termlet SSH server: MINA SSHD assembled with Termlet's auth, sessions, limits and events. */
public final class ServerRuntime implements SessionHost, BuiltinContext, dev.termlet.spi.ExtensionContext {
    private static final Logger LOG = LoggerFactory.getLogger(ServerRuntime.class);
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

    private final Settings settings;
    private final Dispatcher dispatcher;
    private final CommandDispatcher commands;
    private final Instant startedAt = Instant.now();
    private final SshServer sshd;
    private final ThreadPoolExecutor eventPool;
    private final dev.termlet.internal.util.FairExecutor authPool;
    private final ThreadFactory sessionThreads;
    private final Limits limits;
    private final Protector protector;
    private final java.util.concurrent.ScheduledThreadPoolExecutor delays =
            new java.util.concurrent.ScheduledThreadPoolExecutor(1, Threads.platformThreads("termlet-delay-"));
    private final ConcurrentHashMap<String, Connection> connections = new ConcurrentHashMap<>();
    private final AuthBridge authBridge;
    private final List<dev.termlet.spi.ServerExtension> extensions;
    private final Set<ClientSession> sessions = ConcurrentHashMap.newKeySet();
    private final AccountChanges accountChanges;
    private volatile boolean stopping;
    /** Whether {@link #start()} opened the port; a server used only for the local console never does. */
    private volatile boolean started;

    /**
     * Assembles a server; {@link #start()} opens the port.
     *
     * @param settings the configuration
     * @param dispatcher the handlers
     * @param commands the commands
     * @param extensions modules that add to the server
     * @throws IOException if the data directory or host keys cannot be prepared
     */
    public ServerRuntime(Settings settings, Dispatcher dispatcher, CommandDispatcher commands,
            List<dev.termlet.spi.ServerExtension> extensions) throws IOException {
        this.settings = settings;
        this.dispatcher = dispatcher;
        this.commands = commands;
        int cores = Runtime.getRuntime().availableProcessors();
        this.eventPool = pool("termlet-event-", Math.max(2, cores), 10_000);
        // Auth work (Argon2 checks, auth handlers, external authenticators) takes turns by client address; one
        // address runs on all threads but one, so another address always finds a thread at its next turn.
        int authThreads = Math.max(2, cores * 2);
        this.authPool = new dev.termlet.internal.util.FairExecutor(Threads.platformThreads("termlet-auth-"),
                authThreads, authThreads - 1, 1_000, 100);
        this.sessionThreads = Threads.sessionThreads("termlet-session-");
        this.limits = new Limits(settings.maxSessions(), settings.maxSessionsPerAddress(),
                settings.maxSessionsPerUser(), settings.startupsBegin(), settings.startupsRate(),
                settings.maxUnauthenticated(), settings.maxUnauthenticatedPerAddress(),
                settings.protector().ipv6Prefix(), new java.security.SecureRandom());
        // each connection's authentication deadline is cancelled when it authenticates: drop those at once
        delays.setRemoveOnCancelPolicy(true);
        Files.createDirectories(settings.dataDir());
        this.protector = new Protector(settings.protector(), settings.dataDir(), java.time.Clock.systemUTC());
        protector.listener(new ProtectorEvents());
        this.sshd = SshServer.setUpDefaultServer();
        sshd.setHost(settings.bindAddress());
        sshd.setPort(settings.port());
        // the host keys are loaded (and made on first use) in start(): a server run only on the local console needs none
        Algorithms.apply(sshd);
        CoreModuleProperties.SERVER_IDENTIFICATION.set(sshd, "Termlet");
        // MINA's own auth timeout restarts when the user-auth service starts; Termlet's deadline (admitConnection)
        // runs from the TCP accept. Both use the same limit.
        CoreModuleProperties.AUTH_TIMEOUT.set(sshd, settings.authTimeout());
        CoreModuleProperties.MAX_AUTH_REQUESTS.set(sshd, settings.maxAuthAttempts());
        // Termlet keeps its own idle limit on input (and fires 'timeout'); MINA's would close silently.
        CoreModuleProperties.IDLE_TIMEOUT.set(sshd, Duration.ZERO);
        // Termlet's connection service enforces the channel limit exactly (MINA's own check lets one more in);
        // MINA's property stays as a second bound.
        CoreModuleProperties.MAX_CONCURRENT_CHANNELS.set(sshd, settings.maxChannelsPerConnection());
        sshd.setServiceFactories(List.of(AttemptNaming.FACTORY,
                new ChannelLimit(settings.maxChannelsPerConnection())));
        // Interactive echo and request/response protocols (SFTP) must not wait on Nagle's algorithm for the ACK
        // of the previous segment (up to 40 ms with the peer's delayed ACK), as OpenSSH also disables it.
        CoreModuleProperties.TCP_NODELAY.set(sshd, true);
        // MINA keeps one fixed read buffer per connection (32 KiB by default): a third of an idle session's heap.
        // 8 KiB measured as fast for a 256 MiB SFTP upload (docs/performance.md); the decoder joins partial packets.
        CoreModuleProperties.NIO2_READ_BUFFER_SIZE.set(sshd, 8 * 1024);
        CoreModuleProperties.WINDOW_SIZE.set(sshd, (long) maxBufferedInput());
        AuthBridge auth = new AuthBridge(this, authPool);
        this.authBridge = auth;
        // an InteractiveAuthenticator leads keyboard-interactive logins in as many rounds as it needs
        sshd.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE,
                auth.leadsConversations() ? ConversationAuth.factory(auth)
                        : UserAuthKeyboardInteractiveFactory.INSTANCE,
                UserAuthPasswordFactory.INSTANCE));
        sshd.setPasswordAuthenticator(auth);
        sshd.setPublickeyAuthenticator(auth);
        sshd.setKeyboardInteractiveAuthenticator(auth);
        sshd.setHostBasedAuthenticator(null);
        sshd.setGSSAuthenticator(null);
        // direct-tcpip (ssh -L) and tcpip-forward (ssh -R) only for accounts that allow them (ForwardingRules)
        sshd.setChannelFactories(List.of(TermletChannelSession.FACTORY,
                org.apache.sshd.server.forward.DirectTcpipFactory.INSTANCE));
        sshd.setForwardingFilter(new ForwardingRules(this));
        sshd.setShellFactory(channel -> new SessionCommand(this, null));
        sshd.setCommandFactory((channel, command) -> new SessionCommand(this, command));
        // Admission happens before MINA builds the SSH session, so a refused connection is closed before
        // the server sends its identification. (Throwing from IoServiceEventListener.connectionAccepted
        // would leave the accepted socket open in MINA SSHD 2.17.) The connection is counted at once and found
        // again by the session listener through the I/O session.
        sshd.setSessionFactory(new SessionFactory(sshd) {
            @Override
            protected ServerSessionImpl doCreateSession(IoSession ioSession) throws Exception {
                Connection c = admitConnection(ioSession.getRemoteAddress(), "SSH", () -> ioSession.close(true));
                ioSession.setAttribute(Connection.KEY, c);
                try {
                    return new ServerSessionImpl(getServer(), ioSession) {
                        @Override
                        protected String resolveIdentificationString(String configPropName) {
                            return SoftwareId.resolve(ServerRuntime.this, c,
                                    super.resolveIdentificationString(configPropName));
                        }
                    };
                } catch (Exception | Error e) {
                    release(c);
                    throw e;
                }
            }
        });
        sshd.addSessionListener(new Listener());
        this.extensions = List.copyOf(extensions);
        this.accountChanges = new AccountChanges(settings.accounts(), sessions, connections.values(), this.extensions,
                this::historyPath);
        for (dev.termlet.spi.ServerExtension extension : extensions) {
            extension.configure(this);
        }
    }

    @Override
    public SshServer sshServer() {
        return sshd;
    }

    @Override
    public Path dataDir() {
        return settings.dataDir();
    }

    @Override
    public boolean listens(dev.termlet.event.EventType type) {
        return dispatcher.has(type);
    }

    @Override
    public dev.termlet.spi.ForeignConnection admit(SocketAddress remote, String protocol, Runnable disconnect)
            throws IOException {
        Connection c = admitConnection(remote, protocol, java.util.Objects.requireNonNull(disconnect, "disconnect"));
        LOG.debug("{} connection {} from {}", protocol, c.id(), c.remoteText());
        return new Foreign(c, protocol);
    }

    /** A connection of another protocol, accounted like an SSH one. */
    private final class Foreign implements dev.termlet.spi.ForeignConnection {
        private final Connection c;
        private final String protocol;

        Foreign(Connection c, String protocol) {
            this.c = c;
            this.protocol = protocol;
        }

        @Override
        public String id() {
            return c.id();
        }

        @Override
        public SocketAddress remote() {
            return c.remote();
        }

        @Override
        public java.util.concurrent.Executor events() {
            return c.events();
        }

        @Override
        public String user() {
            return c.user();
        }

        @Override
        public boolean accountExpected() {
            return c.accountExpected();
        }

        @Override
        public java.time.Duration age() {
            return c.age();
        }

        @Override
        public Map<String, String> mdc() {
            return c.mdcMap();
        }

        @Override
        public boolean authenticate(String user, String password) {
            if (c.user() != null) {
                return user.equals(c.user());
            }
            dev.termlet.AuthRequest req = new dev.termlet.AuthRequest(user, dev.termlet.auth.AuthMethod.PASSWORD,
                    password, null, null, c.remote(), c.id(), protocol);
            if (!authBridge.decideNow(c, req)) {
                return false;
            }
            c.authenticated(user, settings.accounts().find(user).orElse(null));
            limits.authenticated(c, user);
            c.cancelAuthDeadline();
            if (dispatcher.has(Events.AUTH_SUCCESS)) {
                try {
                    c.events().execute(() -> dispatcher.fire(EventValues.of(Events.AUTH_SUCCESS, req), null));
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    LOG.warn("auth-success dropped: event queue full");
                }
            }
            c.withMdc(() -> LOG.info("user {} authenticated over {} from {} on {}", user, protocol, c.remoteText(),
                    c.id()));
            return true;
        }

        @Override
        public void close() {
            if (!release(c)) {
                return;
            }
            if (c.user() == null && !stopping) {
                protector.strike(dev.termlet.protector.Addresses.host(c.remote()), dev.termlet.protector.Strike.Kind.NO_AUTH, null);
            }
            if (dispatcher.has(Events.CONNECTION_CLOSED) && c.remote() instanceof java.net.InetSocketAddress) {
                EventValues v = EventValues.of(Events.CONNECTION_CLOSED, new dev.termlet.event.ConnectionClosed(
                        (java.net.InetSocketAddress) c.remote(), c.user(), protocol, c.age()));
                try {
                    c.events().execute(() -> dispatcher.fire(v, null));
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    LOG.warn("connection-closed dropped: event queue full");
                }
            }
        }
    }

    @Override
    public Outcome fireOn(dev.termlet.event.EventType type, java.util.concurrent.Executor queue,
            Object... values) {
        if (!dispatcher.has(type)) {
            return Outcome.NONE;
        }
        Outcome o = dispatcher.fire(EventValues.of(type, values), queue != null ? queue : eventPool);
        return o;
    }

    /**
     * Fires an event that belongs to no connection, asynchronously on the event pool (in no particular order
     * with other such events).
     *
     * @param type the event type
     * @param values the values, in the type's order
     */
    public void post(dev.termlet.event.EventType type, Object... values) {
        if (!dispatcher.has(type)) {
            return;
        }
        try {
            eventPool.execute(() -> dispatcher.fire(EventValues.of(type, values), null));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.warn("{} dropped: event queue full", type.name());
        }
    }

    /**
     * Fires a pre-event of a connection that has no SSH session yet, on the auth pool (never on the I/O thread
     * that waits for it), for at most five seconds.
     *
     * @throws IOException if the handlers failed or took too long
     */
    Outcome fireBeforeSession(Connection c, dev.termlet.event.EventType type, Object... values) throws IOException {
        java.util.concurrent.FutureTask<Outcome> f = new java.util.concurrent.FutureTask<>(() ->
                dispatcher.fire(EventValues.of(type, values), eventPool));
        authPool.execute(AuthBridge.key(c), f);
        try {
            return f.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new IOException(type.name() + " handlers were interrupted", e);
        } catch (Exception e) {
            f.cancel(true);
            throw new IOException(type.name() + " handlers failed or took too long", e);
        }
    }

    @Override
    public Optional<dev.termlet.spi.SshConnection> connection(Session session) {
        return Optional.ofNullable(session == null ? null : session.getAttribute(Connection.KEY));
    }

    @Override
    public java.util.concurrent.Executor events(Session session) {
        Connection c = session == null ? null : session.getAttribute(Connection.KEY);
        return c != null ? c.events() : eventPool;
    }

    @Override
    public java.util.concurrent.Executor newEventQueue() {
        return new SerialExecutor(eventPool, settings.eventQueueLimit());
    }

    @Override
    public void on(dev.termlet.event.EventType type, boolean async, dev.termlet.spi.EventListener listener) {
        dispatcher.add(type, listener.getClass().getName(), async, listener);
    }

    @Override
    public Outcome fire(dev.termlet.event.EventType type, Session session, Object... values) {
        if (!dispatcher.has(type)) {
            return Outcome.NONE;
        }
        Connection c = session == null ? null : session.getAttribute(Connection.KEY);
        Outcome o = dispatcher.fire(EventValues.of(type, values), c != null ? c.events() : eventPool);
        return o;
    }

    private static ThreadPoolExecutor pool(String prefix, int threads, int queue) {
        ThreadPoolExecutor p = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(queue), Threads.platformThreads(prefix));
        p.allowCoreThreadTimeOut(true);
        return p;
    }

    /** The most input bytes buffered per session: also the SSH window offered to clients. */
    int maxBufferedInput() {
        return 2 * 1024 * 1024;
    }

    ThreadFactory sessionThreads() {
        return sessionThreads;
    }

    Limits limits() {
        return limits;
    }

    /** @return the protector */
    @Override
    public Protector protector() {
        return protector;
    }

    /** @return a scheduler for short, non-blocking delays (failed-login delays, authentication deadlines) */
    java.util.concurrent.ScheduledExecutorService delays() {
        return delays;
    }

    /** Fires the protector's events, asynchronously. */
    private final class ProtectorEvents implements Protector.Listener {
        private void post(dev.termlet.event.EventType type, Object value) {
            if (dispatcher.has(type)) {
                try {
                    eventPool.execute(() -> dispatcher.fire(EventValues.of(type, value), null));
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    LOG.warn("{} dropped: event queue full", type.name());
                }
            }
        }

        @Override
        public void strike(dev.termlet.protector.Strike strike) {
            post(Events.PROTECTOR_STRIKE, strike);
        }

        @Override
        public void banned(dev.termlet.protector.Ban ban) {
            post(Events.BLOCKLIST_ADD, ban);
        }

        @Override
        public void refused(dev.termlet.protector.Ban ban) {
            post(Events.BLOCKLIST_HIT, ban);
        }
    }

    /**
     * Opens the port.
     *
     * @throws IOException if the address cannot be bound or the host keys cannot be prepared
     */
    public void start() throws IOException {
        if (sshd.getKeyPairProvider() == null) {
            sshd.setKeyPairProvider(HostKeys.load(settings.dataDir().resolve("hostkeys")));
        }
        sshd.start();
        for (int i = 0; i < extensions.size(); i++) {
            try {
                extensions.get(i).start();
            } catch (IOException | RuntimeException e) {
                for (int j = i - 1; j >= 0; j--) {
                    extensions.get(j).stop();
                }
                sshd.stop(true);
                throw e;
            }
        }
        started = true;
        LOG.info("SSH listening on {}:{} (session threads: {})", settings.bindAddress(), port(),
                Threads.virtualThreads("probe") != null ? "virtual" : "platform");
        LoginCheck.warnIfNoOneCanLogIn(settings, dispatcher);
    }

    /** @return the bound port */
    public int port() {
        return sshd.getPort();
    }

    /** @return the number of open connections */
    public int connectionCount() {
        return limits.total();
    }

    /** @return the number of running sessions */
    public int sessionCount() {
        return sessions.size();
    }

    /**
     * Stops gracefully: refuses new connections, closes every session (each fires {@code disconnected}),
     * waits for them up to the grace period, then closes the transport.
     *
     * @param grace how long to wait for sessions to end
     */
    public void stop(Duration grace) {
        stopping = true;
        for (ClientSession s : sessions) {
            s.println("");
            s.println("Server is shutting down.");
            s.close();
        }
        long deadline = System.nanoTime() + grace.toNanos();
        while (!sessions.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (!sessions.isEmpty()) {
            LOG.warn("{} sessions still running after {}; closing their connections", sessions.size(), grace);
        }
        for (dev.termlet.spi.ServerExtension extension : started ? extensions
                : List.<dev.termlet.spi.ServerExtension>of()) {
            try {
                extension.stop();
            } catch (RuntimeException e) {
                LOG.warn("stopping {} failed: {}", extension.getClass().getName(), e.toString());
            }
        }
        if (started) {
            try {
                sshd.stop(false);
            } catch (IOException e) {
                LOG.warn("stopping the SSH server failed: {}", e.toString());
            }
        }
        eventPool.shutdown();
        authPool.shutdown();
        delays.shutdown();
        try {
            eventPool.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (started) {
            LOG.info("stopped");
        }
    }

    /**
     * Admits a new connection of any protocol: the block-list and bans, the limits (which count it at once), its
     * authentication deadline, then the {@code new-connection} handlers.
     *
     * @param remote the client's address
     * @param protocol the protocol, for the log
     * @param disconnect closes the connection when it has not authenticated in time
     * @return the admitted connection, counted
     * @throws IOException if it is refused (the message says why)
     */
    private Connection admitConnection(SocketAddress remote, String protocol, Runnable disconnect)
            throws IOException {
        if (stopping) {
            throw new IOException("server is stopping");
        }
        java.util.Optional<dev.termlet.protector.Ban> ban = protector.check(dev.termlet.protector.Addresses.host(remote));
        if (ban.isPresent()) {
            LOG.info("connection from {} refused: {}", remote, ban.get().permanent() ? "block-list"
                    : "banned until " + ban.get().until());
            throw new IOException("banned");
        }
        Connection c = new Connection(remote, new SerialExecutor(eventPool, settings.eventQueueLimit()));
        String why = limits.admit(c);
        if (why != null) {
            LOG.warn("{} connection from {} refused: {}", protocol, remote, why);
            throw new IOException(why);
        }
        c.counted(true);
        connections.put(c.id(), c);
        try {
            c.authDeadline(delays.schedule(() -> authExpired(c, protocol, disconnect),
                    settings.authTimeout().toMillis(), TimeUnit.MILLISECONDS));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            release(c);
            throw new IOException("server is stopping");
        }
        if (dispatcher.has(Events.NEW_CONNECTION)) {
            InetSocketAddress inet = remote instanceof InetSocketAddress ? (InetSocketAddress) remote : null;
            Outcome o;
            try {
                java.util.concurrent.FutureTask<Outcome> f = new java.util.concurrent.FutureTask<>(() ->
                        dispatcher.fire(EventValues.of(Events.NEW_CONNECTION, inet, dev.termlet.protector.Addresses.host(remote),
                                new dev.termlet.event.ConnectionOpened(inet, protocol)), eventPool));
                authPool.execute(AuthBridge.key(c), f);
                try {
                    o = f.get(5, TimeUnit.SECONDS);
                } catch (Exception e) {
                    f.cancel(true);
                    throw new IOException("new-connection handlers failed or took too long", e);
                }
            } catch (IOException | RuntimeException e) {
                release(c);
                throw e;
            }
            if (o.refused()) {
                release(c);
                LOG.info("connection from {} refused by new-connection handler", remote);
                throw new IOException("refused");
            }
        }
        return c;
    }

    /** Closes a connection that has not authenticated within the auth timeout. */
    private void authExpired(Connection c, String protocol, Runnable disconnect) {
        if (c.user() != null || !c.counted()) {
            return;
        }
        LOG.info("{} connection {} from {} did not authenticate within {}; closing it", protocol, c.id(),
                c.remoteText(), settings.authTimeout());
        try {
            disconnect.run();
        } catch (RuntimeException e) {
            LOG.warn("closing connection {} failed: {}", c.id(), e.toString());
        }
    }

    /**
     * Releases what an admitted connection holds (limits, deadline, registry); only the first call does.
     *
     * @param c the connection
     * @return true for the call that released it
     */
    private boolean release(Connection c) {
        synchronized (c) {
            if (!c.counted()) {
                return false;
            }
            c.counted(false);
        }
        c.cancelAuthDeadline();
        connections.remove(c.id());
        limits.closed(c);
        return true;
    }

    @Override
    public Settings settings() {
        return settings;
    }

    @Override
    public Dispatcher dispatcher() {
        return dispatcher;
    }

    @Override
    public CommandDispatcher commands() {
        return commands;
    }

    @Override
    public List<Client> sessions() {
        return List.copyOf(sessions);
    }

    @Override
    public Instant startedAt() {
        return startedAt;
    }

    @Override
    public AccountStore accounts() {
        return settings.accounts();
    }

    @Override
    public Executor asyncExecutor(String connectionId) {
        Connection c = connections.get(connectionId);
        return c != null ? c.events() : eventPool;
    }

    /**
     * Where a user's line history is kept, {@code DATA/history/NAME.history}, prepared private: the directory with
     * mode 0700 and the file with mode 0600, both made so at creation.
     *
     * @param user the user
     * @return the file, or null (history in memory only) if it cannot be prepared
     */
    @Override
    public Path historyFile(String user) {
        Path file = historyPath(user);
        try {
            PrivateFiles.createDirectories(file.getParent());
            PrivateFiles.createFileIfMissing(file);
            return file;
        } catch (IOException e) {
            LOG.warn("cannot prepare the history file {}: {}; history is kept in memory only", file, e.toString());
            return null;
        }
    }

    private Path historyPath(String user) {
        String name = SAFE_NAME.matcher(user).matches() && !user.startsWith(".") ? user : digest(user);
        return settings.dataDir().resolve("history").resolve(name + ".history");
    }

    @Override
    public int umask(String user) {
        try {
            Optional<Account> a = user == null ? Optional.empty() : settings.accounts().find(user);
            return a.isPresent() && a.get().umask().isPresent() ? a.get().umask().getAsInt() : settings.umask();
        } catch (RuntimeException e) {
            LOG.warn("cannot read the account of {} for its umask; using 0{}: {}", user,
                    Integer.toOctalString(settings.umask() | 077), e.toString());
            return settings.umask() | 077;
        }
    }

    /**
     * Applies a change of the account store on the thread that made it (see {@link AccountChanges}), then fires
     * the account event.
     *
     * @param change what changed
     * @param account the account as it is now, or as it was when removed
     */
    public void accountChanged(ObservedAccountStore.Change change, Account account) {
        accountChanges.apply(change, account);
        post(change == ObservedAccountStore.Change.ADDED ? Events.ACCOUNT_ADD
                : change == ObservedAccountStore.Change.UPDATED ? Events.ACCOUNT_UPDATE
                : Events.ACCOUNT_DELETE, account);
    }

    private static String digest(String s) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void sessionStarted(ClientSession session) {
        sessions.add(session);
    }

    @Override
    public void sessionEnded(ClientSession session, int exitStatus) {
        sessions.remove(session);
        LOG.debug("session ended with status {}", exitStatus);
    }

    private final class Listener implements SessionListener {
        @Override
        public void sessionEstablished(Session session) {
            ensure(session);
        }

        @Override
        public void sessionCreated(Session session) {
            ensure(session);
        }

        private Connection ensure(Session session) {
            synchronized (session) {
                Connection c = session.getAttribute(Connection.KEY);
                if (c == null) {
                    IoSession io = session.getIoSession();
                    Object admitted = io == null ? null : io.getAttribute(Connection.KEY);
                    if (admitted instanceof Connection) {
                        c = (Connection) admitted;
                    } else {
                        // every server session is made by the factory above; fail closed if one was not
                        c = new Connection(session.getRemoteAddress(), new SerialExecutor(eventPool,
                                settings.eventQueueLimit()));
                        LOG.warn("connection {} from {} was not admitted; closing it", c.id(), c.remoteText());
                        session.close(true);
                    }
                    session.setAttribute(Connection.KEY, c);
                    c.transport(session);
                    LOG.debug("connection {} from {}", c.id(), c.remoteText());
                }
                return c;
            }
        }

        @Override
        public void sessionEvent(Session session, Event event) {
            if (event != Event.Authenticated) {
                return;
            }
            Connection c = ensure(session);
            String user = session.getUsername();
            c.authenticated(user, settings.accounts().find(user).orElse(null));
            limits.authenticated(c, user);
            c.cancelAuthDeadline();
            // The account may have been removed or disabled after the decision and before this point, and so missed
            // by accountChanged's sweep (the user was not yet set): look again now that it is.
            if (accountChanges.revoked(c)) {
                LOG.info("account of {} was removed or disabled while logging in; closing {}", user, c.id());
                session.close(true);
                return;
            }
            dev.termlet.AuthRequest req = c.pendingSuccess();
            if (req != null && dispatcher.has(Events.AUTH_SUCCESS)) {
                try {
                    c.events().execute(() -> dispatcher.fire(EventValues.of(Events.AUTH_SUCCESS, req), null));
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    LOG.warn("auth-success dropped: event queue full");
                }
            }
            c.withMdc(() -> LOG.info("user {} authenticated from {} on {}", user, c.remoteText(), c.id()));
        }

        @Override
        public void sessionException(Session session, Throwable t) {
            Connection c = session.getAttribute(Connection.KEY);
            if (c != null && c.user() == null && t instanceof org.apache.sshd.common.SshException) {
                protector.strike(dev.termlet.protector.Addresses.host(c.remote()), dev.termlet.protector.Strike.Kind.PROTOCOL, null);
            }
        }

        @Override
        public void sessionClosed(Session session) {
            Connection c = ensure(session);
            if (!release(c)) {
                return;
            }
            // bare TCP probes and connections that timed out count too: they held an unauthenticated slot
            if (c.user() == null && !stopping) {
                protector.strike(dev.termlet.protector.Addresses.host(c.remote()), dev.termlet.protector.Strike.Kind.NO_AUTH, null);
            }
            if (dispatcher.has(Events.CONNECTION_CLOSED) && c.remote() instanceof java.net.InetSocketAddress) {
                EventValues v = EventValues.of(Events.CONNECTION_CLOSED, new dev.termlet.event.ConnectionClosed(
                        (java.net.InetSocketAddress) c.remote(), c.user(), "SSH", c.age()));
                // after the disconnected of every session an extension runs on the connection (SFTP, SCP): MINA
                // signals sessionClosed when the close starts, before those channels are closed and ended
                c.afterSessions(() -> {
                    try {
                        c.events().execute(() -> dispatcher.fire(v, null));
                    } catch (java.util.concurrent.RejectedExecutionException e) {
                        LOG.warn("connection-closed dropped: event queue full");
                    }
                });
            }
        }
    }
}
