package dev.termlet.fileops;

import dev.termlet.fileops.internal.core.FileGate;
import dev.termlet.fileops.internal.core.JailFileSystem;
import dev.termlet.fileops.internal.core.Quotas;
import dev.termlet.fileops.internal.core.SshFileSessions;
import dev.termlet.fileops.internal.ftp.FtpEvents;
import dev.termlet.fileops.internal.ftp.FtpTls;
import dev.termlet.fileops.internal.ftp.FtpUpload;
import dev.termlet.fileops.internal.scp.ScpFiles;
import dev.termlet.fileops.internal.sftp.HashCommand;
import dev.termlet.fileops.internal.sftp.SftpAccessor;
import dev.termlet.fileops.internal.sftp.SftpEvents;
import dev.termlet.fileops.internal.sftp.SftpHandleLimit;
import dev.termlet.fileops.internal.sftp.SftpQueries;

import dev.termlet.auth.Account;
import dev.termlet.io.PrivateFiles;
import dev.termlet.spi.ExtensionContext;
import dev.termlet.spi.ServerExtension;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.sshd.sftp.SftpModuleProperties;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * Makes a Termlet server a file server: SFTP and SCP on the SSH port, each user jailed in {@code DATA/home/NAME},
 * the account's file permissions and quotas enforced, the file-operation events fired for every operation, and
 * atomic uploads (a file appears only once complete).
 *
 * <pre>{@code
 * Termlet.server().extension(FileOps.create()).register(new UploadRules()).start();
 * }</pre>
 */
public final class FileOps implements ServerExtension {
    private Path homes;
    private Storage storage;
    private boolean sftp = true;
    private boolean scp = true;
    private int ftpPort = -1;
    private boolean ftpAllowPlain;
    private Path ftpKeyStore;
    private char[] ftpKeyStorePassword;
    private String ftpPassivePorts = "0";
    private int maxOpenHandles = SftpHandleLimit.DEFAULT;
    private boolean syncUploads = true;
    private final java.util.Map<String, java.util.Set<dev.termlet.auth.FilePermission>> defaultPermissions =
            new java.util.TreeMap<>();
    private long defaultQuotaBytes;
    private long defaultQuotaFiles;
    private UsageStore usage;
    private org.apache.ftpserver.FtpServer ftpServer;
    private org.apache.ftpserver.listener.Listener ftpListener;
    private volatile FileGate gate;
    private volatile FtpEvents ftpEvents;

    private FileOps() {}

    /** @return SFTP and SCP with the defaults: homes in {@code DATA/home} */
    public static FileOps create() {
        return new FileOps();
    }

    /** @return SFTP only, with the defaults */
    public static FileOps sftp() {
        return new FileOps().scp(false);
    }

    /**
     * Turns SFTP on or off.
     *
     * @param on true to serve SFTP (the default)
     * @return this
     */
    public FileOps sftp(boolean on) {
        this.sftp = on;
        return this;
    }

    /**
     * Turns SCP on or off.
     *
     * @param on true to serve SCP ({@code scp -O}, the classic protocol; OpenSSH 9's default mode is SFTP)
     * @return this
     */
    public FileOps scp(boolean on) {
        this.scp = on;
        return this;
    }

    /**
     * Serves FTP with explicit TLS (FTPS, {@code AUTH TLS}) and passive mode on its own port, for the same accounts,
     * with the same auth events, protector, permissions, quotas and file events. Logins need TLS unless
     * {@link #ftpAllowPlain(boolean)} says otherwise. Without {@link #ftpKeyStore} a self-signed certificate is made
     * in {@code DATA/ftp/tls.p12}.
     *
     * @param port the port; 0 picks a free one (see {@link #ftpPort()})
     * @return this
     */
    public FileOps ftp(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("FTP port must be 0..65535: " + port);
        }
        this.ftpPort = port;
        return this;
    }

    /**
     * Allows FTP logins without TLS (passwords then cross the network in clear text; for trusted networks only).
     *
     * @param allow true to allow
     * @return this
     */
    public FileOps ftpAllowPlain(boolean allow) {
        this.ftpAllowPlain = allow;
        return this;
    }

    /**
     * Uses a PKCS#12 key store for FTPS instead of a self-signed certificate.
     *
     * @param keyStore the key store file
     * @param password its password (also the key's)
     * @return this
     */
    public FileOps ftpKeyStore(Path keyStore, char[] password) {
        this.ftpKeyStore = keyStore;
        this.ftpKeyStorePassword = password.clone();
        return this;
    }

    /**
     * Sets the passive data ports.
     *
     * @param ports Apache FtpServer syntax: {@code 30000-30100}, {@code 30000,30002}, or {@code 0} for any free port
     *     (the default)
     * @return this
     */
    public FileOps ftpPassivePorts(String ports) {
        this.ftpPassivePorts = ports;
        return this;
    }

    /**
     * Caps the SFTP handles (open files and directories) one SSH connection may hold at once, over all its SFTP
     * channels; past it an open is refused with {@code SSH_FX_FAILURE} ("too many open handles") and the session
     * goes on. The default, 512, is far above what clients use (a few per transfer; sshfs one per file open on
     * its side) and half of what OpenSSH's sftp-server allows with the usual descriptor limit of 1024.
     *
     * @param max the cap, at least 1
     * @return this
     */
    public FileOps maxOpenHandles(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("maxOpenHandles must be at least 1: " + max);
        }
        this.maxOpenHandles = max;
        return this;
    }

    /**
     * Sets whether each upload's data is forced to disk ({@code fsync}) before the file is put in place under its
     * name and its {@code upload} events fire. On (the default), a file an event or hook has been told about survives
     * a crash or power loss. Off, the kernel writes it back later, as OpenSSH's {@code sftp-server} and vsftpd do:
     * small uploads cost less (no wait for the disk per file), but a crash soon after an upload can leave the renamed
     * file empty or short although its event has fired. Uploads stay
     * atomic either way: a file appears under its name only when it is whole. A client can still ask for a flush
     * with {@code fsync@openssh.com}.
     *
     * @param sync false to leave uploads to the kernel's write-back
     * @return this
     */
    public FileOps syncUploads(boolean sync) {
        this.syncUploads = sync;
        return this;
    }

    /** @return whether each upload is forced to disk before it is put in place (see {@link #syncUploads(boolean)}) */
    public boolean syncsUploads() {
        return syncUploads;
    }

    /**
     * Sets the file permissions of a directory for accounts that set none of their own (an account with any
     * {@code filePermissions} keeps exactly those). Without defaults such an account has every permission. Call it
     * once per directory; the defaults must set {@code /}.
     *
     * @param virtualDir the directory as users see it, for example {@code /} or {@code /incoming}
     * @param granted the permissions there
     * @return this
     * @throws IllegalArgumentException if the directory is not absolute
     */
    public FileOps defaultPermissions(String virtualDir, java.util.Collection<dev.termlet.auth.FilePermission> granted) {
        Account probe = Account.builder("probe").filePermissions(virtualDir, granted).build();
        defaultPermissions.putAll(probe.filePermissions());
        return this;
    }

    /**
     * Sets the quota of accounts whose own is 0 (no limit) in bytes or in files: each part applies where the
     * account's part is 0.
     *
     * @param bytes the most bytes, 0 for no default
     * @param files the most files, 0 for no default
     * @return this
     * @throws IllegalArgumentException if a part is negative
     */
    public FileOps defaultQuota(long bytes, long files) {
        if (bytes < 0 || files < 0) {
            throw new IllegalArgumentException("a quota must not be negative: " + bytes + " bytes, " + files + " files");
        }
        this.defaultQuotaBytes = bytes;
        this.defaultQuotaFiles = files;
        return this;
    }

    /**
     * Keeps the users' quota usage in a store shared by several servers (a cluster whose nodes write the same homes),
     * instead of counting it in this server's memory.
     *
     * @param store the shared usage, such as {@code PostgresUsage.of(database)}; null for this server's own count
     * @return this
     */
    public FileOps usage(UsageStore store) {
        this.usage = store;
        return this;
    }

    /** @return the FTP port once the server has started, or -1 when FTP is off or not started */
    public int ftpPort() {
        return ftpListener == null || ftpServer == null || ftpServer.isStopped() ? -1 : ftpListener.getPort();
    }

    /**
     * Puts the users' home directories somewhere else.
     *
     * @param dir the directory holding one directory per user
     * @return this
     */
    public FileOps homes(Path dir) {
        this.homes = dir;
        return this;
    }

    /**
     * Keeps the users' files in a storage other than the local disk, such as an S3 bucket ({@code termlet-s3}'s
     * {@code S3Storage}): each user's root is {@code NAME} below {@link Storage#homes()} (an account's own relative
     * home below it too). Every protocol works on it with the same events, permissions and quotas; what the storage
     * cannot do (links, writes into an existing file, modes and times) is refused with the protocol's usual error.
     * It replaces {@link #homes(Path)}; the storage is closed when the server stops.
     *
     * @param storage the storage
     * @return this
     */
    public FileOps storage(Storage storage) {
        this.storage = java.util.Objects.requireNonNull(storage, "storage");
        return this;
    }

    @Override
    public void configure(ExtensionContext context) throws IOException {
        Path base;
        if (storage != null) {
            base = storage.homes();
            java.nio.file.Files.createDirectories(base);
        } else {
            base = homes != null ? homes : context.dataDir().resolve("home");
            PrivateFiles.createDirectories(base);
        }
        Path realBase = base.toRealPath();
        int swept = storage != null ? 0 : Quotas.sweepTemporaries(realBase);
        if (swept > 0) {
            org.slf4j.LoggerFactory.getLogger(FileOps.class).info(
                    "removed {} unfinished upload file(s) left by an earlier run", swept);
        }
        if (!defaultPermissions.isEmpty() && !defaultPermissions.containsKey("/")) {
            throw new IllegalStateException("the default file permissions must set '/': they set only "
                    + defaultPermissions.keySet());
        }
        FileGate gate = new FileGate(context, new FileGate.Defaults(defaultPermissions, defaultQuotaBytes,
                defaultQuotaFiles));
        gate.quotas().share(usage);
        gate.syncUploads(syncUploads);
        this.gate = gate;
        new dev.termlet.fileops.internal.core.FileServices(gate, realBase).publish(context);
        SshFileSessions sessions = new SshFileSessions(gate, realBase);
        context.sshServer().setFileSystemFactory(new JailFileSystem.Factory(sessions, context::umask));
        if (sftp) {
            SftpAccessor accessor = new SftpAccessor(gate, sessions);
            SftpSubsystemFactory factory = SftpQueries.factory(gate, sessions);
            // MINA's per-channel cap, at the same value: what limits@openssh.com reports; the connection's total
            // is checked first (SftpHandleLimit), with a status clients understand
            SftpModuleProperties.MAX_OPEN_HANDLES_PER_SESSION.set(context.sshServer(), maxOpenHandles);
            factory.setErrorStatusDataHandler(SftpHandleLimit.STATUS);
            factory.setFileSystemAccessor(accessor);
            factory.addSftpEventListener(new SftpEvents(gate, sessions, accessor));
            context.sshServer().setSubsystemFactories(List.of(factory));
        }
        context.sshServer().setCommandFactory(HashCommand.factory(gate, sessions,
                context.sshServer().getCommandFactory()));
        if (scp) {
            context.sshServer().setCommandFactory(ScpFiles.factory(gate, sessions,
                    context.sshServer().getCommandFactory()));
        }
        if (ftpPort >= 0) {
            configureFtp(context, gate, realBase);
        }
    }

    private void configureFtp(ExtensionContext context, FileGate gate, Path realBase) throws IOException {
        FtpTls tls = ftpKeyStore != null ? FtpTls.load(ftpKeyStore, ftpKeyStorePassword)
                : FtpTls.selfSigned(context.dataDir().resolve("ftp"));
        FtpEvents events = new FtpEvents(gate, realBase, !ftpAllowPlain);
        this.ftpEvents = events;
        String host = context.sshServer().getHost();
        org.apache.ftpserver.DataConnectionConfigurationFactory data =
                new org.apache.ftpserver.DataConnectionConfigurationFactory();
        data.setPassivePorts(ftpPassivePorts);
        data.setActiveIpCheck(true);
        data.setPassiveIpCheck(true);
        data.setSslConfiguration(tls.data());
        if (host != null && !host.isEmpty()) {
            data.setPassiveAddress(host);
        }
        org.apache.ftpserver.listener.ListenerFactory listener = new org.apache.ftpserver.listener.ListenerFactory();
        listener.setPort(ftpPort);
        if (host != null && !host.isEmpty()) {
            listener.setServerAddress(host);
        }
        listener.setSslConfiguration(tls.control());
        listener.setImplicitSsl(false);
        listener.setDataConnectionConfiguration(
                new dev.termlet.fileops.internal.ftp.PassivePortRelease(data.createDataConnectionConfiguration()));
        listener.setIdleTimeout(300);
        // FtpServer has no switch for TCP_NODELAY; its session filter sees each control connection first. Without
        // it, a reply written right after another (150 then 226) waits for the client's delayed ACK: ~40 ms a file.
        // It also keeps the MINA session where FtpEvents finds it, to close a client that has not logged in within
        // the server's auth timeout (FtpSession has no close).
        java.util.Optional<dev.termlet.ProxyProtocol> proxy = context.proxyProtocol();
        listener.setSessionFilter(session -> {
            if (session.getConfig() instanceof org.apache.mina.transport.socket.SocketSessionConfig) {
                ((org.apache.mina.transport.socket.SocketSessionConfig) session.getConfig()).setTcpNoDelay(true);
            }
            session.setAttribute(FtpEvents.IO_SESSION, session);
            // a client that sends QUIT and closes at once leaves FtpServer's last write (221, or TLS close_notify)
            // on a closed session; FtpServer logs that at WARN although nothing went wrong
            session.getFilterChain().addFirst("termlet-closed-writes",
                    new dev.termlet.fileops.internal.ftp.ClosedWrites());
            // PROXY protocol: added right after this filter, it gets this session's 'created' event next (MINA reads
            // the next entry when the event moves on) and holds it until a trusted balancer's header names the client
            proxy.ifPresent(p -> session.getFilterChain().addAfter("sessionFilter",
                    dev.termlet.fileops.internal.ftp.FtpProxyHeader.NAME,
                    new dev.termlet.fileops.internal.ftp.FtpProxyHeader(p, context.protector(), session)));
            return true;
        });
        org.apache.ftpserver.ConnectionConfigFactory connections = new org.apache.ftpserver.ConnectionConfigFactory();
        connections.setAnonymousLoginEnabled(false);
        connections.setMaxLogins(0);
        connections.setMaxLoginFailures(0);
        connections.setLoginFailureDelay(0);
        org.apache.ftpserver.FtpServerFactory factory = new org.apache.ftpserver.FtpServerFactory();
        ftpListener = listener.createListener();
        dev.termlet.fileops.internal.ftp.ClosedWrites.quiet(ftpListener);
        events.listener(ftpListener);
        factory.addListener("default", ftpListener);
        factory.setConnectionConfig(connections.createConnectionConfig());
        factory.setUserManager(events);
        factory.setFileSystem(events);
        factory.setFtplets(new java.util.LinkedHashMap<>(java.util.Map.of("termlet", events)));
        // STOR and APPE that put the upload in place before they answer 226 (FtpServer's answer first)
        org.apache.ftpserver.command.CommandFactoryFactory commands =
                new org.apache.ftpserver.command.CommandFactoryFactory();
        commands.addCommand("STOR", new FtpUpload(events, false));
        commands.addCommand("APPE", new FtpUpload(events, true));
        factory.setCommandFactory(commands.createCommandFactory());
        ftpServer = factory.createServer();
    }

    @Override
    public void start() throws IOException {
        if (ftpServer != null) {
            try {
                ftpServer.start();
            } catch (org.apache.ftpserver.ftplet.FtpException | RuntimeException e) {
                throw new IOException("cannot start FTP on port " + ftpPort + ": " + e.getMessage(), e);
            }
            String host = ftpListener.getServerAddress();
            org.slf4j.LoggerFactory.getLogger(FileOps.class).info("FTP listening on {}:{}", host == null ? "*" : host,
                    ftpPort());
        }
    }

    /**
     * Ends the FTP sessions of an account that was removed or disabled (the server has closed its SSH sessions,
     * SFTP and SCP included), and forgets the counted quota usage of a removed one. The user's home directory and
     * files are kept: they are data, which an administrator removes on purpose, not a cache.
     */
    @Override
    public void accountChanged(Account account, boolean removed) {
        FtpEvents events = ftpEvents;
        if (events != null && (removed || !account.enabled())) {
            events.endSessions(account.name());
        }
        FileGate g = gate;
        if (removed && g != null) {
            g.quotas().forget(account.name());
        }
    }

    @Override
    public void stop() {
        if (ftpServer != null && !ftpServer.isStopped()) {
            ftpServer.stop();
        }
        if (storage != null) {
            storage.close();
        }
    }
}
