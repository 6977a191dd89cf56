package dev.termlet.fileops;

import dev.termlet.fileops.internal.hooks.HookTarget;

import static dev.termlet.fileops.HookTests.await;
import static dev.termlet.fileops.HookTests.lines;
import static dev.termlet.fileops.HookTests.outbox;
import static dev.termlet.fileops.HookTests.script;
import static dev.termlet.fileops.HookTests.upload;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import dev.termlet.auth.Account;
import dev.termlet.test.TestClient;
import dev.termlet.fileops.HookTests.Receiver;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.sshd.sftp.client.SftpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hook outbox holds no trust: files planted in it (with a PATH, a program or a URL of an attacker's choosing)
 * never choose what runs or where a request goes; they are set aside. Entries for configured hooks are still
 * delivered, to the configured target with the configured environment.
 */
class OutboxTrustTest {
    @TempDir
    Path data;

    @TempDir
    Path dir;

    final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    private TermletServer start(Hooks hooks) {
        TermletServer server = Termlet.server().port(0).dataDir(data).extension(FileOps.sftp()).extension(hooks)
                .build();
        server.accounts().save(Account.builder("alice").password("pw".toCharArray()).build());
        closing.add(server);
        return server.start();
    }

    private Receiver receiver() throws IOException {
        Receiver r = new Receiver(0);
        closing.add(r);
        return r;
    }

    private Path outboxDir() throws IOException {
        return Files.createDirectories(data.resolve("hooks/outbox"));
    }

    private List<String> quarantined() throws IOException {
        Path q = data.resolve("hooks/quarantine");
        if (!Files.isDirectory(q)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(q)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** An entry in the outbox's own form: a hook's id, an event and the event's data. */
    private static String entry(String hook, String event, Map<String, String> data) throws IOException {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("hook", hook);
        e.put("event", event);
        e.put("createdMillis", System.currentTimeMillis());
        e.put("data", data);
        return HookTests.JSON.writeValueAsString(e);
    }

    /** The data of a file event, as the outbox keeps it. */
    private static Map<String, String> action(String virtualPath) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("username", "alice");
        d.put("path", "/srv/home/alice" + virtualPath);
        d.put("target_path", "");
        d.put("virtual_path", virtualPath);
        d.put("virtual_target_path", "");
        d.put("ssh_cmd", "");
        d.put("file_size", "0");
        d.put("elapsed", "1");
        d.put("status", "1");
        d.put("protocol", "SFTP");
        d.put("ip", "127.0.0.1");
        d.put("session_id", "c1");
        d.put("open_flags", "0");
        d.put("timestamp", "1700000000000000000");
        return d;
    }

    @Test
    void plantedProgramEntriesRunNothingOfTheAttackersAndLegitEntriesRunTheConfiguredHook() throws Exception {
        // the configured hook calls an external command (tee) found through PATH
        Path log = dir.resolve("actions.log");
        Path hook = script(dir, "notify.sh", "echo \"$SFTPGO_ACTION $SFTPGO_ACTION_VIRTUAL_PATH $2\" | tee -a \""
                + log + "\" > /dev/null\n");
        // the attacker's directory: a tee of their own, and a program of their own
        Path evil = Files.createDirectories(dir.resolve("evil"));
        Path pwned = dir.resolve("pwned");
        script(evil, "tee", "echo tee >> \"" + pwned + "\"\n");
        Path evilProgram = script(evil, "run.sh", "echo run >> \"" + pwned + "\"\n");

        Path outbox = outboxDir();
        String hookId = "program:" + hook;
        // the old form, with the environment as stored: PATH leads to the attacker's tee
        Files.writeString(outbox.resolve("0000000000001-000001-aaaaaaaa.json"), "{\"hook\":\"" + hookId
                + "\",\"event\":\"mkdir\",\"createdMillis\":1,\"args\":[\"mkdir\",\"alice\",\"/x\",\"\",\"\"],"
                + "\"env\":{\"PATH\":\"" + evil + "\",\"LD_PRELOAD\":\"" + evil.resolve("x.so")
                + "\",\"SFTPGO_ACTION\":\"mkdir\",\"SFTPGO_ACTION_VIRTUAL_PATH\":\"/planted\"},"
                + "\"method\":null,\"url\":null,\"body\":null}");
        // the new form, naming the attacker's program as the hook
        Files.writeString(outbox.resolve("0000000000002-000002-bbbbbbbb.json"),
                entry("program:" + evilProgram, "mkdir", action("/evil")));
        // the new form for the configured hook, with a variable smuggled into the data
        Map<String, String> smuggled = action("/smuggled");
        smuggled.put("PATH", evil.toString());
        Files.writeString(outbox.resolve("0000000000003-000003-cccccccc.json"), entry(hookId, "mkdir", smuggled));
        // the configured hook, for an event it is not configured for
        Files.writeString(outbox.resolve("0000000000004-000004-dddddddd.json"),
                entry(hookId, "upload", action("/other-event")));
        // a link instead of a file
        Path outside = Files.writeString(dir.resolve("outside.json"), entry(hookId, "mkdir", action("/linked")));
        Files.createSymbolicLink(outbox.resolve("0000000000005-000005-eeeeeeee.json"), outside);
        // and a legit entry, as the server writes it
        Files.writeString(outbox.resolve("0000000000006-000006-ffffffff.json"),
                entry(hookId, "mkdir", action("/legit")));

        TermletServer server = start(Hooks.builder().program(hook, "mkdir").build());
        // live events reach the hook, with the server's own PATH (the real tee writes the line)
        try (TestClient alice = Fixture.login(server, "alice", "pw")) {
            SftpClient sftp = alice.sftp();
            sftp.mkdir("live");
        }
        await("the live event is delivered", () -> lines(log).contains("mkdir /live alice"));
        assertThat(pwned).as("nothing of the attacker's ran").doesNotExist();
        await("the legit entry is delivered", () -> lines(log).contains("mkdir /legit alice"));
        await("the outbox empties", () -> outbox(data).isEmpty());
        assertThat(quarantined()).containsExactly("0000000000001-000001-aaaaaaaa.json",
                "0000000000002-000002-bbbbbbbb.json", "0000000000003-000003-cccccccc.json",
                "0000000000004-000004-dddddddd.json", "0000000000005-000005-eeeeeeee.json");
        assertThat(lines(log)).containsExactlyInAnyOrder("mkdir /live alice", "mkdir /legit alice");
        assertThat(outside).as("a link's target is left alone").exists();
        assertThat(pwned).doesNotExist();
        assertThat(Files.getPosixFilePermissions(data.resolve("hooks/quarantine")))
                .isEqualTo(PosixFilePermissions.fromString("rwx------"));
    }

    @Test
    void plantedHttpEntriesReachNoOtherEndpointAndLegitEntriesReachTheConfiguredOne() throws Exception {
        Receiver configured = receiver();
        Receiver attacker = receiver();
        URI hookUrl = configured.uri("/hook");
        String hookId = HookTarget.http(hookUrl).id();
        Path outbox = outboxDir();
        // the old form: the configured hook's id, with the URL as stored
        Files.writeString(outbox.resolve("0000000000001-000001-aaaaaaaa.json"), "{\"hook\":\"" + hookId
                + "\",\"event\":\"upload\",\"createdMillis\":1,\"args\":[],\"env\":{},\"method\":\"POST\","
                + "\"url\":\"" + attacker.uri("/internal/admin") + "\",\"body\":\"{}\"}");
        // the new form, naming the attacker's endpoint as the hook
        Files.writeString(outbox.resolve("0000000000002-000002-bbbbbbbb.json"),
                entry(HookTarget.http(attacker.uri("/steal")).id(), "upload", action("/stolen.txt")));
        // and a legit entry
        Files.writeString(outbox.resolve("0000000000003-000003-cccccccc.json"),
                entry(hookId, "upload", action("/legit.txt")));

        TermletServer server = start(Hooks.builder().http(hookUrl, "upload").build());
        try (TestClient alice = Fixture.login(server, "alice", "pw")) {
            SftpClient sftp = alice.sftp();
            upload(sftp, "live.txt", "live".getBytes(StandardCharsets.UTF_8));
        }
        await("the live event is delivered", () -> configured.requests().stream()
                .anyMatch(r -> r.body().contains("/live.txt")));
        assertThat(attacker.arrived()).as("the attacker's endpoint got nothing").isZero();
        await("the legit entry is delivered too", () -> configured.requests().size() == 2);
        await("the outbox empties", () -> outbox(data).isEmpty());
        assertThat(quarantined()).containsExactly("0000000000001-000001-aaaaaaaa.json",
                "0000000000002-000002-bbbbbbbb.json");
        List<String> paths = new ArrayList<>();
        for (Receiver.Request r : configured.requests()) {
            assertThat(r.uri().getPath()).isEqualTo("/hook");
            JsonNode body = r.json();
            assertThat(body.path("action").asText()).isEqualTo("upload");
            assertThat(body.path("username").asText()).isEqualTo("alice");
            paths.add(body.path("virtual_path").asText());
        }
        assertThat(paths).containsExactlyInAnyOrder("/live.txt", "/legit.txt");
        assertThat(attacker.arrived()).isZero();
    }

    @Test
    void theOutboxIsPrivateAndItsEntriesHoldOnlyTheHookTheEventAndItsData() throws Exception {
        Path outbox = outboxDir();
        Files.setPosixFilePermissions(data.resolve("hooks"), PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setPosixFilePermissions(outbox, PosixFilePermissions.fromString("rwxrwxrwx"));
        Receiver gone = new Receiver(0);
        URI url = gone.uri("/hook?token=secret");
        gone.close();
        TermletServer server = start(Hooks.builder().http(url, "upload").retries(0)
                .retryInterval(Duration.ofHours(1)).build());
        assertThat(Files.getPosixFilePermissions(data.resolve("hooks")))
                .isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(Files.getPosixFilePermissions(outbox)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        try (TestClient alice = Fixture.login(server, "alice", "pw")) {
            SftpClient sftp = alice.sftp();
            upload(sftp, "kept.txt", "kept".getBytes(StandardCharsets.UTF_8));
        }
        await("the notification is kept", () -> outbox(data).size() == 1);
        Path file = outbox(data).get(0);
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        JsonNode stored = HookTests.JSON.readTree(Files.readString(file));
        List<String> fields = new ArrayList<>();
        stored.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactlyInAnyOrder("hook", "event", "createdMillis", "data");
        assertThat(stored.path("event").asText()).isEqualTo("upload");
        assertThat(stored.path("data").path("virtual_path").asText()).isEqualTo("/kept.txt");
        assertThat(Files.readString(file)).as("the URL's token is not written").doesNotContain("secret");
    }
}
