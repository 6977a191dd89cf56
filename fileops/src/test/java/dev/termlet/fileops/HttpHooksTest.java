package dev.termlet.fileops;

import dev.termlet.fileops.internal.hooks.HookTarget;

import static dev.termlet.fileops.HookTests.await;
import static dev.termlet.fileops.HookTests.outbox;
import static dev.termlet.fileops.HookTests.upload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import dev.termlet.auth.Account;
import dev.termlet.test.TestClient;
import dev.termlet.fileops.HookTests.Receiver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.common.SftpException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTP hooks against a real HTTP receiver: SFTPGo's JSON, retries, the outbox across a restart, slow endpoints. */
class HttpHooksTest {
    @TempDir
    Path data;

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

    private Receiver receiver(int port) throws IOException {
        Receiver r = new Receiver(port);
        closing.add(r);
        return r;
    }

    private static JsonNode json(Receiver.Request r) {
        try {
            return r.json();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<JsonNode> bodies(Receiver r) {
        return r.requests().stream().map(HttpHooksTest::json).toList();
    }

    @Test
    void anHttpHookReceivesSftpgosJsonFields() throws Exception {
        Receiver receiver = receiver(0);
        TermletServer server = start(Hooks.builder().http(receiver.uri("/hook"), "upload", "rename", "pre-delete")
                .build());
        try (TestClient alice = Fixture.login(server, "alice", "pw")) {
            SftpClient sftp = alice.sftp();
            upload(sftp, "in.dat", new byte[42]);
            sftp.rename("in.dat", "done.dat");
            sftp.remove("done.dat");
        }
        await("three notifications", () -> receiver.requests().size() == 3);
        Path real = data.resolve("home/alice").toRealPath();
        Receiver.Request first = receiver.requests().stream().filter(r -> json(r).path("action").asText()
                .equals("upload")).findFirst().orElseThrow();
        assertThat(first.method()).isEqualTo("POST");
        assertThat(first.uri().getPath()).isEqualTo("/hook");
        assertThat(first.contentType()).isEqualTo("application/json");
        JsonNode up = first.json();
        assertThat(up.path("username").asText()).isEqualTo("alice");
        assertThat(up.path("path").asText()).isEqualTo(real.resolve("in.dat").toString());
        assertThat(up.path("virtual_path").asText()).isEqualTo("/in.dat");
        assertThat(up.path("file_size").asLong()).isEqualTo(42);
        assertThat(up.path("status").asInt()).isEqualTo(1);
        assertThat(up.path("protocol").asText()).isEqualTo("SFTP");
        assertThat(up.path("ip").asText()).isEqualTo("127.0.0.1");
        assertThat(up.path("session_id").asText()).isNotEmpty();
        assertThat(up.path("fs_provider").asInt()).isZero();
        assertThat(up.path("timestamp").asText()).matches("\\d{19}");
        assertThat(up.has("elapsed")).isTrue();
        assertThat(up.has("target_path")).isFalse();
        JsonNode rename = bodies(receiver).stream().filter(j -> j.path("action").asText().equals("rename")).findFirst()
                .orElseThrow();
        assertThat(rename.path("target_path").asText()).isEqualTo(real.resolve("done.dat").toString());
        assertThat(rename.path("virtual_target_path").asText()).isEqualTo("/done.dat");
        JsonNode preDelete = bodies(receiver).stream().filter(j -> j.path("action").asText().equals("pre-delete"))
                .findFirst().orElseThrow();
        assertThat(preDelete.path("virtual_path").asText()).isEqualTo("/done.dat");
        assertThat(preDelete.path("file_size").asLong()).isEqualTo(42);
        assertThat(Files.exists(real.resolve("done.dat"))).as("a 2xx answer allows the delete").isFalse();
    }

    @Test
    void aPreEventEndpointAnsweringAnErrorRefusesTheOperation() throws Exception {
        Receiver receiver = receiver(0).status(403);
        TermletServer server = start(Hooks.builder().http(receiver.uri("/check"), "pre-download").build());
        Files.createDirectories(data.resolve("home/alice"));
        Files.writeString(data.resolve("home/alice/secret.txt"), "s");
        try (TestClient alice = Fixture.login(server, "alice", "pw")) {
            SftpClient sftp = alice.sftp();
            assertThatThrownBy(() -> sftp.read("secret.txt").readAllBytes()).isInstanceOf(SftpException.class);
        }
        assertThat(receiver.requests()).hasSize(1);
        assertThat(json(receiver.requests().get(0)).path("action").asText()).isEqualTo("pre-download");
    }

    @Test
    void anEndpointThatIsDownLeavesTheNotificationInTheOutboxForTheNextStart() throws Exception {
        Receiver gone = new Receiver(0);
        int port = gone.port();
        java.net.URI url = gone.uri("/hook");
        gone.close();
        Hooks.Builder hooks = Hooks.builder().http(url, "upload").retries(2).backoff(Duration.ofMillis(20))
                .retryInterval(Duration.ofHours(1));
        TermletServer first = start(hooks.build());
        try (TestClient alice = Fixture.login(first, "alice", "pw")) {
            SftpClient sftp = alice.sftp();
            upload(sftp, "kept.txt", "kept".getBytes(StandardCharsets.UTF_8));
        }
        await("the notification is in the outbox", () -> outbox(data).size() == 1);
        assertThat(Files.readString(outbox(data).get(0))).contains("/kept.txt");
        first.close();
        await("the stopped server's hook threads end", () -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith("termlet-hook-")));
        assertThat(outbox(data)).hasSize(1);

        Receiver receiver = receiver(port);
        start(hooks.build());
        await("delivered after the restart", () -> receiver.requests().size() == 1);
        JsonNode body = json(receiver.requests().get(0));
        assertThat(body.path("action").asText()).isEqualTo("upload");
        assertThat(body.path("virtual_path").asText()).isEqualTo("/kept.txt");
        await("the outbox is empty", () -> outbox(data).isEmpty());
    }

    @Test
    void outboxFilesOfOtherHooksAndUnreadableOnesAreSetAside() throws Exception {
        Path dir = Files.createDirectories(data.resolve("hooks/outbox"));
        Path foreign = dir.resolve("0000000000001-000001-aaaaaaaa.json");
        Files.writeString(foreign, "{\"hook\":\"" + HookTarget.http(java.net.URI.create("http://127.0.0.1:9/old")).id()
                + "\",\"event\":\"upload\",\"createdMillis\":1,\"data\":{}}");
        Files.writeString(dir.resolve("zzzz.json"), "not json");
        Receiver receiver = receiver(0);
        start(Hooks.builder().http(receiver.uri("/hook"), "upload").build());
        Path quarantine = data.resolve("hooks/quarantine");
        await("both are set aside", () -> Files.exists(quarantine.resolve("zzzz.json"))
                && Files.exists(quarantine.resolve(foreign.getFileName())));
        assertThat(outbox(data)).isEmpty();
        assertThat(receiver.requests()).isEmpty();
    }

    @Test
    void anEndpointAnsweringServerErrorsIsRetriedWithBackOffThenKept() throws Exception {
        Receiver receiver = receiver(0).status(503);
        TermletServer server = start(Hooks.builder().http(receiver.uri("/hook"), "mkdir").retries(2)
                .backoff(Duration.ofMillis(20)).retryInterval(Duration.ofHours(1)).build());
        try (TestClient alice = Fixture.login(server, "alice", "pw")) {
            SftpClient sftp = alice.sftp();
            sftp.mkdir("d");
        }
        await("three tries", () -> receiver.requests().size() == 3);
        assertThat(outbox(data)).hasSize(1);
        assertThat(Files.isDirectory(data.resolve("home/alice/d"))).as("a notification never refuses").isTrue();
    }

    @Test
    void aSlowEndpointBlocksNoSessionAndAFullQueueWaitsInTheOutbox() throws Exception {
        Receiver receiver = receiver(0).hold();
        TermletServer server = start(Hooks.builder().http(receiver.uri("/slow"), "upload").workers(1, 1)
                .timeout(Duration.ofSeconds(60)).retryInterval(Duration.ofMillis(200)).build());
        try (TestClient alice = Fixture.login(server, "alice", "pw")) {
            SftpClient sftp = alice.sftp();
            for (int i = 1; i <= 5; i++) {
                upload(sftp, "f" + i + ".txt", ("file " + i).getBytes(StandardCharsets.UTF_8));
            }
        }
        await("one request held by the endpoint", () -> receiver.arrived() == 1);
        // the endpoint still holds its first request: other sessions are served all the same
        try (TestClient alice = Fixture.login(server, "alice", "pw")) {
            SftpClient sftp = alice.sftp();
            sftp.mkdir("meanwhile");
            assertThat(sftp.readDir("/")).extracting(SftpClient.DirEntry::getFilename).contains("f5.txt", "meanwhile");
        }
        await("every notification in the outbox", () -> outbox(data).size() == 5);
        receiver.open();
        await("all five delivered", () -> receiver.requests().size() >= 5 && outbox(data).isEmpty());
        Set<String> paths = new TreeSet<>();
        bodies(receiver).forEach(j -> paths.add(j.path("virtual_path").asText()));
        assertThat(paths).containsExactly("/f1.txt", "/f2.txt", "/f3.txt", "/f4.txt", "/f5.txt");
    }
}
