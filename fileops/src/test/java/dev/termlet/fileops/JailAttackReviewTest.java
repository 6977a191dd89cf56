package dev.termlet.fileops;

import dev.termlet.fileops.internal.core.JailFileSystem;
import dev.termlet.fileops.internal.core.Quotas;
import dev.termlet.fileops.internal.core.VirtualRoot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import dev.termlet.auth.Account;
import dev.termlet.test.TestClient;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.apache.sshd.sftp.client.RawSftpClient;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.impl.SftpResponse;
import org.apache.sshd.sftp.client.impl.SftpStatus;
import org.apache.sshd.sftp.common.SftpConstants;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attacks on the jail fix that still work (each test fails while the hole is open). The races need one link on disk
 * that leads out of the root (as JailEscapeTest plants: left by an administrator, a restored backup, or a relative
 * link inside the root that a rename made climb out); a client only moves it into place, it never follows it
 * through the resolver.
 */
class JailAttackReviewTest {
    @TempDir
    Path data;

    FileOps files;
    TermletServer server;
    Path alice;
    Path bob;

    @BeforeEach
    void start() throws Exception {
        files = FileOps.create().ftp(0).ftpAllowPlain(true);
        server = Termlet.server().port(0).dataDir(data).extension(files).build();
        server.accounts().save(Account.builder("alice").password("pw".toCharArray()).build());
        server.accounts().save(Account.builder("bob").password("pw2".toCharArray()).build());
        server.accounts().save(Account.builder("carol").password("pw3".toCharArray()).quota(100_000, 0).build());
        server.start();
        alice = Files.createDirectories(data.resolve("home/alice"));
        bob = Files.createDirectories(data.resolve("home/bob"));
        Files.writeString(bob.resolve("diary.txt"), "bob's secret");
        // the one link on disk that leads out: alice's root -> bob's root
        // (absolute: a relative link that leads out can no longer be moved, which the swaps below need)
        Files.createSymbolicLink(alice.resolve("bobs"), bob.toRealPath());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private TestClient login(String user, String pw) {
        return Fixture.login(server, user, pw);
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

    /** hardlink@openssh.com, sent raw (MINA's client has no helper for it); true when the server answered OK. */
    private static boolean hardLink(SftpClient sftp, String src, String dst) throws IOException {
        Buffer b = new ByteArrayBuffer();
        b.putString("hardlink@openssh.com");
        b.putString(src);
        b.putString(dst);
        RawSftpClient raw = (RawSftpClient) sftp;
        int id = raw.send(SftpConstants.SSH_FXP_EXTENDED, b);
        return SftpStatus.parse(SftpResponse.parse(SftpConstants.SSH_FXP_EXTENDED, raw.receive(id))).isOk();
    }

    /** Swaps alice's real directory /d with the outward link /bobs, back and forth, until stopped. */
    private CompletableFuture<Void> swapper(SftpClient sftp, AtomicBoolean stop) {
        return CompletableFuture.runAsync(() -> {
            try {
                while (!stop.get()) {
                    sftp.rename("/d", "/d0");
                    sftp.rename("/bobs", "/d");
                    sftp.rename("/d", "/bobs");
                    sftp.rename("/d0", "/d");
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /**
     * Hard-link race: VirtualRoot.hardLinkSource checks /d/diary.txt, then JailFileSystem.createLink calls
     * Files.createLink by path. Swapping /d for the outward link in between gives alice a hard link to bob's file.
     */
    @Test
    void hardLinkSourceRaceLinksAFileOutsideTheRoot() throws Exception {
        Files.createDirectory(alice.resolve("d"));
        Files.writeString(alice.resolve("d/diary.txt"), "alice's");
        AtomicBoolean stop = new AtomicBoolean();
        boolean escaped = false;
        try (TestClient one = login("alice", "pw"); TestClient two = login("alice", "pw")) {
            SftpClient attacker = one.sftp();
            SftpClient mover = two.sftp();
            CompletableFuture<Void> swaps = swapper(mover, stop);
            for (int i = 0; i < 1000 && !escaped; i++) {
                if (hardLink(attacker, "/d/diary.txt", "/h" + i)) {
                    escaped = Files.isSameFile(alice.resolve("h" + i), bob.resolve("diary.txt"));
                    if (escaped) {
                        // the link now serves bob's file over every protocol
                        try (var in = attacker.read("/h" + i)) {
                            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("bob's secret");
                        }
                    }
                }
            }
            stop.set(true);
            swaps.get(30, TimeUnit.SECONDS);
        }
        assertThat(escaped).as("a hard link inside alice's root to bob's diary").isFalse();
    }

    /**
     * Symlink race: JailFileSystem.createSymbolicLink resolves the new link's place, then checks the target (a walk
     * on disk, long for a deep target), then calls Files.createSymbolicLink by path. Swapping /d for the outward link
     * in between plants the link in bob's root. (VirtualRoot.mkdir has the same path-based last step; its window is
     * narrower and it did not land in 4000 tries.)
     */
    @Test
    void symlinkRacePlantsALinkOutsideTheRoot() throws Exception {
        Files.createDirectory(alice.resolve("d"));
        StringBuilder deep = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            deep.append("/a");
        }
        Files.createDirectories(alice.resolve(deep.substring(1)));
        AtomicBoolean stop = new AtomicBoolean();
        String planted = null;
        try (TestClient one = login("alice", "pw"); TestClient two = login("alice", "pw")) {
            SftpClient attacker = one.sftp();
            SftpClient mover = two.sftp();
            CompletableFuture<Void> swaps = swapper(mover, stop);
            for (int i = 0; i < 1000 && planted == null; i++) {
                try {
                    attacker.symLink("/d/p" + i, deep.toString());
                } catch (IOException refusedOrRaced) {
                    // try again
                }
                if (Files.exists(bob.resolve("p" + i), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    planted = "p" + i;
                }
            }
            stop.set(true);
            swaps.get(30, TimeUnit.SECONDS);
        }
        assertThat(planted).as("a link alice made in bob's root").isNull();
    }

    /**
     * FTP COMB opens each part with FileChannel.open(real) and deletes it with Files.deleteIfExists(real): plain
     * paths, links followed, checked only before the first part is copied. Swapping the last part's directory for
     * the outward link while the first (large) part is copied reads bob's file into alice's target and deletes it.
     */
    @Test
    void ftpCombReadsAndDeletesAFileOutsideTheRoot() throws Exception {
        Files.createDirectory(alice.resolve("d"));
        Files.writeString(alice.resolve("d/diary.txt"), "alice's");
        try (OutputStream out = Files.newOutputStream(alice.resolve("big.bin"))) {
            byte[] mb = new byte[1 << 20];
            for (int i = 0; i < 64; i++) {
                out.write(mb);
            }
        }
        StringBuilder args = new StringBuilder("t.bin");
        for (int i = 0; i < 8; i++) {
            args.append(" big.bin");
        }
        args.append(" d/diary.txt");
        FTPClient ftp = ftp("alice", "pw");
        try (TestClient client = login("alice", "pw")) {
            SftpClient mover = client.sftp();
            CompletableFuture<Integer> comb = CompletableFuture.supplyAsync(() -> {
                try {
                    return ftp.sendCommand("COMB", args.toString());
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            // the attacker would time this; the test waits for COMB's temporary file to be sure of the moment
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!tempFileIn(alice) && System.nanoTime() < deadline && !comb.isDone()) {
                Thread.onSpinWait();
            }
            mover.rename("/d", "/d0");
            mover.rename("/bobs", "/d");
            comb.get(60, TimeUnit.SECONDS);
        } finally {
            ftp.disconnect();
        }
        String tail = "";
        if (Files.exists(alice.resolve("t.bin"))) {
            try (var ch = java.nio.channels.FileChannel.open(alice.resolve("t.bin"))) {
                java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(12);
                ch.read(b, Math.max(0, ch.size() - 12));
                tail = new String(b.array(), 0, b.position(), StandardCharsets.ISO_8859_1);
            }
        }
        boolean deleted = !Files.exists(bob.resolve("diary.txt"));
        assertThat(tail + (deleted ? " (and deleted from bob's root)" : ""))
                .as("the end of alice's COMB target: bob's file copied in").doesNotStartWith("bob's secret");
        assertThat(deleted).as("bob's file deleted through alice's COMB").isFalse();
    }

    private static boolean tempFileIn(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(p -> Quotas.TEMP.matcher(p.getFileName().toString()).matches());
        } catch (IOException e) {
            return false;
        }
    }

    /** COMB answers a failure with the exception's message: the real path of the user's root on the server's disk. */
    @Test
    void ftpCombErrorRevealsTheRealPathOnDisk() throws Exception {
        Files.writeString(alice.resolve("p1"), "x");
        FTPClient ftp = ftp("alice", "pw");
        try {
            ftp.sendCommand("COMB", "nodir/t p1");
            assertThat(ftp.getReplyString()).doesNotContain(data.toString())
                    .doesNotContain(alice.toRealPath().toString());
        } finally {
            ftp.disconnect();
        }
    }

    /** FTP resolves every path with the final link followed, so DELE on a link deletes the file it points to. */
    @Test
    void ftpDeleOnALinkDeletesItsTargetInstead() throws Exception {
        Files.writeString(alice.resolve("keep.txt"), "keep");
        try (TestClient client = login("alice", "pw")) {
            SftpClient sftp = client.sftp();
            sftp.symLink("/l", "/keep.txt");
        }
        FTPClient ftp = ftp("alice", "pw");
        try {
            ftp.deleteFile("l");
        } finally {
            ftp.disconnect();
        }
        assertThat(alice.resolve("keep.txt")).as("the link's target").exists();
    }

    /**
     * Where the outward link of the races can come from without an administrator: any relative link inside the root
     * (docs/up -&gt; ..) climbs out once a client renames it to a shallower place; VirtualRoot.move renames it as is.
     */
    @Test
    void renamingAnInwardRelativeLinkMakesItLeadOut() throws Exception {
        Files.createDirectory(alice.resolve("docs"));
        Files.createSymbolicLink(alice.resolve("docs/up"), Path.of(".."));
        try (TestClient client = login("alice", "pw")) {
            SftpClient sftp = client.sftp();
            sftp.rename("/docs/up", "/up");
            // a relative link that already leads out is not moved at all
            Files.createSymbolicLink(alice.resolve("docs/out"), Path.of("../../bob"));
            assertThatThrownBy(() -> sftp.rename("/docs/out", "/out")).hasMessageContaining("denied");
        }
        Path up = alice.resolve("up");
        assertThat(!Files.exists(up, java.nio.file.LinkOption.NOFOLLOW_LINKS) || up.toRealPath().startsWith(alice.toRealPath()))
                .as("/up leads to " + (Files.exists(up) ? up.toRealPath() : "nothing")).isTrue();
    }

    /**
     * A hard link adds no usage, but deleting either name subtracts the file's size: upload, hard-link, delete the
     * original, and the bytes stay on disk while the usage returns to zero, again and again.
     */
    @Test
    void hardLinksLaunderTheByteQuota() throws Exception {
        byte[] chunk = new byte[60_000];
        try (TestClient client = login("carol", "pw3")) {
            SftpClient sftp = client.sftp();
            for (int i = 0; i < 5; i++) {
                try (OutputStream out = sftp.write("/f.bin")) {
                    out.write(chunk);
                }
                if (!hardLink(sftp, "/f.bin", "/kept" + i + ".bin")) {
                    // every name counts against the quota: the link that would pass it is refused
                    break;
                }
                sftp.remove("/f.bin");
            }
        }
        long onDisk = 0;
        try (Stream<Path> s = Files.list(data.resolve("home/carol"))) {
            for (Path p : (Iterable<Path>) s::iterator) {
                onDisk += Files.size(p);
            }
        }
        assertThat(onDisk).as("bytes kept by a user with a 100000-byte quota").isLessThanOrEqualTo(100_000);
    }
}
