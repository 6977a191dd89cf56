package dev.termlet.fileops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import dev.termlet.auth.Account;
import dev.termlet.test.TestClient;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPFile;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.extensions.CopyFileExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A FIFO (or socket, or device) planted on disk in a user's root, by another program or a shared directory, opened
 * through every protocol with real clients: each open of its contents is refused at once (reading a FIFO would
 * otherwise wait for a writer, writing one for a reader), the session goes on, no server thread is left waiting in an
 * open and no descriptor of it stays open. It is still listed and stat'ed, and can be renamed and removed.
 *
 * <p>A client call that the server does not answer is given up after a while so that the test fails instead of
 * hanging (that is the fault this guards against); no figure of time is asserted.
 */
class SpecialFilesTest {
    @TempDir
    Path data;

    @TempDir
    Path clientDir;

    Fixture fx;
    FileOps files;
    TermletServer server;
    Path alice;
    Path fifo;
    private final ExecutorService calls = Executors.newCachedThreadPool();

    @BeforeEach
    void start() throws Exception {
        fx = new Fixture(clientDir);
        files = FileOps.create().ftp(0).ftpAllowPlain(true);
        server = Termlet.server().port(0).dataDir(data).extension(files).build();
        server.accounts().save(Account.builder("alice").password("pw".toCharArray())
                .addAuthorizedKey(fx.publicKey()).build());
        server.start();
        alice = Files.createDirectories(data.resolve("home/alice"));
        Files.writeString(alice.resolve("plain.txt"), "plain");
        fifo = alice.resolve("pipe");
        mkfifo(fifo);
    }

    @AfterEach
    void stop() throws Exception {
        // a server thread the fault left waiting in an open is let go (a reader and a writer at once), so the
        // server can close
        release(fifo);
        calls.shutdownNow();
        server.close();
    }

    static void mkfifo(Path p) throws Exception {
        Process mk = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
        assertThat(mk.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(mk.exitValue()).isZero();
    }

    /** Opens a FIFO for reading and writing at once: Linux never waits for that, and it ends waits of others. */
    static void release(Path p) {
        if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(new byte[1]));
            } catch (IOException | RuntimeException ignored) {
                // not a FIFO (a socket), or gone
            }
        }
    }

    /** Runs a client call, given up (and the test failed) if the server has not answered after 30 s. */
    private <T> T answered(String what, Callable<T> call) throws Exception {
        Future<T> f = calls.submit(call);
        try {
            return f.get(30, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new AssertionError(what + ": the server did not answer (a thread waits in the open)");
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof Exception) {
                throw (Exception) e.getCause();
            }
            throw e;
        }
    }

    private TestClient login() {
        return Fixture.login(server, "alice", "pw").defaultTimeout(Duration.ofSeconds(30));
    }

    private static String read(SftpClient sftp, String path) throws IOException {
        try (InputStream in = sftp.read(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Server threads waiting in a file open (the JVM's own native open), by name and top frame. */
    private static List<String> threadsInOpen() {
        List<String> out = new ArrayList<>();
        for (Map.Entry<Thread, StackTraceElement[]> t : Thread.getAllStackTraces().entrySet()) {
            for (StackTraceElement f : t.getValue()) {
                if (f.getClassName().equals("sun.nio.fs.UnixNativeDispatcher") && f.getMethodName().startsWith("open")) {
                    out.add(t.getKey().getName() + " " + f);
                    break;
                }
            }
        }
        return out;
    }

    /** The descriptors of this process that are open on a path. */
    private static List<String> descriptorsOn(Path p) throws IOException {
        List<String> out = new ArrayList<>();
        Path target = p.toRealPath(LinkOption.NOFOLLOW_LINKS);
        try (var fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    if (Files.readSymbolicLink(fd).equals(target)) {
                        out.add(fd.getFileName().toString());
                    }
                } catch (IOException gone) {
                    // closed meanwhile
                }
            }
        }
        return out;
    }

    private void assertNothingLeft() throws Exception {
        assertThat(threadsInOpen()).as("threads waiting in an open").isEmpty();
        assertThat(descriptorsOn(fifo)).as("descriptors open on the FIFO").isEmpty();
        assertThat(Files.isRegularFile(fifo, LinkOption.NOFOLLOW_LINKS)).as("the FIFO is still a FIFO").isFalse();
        assertThat(Files.exists(fifo, LinkOption.NOFOLLOW_LINKS)).isTrue();
        try (var names = Files.list(alice)) {
            assertThat(names.map(n -> n.getFileName().toString())).as("no temporary file left")
                    .noneMatch(n -> n.endsWith(".part"));
        }
    }

    @Test
    void sftpRefusesToOpenAFifoAndGoesOn() throws Exception {
        try (TestClient client = login()) {
            SftpClient sftp = client.sftp();
            assertThatThrownBy(() -> answered("read", () -> read(sftp, "/pipe")))
                    .hasMessageContaining("not a regular file");
            assertThatThrownBy(() -> answered("open for reading", () -> {
                sftp.close(sftp.open("/pipe", SftpClient.OpenMode.Read));
                return null;
            })).hasMessageContaining("not a regular file");
            assertThatThrownBy(() -> answered("write in place", () -> {
                sftp.close(sftp.open("/pipe", SftpClient.OpenMode.Write));
                return null;
            })).hasMessageContaining("not a regular file");
            assertThatThrownBy(() -> answered("append", () -> {
                sftp.close(sftp.open("/pipe", SftpClient.OpenMode.Write, SftpClient.OpenMode.Append));
                return null;
            })).hasMessageContaining("not a regular file");
            assertThatThrownBy(() -> answered("upload over it", () -> {
                try (OutputStream out = sftp.write("/pipe")) {
                    out.write("x".getBytes(StandardCharsets.UTF_8));
                }
                return null;
            })).hasMessageContaining("not a regular file");
            assertThatThrownBy(() -> answered("copy from it", () -> {
                sftp.getExtension(CopyFileExtension.class).copyFile("/pipe", "/copy", false);
                return null;
            })).isInstanceOf(IOException.class);
            assertThatThrownBy(() -> answered("copy onto it", () -> {
                sftp.getExtension(CopyFileExtension.class).copyFile("/plain.txt", "/pipe", true);
                return null;
            })).hasMessageContaining("not a regular file");
            assertThat(Files.exists(alice.resolve("copy"))).isFalse();
            // it is still seen, as OpenSSH's server shows it, and the session goes on
            SftpClient.Attributes a = answered("stat", () -> sftp.stat("/pipe"));
            assertThat(a.isRegularFile()).isFalse();
            assertThat(a.isDirectory()).isFalse();
            List<String> names = new ArrayList<>();
            for (SftpClient.DirEntry d : sftp.readDir("/")) {
                names.add(d.getFilename());
            }
            assertThat(names).contains("pipe", "plain.txt");
            assertThat(read(sftp, "/plain.txt")).isEqualTo("plain");
            assertNothingLeft();
            // it can be renamed and removed like any file
            sftp.rename("/pipe", "/pipe2");
            assertThat(Files.exists(alice.resolve("pipe2"), LinkOption.NOFOLLOW_LINKS)).isTrue();
            assertThat(Files.isRegularFile(alice.resolve("pipe2"), LinkOption.NOFOLLOW_LINKS)).isFalse();
            sftp.remove("/pipe2");
            assertThat(Files.exists(alice.resolve("pipe2"), LinkOption.NOFOLLOW_LINKS)).isFalse();
        }
    }

    @Test
    void openSshSftpAndScpAreRefusedAndTheSessionGoesOn() throws Exception {
        String out = answered("sftp batch", () -> fx.sftp(server, "alice",
                "-get /pipe got-pipe\n-put /etc/hostname /pipe\n-reput /etc/hostname /pipe\nls -l\nget /plain.txt got-plain\n"));
        assertThat(Files.isRegularFile(fifo, LinkOption.NOFOLLOW_LINKS)).as("the FIFO was not replaced").isFalse();
        // OpenSSH's client prints the status's own text for a refused open (and refuses to download a FIFO itself)
        assertThat(out).contains("dest open \"/pipe\": Permission denied");
        assertThat(out).contains("pipe");
        assertThat(Files.readString(clientDir.resolve("got-plain"))).isEqualTo("plain");
        assertThat(Files.exists(clientDir.resolve("got-pipe")) && Files.size(clientDir.resolve("got-pipe")) > 0)
                .isFalse();
        Fixture.Result down = answered("scp download", () -> fx.scp(server, "alice@127.0.0.1:/pipe",
                clientDir.resolve("scp-pipe").toString()));
        assertThat(down.status()).isNotZero();
        assertThat(down.out()).contains("/pipe");
        Fixture.Result up = answered("scp upload", () -> fx.scp(server, "/etc/hostname", "alice@127.0.0.1:/pipe"));
        assertThat(up.status()).isNotZero();
        assertThat(up.out()).contains("/pipe");
        assertNothingLeft();
    }

    @Test
    void ftpAnswers550AndGoesOn() throws Exception {
        FTPClient ftp = new FTPClient();
        ftp.setDefaultTimeout(30_000);
        ftp.setDataTimeout(Duration.ofSeconds(30));
        ftp.connect("127.0.0.1", files.ftpPort());
        ftp.setSoTimeout(30_000);
        try {
            assertThat(ftp.login("alice", "pw")).isTrue();
            ftp.enterLocalPassiveMode();
            ftp.setFileType(FTP.BINARY_FILE_TYPE);
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            assertThat(answered("RETR", () -> ftp.retrieveFile("pipe", got))).isFalse();
            assertThat(ftp.getReplyCode()).isEqualTo(550);
            assertThat(got.size()).isZero();
            assertThat(answered("STOR", () -> ftp.storeFile("pipe", new ByteArrayInputStream(new byte[] {1}))))
                    .isFalse();
            assertThat(ftp.getReplyCode()).isEqualTo(550);
            assertThat(answered("APPE", () -> ftp.appendFile("pipe", new ByteArrayInputStream(new byte[] {1}))))
                    .isFalse();
            assertThat(ftp.getReplyCode()).isEqualTo(550);
            ftp.setRestartOffset(1);
            assertThat(answered("REST+STOR", () -> ftp.storeFile("pipe", new ByteArrayInputStream(new byte[] {1}))))
                    .isFalse();
            assertThat(ftp.getReplyCode()).isEqualTo(550);
            ftp.setRestartOffset(0);
            // still listed, and the session goes on
            List<String> names = new ArrayList<>();
            for (FTPFile f : ftp.listFiles("/")) {
                names.add(f.getName());
            }
            assertThat(names).contains("pipe", "plain.txt");
            ByteArrayOutputStream plain = new ByteArrayOutputStream();
            assertThat(ftp.retrieveFile("plain.txt", plain)).isTrue();
            assertThat(plain.toString(StandardCharsets.UTF_8)).isEqualTo("plain");
            assertNothingLeft();
            assertThat(ftp.rename("pipe", "pipe2")).isTrue();
            assertThat(ftp.deleteFile("pipe2")).isTrue();
            assertThat(Files.exists(alice.resolve("pipe2"), LinkOption.NOFOLLOW_LINKS)).isFalse();
        } finally {
            ftp.disconnect();
        }
    }

    /**
     * Changing a FIFO's mode or times (SFTP setstat, OpenSSH's chmod, FTP SITE CHMOD and MFMT) is refused at once: the
     * JDK's attribute views of a directory stream open the file to change them, which on a FIFO waits for a writer.
     */
    @Test
    void attributeChangesOnAFifoAreRefusedWithoutWaiting() throws Exception {
        java.util.Set<java.nio.file.attribute.PosixFilePermission> mode = Files.getPosixFilePermissions(fifo);
        try (TestClient client = login()) {
            SftpClient sftp = client.sftp();
            assertThatThrownBy(() -> answered("chmod", () -> {
                sftp.setStat("/pipe", new SftpClient.Attributes().perms(0600));
                return null;
            })).hasMessageContaining("not a regular file");
            assertThatThrownBy(() -> answered("set times", () -> {
                SftpClient.Attributes a = new SftpClient.Attributes();
                a.setModifyTime(java.nio.file.attribute.FileTime.fromMillis(1_000_000_000_000L));
                a.setAccessTime(java.nio.file.attribute.FileTime.fromMillis(1_000_000_000_000L));
                sftp.setStat("/pipe", a);
                return null;
            })).hasMessageContaining("not a regular file");
            // the session goes on, and a regular file's mode and times still change
            sftp.setStat("/plain.txt", new SftpClient.Attributes().perms(0640));
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(alice.resolve("plain.txt")))).isEqualTo("rw-r-----");
            SftpClient.Attributes t = new SftpClient.Attributes();
            t.setModifyTime(java.nio.file.attribute.FileTime.fromMillis(1_000_000_000_000L));
            t.setAccessTime(java.nio.file.attribute.FileTime.fromMillis(1_000_000_000_000L));
            sftp.setStat("/plain.txt", t);
            assertThat(Files.getLastModifiedTime(alice.resolve("plain.txt")).toMillis()).isEqualTo(1_000_000_000_000L);
        }
        String out = answered("OpenSSH chmod", () -> fx.sftp(server, "alice", "-chmod 600 /pipe\nls -l /plain.txt\n"));
        assertThat(out).contains("plain.txt");
        FTPClient ftp = new FTPClient();
        ftp.setDefaultTimeout(30_000);
        ftp.connect("127.0.0.1", files.ftpPort());
        ftp.setSoTimeout(30_000);
        try {
            assertThat(ftp.login("alice", "pw")).isTrue();
            assertThat(answered("SITE CHMOD", () -> ftp.sendSiteCommand("CHMOD 600 pipe"))).isFalse();
            assertThat(ftp.getReplyCode()).isEqualTo(550);
            assertThat(answered("MFMT", () -> ftp.setModificationTime("pipe", "20200101000000"))).isFalse();
            assertThat(ftp.getReplyCode()).isBetween(500, 599);
            assertThat(ftp.sendSiteCommand("CHMOD 600 plain.txt")).isTrue();
            assertThat(ftp.setModificationTime("plain.txt", "20200101000000")).isTrue();
        } finally {
            ftp.disconnect();
        }
        assertThat(Files.getPosixFilePermissions(fifo)).as("the FIFO's mode is as it was").isEqualTo(mode);
        assertNothingLeft();
    }

    @Test
    void socketsAndDevicesAreRefusedToo() throws Exception {
        Path sock = alice.resolve("sock");
        try (ServerSocketChannel listening = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            listening.bind(UnixDomainSocketAddress.of(sock));
            try (TestClient client = login()) {
                SftpClient sftp = client.sftp();
                assertThatThrownBy(() -> answered("read a socket", () -> read(sftp, "/sock")))
                        .hasMessageContaining("not a regular file");
                // a device that never ends (as /dev/zero), where the server's user may make one
                Path zero = alice.resolve("zero");
                boolean made = new ProcessBuilder("mknod", zero.toString(), "c", "1", "5").start().waitFor() == 0
                        && Files.exists(zero);
                if (made) {
                    assertThatThrownBy(() -> answered("read a device", () -> read(sftp, "/zero")))
                            .hasMessageContaining("not a regular file");
                }
                assertThat(read(sftp, "/plain.txt")).isEqualTo("plain");
                Assumptions.assumeTrue(made, "mknod is not allowed here: the device case was skipped");
            }
        }
    }
}
