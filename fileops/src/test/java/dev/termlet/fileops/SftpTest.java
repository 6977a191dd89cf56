package dev.termlet.fileops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.RefusedException;
import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import dev.termlet.annotations.OnUser;
import dev.termlet.auth.Account;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OpenSSH sftp program against the SFTP server: every operation, its events, refusals and traversal. */
class SftpTest {
    @TempDir
    Path data;

    @TempDir
    Path client;

    final List<String> events = new ArrayList<>();
    TermletServer server;
    Path key;

    /** Records file events; refuses .exe uploads. */
    public class Rules {
        private synchronized void add(String s) {
            events.add(s);
            notifyAll();
        }

        @OnUser(value = "pre-upload", order = 1)
        void noExe(FileEvent e) {
            add("pre-upload " + e.path());
            if (e.path().endsWith(".exe")) {
                throw new RefusedException("no executables");
            }
        }

        @OnUser(value = {"upload", "download", "upload-failed", "pre-download", "pre-delete", "delete", "pre-mkdir",
            "mkdir", "pre-rmdir", "rmdir", "pre-rename", "rename", "pre-list", "list"})
        void record(FileEvent e) {
            add(e.protocol() + " " + e.user() + " " + e.path() + (e.target() != null ? " -> " + e.target() : "")
                    + " size=" + e.size() + " status=" + e.status());
        }
    }

    /** Records attribute and link changes. */
    public class Attributes {
        @OnUser({"setattr", "settime"})
        void attrs(FileEvent e) {
            synchronized (SftpTest.this) {
                events.add("attrs " + e.path());
                SftpTest.this.notifyAll();
            }
        }

        @OnUser("symlink")
        void link(FileEvent e) {
            synchronized (SftpTest.this) {
                events.add("symlink " + e.path() + " -> " + e.target());
                SftpTest.this.notifyAll();
            }
        }
    }

    private synchronized boolean waitFor(String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (events.stream().noneMatch(e -> e.startsWith(prefix)) && System.nanoTime() < deadline) {
            wait(100);
        }
        return events.stream().anyMatch(e -> e.startsWith(prefix));
    }

    @BeforeEach
    void start() throws Exception {
        server = Termlet.server().port(0).dataDir(data).extension(FileOps.sftp()).register(new Rules(), new Attributes())
                .start();
        key = client.resolve("id");
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString()).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        server.accounts().save(Account.builder("alice")
                .addAuthorizedKey(Files.readString(client.resolve("id.pub")).trim()).build());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String sftp(String batch) throws Exception {
        Path file = client.resolve("batch.txt");
        Files.writeString(file, batch);
        Process p = new ProcessBuilder("sftp", "-F", "/dev/null", "-b", file.toString(), "-i", key.toString(),
                "-P", Integer.toString(server.port()), "-o", "StrictHostKeyChecking=no", "-o",
                "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "alice@127.0.0.1")
                .directory(client.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    @Test
    void everyOperationFiresItsEvents() throws Exception {
        Files.writeString(client.resolve("local.txt"), "hello sftp");
        String out = sftp(String.join("\n", "mkdir docs", "put local.txt docs/a.txt", "ls docs",
                "get docs/a.txt back.txt", "rename docs/a.txt docs/b.txt", "rm docs/b.txt", "rmdir docs", ""));
        assertThat(out).doesNotContain("denied").doesNotContain("Couldn't");
        assertThat(Files.readString(client.resolve("back.txt"))).isEqualTo("hello sftp");
        assertThat(waitFor("SFTP alice /docs size=-1 status=1")).isTrue();
        waitFor("SFTP alice /docs/a.txt -> /docs/b.txt");
        Thread.sleep(300);
        List<String> seen;
        synchronized (this) {
            seen = new ArrayList<>(events);
        }
        assertThat(seen).contains("pre-upload /docs/a.txt", "SFTP alice /docs/a.txt size=10 status=1",
                "SFTP alice /docs/a.txt -> /docs/b.txt size=10 status=1")
                .containsSubsequence("pre-upload /docs/a.txt", "SFTP alice /docs/a.txt size=10 status=1");
        assertThat(Files.exists(data.resolve("home/alice/docs"))).isFalse();
    }

    @Test
    void attributesAndLinks() throws Exception {
        Files.writeString(client.resolve("f.txt"), "f");
        String out = sftp(String.join("\n", "put f.txt f.txt", "chmod 600 f.txt", "symlink f.txt link.txt",
                "mkdir w", "put f.txt w/real.txt", "symlink real.txt w/lnk", ""));
        assertThat(out).doesNotContain("Couldn't");
        assertThat(waitFor("SFTP alice /f.txt size=1 status=1")).isTrue();
        assertThat(Files.isSymbolicLink(data.resolve("home/alice/link.txt"))).isTrue();
        assertThat(waitFor("attrs /f.txt")).isTrue();
        assertThat(waitFor("symlink ")).isTrue();
        // a relative target names a file beside the link, and the event says so
        assertThat(waitFor("symlink /w/lnk -> /w/real.txt")).as(events.toString()).isTrue();
        assertThat(Files.readString(data.resolve("home/alice/w/lnk"))).isEqualTo("f");
    }

    @Test
    void refusedUploadIsPermissionDeniedAndNothingIsWritten() throws Exception {
        Files.writeString(client.resolve("tool.exe"), "MZ");
        String out = sftp("-put tool.exe tool.exe\n");
        assertThat(out).contains("denied");
        assertThat(Files.exists(data.resolve("home/alice/tool.exe"))).isFalse();
        assertThat(waitFor("pre-upload /tool.exe")).isTrue();
    }

    @Test
    void traversalStaysInTheHome() throws Exception {
        Files.writeString(client.resolve("x.txt"), "x");
        sftp("-put x.txt ../../../escape.txt\n-put x.txt /../../../../tmp/escape2.txt\n-mkdir ../../outside\n");
        assertThat(Files.exists(data.resolve("escape.txt"))).isFalse();
        assertThat(Files.exists(data.resolve("home/escape.txt"))).isFalse();
        assertThat(Files.exists(data.resolve("outside"))).isFalse();
        assertThat(Files.exists(data.resolve("home/alice/escape.txt"))).isTrue();
    }
}
