package dev.termlet.internal.ssh;

import dev.termlet.Client;
import dev.termlet.auth.Account;
import dev.termlet.auth.AccountStore;
import dev.termlet.event.Events;
import dev.termlet.internal.command.BuiltinContext;
import dev.termlet.internal.command.CommandDispatcher;
import dev.termlet.internal.Settings;
import dev.termlet.internal.dispatch.Dispatcher;
import dev.termlet.event.Outcome;
import dev.termlet.internal.metrics.ServerMetrics;
import dev.termlet.internal.session.ClientSession;
import dev.termlet.internal.session.SessionHost;
import dev.termlet.internal.ssh.ObservedAccountStore;
import dev.termlet.internal.util.Threads;
import dev.termlet.protector.Protector;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.apache.sshd.common.io.IoSession;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.common.kex.KexState;
import org.apache.sshd.common.util.ValidateUtils;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.keyboard.UserAuthKeyboardInteractiveFactory;
import org.apache.sshd.server.auth.password.UserAuthPasswordFactory;
import org.apache.sshd.server.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.server.session.ServerSessionImpl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running Termlet SSH server: MINA SSHD assembled with Termlet's auth, sessions, limits and events. */
public final class ServerRuntime implements SessionHost, BuiltinContext, dev.termlet.spi.ExtensionContext {
    private static final Logger LOG = LoggerFactory.getLogger(ServerRuntime.class);
    /** How long a peer's key-exchange message waits for our side's negotiation of a re-key both sides started. */
    private static final long KEX_NEGOTIATION_WAIT_NANOS = 5_000_000_000L;

    private final Settings settings;
    private final Dispatcher dispatcher;
    private final CommandDispatcher commands;
    private final Instant startedAt = Instant.now();
    private final dev.termlet.internal.session.HistoryFiles histories;
    private final SshServer sshd;
    private final EventHub hub;
    private final ServerMetrics metrics;
    private final Connections connections;
    private final dev.termlet.internal.util.FairExecutor authPool;
    private final dev.termlet.internal.util.SessionThreads sessionThreads;
    private final Limits limits;
    private final Protector protector;
    private final java.util.concurrent.ScheduledThreadPoolExecutor delays =
            new java.util.concurrent.ScheduledThreadPoolExecutor(1, Threads.platformThreads("termlet-delay-"));
    private final AuthBridge authBridge;
    private final List<dev.termlet.spi.ServerExtension> extensions;
    private final Map<ClientSession, Runnable> sessions = new ConcurrentHashMap<>();
    /** Where the sessions are shared with other nodes, or null on a node alone. */
    private volatile dev.termlet.spi.SessionDirectory directory;
    private final AccountChanges accountChanges;
    /** Whether {@link #start()} opened the port; a server used only for the local console never does. */
    private volatile boolean started;
    /** The subscription to the changes the account store learns of by itself (another node's), while started. */
    private volatile AutoCloseable watching;
    /** Counted down when the server has stopped: ends the keep-alive thread and {@link #await()}. */
    private final java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);

    /**
     * Assembles a server; {@link #start()} opens the port.
     *
     * @param settings the configuration
     * @param dispatcher the handlers
     * @param commands the commands
     * @param extensions modules that add to the server
     * @param metrics the meters, or {@link ServerMetrics#NONE}
     * @throws IOException if the data directory or host keys cannot be prepared
     */
    public ServerRuntime(Settings settings, Dispatcher dispatcher, CommandDispatcher commands,
            List<dev.termlet.spi.ServerExtension> extensions, ServerMetrics metrics) throws IOException {
        this.settings = settings;
        this.dispatcher = dispatcher;
        this.commands = commands;
        this.metrics = metrics;
        dispatcher.metrics(metrics);
        this.histories = new dev.termlet.internal.session.HistoryFiles(settings.dataDir().resolve("history"));
        int cores = Runtime.getRuntime().availableProcessors();
        // Auth work (Argon2 checks, auth handlers, external authenticators) takes turns by client address; one
        // address runs on all threads but one, so another address always finds a thread at its next turn.
        int authThreads = Math.max(2, cores * 2);
        this.authPool = new dev.termlet.internal.util.FairExecutor(Threads.platformThreads("termlet-auth-"),
                authThreads, authThreads - 1, 1_000, 100);
        this.hub = new EventHub(settings, dispatcher, authPool);
        this.sessionThreads = dev.termlet.internal.util.SessionThreads.create("termlet-session-");
        this.limits = new Limits(settings.maxSessions(), settings.maxSessionsPerAddress(),
                settings.maxSessionsPerUser(), settings.startupsBegin(), settings.startupsRate(),
                settings.maxUnauthenticated(), settings.maxUnauthenticatedPerAddress(),
                settings.protector().ipv6Prefix(), new java.security.SecureRandom());
        // each connection's authentication deadline is cancelled when it authenticates: drop those at once
        delays.setRemoveOnCancelPolicy(true);
        dev.termlet.io.PrivateFiles.createDirectories(settings.dataDir());
        this.protector = new Protector(settings.protector(), settings.dataDir(), java.time.Clock.systemUTC());
        protector.listener(measured(hub.protectorEvents()));
        this.connections = new Connections(settings, limits, protector, hub, delays, metrics);
        metrics.connectionsOpen(limits::total);
        this.sshd = ListeningSshServer.create();
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
        // With the PROXY protocol, a trusted load balancer's connection gets its session (and is admitted) only once
        // its header names the client (HeaderFirst); the session then reports that address everywhere.
        sshd.setSessionFactory(new HeaderFirst(sshd, settings.proxyProtocol(), protector) {
            @Override
            protected ServerSessionImpl doCreateSession(IoSession ioSession) throws Exception {
                SocketAddress remote = HeaderFirst.remote(ioSession);
                Connection c = connections.admit(remote, "SSH", () -> ioSession.close(true));
                ioSession.setAttribute(Connection.KEY, c);
                try {
                    ServerSessionImpl s = new ServerSessionImpl(getServer(), ioSession) {
                        @Override
                        protected String resolveIdentificationString(String configPropName) {
                            return SoftwareId.resolve(ServerRuntime.this, c,
                                    super.resolveIdentificationString(configPropName));
                        }

                        @Override
                        public SocketAddress getRemoteAddress() {
                            return remote;
                        }

                        @Override
                        public String toString() {
                            return "ServerSessionImpl[" + getUsername() + "@" + remote + "]";
                        }

                        // Both sides' KEXINIT payloads (1-2 KiB) serve only the key exchange in progress (the
                        // exchange hash); MINA keeps them for the connection's life. They are held here instead and
                        // dropped once a key exchange is done; the next one sets both again before it uses them.
                        private byte[] clientKex;
                        private byte[] serverKex;

                        @Override
                        protected byte[] getClientKexData() {
                            synchronized (kexState) {
                                return clientKex == null ? null : clientKex.clone();
                            }
                        }

                        @Override
                        protected void setClientKexData(byte[] data) {
                            ValidateUtils.checkNotNullAndNotEmpty(data, "No client KEX seed");
                            synchronized (kexState) {
                                clientKex = data.clone();
                            }
                        }

                        @Override
                        protected byte[] getServerKexData() {
                            synchronized (kexState) {
                                return serverKex == null ? null : serverKex.clone();
                            }
                        }

                        @Override
                        protected void setServerKexData(byte[] data) {
                            ValidateUtils.checkNotNullAndNotEmpty(data, "No server KEX seed");
                            synchronized (kexState) {
                                serverKex = data.clone();
                            }
                        }

                        // MINA 2.17.1 publishes a new key exchange before initialising it. When both sides start a
                        // re-key at once, the negotiation runs on the thread that finished sending our KEXINIT (often
                        // an SFTP or session thread) while an I/O thread may already hold the peer's first key
                        // exchange message; handled then, it meets an exchange without its key pair ("X25519 not
                        // initialised") and the connection drops mid-transfer. So a key-exchange message waits until
                        // the negotiation is done. One monitor (MINA's kexState, which the negotiation holds) serves
                        // both sides, so the wait cannot deadlock with it.
                        @Override
                        protected void performKexNegotiation() throws Exception {
                            try {
                                super.performKexNegotiation();
                            } finally {
                                synchronized (kexState) {
                                    kexState.notifyAll();
                                }
                            }
                        }

                        /** Created on first use: MINA's constructor already asks for the proposal. */
                        private volatile CipherUpgrade upgrade;

                        // asked from the I/O thread and from writing threads: one instance, whichever asks first
                        private CipherUpgrade upgrade() {
                            CipherUpgrade u = upgrade;
                            if (u == null) {
                                synchronized (kexState) {
                                    u = upgrade;
                                    if (u == null) {
                                        u = new CipherUpgrade(this);
                                        upgrade = u;
                                    }
                                }
                            }
                            return u;
                        }

                        // a session that moves much data under ChaCha20-Poly1305 is re-keyed to AES-GCM where the
                        // processor runs it (CipherUpgrade)
                        @Override
                        protected boolean isRekeyDataSizeExceeded() {
                            return super.isRekeyDataSizeExceeded()
                                    || upgrade().due(inBytesCount.get(), outBytesCount.get());
                        }

                        @Override
                        protected java.util.Map<org.apache.sshd.common.kex.KexProposalOption, String> getKexProposal()
                                throws Exception {
                            return upgrade().proposal(super.getKexProposal());
                        }

                        @Override
                        protected void handleKexMessage(int cmd, Buffer buffer) throws Exception {
                            if (!Thread.holdsLock(kexState)) {
                                awaitNegotiation();
                            }
                            super.handleKexMessage(cmd, buffer);
                        }

                        /**
                         * Waits only in the race: the peer's KEXINIT has started the exchange (RUN) while our own
                         * KEXINIT, whose completion runs the negotiation, is still being sent. That wait is bounded by
                         * our own asynchronous write, so a peer cannot stretch it; a key-exchange message in any other
                         * state (before KEXINIT, say) goes to MINA at once and is refused as before.
                         */
                        private void awaitNegotiation() throws java.io.IOException {
                            long deadline = System.nanoTime() + KEX_NEGOTIATION_WAIT_NANOS;
                            synchronized (kexState) {
                                while (kexState.get() == KexState.RUN && kexInitializedFuture != null && isOpen()
                                        && !isClosing()) {
                                    long left = deadline - System.nanoTime();
                                    if (left <= 0) {
                                        return; // let MINA report what it finds
                                    }
                                    try {
                                        kexState.wait(Math.max(1, Math.min(100, left / 1_000_000)));
                                    } catch (InterruptedException e) {
                                        Thread.currentThread().interrupt();
                                        throw new java.io.InterruptedIOException("interrupted during a key exchange");
                                    }
                                }
                            }
                        }

                        @Override
                        protected void handleNewKeys(int cmd, Buffer buffer) throws Exception {
                            super.handleNewKeys(cmd, buffer);
                            synchronized (kexState) {
                                if (kexState.get() == KexState.DONE) {
                                    clientKex = null;
                                    serverKex = null;
                                }
                            }
                        }
                    };
                    s.setClientAddress(remote);
                    return s;
                } catch (Exception | Error e) {
                    connections.release(c);
                    throw e;
                }
            }
        });
        this.extensions = List.copyOf(extensions);
        this.accountChanges = new AccountChanges(settings.accounts(), sessions.keySet(), connections.all(), this.extensions,
                histories::path);
        sshd.addSessionListener(connections.sshListener(accountChanges));
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
    public Optional<dev.termlet.ProxyProtocol> proxyProtocol() {
        return Optional.ofNullable(settings.proxyProtocol());
    }

    @Override
    public boolean listens(dev.termlet.event.EventType type) {
        return dispatcher.has(type);
    }

    @Override
    public dev.termlet.spi.ForeignConnection admit(SocketAddress remote, String protocol, Runnable disconnect)
            throws IOException {
        Connection c = connections.admit(remote, protocol, java.util.Objects.requireNonNull(disconnect, "disconnect"));
        LOG.debug("{} connection {} from {}", protocol, c.id(), c.remoteText());
        return connections.foreign(c, protocol, authBridge);
    }

    @Override
    public Outcome fireOn(dev.termlet.event.EventType type, java.util.concurrent.Executor queue, Object... values) {
        return hub.fire(type, queue, values);
    }

    /**
     * Fires an event that belongs to no connection, asynchronously on the event pool (in no particular order
     * with other such events).
     *
     * @param type the event type
     * @param values the values, in the type's order
     */
    public void post(dev.termlet.event.EventType type, Object... values) {
        hub.queue(null, type, values);
    }

    /**
     * Fires a pre-event of a connection that has no SSH session yet, on the auth pool (never on the I/O thread
     * that waits for it), for at most five seconds.
     *
     * @throws IOException if the handlers failed or took too long
     */
    Outcome fireBeforeSession(Connection c, dev.termlet.event.EventType type, Object... values) throws IOException {
        return hub.fireBeforeSession(c, type, values);
    }

    @Override
    public io.micrometer.core.instrument.MeterRegistry meters() {
        return metrics.registry();
    }

    @Override
    public Runnable sessionStarted(String kind) {
        return metrics.sessionStarted(kind);
    }

    /** @return the meters */
    ServerMetrics metrics() {
        return metrics;
    }

    /** Counts the protector's strikes and bans, then hands them on. */
    private Protector.Listener measured(Protector.Listener next) {
        return new Protector.Listener() {
            @Override
            public void strike(dev.termlet.protector.Strike strike) {
                metrics.strike(strike.kind().name().toLowerCase(java.util.Locale.ROOT));
                next.strike(strike);
            }

            @Override
            public void banned(dev.termlet.protector.Ban ban) {
                metrics.banned();
                next.banned(ban);
            }

            @Override
            public void refused(dev.termlet.protector.Ban ban) {
                metrics.banRefused();
                next.refused(ban);
            }
        };
    }

    @Override
    public Optional<dev.termlet.spi.SshConnection> connection(Session session) {
        return Optional.ofNullable(session == null ? null : session.getAttribute(Connection.KEY));
    }

    @Override
    public java.util.concurrent.Executor events(Session session) {
        Connection c = session == null ? null : session.getAttribute(Connection.KEY);
        return c != null ? c.events() : hub.pool();
    }

    @Override
    public java.util.concurrent.Executor newEventQueue() {
        return hub.newQueue();
    }

    @Override
    public void on(dev.termlet.event.EventType type, boolean async, dev.termlet.spi.EventListener listener) {
        dispatcher.add(type, listener.getClass().getName(), async, listener);
    }

    @Override
    public Outcome fire(dev.termlet.event.EventType type, Session session, Object... values) {
        Connection c = session == null ? null : session.getAttribute(Connection.KEY);
        return hub.fire(type, c != null ? c.events() : null, values);
    }

    /** The most input bytes buffered per session: also the SSH window offered to clients. */
    int maxBufferedInput() {
        return 2 * 1024 * 1024;
    }

    dev.termlet.internal.util.SessionThreads sessionThreads() {
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
        if (settings.accounts() instanceof ObservedAccountStore observed) {
            watching = observed.watchOutside();
        }
        // MINA's and Termlet's threads are daemons: without one thread that is not, a main() that starts the server
        // and returns would end the JVM at once. This one lives until stop().
        Thread keepAlive = new Thread(this::awaitQuietly, "termlet-running");
        keepAlive.setDaemon(false);
        keepAlive.start();
        LOG.info("SSH listening on {}:{} (session threads: {})", settings.bindAddress(), port(),
                Threads.virtualThreads("probe") != null ? "virtual" : "platform");
        LoginCheck.warnIfNoOneCanLogIn(settings, dispatcher);
    }

    /** @return whether the port is open and the server is not stopping */
    public boolean isRunning() {
        return started && !connections.isStopping() && stopped.getCount() > 0;
    }

    /**
     * Waits until the server has stopped.
     *
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public void await() throws InterruptedException {
        if (!started) {
            return; // never started, or start() failed: nothing runs to wait for
        }
        stopped.await();
    }

    private void awaitQuietly() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
        connections.stopping();
        AutoCloseable w = watching;
        watching = null;
        if (w != null) {
            try {
                w.close();
            } catch (Exception e) {
                LOG.warn("ending the watch of the account store failed: {}", e.toString());
            }
        }
        for (ClientSession s : sessions.keySet()) {
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
        authPool.shutdown();
        sessionThreads.shutdown();
        delays.shutdown();
        hub.shutdown(grace);
        if (started) {
            LOG.info("stopped");
        }
        metrics.close();
        stopped.countDown();
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
        dev.termlet.spi.SessionDirectory d = directory;
        if (d == null) {
            return List.copyOf(sessions.keySet());
        }
        List<Client> all = new java.util.ArrayList<>(sessions.keySet());
        try {
            all.addAll(d.others());
        } catch (RuntimeException e) {
            LOG.warn("cannot list the other nodes' sessions: {}", e.toString());
        }
        return List.copyOf(all);
    }

    @Override
    public synchronized void sessionDirectory(dev.termlet.spi.SessionDirectory d) {
        if (directory != null) {
            throw new IllegalStateException("a session directory is already set");
        }
        directory = java.util.Objects.requireNonNull(d, "directory");
    }

    @Override
    public List<dev.termlet.spi.OpenConnection> connections() {
        List<dev.termlet.spi.OpenConnection> out = new java.util.ArrayList<>();
        for (Connection c : connections.all()) {
            out.add(new dev.termlet.spi.OpenConnection() {
                @Override
                public String id() {
                    return c.id();
                }

                @Override
                public String protocol() {
                    return c.protocol();
                }

                @Override
                public SocketAddress remote() {
                    return c.remote();
                }

                @Override
                public String user() {
                    return c.user();
                }

                @Override
                public Duration age() {
                    return c.age();
                }

                @Override
                public void disconnect() {
                    c.withMdc(() -> LOG.info("closing {} connection {} of {} by request", c.protocol(), c.id(),
                            c.user()));
                    c.disconnect();
                }
            });
        }
        return out;
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
        return connections.find(connectionId).<Executor>map(Connection::events).orElse(hub.pool());
    }

    @Override
    public Path historyFile(String user) {
        return histories.prepare(user);
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
        // a remembered password counts only for the account as it was
        settings.accounts().hasher().forget(account.passwordHash());
        accountChanges.apply(change, account);
        post(change == ObservedAccountStore.Change.ADDED ? Events.ACCOUNT_ADD
                : change == ObservedAccountStore.Change.UPDATED ? Events.ACCOUNT_UPDATE
                : Events.ACCOUNT_DELETE, account);
    }


    @Override
    public void sessionStarted(ClientSession session) {
        sessions.put(session, metrics.sessionStarted(session.kind()));
        dev.termlet.spi.SessionDirectory d = directory;
        if (d != null) {
            try {
                d.started(session);
            } catch (RuntimeException e) {
                LOG.warn("cannot share the session with the other nodes: {}", e.toString());
            }
        }
    }

    @Override
    public void sessionEnded(ClientSession session, int exitStatus) {
        Runnable end = sessions.remove(session);
        if (end != null) {
            end.run();
            dev.termlet.spi.SessionDirectory d = directory;
            if (d != null) {
                try {
                    d.ended(session);
                } catch (RuntimeException e) {
                    LOG.warn("cannot tell the other nodes that the session ended: {}", e.toString());
                }
            }
        }
        LOG.debug("session ended with status {}", exitStatus);
    }
}
