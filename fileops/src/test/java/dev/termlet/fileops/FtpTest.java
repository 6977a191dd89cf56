package dev.termlet.fileops;

import dev.termlet.fileops.internal.core.Quotas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.termlet.RefusedException;
import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import dev.termlet.annotations.OnUser;
import dev.termlet.auth.Account;
import dev.termlet.event.ConnectionClosed;
import dev.termlet.event.EventType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPConnectionClosedException;
import org.apache.commons.net.ftp.FTPFile;
import org.apache.commons.net.ftp.FTPSClient;
import org.apache.commons.net.util.TrustManagerUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Commons Net's FTPSClient (explicit TLS, passive) against the FTP side: operations, events, refusals, faults. */
class FtpTest {
    @TempDir
    Path data;

    final Fixture fx = new Fixture((Void) null);
    TermletServer server;
    FileOps files;

    /** Records file and connection events; refuses .exe uploads and SITE WIPE. */
    public class Rules {
        @OnUser({"pre-upload", "upload", "upload-failed", "pre-download", "download", "pre-delete", "delete",
            "pre-mkdir", "mkdir", "pre-rmdir", "rmdir", "pre-rename", "rename", "pre-list", "list", "size", "exists",
            "quota-exceeded", "settime", "pre-combine", "combine", "hash", "space"})
        void record(EventType type, FileEvent e) {
            fx.add(Fixture.line(type.name(), e));
        }

        @OnUser("pre-upload")
        void noExe(FileEvent e) {
            if (e.path().endsWith(".exe")) {
                throw new RefusedException("no executables");
            }
        }

        /** Takes its time over uploads named order*, and refuses ones named reject.txt after they arrive. */
        @OnUser(value = "upload", delivery = dev.termlet.annotations.Delivery.SYNC)
        boolean arrived(FileEvent e) throws InterruptedException {
            if (e.path().startsWith("/order")) {
                Thread.sleep(300);
                fx.add("arrived " + e.path());
            }
            return !e.path().endsWith("reject.txt");
        }

        @OnUser("site")
        boolean site(FileEvent e, String command) {
            fx.add("site " + command);
            return !command.toUpperCase().startsWith("WIPE");
        }

        @OnUser("connection-closed")
        void closed(ConnectionClosed c) {
            fx.add("closed " + c.protocol() + " " + c.user());
        }

        @OnUser("auth-fail")
        void fail(dev.termlet.AuthRequest r) {
            fx.add("auth-fail " + r.user());
        }
    }

    @BeforeEach
    void start() {
        files = FileOps.create().ftp(0);
        server = Termlet.server().port(0).dataDir(data).extension(files).register(new Rules()).build();
        server.accounts().save(Account.builder("alice").password("secret".toCharArray()).build());
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private FTPSClient connect() throws Exception {
        FTPSClient c = new FTPSClient(false);
        c.setTrustManager(TrustManagerUtils.getAcceptAllTrustManager());
        c.setControlEncoding("UTF-8");
        c.setConnectTimeout(10_000);
        c.setDefaultTimeout(20_000);
        c.connect("127.0.0.1", files.ftpPort());
        c.setSoTimeout(20_000);
        // explicit mode: connect() has already sent AUTH TLS and negotiated TLS on the control connection
        c.execPBSZ(0);
        c.execPROT("P");
        return c;
    }

    private FTPSClient login(String user, String password) throws Exception {
        FTPSClient c = connect();
        assertThat(c.login(user, password)).as(c.getReplyString()).isTrue();
        c.enterLocalPassiveMode();
        c.setFileType(FTP.BINARY_FILE_TYPE);
        return c;
    }

    private Path home() {
        return data.resolve("home/alice");
    }

    private static ByteArrayInputStream bytes(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    private List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void everyOperationOverExplicitTlsFiresItsEvents() throws Exception {
        FTPSClient c = login("alice", "secret");
        try {
            assertThat(c.makeDirectory("docs")).isTrue();
            assertThat(c.storeFile("docs/a.txt", bytes("hello ftp"))).as(c.getReplyString()).isTrue();
            assertThat(c.storeFile("docs/a.txt", bytes("hello again"))).isTrue();
            FTPFile[] listed = c.listFiles("docs");
            assertThat(Arrays.stream(listed).map(FTPFile::getName)).containsExactly("a.txt");
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            assertThat(c.retrieveFile("docs/a.txt", got)).isTrue();
            assertThat(got.toString(StandardCharsets.UTF_8)).isEqualTo("hello again");
            assertThat(c.getSize("docs/a.txt")).isEqualTo("11");
            assertThat(c.getModificationTime("docs/a.txt")).isNotNull();
            assertThat(c.rename("docs/a.txt", "docs/b.txt")).isTrue();
            assertThat(c.sendSiteCommand("HELP")).isNotNull();
            assertThat(c.sendSiteCommand("WIPE all")).isFalse();
            assertThat(c.deleteFile("docs/b.txt")).isTrue();
            assertThat(c.removeDirectory("docs")).isTrue();
            c.logout();
        } finally {
            c.disconnect();
        }
        assertThat(fx.await("closed FTP alice")).isTrue();
        assertThat(fx.await("rmdir FTP alice /docs")).isTrue();
        // Pre-events (and site) run in the command's flow, in command order; post-events run in order on the
        // connection's queue. A pre-event may overtake the post-event of the command before it, so each
        // sequence is checked on its own, and each operation's pre-event before its post-event.
        List<String> all = fx.events();
        List<String> pre = all.stream().filter(e -> e.startsWith("pre-") || e.startsWith("site "))
                .collect(Collectors.toList());
        List<String> post = all.stream().filter(e -> !pre.contains(e)).collect(Collectors.toList());
        assertThat(pre).containsExactly("pre-mkdir FTP alice /docs size=-1 status=1",
                "pre-upload FTP alice /docs/a.txt size=-1 status=1", "pre-upload FTP alice /docs/a.txt size=9 status=1",
                "pre-list FTP alice /docs size=-1 status=1", "pre-download FTP alice /docs/a.txt size=11 status=1",
                "pre-rename FTP alice /docs/a.txt -> /docs/b.txt size=11 status=1", "site HELP", "site WIPE all",
                "pre-delete FTP alice /docs/b.txt size=11 status=1", "pre-rmdir FTP alice /docs size=-1 status=1");
        assertThat(post).containsExactly("mkdir FTP alice /docs size=-1 status=1",
                "upload FTP alice /docs/a.txt size=9 status=1", "upload FTP alice /docs/a.txt size=11 status=1",
                "list FTP alice /docs size=-1 status=1", "download FTP alice /docs/a.txt size=11 status=1",
                "size FTP alice /docs/a.txt size=11 status=1", "exists FTP alice /docs/a.txt size=11 status=1",
                "rename FTP alice /docs/a.txt -> /docs/b.txt size=11 status=1",
                "delete FTP alice /docs/b.txt size=11 status=1", "rmdir FTP alice /docs size=-1 status=1",
                "closed FTP alice");
        for (String[] op : new String[][] {{"pre-mkdir", "mkdir"}, {"pre-rename", "rename"}, {"pre-rmdir", "rmdir"}}) {
            assertThat(all).containsSubsequence(all.stream().filter(e -> e.startsWith(op[0] + " ")).findFirst()
                    .orElseThrow(), all.stream().filter(e -> e.startsWith(op[1] + " ")).findFirst().orElseThrow());
        }
        assertThat(names(home())).isEmpty();
    }

    @Test
    void loginsNeedTlsAndTheRightPassword() throws Exception {
        FTPClient plain = new FTPClient();
        plain.setDefaultTimeout(20_000);
        plain.connect("127.0.0.1", files.ftpPort());
        try {
            assertThat(plain.login("alice", "secret")).isFalse();
            assertThat(plain.getReplyString()).contains("TLS");
        } finally {
            plain.disconnect();
        }
        FTPSClient c = connect();
        try {
            assertThat(c.login("alice", "wrong")).isFalse();
            assertThat(c.getReplyCode()).isEqualTo(530);
            assertThat(c.login("alice", "wrong")).isFalse();
            // the third failure closes the connection
            assertThatThrownBy(() -> c.login("alice", "wrong")).isInstanceOf(FTPConnectionClosedException.class)
                    .hasMessageContaining("421");
        } finally {
            c.disconnect();
        }
        assertThat(fx.await("auth-fail alice")).isTrue();
        assertThat(fx.await("closed FTP null")).isTrue();
        FTPSClient ok = login("alice", "secret");
        ok.logout();
        ok.disconnect();
    }

    @Test
    void refusalsQuotasPermissionsAndTraversal() throws Exception {
        server.accounts().save(server.accounts().find("alice").orElseThrow().toBuilder().quota(40_000, 3).build());
        FTPSClient c = login("alice", "secret");
        try {
            assertThat(c.storeFile("tool.exe", bytes("MZ"))).isFalse();
            assertThat(c.getReplyCode()).isEqualTo(550);
            assertThat(c.getReplyString()).contains("no executables");
            assertThat(c.storeFile("../../../escape.txt", bytes("e"))).isTrue();
            assertThat(c.changeWorkingDirectory("../../..")).isTrue();
            assertThat(c.printWorkingDirectory()).isEqualTo("/");
            assertThat(c.storeFile("big.bin", new ByteArrayInputStream(new byte[60_000]))).isFalse();
            assertThat(c.storeFile("two.txt", bytes("2"))).isTrue();
            assertThat(c.storeFile("three.txt", bytes("3"))).isTrue();
            assertThat(c.storeFile("four.txt", bytes("4"))).isFalse();
            assertThat(c.getReplyCode()).isEqualTo(552);
        } finally {
            c.disconnect();
        }
        assertThat(home().resolve("escape.txt")).hasContent("e");
        assertThat(Files.exists(data.resolve("escape.txt"))).isFalse();
        assertThat(names(home())).containsExactly("escape.txt", "three.txt", "two.txt");
        assertThat(fx.await("quota-exceeded FTP alice /big.bin")).isTrue();
        assertThat(fx.await(e -> e.startsWith("upload-failed FTP alice /big.bin") && e.endsWith("status=3"))).isTrue();
        assertThat(fx.await("quota-exceeded FTP alice /four.txt")).isTrue();

        server.accounts().save(server.accounts().find("alice").orElseThrow().toBuilder().quota(0, 0).readOnly().build());
        FTPSClient r = login("alice", "secret");
        try {
            assertThat(r.storeFile("new.txt", bytes("n"))).isFalse();
            assertThat(r.getReplyString()).contains("permission denied: upload");
            assertThat(r.deleteFile("two.txt")).isFalse();
            assertThat(r.makeDirectory("d")).isFalse();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            assertThat(r.retrieveFile("two.txt", got)).isTrue();
        } finally {
            r.disconnect();
        }
        assertThat(names(home())).containsExactly("escape.txt", "three.txt", "two.txt");
    }

    @Test
    void aClientKilledMidUploadLeavesTheOldFile() throws Exception {
        Files.createDirectories(home());
        Files.writeString(home().resolve("keep.txt"), "old content");
        Killable c = new Killable();
        c.setTrustManager(TrustManagerUtils.getAcceptAllTrustManager());
        c.setDefaultTimeout(20_000);
        c.connect("127.0.0.1", files.ftpPort());
        c.execPBSZ(0);
        // a clear data channel, so that the test can reset its TCP connection as a crashed client's is reset
        c.execPROT("C");
        assertThat(c.login("alice", "secret")).isTrue();
        c.enterLocalPassiveMode();
        c.setFileType(FTP.BINARY_FILE_TYPE);
        java.net.Socket data = c.openData("STOR", "keep.txt");
        OutputStream out = data.getOutputStream();
        out.write(new byte[100_000]);
        out.flush();
        // the client dies: its connections are reset before the transfer ends
        data.setSoLinger(true, 0);
        data.close();
        c.disconnect();
        assertThat(fx.await("upload-failed FTP alice /keep.txt")).isTrue();
        assertThat(home().resolve("keep.txt")).hasContent("old content");
        assertThat(fx.await("closed FTP alice")).isTrue();
        assertThat(names(home())).containsExactly("keep.txt");
        assertThat(fx.events()).noneMatch(e -> e.startsWith("upload FTP"));
    }

    @Test
    void hashCombineAndAvailableSpace() throws Exception {
        FTPSClient c = login("alice", "secret");
        try {
            assertThat(c.storeFile("part1", bytes("hello "))).isTrue();
            assertThat(c.storeFile("part 2", bytes("world"))).isTrue();
            assertThat(c.sendCommand("COMB", "whole.txt part1 'part 2'")).as(c.getReplyString()).isEqualTo(250);
            assertThat(c.sendCommand("COMB", "whole.txt")).isEqualTo(501);
            assertThat(c.sendCommand("COMB", "x.txt ../../../../etc/passwd")).isEqualTo(550);
            assertThat(c.sendCommand("HASH", "whole.txt")).isEqualTo(213);
            String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest("hello world".getBytes(StandardCharsets.UTF_8)));
            assertThat(c.getReplyString()).contains("SHA-256 0-11 " + sha + " whole.txt");
            assertThat(c.sendCommand("AVBL")).isEqualTo(213);
            assertThat(Long.parseLong(c.getReplyString().substring(4).trim())).isPositive();
        } finally {
            c.disconnect();
        }
        assertThat(home().resolve("whole.txt")).hasContent("hello world");
        assertThat(names(home())).containsExactly("whole.txt");
        assertThat(fx.await("combine FTP alice /whole.txt size=11 status=1")).isTrue();
        assertThat(fx.await("hash FTP alice /whole.txt size=11 status=1")).isTrue();
        assertThat(fx.await("space FTP alice / ")).isTrue();
        assertThat(fx.events()).containsSubsequence("pre-combine FTP alice /whole.txt size=-1 status=1",
                "combine FTP alice /whole.txt size=11 status=1");
    }

    @Test
    void combKeepsToTheQuotaAndRefusesRepeatedParts() throws Exception {
        server.accounts().save(server.accounts().find("alice").orElseThrow().toBuilder().quota(100_000, 10).build());
        FTPSClient c = login("alice", "secret");
        try {
            assertThat(c.storeFile("p1", new ByteArrayInputStream(new byte[30_000]))).isTrue();
            assertThat(c.storeFile("p2", new ByteArrayInputStream(new byte[1_000]))).isTrue();
            // one part named four times: 120,000 bytes from 30,000, past the 100,000-byte quota
            assertThat(c.sendCommand("COMB", "big p1 p1 p1 p1")).as(c.getReplyString()).isEqualTo(552);
            // within the quota, but still a part named twice
            assertThat(c.sendCommand("COMB", "small p2 p2")).as(c.getReplyString()).isEqualTo(501);
            assertThat(c.sendCommand("COMB", "p1 p2 ./p1")).as(c.getReplyString()).isEqualTo(501);
            assertThat(names(home())).containsExactly("p1", "p2");
            assertThat(home().resolve("p1")).hasSize(30_000);
            assertThat(c.sendCommand("COMB", "whole p1 p2")).as(c.getReplyString()).isEqualTo(250);
            assertThat(names(home())).containsExactly("whole");
            assertThat(home().resolve("whole")).hasSize(31_000);
            // the quota still counts right: exactly up to 100,000 bytes, and not one more
            assertThat(c.storeFile("fill", new ByteArrayInputStream(new byte[69_000]))).as(c.getReplyString())
                    .isTrue();
            assertThat(c.storeFile("over", new ByteArrayInputStream(new byte[1]))).isFalse();
            assertThat(c.getReplyCode()).isEqualTo(552);
        } finally {
            c.disconnect();
        }
        assertThat(fx.await("quota-exceeded FTP alice /big")).isTrue();
        assertThat(fx.await(e -> e.startsWith("combine FTP alice /big") && e.endsWith("status=3"))).isTrue();
        assertThat(fx.await("combine FTP alice /whole size=31000 status=1")).isTrue();
        assertThat(fx.events()).noneMatch(e -> e.startsWith("pre-combine FTP alice /big")
                || e.startsWith("pre-combine FTP alice /small"));
        assertThat(names(home())).containsExactly("fill", "whole");
    }

    @Test
    void anUploadIsInPlaceAndSettledBeforeIts226() throws Exception {
        FTPSClient c = login("alice", "secret");
        FTPSClient other = login("alice", "secret");
        try {
            for (int i = 0; i < 3; i++) {
                String name = "order" + i + ".txt";
                assertThat(c.storeFile(name, bytes("v" + i))).as(c.getReplyString()).isTrue();
                assertThat(c.getReplyCode()).isEqualTo(226);
                // 226 has come: the file is in place and its upload event done (a synchronous handler that takes
                // 300 ms ran before the reply), and another connection finds it at once (rclone's MFMT)
                assertThat(home().resolve(name)).hasContent("v" + i);
                assertThat(fx.events()).contains("arrived /" + name);
                assertThat(other.setModificationTime(name, "20200102030405")).as(other.getReplyString()).isTrue();
                assertThat(c.appendFile(name, bytes("+"))).as(c.getReplyString()).isTrue();
                assertThat(home().resolve(name)).hasContent("v" + i + "+");
            }
            // refused by a synchronous upload handler after it arrived: removed, and the client told so
            assertThat(c.storeFile("reject.txt", bytes("no"))).isFalse();
            assertThat(c.getReplyCode()).isEqualTo(550);
            assertThat(home().resolve("reject.txt")).doesNotExist();
            // a commit that fails (a file cannot replace a directory) is not answered 226
            assertThat(c.makeDirectory("full")).isTrue();
            assertThat(c.storeFile("full/x.txt", bytes("x"))).isTrue();
            assertThat(c.storeFile("full", bytes("over a directory"))).isFalse();
            assertThat(c.getReplyCode()).as(c.getReplyString()).isEqualTo(451);
            assertThat(home().resolve("full/x.txt")).hasContent("x");
        } finally {
            c.disconnect();
            other.disconnect();
        }
        assertThat(fx.await(e -> e.startsWith("upload-failed FTP alice /full ") && e.endsWith("status=2"))).isTrue();
        assertThat(names(home())).containsExactly("full", "order0.txt", "order1.txt", "order2.txt");
        assertThat(names(home().resolve("full"))).containsExactly("x.txt");
    }

    @Test
    void combJoinsPartsWithNamesUpTo255Bytes() throws Exception {
        String p1 = "q".repeat(250);
        String p2 = "é".repeat(127) + "d";
        String whole = "w".repeat(255);
        FTPSClient c = login("alice", "secret");
        try {
            assertThat(c.storeFile(p1, bytes("hello "))).as(c.getReplyString()).isTrue();
            assertThat(c.storeFile(p2, bytes("world"))).as(c.getReplyString()).isTrue();
            assertThat(c.sendCommand("COMB", whole + " " + p1 + " " + p2)).as(c.getReplyString()).isEqualTo(250);
        } finally {
            c.disconnect();
        }
        assertThat(home().resolve(whole)).hasContent("hello world");
        // no temporary, taken part or record of a part's name is left
        assertThat(names(home())).containsExactly(whole);
    }

    /**
     * What a crash leaves of uploads and COMBs with long names is cleared at the next start: temporaries removed,
     * taken parts given back under their whole names from their records (beside them if the name is in use
     * again), records without a part removed; a taken part of a short name without a record (made before records
     * were) is given back under the name it carries.
     */
    @Test
    void leftoversOfLongNamesAreClearedAtStart() throws Exception {
        server.close();
        Files.createDirectories(home().resolve("sub"));
        String taken = "é".repeat(127) + "d";
        String inUse = "x".repeat(250);
        Path t1 = home().resolve("sub").resolve(Quotas.temporaryName(taken, "taken"));
        Files.writeString(t1, "part one");
        Files.writeString(Quotas.takenRecord(t1), taken);
        Path t2 = home().resolve(Quotas.temporaryName(inUse, "taken"));
        Files.writeString(t2, "part two");
        Files.writeString(Quotas.takenRecord(t2), inUse);
        Files.writeString(home().resolve(inUse), "newer");
        Files.writeString(home().resolve(Quotas.temporaryName("p".repeat(240), "part")), "half an upload");
        Files.writeString(Quotas.takenRecord(home().resolve(Quotas.temporaryName("gone", "taken"))), "gone");
        Files.writeString(home().resolve(".p1.bin.6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f.taken"), "legacy");
        assertThat(t1.getFileName().toString().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(255);

        files = FileOps.create().ftp(0);
        server = Termlet.server().port(0).dataDir(data).extension(files).register(new Rules()).build();
        server.start();
        assertThat(names(home().resolve("sub"))).containsExactly(taken);
        assertThat(home().resolve("sub").resolve(taken)).hasContent("part one");
        List<String> top = names(home());
        assertThat(top).hasSize(4).contains("p1.bin", "sub", inUse);
        assertThat(home().resolve("p1.bin")).hasContent("legacy");
        assertThat(home().resolve(inUse)).hasContent("newer");
        String aside = top.stream().filter(n -> n.contains(".comb-")).findFirst().orElseThrow();
        assertThat(aside).startsWith("x".repeat(200));
        assertThat(aside.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(255);
        assertThat(home().resolve(aside)).hasContent("part two");
        // and the given-back parts are the user's again: listed over FTP
        FTPSClient c = login("alice", "secret");
        try {
            assertThat(c.listNames()).containsExactlyInAnyOrderElementsOf(top);
        } finally {
            c.disconnect();
        }
    }

    /** The sockets this process holds open (the server runs in it): Linux's /proc/self/fd. */
    private static long sockets() throws Exception {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().startsWith("socket:");
                } catch (java.io.IOException e) {
                    return false;
                }
            }).count();
        }
    }

    /** The process's sockets once the count has stayed the same for half a second (at most 10 s). */
    private static long settledSockets() throws Exception {
        long last = sockets();
        for (int stable = 0, i = 0; stable < 5 && i < 100; i++) {
            Thread.sleep(100);
            long now = sockets();
            stable = now == last ? stable + 1 : 0;
            last = now;
        }
        return last;
    }

    @Test
    void oneSessionHoldsOneDataConnectionHoweverManyPasvOrPortItSends() throws Exception {
        FTPSClient c = login("alice", "secret");
        try {
            assertThat(c.storeFile("a.txt", bytes("a"))).isTrue();
            // the STOR's data connection closes on its own time: count once the number has settled
            long before = settledSockets();
            assertThat(c.sendCommand("PASV")).isEqualTo(227);
            assertThat(sockets() - before).as("a passive listener is a socket of this process").isEqualTo(1);
            for (int i = 0; i < 300; i++) {
                assertThat(c.sendCommand(i % 3 == 0 ? "EPSV" : "PASV")).as(c.getReplyString()).isIn(227, 229);
                if (i % 50 == 0) {
                    assertThat(c.sendCommand("PORT", "127,0,0,1,4," + (i % 200))).isEqualTo(200);
                }
            }
            // each PASV, EPSV or PORT closes the session's previous data connection first (Apache FtpServer's
            // IODataConnectionFactory): at most one listener more than before, not hundreds
            assertThat(sockets() - before).isLessThanOrEqualTo(1);
            FTPSClient other = login("alice", "secret");
            try {
                assertThat(other.listNames()).containsExactly("a.txt");
            } finally {
                other.disconnect();
            }
            assertThat(c.listNames()).containsExactly("a.txt");
        } finally {
            c.disconnect();
        }
    }

    /** A client whose data connection can be reset as a crashed client's is. */
    static final class Killable extends FTPSClient {
        Killable() {
            super(false);
        }

        java.net.Socket openData(String command, String arg) throws java.io.IOException {
            return _openDataConnection_(command, arg);
        }
    }
}
