package dev.termlet.fileops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import dev.termlet.auth.Account;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The umask (the server's 022 by default, or the account's own) is cleared from every mode a client asks for, on
 * create, mkdir and chmod, over SFTP, SCP and FTP: a client's 0777 does not make a world-writable file.
 */
class UmaskFilesTest {
    @TempDir
    Path data;

    @TempDir
    Path clientDir;

    Fixture fx;
    FileOps files;
    TermletServer server;

    @BeforeEach
    void start() throws Exception {
        fx = new Fixture(clientDir);
        files = FileOps.create().ftp(0).ftpAllowPlain(true);
        server = Termlet.server().port(0).dataDir(data).extension(files).build();
        server.accounts().save(Account.builder("alice").password("pw".toCharArray()).addAuthorizedKey(fx.publicKey())
                .build());
        server.accounts().save(Account.builder("carol").password("pw".toCharArray()).addAuthorizedKey(fx.publicKey())
                .umask(077).build());
        server.start();
        Path open = clientDir.resolve("open.sh");
        Files.writeString(open, "#!/bin/sh\n");
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String mode(String user, String name) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("home/" + user + "/" + name),
                LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void sftpModesAreMaskedByTheServersUmask() throws Exception {
        fx.sftp(server, "alice", "put -p open.sh a.sh\nput open.sh b.sh\nchmod 777 b.sh\nmkdir d\nmkdir e\n"
                + "chmod 777 e\n");
        assertThat(mode("alice", "a.sh")).isEqualTo("rwxr-xr-x");
        assertThat(mode("alice", "b.sh")).isEqualTo("rwxr-xr-x");
        assertThat(mode("alice", "d")).isEqualTo("rwxr-xr-x");
        assertThat(mode("alice", "e")).isEqualTo("rwxr-xr-x");
    }

    @Test
    void anAccountsOwnUmaskWinsOnEveryProtocol() throws Exception {
        fx.sftp(server, "carol", "put -p open.sh a.sh\nmkdir d\nchmod 755 a.sh\n");
        assertThat(mode("carol", "a.sh")).isEqualTo("rwx------");
        assertThat(mode("carol", "d")).isEqualTo("rwx------");
        assertThat(fx.scp(server, "-p", clientDir.resolve("open.sh").toString(), "carol@127.0.0.1:/s.sh").status())
                .isZero();
        assertThat(mode("carol", "s.sh")).isEqualTo("rwx------");
        assertThat(fx.scp(server, "-p", clientDir.resolve("open.sh").toString(), "alice@127.0.0.1:/s.sh").status())
                .isZero();
        assertThat(mode("alice", "s.sh")).isEqualTo("rwxr-xr-x");
        FTPClient ftp = new FTPClient();
        ftp.setDefaultTimeout(20_000);
        ftp.connect("127.0.0.1", files.ftpPort());
        try {
            assertThat(ftp.login("carol", "pw")).isTrue();
            ftp.enterLocalPassiveMode();
            ftp.setFileType(FTP.BINARY_FILE_TYPE);
            assertThat(ftp.storeFile("f.txt", new ByteArrayInputStream(new byte[] {1}))).isTrue();
            assertThat(ftp.makeDirectory("fd")).isTrue();
        } finally {
            ftp.disconnect();
        }
        assertThat(mode("carol", "f.txt")).isEqualTo("rw-------");
        assertThat(mode("carol", "fd")).isEqualTo("rwx------");
        // the account's umask changes while nobody is logged in: the next session uses the new one
        server.accounts().save(server.accounts().find("carol").orElseThrow().toBuilder().umask(027).build());
        fx.sftp(server, "carol", "mkdir g\n");
        assertThat(mode("carol", "g")).isEqualTo("rwxr-x---");
    }
}
