package dev.termlet.demos;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.termlet.RefusedException;
import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import dev.termlet.annotations.OnUser;
import dev.termlet.event.EventType;
import dev.termlet.fileops.FileEvent;
import dev.termlet.fileops.FileOps;
import dev.termlet.web.Web;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The files demo: SFTP and SCP on the SSH port, FTPS and HTTPS (the web side) on their own, each user in {@code DATA/home/NAME};
 * uploads of {@code .exe} files are refused, and every file event is appended to {@code DATA/events.log} (mode
 * 0600) as one JSON object per line.
 */
@Command(name = "files", mixinStandardHelpOptions = true,
        description = "A file server: SFTP, SCP, FTPS and HTTPS (browser, WebDAV); refuses .exe uploads; logs every file event to DATA/events.log.")
public final class FilesDemo implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    DemoOptions options = new DemoOptions();

    @Option(names = "--ftp-port", paramLabel = "N",
            description = "FTP port (explicit TLS), 0 for any free port, -1 for no FTP (default: ${DEFAULT-VALUE}).")
    int ftpPort = 2121;

    @Option(names = "--ftp-plain", description = "Allow FTP logins without TLS (trusted networks only).")
    boolean ftpPlain;

    @Option(names = "--https-port", paramLabel = "N", description = "HTTPS port of the web side (browser client,"
            + " share links, WebDAV under /dav/), 0 for any free port, -1 for none (default: ${DEFAULT-VALUE}).")
    int httpsPort = 8443;

    private FileOps files;
    private Web web;

    /** Refuses executables and writes the events log. */
    public static final class Handlers {
        private static final ObjectMapper JSON = new ObjectMapper();
        private final Path log;

        Handlers(Path log) {
            this.log = log;
        }

        @OnUser("pre-upload")
        void noExecutables(FileEvent e) {
            if (e.path().toLowerCase(Locale.ROOT).endsWith(".exe")) {
                throw new RefusedException("executables (.exe) are not accepted here");
            }
        }

        @OnUser(order = -1, value = {"pre-upload", "upload", "upload-failed", "pre-download", "download", "download-failed", "pre-delete",
            "delete", "pre-rename", "rename", "pre-mkdir", "mkdir", "pre-rmdir", "rmdir", "pre-list", "list",
            "setattr", "settime", "symlink", "quota-exceeded", "size", "exists", "site"})
        // order -1: a pre-event is logged before another handler can refuse it
        void record(EventType type, FileEvent e) {
            ObjectNode o = JSON.createObjectNode();
            o.put("time", Instant.now().toString());
            o.put("event", type.name());
            o.put("user", e.user());
            o.put("protocol", e.protocol().name());
            o.put("path", e.path());
            o.put("target", e.target());
            o.put("size", e.size());
            o.put("status", e.status());
            o.put("error", e.error());
            append(o);
        }

        private synchronized void append(ObjectNode o) {
            // created private (0600, given at creation): the log names users, paths and errors
            FileAttribute<?>[] attrs = log.getFileSystem().supportedFileAttributeViews().contains("posix")
                    ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                            "rw-------"))} : new FileAttribute<?>[0];
            try (SeekableByteChannel out = Files.newByteChannel(log, Set.of(StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE), attrs)) {
                ByteBuffer bytes = ByteBuffer.wrap((JSON.writeValueAsString(o) + "\n")
                        .getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    out.write(bytes);
                }
            } catch (IOException ex) {
                LoggerFactory.getLogger(FilesDemo.class).warn("cannot append to {}: {}", log, ex.toString());
            }
        }
    }

    /**
     * Builds the server from the options, creates the {@code --user} accounts and opens the ports.
     *
     * @return the running server
     */
    public TermletServer start() {
        files = FileOps.create();
        if (ftpPort >= 0) {
            files.ftp(ftpPort).ftpAllowPlain(ftpPlain);
        }
        TermletServer.Builder b = options.apply(Termlet.server()).extension(files);
        if (httpsPort >= 0) {
            web = Web.https(httpsPort);
            b.extension(web);
        }
        TermletServer server = b.register(new Handlers(options.data.resolve("events.log"))).build();
        options.seedAccounts(server.accounts());
        return server.start();
    }

    /** @return the FTP port, or -1 without FTP */
    public int ftpPort() {
        return files == null ? -1 : files.ftpPort();
    }

    /** @return the HTTPS port, or -1 without the web side */
    public int httpsPort() {
        return web == null ? -1 : web.port();
    }

    @Override
    public Integer call() throws Exception {
        options.refuseLocal(spec, "files", "serves files over SFTP, SCP and FTPS");
        TermletServer server = start();
        if (ftpPort >= 0) {
            System.out.println("files demo FTP (explicit TLS) on " + server.host() + ":" + ftpPort());
        }
        if (httpsPort >= 0) {
            System.out.println("files demo HTTPS on https://" + server.host() + ":" + httpsPort() + "/");
        }
        return DemoOptions.serve("files", server);
    }
}
