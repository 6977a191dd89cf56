package dev.termlet.fileops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import dev.termlet.auth.Account;
import dev.termlet.test.TestClient;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.stream.Stream;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.sshd.sftp.client.SftpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Attacks on the code that landed for issue 16 (atomic uploads, COMB records, SFTP extensions, hash over exec). */
class Issue16AttackTest {
    @TempDir
    Path data;

    FileOps files;
    TermletServer server;
    Path carol;

    @BeforeEach
    void start() throws Exception {
        files = FileOps.create().ftp(0).ftpAllowPlain(true);
        server = Termlet.server().port(0).dataDir(data).extension(files).build();
        server.accounts().save(Account.builder("alice").password("pw".toCharArray()).build());
        server.accounts().save(Account.builder("dave").password("pw4".toCharArray()).filePermissions("/",
                java.util.List.of(dev.termlet.auth.FilePermission.LIST, dev.termlet.auth.FilePermission.DOWNLOAD,
                        dev.termlet.auth.FilePermission.UPLOAD, dev.termlet.auth.FilePermission.OVERWRITE)).build());
        server.accounts().save(Account.builder("carol").password("pw3".toCharArray()).quota(100_000, 0).build());
        server.start();
        carol = Files.createDirectories(data.resolve("home/carol"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private TestClient login(String user, String pw) {
        return Fixture.login(server, user, pw);
    }

    /** Bytes in regular files below a directory, now; a file that goes while it is walked (a temporary) is skipped. */
    private long onDisk(Path root) throws IOException {
        long[] sum = {0};
        Files.walkFileTree(root, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes a) {
                if (a.isRegularFile()) {
                    sum[0] += a.size();
                }
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) {
                return java.nio.file.FileVisitResult.CONTINUE;
            }
        });
        return sum[0];
    }

    /**
     * AtomicUpload remembers the target's size when the upload starts and counts only the growth past it when it
     * commits. Renaming the target away while its replacement is being written leaves both files on disk with only
     * one counted: each round doubles what the user keeps past the quota.
     */
    @Test
    void renamingTheTargetAwayDuringAReplacementDoesNotLaunderTheQuota() throws Exception {
        byte[] chunk = new byte[60_000];
        try (TestClient client = login("carol", "pw3")) {
            SftpClient sftp = client.sftp();
            try (OutputStream out = sftp.write("/x")) {
                out.write(chunk);
            }
            for (int round = 0; round < 3; round++) {
                try {
                    SftpClient.CloseableHandle h = sftp.open("/x", EnumSet.of(SftpClient.OpenMode.Write,
                            SftpClient.OpenMode.Create, SftpClient.OpenMode.Truncate));
                    sftp.write(h, 0, chunk);
                    sftp.rename("/x", "/kept" + round);
                    sftp.close(h);
                } catch (IOException refused) {
                    // the server may refuse the commit: that is the fix
                }
            }
        }
        assertThat(onDisk(carol)).as("bytes carol keeps with a quota of 100,000").isLessThanOrEqualTo(100_000);
    }

    /** The same with a write in place: the target renamed away before the close is counted as gone. */
    @Test
    void renamingTheTargetAwayDuringAnInPlaceWriteDoesNotLaunderTheQuota() throws Exception {
        byte[] chunk = new byte[60_000];
        try (TestClient client = login("carol", "pw3")) {
            SftpClient sftp = client.sftp();
            for (int round = 0; round < 3; round++) {
                try {
                    try (OutputStream out = sftp.write("/x")) {
                        out.write(chunk);
                    }
                    SftpClient.CloseableHandle h = sftp.open("/x", EnumSet.of(SftpClient.OpenMode.Write));
                    sftp.write(h, 0, new byte[1]);
                    sftp.rename("/x", "/kept" + round);
                    sftp.close(h);
                } catch (IOException refused) {
                    // refused by the quota: expected once the count is right
                }
            }
        }
        assertThat(onDisk(carol)).as("bytes carol keeps with a quota of 100,000").isLessThanOrEqualTo(100_000);
    }

    /**
     * An SFTP handle opened for appending writes at the end whatever offset a write names; the quota's check takes
     * the offset as the place of the write, so small offsets append bytes that are never claimed.
     */
    @Test
    void appendingAtOffsetZeroIsHeldToTheQuota() throws Exception {
        byte[] chunk = new byte[60_000];
        try (TestClient client = login("carol", "pw3")) {
            SftpClient sftp = client.sftp();
            try (OutputStream out = sftp.write("/x")) {
                out.write(chunk);
            }
            try (SftpClient.CloseableHandle h = sftp.open("/x", EnumSet.of(SftpClient.OpenMode.Write,
                    SftpClient.OpenMode.Append))) {
                for (int i = 0; i < 5; i++) {
                    sftp.write(h, 0, new byte[30_000]);
                }
            } catch (IOException refused) {
                // the quota stops it: expected
            }
        }
        assertThat(onDisk(carol)).as("bytes carol keeps with a quota of 100,000").isLessThanOrEqualTo(100_000);
    }

    private FTPClient ftp(String user, String pw) throws IOException {
        FTPClient ftp = new FTPClient();
        ftp.setDefaultTimeout(60_000);
        ftp.connect("127.0.0.1", files.ftpPort());
        assertThat(ftp.login(user, pw)).isTrue();
        ftp.enterLocalPassiveMode();
        ftp.setFileType(FTP.BINARY_FILE_TYPE);
        return ftp;
    }

    /** FTP APPE and REST+STOR into an existing file are held to the quota. */
    @Test
    void ftpAppendAndRestartAreHeldToTheQuota() throws Exception {
        Files.write(carol.resolve("x"), new byte[60_000]);
        ftpRefusedOrDone(ftp -> ftp.appendFile("x", new java.io.ByteArrayInputStream(new byte[60_000])));
        ftpRefusedOrDone(ftp -> {
            ftp.setRestartOffset(50_000);
            ftp.storeFile("x", new java.io.ByteArrayInputStream(new byte[60_000]));
        });
        ftpRefusedOrDone(ftp -> ftp.appendFile("y", new java.io.ByteArrayInputStream(new byte[60_000])));
        assertThat(onDisk(carol)).as("bytes carol keeps with a quota of 100,000").isLessThanOrEqualTo(100_000);
    }

    /** One FTP transfer on a connection of its own as carol, refused or not. */
    private interface FtpTransfer {
        void run(FTPClient ftp) throws IOException;
    }

    /**
     * Runs a transfer that the quota may stop: the server answers 552 or, when it stops the upload before the client
     * has sent it all, the client's write into the closed data connection fails (broken pipe). Either is a refusal;
     * the connection is not reused after it, since its reply may still be pending.
     */
    private void ftpRefusedOrDone(FtpTransfer transfer) throws IOException {
        FTPClient ftp = ftp("carol", "pw3");
        try {
            transfer.run(ftp);
        } catch (IOException refused) {
            // the quota stopped it mid-transfer: expected
        } finally {
            ftp.disconnect();
        }
    }

    /** copy-data, sent raw: true when the server answered OK. */
    private static boolean copyData(SftpClient sftp, SftpClient.Handle from, long offset, long length,
            SftpClient.Handle to, long toOffset) throws IOException {
        org.apache.sshd.common.util.buffer.Buffer b = new org.apache.sshd.common.util.buffer.ByteArrayBuffer();
        b.putString("copy-data");
        b.putBytes(from.getIdentifier());
        b.putLong(offset);
        b.putLong(length);
        b.putBytes(to.getIdentifier());
        b.putLong(toOffset);
        org.apache.sshd.sftp.client.RawSftpClient raw = (org.apache.sshd.sftp.client.RawSftpClient) sftp;
        int id = raw.send(org.apache.sshd.sftp.common.SftpConstants.SSH_FXP_EXTENDED, b);
        return org.apache.sshd.sftp.client.impl.SftpStatus.parse(org.apache.sshd.sftp.client.impl.SftpResponse.parse(
                org.apache.sshd.sftp.common.SftpConstants.SSH_FXP_EXTENDED, raw.receive(id))).isOk();
    }

    /** copy-data into a new file, into an appended file, and from a handle into itself, are held to the quota. */
    @Test
    void copyDataIsHeldToTheQuota() throws Exception {
        try (TestClient client = login("carol", "pw3")) {
            SftpClient sftp = client.sftp();
            try (OutputStream out = sftp.write("/x")) {
                out.write(new byte[40_000]);
            }
            try (SftpClient.CloseableHandle from = sftp.open("/x", EnumSet.of(SftpClient.OpenMode.Read));
                    SftpClient.CloseableHandle to = sftp.open("/y", EnumSet.of(SftpClient.OpenMode.Write,
                            SftpClient.OpenMode.Create, SftpClient.OpenMode.Truncate))) {
                copyData(sftp, from, 0, 0, to, 0);
                copyData(sftp, from, 0, 0, to, 40_000);
            } catch (IOException refused) {
                // expected
            }
            try (SftpClient.CloseableHandle from = sftp.open("/x", EnumSet.of(SftpClient.OpenMode.Read));
                    SftpClient.CloseableHandle to = sftp.open("/x", EnumSet.of(SftpClient.OpenMode.Write,
                            SftpClient.OpenMode.Append))) {
                for (int i = 0; i < 3; i++) {
                    copyData(sftp, from, 0, 40_000, to, 0);
                }
            } catch (IOException refused) {
                // expected
            }
            try (SftpClient.CloseableHandle both = sftp.open("/x", EnumSet.of(SftpClient.OpenMode.Read,
                    SftpClient.OpenMode.Write))) {
                for (int i = 1; i < 4; i++) {
                    copyData(sftp, both, 0, 40_000, both, 40_000L * i);
                }
            } catch (IOException refused) {
                // expected
            }
        }
        assertThat(onDisk(carol)).as("bytes carol keeps with a quota of 100,000").isLessThanOrEqualTo(100_000);
    }

    /**
     * SftpEvents.modifyingAttributes skips the permission checks for a path with a write open on it (attributes of an
     * upload belong to it); a write in place is the existing file itself, so a user without chmod or chtimes changes
     * an existing file's mode and times by holding a write handle open on it.
     */
    @Test
    void anOpenWriteInPlaceDoesNotGrantChmod() throws Exception {
        Path home = Files.createDirectories(data.resolve("home/dave"));
        Files.write(home.resolve("x"), new byte[10]);
        Files.setPosixFilePermissions(home.resolve("x"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        java.nio.file.attribute.FileTime before = Files.getLastModifiedTime(home.resolve("x"));
        try (TestClient client = login("dave", "pw4")) {
            SftpClient sftp = client.sftp();
            try (SftpClient.CloseableHandle h = sftp.open("/x", EnumSet.of(SftpClient.OpenMode.Write))) {
                try {
                    sftp.setStat("/x", new SftpClient.Attributes().perms(0755));
                } catch (IOException refused) {
                    // expected: no chmod permission
                }
                try {
                    sftp.setStat("/x", new SftpClient.Attributes().modifyTime(1000));
                } catch (IOException refused) {
                    // expected: no chtimes permission
                }
            }
        }
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(home.resolve("x")))).isEqualTo("rw-------");
        assertThat(Files.getLastModifiedTime(home.resolve("x")).toMillis()).isGreaterThan(1_000_000);
    }

    /**
     * Across users: SftpAccessor.writing compared the setstat's path with every open write in place on the server,
     * and MINA's paths of two users' file systems do not compare (ProviderMismatchException): while any user held a
     * write in place open, every other user's setstat (chmod, scp -p, rclone's mtimes) failed with
     * SSH_FX_INVALID_PARAMETER.
     */
    @Test
    void anotherUsersOpenWriteDoesNotBreakSetstat() throws Exception {
        try (TestClient a = login("alice", "pw"); TestClient c = login("carol", "pw3")) {
            SftpClient as = a.sftp();
            SftpClient cs = c.sftp();
            try (OutputStream out = as.write("/x")) {
                out.write(1);
            }
            try (OutputStream out = cs.write("/y")) {
                out.write(1);
            }
            try (SftpClient.CloseableHandle h = as.open("/x", EnumSet.of(SftpClient.OpenMode.Write))) {
                cs.setStat("/y", new SftpClient.Attributes().perms(0700));
            }
        }
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(carol.resolve("y")))).isEqualTo("rwx------");
    }

    /** expand-path@openssh.com, sent raw: the name it answers, or the error. */
    private static String expandPath(SftpClient sftp, String path) throws IOException {
        org.apache.sshd.common.util.buffer.Buffer b = new org.apache.sshd.common.util.buffer.ByteArrayBuffer();
        b.putString("expand-path@openssh.com");
        b.putString(path);
        org.apache.sshd.sftp.client.RawSftpClient raw = (org.apache.sshd.sftp.client.RawSftpClient) sftp;
        int id = raw.send(org.apache.sshd.sftp.common.SftpConstants.SSH_FXP_EXTENDED, b);
        org.apache.sshd.common.util.buffer.Buffer r = raw.receive(id);
        r.getInt();
        int type = r.getUByte();
        r.getInt();
        if (type == org.apache.sshd.sftp.common.SftpConstants.SSH_FXP_NAME) {
            r.getInt();
            return r.getString();
        }
        return "status " + r.getInt();
    }

    /** expand-path and home-directory never name anything outside the user's root, nor another user's home. */
    @Test
    void expandPathStaysInsideTheRoot() throws Exception {
        Files.createDirectories(data.resolve("home/alice"));
        Files.createSymbolicLink(data.resolve("home/alice/out"), Path.of("/etc"));
        try (TestClient client = login("alice", "pw")) {
            SftpClient sftp = client.sftp();
            for (String p : java.util.List.of("~", "~/", "~/../..", "~alice/../../..", "~/../carol", "~carol",
                    "~carol/x", "~root", "~/out", "~/out/passwd", "../../..", "~/\\..\\..")) {
                String got = expandPath(sftp, p);
                System.err.println("EXPAND " + p + " -> " + got);
                assertThat(got).as(p).doesNotContain("etc").doesNotContain("home").doesNotContain(data.toString());
                if (p.startsWith("~carol") || p.startsWith("~root")) {
                    assertThat(got).as(p).startsWith("status ");
                }
            }
        }
    }

    /**
     * Records of taken COMB parts that say something other than a plain name (a path that climbs, a path into a
     * subdirectory, a reserved name, an empty one, a link as the record) give nothing back outside the part's
     * directory at the next start, and never under a reserved name.
     */
    @Test
    void forgedTakenRecordsGiveNothingBackOutsideTheDirectory() throws Exception {
        Path d = Files.createDirectories(carol.resolve("d/sub"));
        String[] says = {"../../../../escaped", "sub/inside", "../x", ".a.00000000-0000-0000-0000-000000000000.part",
            "", "..", ".", "a\0b"};
        for (int i = 0; i < says.length; i++) {
            String uuid = java.util.UUID.randomUUID().toString();
            Path taken = carol.resolve("d/.p" + i + "." + uuid + ".taken");
            Files.writeString(taken, "part " + i);
            Files.writeString(carol.resolve("d/.p" + i + "." + uuid + ".name"), says[i].replace("\\0", "\0"));
        }
        String uuid = java.util.UUID.randomUUID().toString();
        Files.writeString(carol.resolve("d/.q." + uuid + ".taken"), "linked");
        Files.createSymbolicLink(carol.resolve("d/.q." + uuid + ".name"), data.resolve("users.json"));
        server.close();
        server = Termlet.server().port(0).dataDir(data).extension(FileOps.create()).build();
        server.start();
        try (Stream<Path> all = Files.walk(data)) {
            assertThat(all.filter(p -> p.getFileName().toString().contains("escaped")
                    || p.getFileName().toString().equals("inside") || p.getFileName().toString().equals("x")))
                    .isEmpty();
        }
        try (Stream<Path> back = Files.list(carol.resolve("d"))) {
            assertThat(back.map(p -> p.getFileName().toString()).sorted()).containsExactly("p0", "p1", "p2", "p3",
                    "p4", "p5", "p6", "p7", "q", "sub");
        }
        assertThat(Files.readString(data.resolve("users.json"))).contains("carol");
        assertThat(d).isDirectory();
    }
}
