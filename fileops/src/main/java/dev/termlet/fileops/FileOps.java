package dev.termlet.fileops;

import dev.termlet.auth.Account;
import dev.termlet.spi.ExtensionContext;
import dev.termlet.spi.ServerExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.common.session.SessionContext;
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
    private boolean sftp = true;
    private boolean scp = true;

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
     * Puts the users' home directories somewhere else.
     *
     * @param dir the directory holding one directory per user
     * @return this
     */
    public FileOps homes(Path dir) {
        this.homes = dir;
        return this;
    }

    @Override
    public void configure(ExtensionContext context) throws IOException {
        Path base = homes != null ? homes : context.dataDir().resolve("home");
        Files.createDirectories(base);
        Path realBase = base.toRealPath();
        context.sshServer().setFileSystemFactory(new VirtualFileSystemFactory(realBase) {
            @Override
            public Path getUserHomeDir(SessionContext session) throws IOException {
                String user = session.getUsername();
                if (!Account.validName(user)) {
                    throw new IOException("no home directory for a user named like this");
                }
                Path home = realBase.resolve(user);
                Files.createDirectories(home);
                return home;
            }
        });
        FileGate gate = new FileGate(context);
        SshFileSessions sessions = new SshFileSessions(gate, realBase);
        if (sftp) {
            SftpAccessor accessor = new SftpAccessor(gate, sessions);
            SftpSubsystemFactory factory = new SftpSubsystemFactory.Builder().withFileSystemAccessor(accessor).build();
            factory.addSftpEventListener(new SftpEvents(gate, sessions, accessor));
            context.sshServer().setSubsystemFactories(List.of(factory));
        }
        if (scp) {
            context.sshServer().setCommandFactory(ScpFiles.factory(gate, sessions,
                    context.sshServer().getCommandFactory()));
        }
    }
}
