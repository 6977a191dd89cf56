package dev.termlet.fileops;

import static dev.termlet.fileops.HookTests.await;
import static dev.termlet.fileops.HookTests.lines;
import static dev.termlet.fileops.HookTests.outbox;
import static dev.termlet.fileops.HookTests.script;
import static dev.termlet.fileops.HookTests.upload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import dev.termlet.auth.Account;
import dev.termlet.test.TestClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Program hooks: SFTPGo scripts unchanged, refusals by pre-* hooks, time limits, crashes, a clean environment. */
class HooksTest {
    @TempDir
    Path data;

    @TempDir
    Path dir;

    TermletServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void start(Hooks hooks) {
        server = Termlet.server().port(0).dataDir(data).extension(FileOps.sftp()).extension(hooks).build();
        server.accounts().save(Account.builder("alice").password("pw".toCharArray()).build());
        server.start();
    }

    private TestClient login() {
        return Fixture.login(server, "alice", "pw");
    }

    private Path home() {
        return data.resolve("home/alice");
    }

    /** The notify script an SFTPGo user would have written for custom actions; the test only fills in LOG. */
    private static final String SFTPGO_NOTIFY_SCRIPT = String.join("\n",
            "# notify.sh: SFTPGo custom action hook (common.actions.hook)",
            "# SFTPGo passes: $1 action, $2 username, $3 path, $4 target path, $5 ssh command",
            "LOG=\"@LOG@\"",
            "case \"$1\" in",
            "  upload|download)",
            "    echo \"$1 user=$2 path=$3 vpath=$SFTPGO_ACTION_VIRTUAL_PATH size=$SFTPGO_ACTION_FILE_SIZE"
                    + " status=$SFTPGO_ACTION_STATUS proto=$SFTPGO_ACTION_PROTOCOL ip=$SFTPGO_ACTION_IP"
                    + " session=$SFTPGO_ACTION_SESSION_ID ts=$SFTPGO_ACTION_TIMESTAMP fs=$SFTPGO_ACTION_FS_PROVIDER"
                    + " flags=$SFTPGO_ACTION_OPEN_FLAGS\" >> \"$LOG\"",
            "    ;;",
            "  rename)",
            "    echo \"$1 user=$2 from=$3 to=$4 vfrom=$SFTPGO_ACTION_VIRTUAL_PATH vto=$SFTPGO_ACTION_VIRTUAL_TARGET"
                    + " env_action=$SFTPGO_ACTION env_target=$SFTPGO_ACTION_TARGET\" >> \"$LOG\"",
            "    ;;",
            "  delete)",
            "    echo \"$1 user=$SFTPGO_ACTION_USERNAME path=$SFTPGO_ACTION_PATH size=$SFTPGO_ACTION_FILE_SIZE\""
                    + " >> \"$LOG\"",
            "    ;;",
            "  *)",
            "    echo \"other $SFTPGO_ACTION\" >> \"$LOG\"",
            "    ;;",
            "esac",
            "exit 0",
            "");

    @Test
    void anSftpgoNotifyScriptRunsUnchanged() throws Exception {
        Path log = dir.resolve("actions.log");
        Path notify = script(dir, "notify.sh", SFTPGO_NOTIFY_SCRIPT.replace("@LOG@", log.toString()));
        start(Hooks.builder().program(notify, "upload", "rename", "delete").build());
        byte[] content = "x".repeat(1234).getBytes(StandardCharsets.UTF_8);
        try (TestClient alice = login()) {
            SftpClient sftp = alice.sftp();
            upload(sftp, "report.csv", content);
            await("upload notified", () -> lines(log).stream().anyMatch(l -> l.startsWith("upload ")));
            sftp.rename("report.csv", "final.csv");
            await("rename notified", () -> lines(log).stream().anyMatch(l -> l.startsWith("rename ")));
            sftp.remove("final.csv");
        }
        await("delete notified", () -> lines(log).stream().anyMatch(l -> l.startsWith("delete ")));
        Path real = home().toRealPath();
        List<String> seen = lines(log);
        String up = seen.stream().filter(l -> l.startsWith("upload ")).findFirst().orElseThrow();
        assertThat(up).contains("user=alice", "path=" + real.resolve("report.csv"), "vpath=/report.csv",
                "size=1234", "status=1", "proto=SFTP", "ip=127.0.0.1", "fs=0")
                .doesNotContain("session= ").matches(".*ts=\\d{19} .*");
        long ts = Long.parseLong(up.replaceAll(".*ts=(\\d+).*", "$1"));
        assertThat(Math.abs(ts / 1_000_000 - System.currentTimeMillis())).as("timestamp in nanoseconds")
                .isLessThan(Duration.ofHours(1).toMillis());
        assertThat(Integer.parseInt(up.replaceAll(".*flags=(\\d+).*", "$1")) & 1).as("opened for writing")
                .isEqualTo(1);
        assertThat(seen).contains("rename user=alice from=" + real.resolve("report.csv") + " to="
                + real.resolve("final.csv") + " vfrom=/report.csv vto=/final.csv env_action=rename env_target="
                + real.resolve("final.csv"));
        assertThat(seen).contains("delete user=alice path=" + real.resolve("final.csv") + " size=1234");
        await("the outbox empties", () -> outbox(data).isEmpty());
    }

    @Test
    void hookProgramsGetOnlyPathAndTheirOwnVariables() throws Exception {
        Path names = dir.resolve("env.txt");
        Path hook = script(dir, "env.sh", "env | cut -d= -f1 | sort > \"" + names + "\"\n");
        start(Hooks.builder().program(hook, "mkdir").build());
        try (TestClient alice = login()) {
            SftpClient sftp = alice.sftp();
            sftp.mkdir("docs");
        }
        await("the hook ran", () -> lines(names).contains("SFTPGO_ACTION"));
        assertThat(System.getenv()).as("the server has variables of its own").containsKey("HOME");
        assertThat(lines(names)).allMatch(n -> n.equals("PATH") || n.equals("PWD") || n.startsWith("SFTPGO_ACTION"),
                "PATH, the shell's PWD or SFTPGO_ACTION*").contains("PATH", "SFTPGO_ACTION_VIRTUAL_PATH");
    }

    @Test
    void aPreUploadHookExitingOneRefusesTheUpload() throws Exception {
        Path hook = script(dir, "check.sh", "echo \"no $SFTPGO_ACTION_VIRTUAL_PATH\" >&2\nexit 1\n");
        start(Hooks.builder().program(hook, "pre-upload").build());
        try (TestClient alice = login()) {
            SftpClient sftp = alice.sftp();
            assertThatThrownBy(() -> upload(sftp, "blocked.txt", "data".getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOfSatisfying(SftpException.class,
                            e -> assertThat(e.getStatus()).isEqualTo(SftpConstants.SSH_FX_PERMISSION_DENIED));
            sftp.mkdir("still-works");
        }
        try (var files = Files.list(home())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("still-works");
        }
    }

    @Test
    void aHangingHookIsKilledAtItsTimeLimitAndTheServerGoesOn() throws Exception {
        Path hook = script(dir, "hang.sh", "echo $$ > \"" + dir.resolve("hook.pid") + "\"\nsleep 60 &\necho $! > \""
                + dir.resolve("sleep.pid") + "\"\nwait $!\n");
        start(Hooks.builder().program(hook, "pre-upload").timeout(Duration.ofSeconds(2)).build());
        CompletableFuture<Throwable> hanging = CompletableFuture.supplyAsync(() -> {
            try (TestClient alice = login()) {
                SftpClient sftp = alice.sftp();
                upload(sftp, "slow.txt", "data".getBytes(StandardCharsets.UTF_8));
                return null;
            } catch (Exception e) {
                return e;
            }
        });
        await("the hook started", () -> !lines(dir.resolve("sleep.pid")).isEmpty());
        // another session is served while the hook hangs
        try (TestClient alice = login()) {
            SftpClient sftp = alice.sftp();
            sftp.mkdir("meanwhile");
        }
        assertThat(hanging.get(HookTests.PATIENCE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS))
                .isInstanceOfSatisfying(SftpException.class,
                        e -> assertThat(e.getStatus()).isEqualTo(SftpConstants.SSH_FX_PERMISSION_DENIED));
        long hookPid = Long.parseLong(lines(dir.resolve("hook.pid")).get(0).trim());
        long sleepPid = Long.parseLong(lines(dir.resolve("sleep.pid")).get(0).trim());
        await("the hook and its child are killed", () -> ProcessHandle.of(hookPid).map(p -> !p.isAlive()).orElse(true)
                && ProcessHandle.of(sleepPid).map(p -> !p.isAlive()).orElse(true));
        assertThat(Files.exists(home().resolve("slow.txt"))).isFalse();
        assertThat(Files.isDirectory(home().resolve("meanwhile"))).isTrue();
    }

    @Test
    void programsThatCrashOrDoNotExistFailWithoutHarm() throws Exception {
        Path crash = script(dir, "crash.sh", "kill -SEGV $$\n");
        Path missing = dir.resolve("no-such-hook.sh");
        start(Hooks.builder().program(missing, "pre-mkdir", "upload").program(crash, "pre-rename").build());
        try (TestClient alice = login()) {
            SftpClient sftp = alice.sftp();
            assertThatThrownBy(() -> sftp.mkdir("refused")).isInstanceOf(SftpException.class);
            upload(sftp, "a.txt", "a".getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> sftp.rename("a.txt", "b.txt")).isInstanceOf(SftpException.class);
            upload(sftp, "c.txt", "c".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(Files.exists(home().resolve("refused"))).isFalse();
        assertThat(Files.exists(home().resolve("a.txt"))).isTrue();
        assertThat(Files.exists(home().resolve("b.txt"))).isFalse();
        assertThat(Files.exists(home().resolve("c.txt"))).isTrue();
        await("failed notifications are given up, not kept", () -> outbox(data).isEmpty());
    }

    @Test
    void aFailingSynchronousUploadHookHasTheFileRemoved() throws Exception {
        Path seen = dir.resolve("seen.txt");
        Path hook = script(dir, "scan.sh", "echo \"$SFTPGO_ACTION $SFTPGO_ACTION_VIRTUAL_PATH\" >> \"" + seen + "\"\n"
                + "case \"$SFTPGO_ACTION_VIRTUAL_PATH\" in *.exe) exit 1;; esac\nexit 0\n");
        start(Hooks.builder().program(hook, "upload").sync("upload").build());
        try (TestClient alice = login()) {
            SftpClient sftp = alice.sftp();
            upload(sftp, "virus.exe", "MZ".getBytes(StandardCharsets.UTF_8));
            upload(sftp, "notes.txt", "ok".getBytes(StandardCharsets.UTF_8));
        }
        await("both uploads were checked", () -> lines(seen).size() == 2);
        assertThat(lines(seen)).containsExactly("upload /virus.exe", "upload /notes.txt");
        await("the refused upload is removed", () -> !Files.exists(home().resolve("virus.exe")));
        assertThat(Files.readString(home().resolve("notes.txt"))).isEqualTo("ok");
        assertThat(outbox(data)).as("synchronous hooks do not use the outbox").isEmpty();
    }

    @Test
    void unknownEventNamesAreRefusedWithASuggestion() {
        assertThatThrownBy(() -> Hooks.builder().program(Path.of("/bin/true"), "uplaod"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("did you mean 'upload'");
        assertThatThrownBy(() -> Hooks.builder().program(Path.of("relative.sh"), "upload"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("absolute");
        assertThat(Hooks.builder().program(Path.of("/bin/true"), "ssh_cmd", "post-connect", "BeforeFileUpload").build())
                .isNotNull();
    }
}
