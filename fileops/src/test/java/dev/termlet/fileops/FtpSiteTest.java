package dev.termlet.fileops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import dev.termlet.annotations.OnUser;
import dev.termlet.auth.Account;
import dev.termlet.auth.FilePermission;
import dev.termlet.event.EventType;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPSClient;
import org.apache.commons.net.util.TrustManagerUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FTP {@code SITE}: {@code SITE CHMOD} through the one pipeline, and {@code site} handlers that answer commands. */
class FtpSiteTest {
    @TempDir
    Path data;

    final Fixture fx = new Fixture((Void) null);
    TermletServer server;
    FileOps files;

    /** Records attribute events; answers SITE VERSION and SITE LINES; SITE FORGE tries to forge a reply. */
    public class Rules {
        @OnUser({"pre-setattr", "setattr"})
        void record(EventType type, FileEvent e) {
            fx.add(Fixture.line(type.name(), e));
        }

        @OnUser("site")
        SiteReply answer(FileEvent cwd, String command) {
            fx.add("site " + command + " in " + cwd.path());
            switch (command.toUpperCase()) {
                case "VERSION":
                    return SiteReply.ok("termlet test 1.0");
                case "LINES":
                    return new SiteReply(211, "first\n214 not the end\nlast");
                case "BUSY":
                    return new SiteReply(450, "try later");
                case "FORGE":
                    return new SiteReply(200, "ok\r\n230 forged");
                default:
                    return null;
            }
        }
    }

    @BeforeEach
    void start() {
        files = FileOps.create().ftp(0);
        server = Termlet.server().port(0).dataDir(data).extension(files).register(new Rules()).build();
        server.accounts().save(Account.builder("alice").password("secret".toCharArray()).build());
        server.accounts().save(Account.builder("carol").password("secret".toCharArray()).umask(027).build());
        server.accounts().save(Account.builder("dave").password("secret".toCharArray())
                .filePermissions("/", List.of(FilePermission.LIST, FilePermission.DOWNLOAD, FilePermission.UPLOAD))
                .build());
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private FTPSClient login(String user) throws Exception {
        FTPSClient c = new FTPSClient(false);
        c.setTrustManager(TrustManagerUtils.getAcceptAllTrustManager());
        c.setConnectTimeout(10_000);
        c.setDefaultTimeout(20_000);
        c.connect("127.0.0.1", files.ftpPort());
        c.setSoTimeout(20_000);
        c.execPBSZ(0);
        c.execPROT("P");
        assertThat(c.login(user, "secret")).as(c.getReplyString()).isTrue();
        c.enterLocalPassiveMode();
        c.setFileType(FTP.BINARY_FILE_TYPE);
        return c;
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void siteChmodClearsTheUmaskChecksThePermissionAndFiresSetattr() throws Exception {
        FTPSClient c = login("alice");
        try {
            assertThat(c.storeFile("a.txt", new ByteArrayInputStream("hi".getBytes(StandardCharsets.UTF_8))))
                    .isTrue();
            assertThat(c.makeDirectory("dir")).isTrue();
            Path home = data.resolve("home/alice");

            assertThat(c.sendSiteCommand("CHMOD 777 a.txt")).as(c.getReplyString()).isTrue();
            assertThat(mode(home.resolve("a.txt"))).isEqualTo("rwxr-xr-x");
            assertThat(c.sendSiteCommand("chmod 0600 /a.txt")).as(c.getReplyString()).isTrue();
            assertThat(mode(home.resolve("a.txt"))).isEqualTo("rw-------");
            // set-user-ID, set-group-ID and sticky bits are never set
            assertThat(c.sendSiteCommand("CHMOD 7755 dir")).as(c.getReplyString()).isTrue();
            assertThat(mode(home.resolve("dir"))).isEqualTo("rwxr-xr-x");

            assertThat(c.sendSiteCommand("CHMOD 777 missing.txt")).isFalse();
            assertThat(c.getReplyCode()).isEqualTo(550);
            assertThat(c.sendSiteCommand("CHMOD rwx a.txt")).isFalse();
            assertThat(c.getReplyCode()).isEqualTo(501);
            assertThat(c.sendSiteCommand("CHMOD 777")).isFalse();
            assertThat(c.getReplyCode()).isEqualTo(501);
        } finally {
            c.disconnect();
        }
        assertThat(fx.await("setattr FTP alice /dir")).isTrue();
        assertThat(fx.events()).contains("pre-setattr FTP alice /a.txt size=2 status=1",
                "setattr FTP alice /a.txt size=2 status=1");
        assertThat(fx.events()).anyMatch(e -> e.startsWith("pre-setattr FTP alice /dir "));
        // SITE CHMOD is the server's own: no site event
        assertThat(fx.events()).noneMatch(e -> e.startsWith("site "));
    }

    @Test
    void siteChmodUsesTheAccountsUmaskAndNeedsTheChmodPermission() throws Exception {
        FTPSClient carol = login("carol");
        try {
            assertThat(carol.storeFile("c.txt", new ByteArrayInputStream(new byte[1]))).isTrue();
            assertThat(carol.sendSiteCommand("CHMOD 777 c.txt")).as(carol.getReplyString()).isTrue();
            assertThat(mode(data.resolve("home/carol/c.txt"))).isEqualTo("rwxr-x---");
        } finally {
            carol.disconnect();
        }
        FTPSClient dave = login("dave");
        try {
            // 226 comes once the upload is in place
            assertThat(dave.storeFile("d.txt", new ByteArrayInputStream(new byte[1]))).isTrue();
            String before = mode(data.resolve("home/dave/d.txt"));
            assertThat(dave.sendSiteCommand("CHMOD 777 d.txt")).isFalse();
            assertThat(dave.getReplyCode()).isEqualTo(550);
            assertThat(mode(data.resolve("home/dave/d.txt"))).isEqualTo(before);
        } finally {
            dave.disconnect();
        }
        assertThat(fx.await("setattr FTP carol /c.txt")).isTrue();
        assertThat(fx.events()).noneMatch(e -> e.contains(" dave "));
    }

    @Test
    void siteChmodNeverReachesOutsideTheRoot() throws Exception {
        Path outside = Files.writeString(data.resolve("outside.txt"), "secret");
        Files.setPosixFilePermissions(outside, PosixFilePermissions.fromString("rw-------"));
        FTPSClient c = login("alice");
        try {
            Files.createSymbolicLink(data.resolve("home/alice/out"), outside);
            assertThat(c.sendSiteCommand("CHMOD 777 out")).isFalse();
            assertThat(c.getReplyCode()).isEqualTo(550);
            assertThat(c.sendSiteCommand("CHMOD 777 ../../outside.txt")).isFalse();
            assertThat(mode(outside)).isEqualTo("rw-------");
        } finally {
            c.disconnect();
        }
    }

    @Test
    void aSiteHandlerAnswersItsOwnCommands() throws Exception {
        FTPSClient c = login("alice");
        try {
            assertThat(c.makeDirectory("work")).isTrue();
            assertThat(c.changeWorkingDirectory("work")).isTrue();
            assertThat(c.sendSiteCommand("VERSION")).isTrue();
            assertThat(c.getReplyStrings()).containsExactly("200 termlet test 1.0");
            assertThat(c.sendSiteCommand("LINES")).isTrue();
            assertThat(c.getReplyCode()).isEqualTo(211);
            assertThat(c.getReplyStrings()).containsExactly("211-first", "  214 not the end", "211 last");
            assertThat(c.sendSiteCommand("BUSY")).isFalse();
            assertThat(c.getReplyStrings()).containsExactly("450 try later");
            // a reply that would forge another line is refused, not sent
            assertThat(c.sendSiteCommand("FORGE")).isFalse();
            assertThat(c.getReplyCode()).isEqualTo(550);
            // not answered by the handler: the server's own (HELP) or 502
            assertThat(c.sendSiteCommand("HELP")).isTrue();
            assertThat(c.sendSiteCommand("NOSUCH")).isFalse();
            assertThat(c.getReplyCode()).isEqualTo(502);
            // the connection is still in step
            assertThat(c.printWorkingDirectory()).isEqualTo("/work");
        } finally {
            c.disconnect();
        }
        assertThat(fx.events()).contains("site VERSION in /work", "site LINES in /work", "site NOSUCH in /work");
    }
}
