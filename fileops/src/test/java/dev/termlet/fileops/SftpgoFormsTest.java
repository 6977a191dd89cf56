package dev.termlet.fileops;

import dev.termlet.fileops.internal.hooks.HookCall;
import dev.termlet.fileops.internal.hooks.HookTarget;
import dev.termlet.fileops.internal.hooks.SftpgoForms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.termlet.event.Events;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How events are rendered in SFTPGo's forms (narrow unit tests; the end-to-end tests use real hooks). */
class SftpgoFormsTest {
    private static final Instant NOW = Instant.ofEpochSecond(1_700_000_000L, 123_456_789);
    private static final FileEvent RENAME = new FileEvent("ann", Protocol.SFTP,
            new InetSocketAddress("10.1.2.3", 5555), "c00001", "/a.txt", Path.of("/srv/home/ann/a.txt"), "/b.txt",
            Path.of("/srv/home/ann/b.txt"), 0, null, Duration.ofMillis(7), FileEvent.OK, null);

    @Test
    void programsGetSftpgosArgumentsAndVariables() {
        HookCall call = SftpgoForms.render(HookTarget.program(Path.of("/opt/hook.sh")), FileEvents.RENAME,
                new Object[] {RENAME}, NOW);
        assertThat(call.args()).containsExactly("rename", "ann", "/srv/home/ann/a.txt", "/srv/home/ann/b.txt", "");
        assertThat(call.env()).containsEntry("SFTPGO_ACTION", "rename").containsEntry("SFTPGO_ACTION_TARGET",
                "/srv/home/ann/b.txt").containsEntry("SFTPGO_ACTION_VIRTUAL_TARGET", "/b.txt")
                .containsEntry("SFTPGO_ACTION_IP", "10.1.2.3").containsEntry("SFTPGO_ACTION_ELAPSED", "7")
                .containsEntry("SFTPGO_ACTION_TIMESTAMP", "1700000000123456789")
                .containsEntry("SFTPGO_ACTION_FILE_SIZE", "0").containsEntry("SFTPGO_ACTION_STATUS", "1");
        assertThat(call.env().keySet()).allMatch(k -> k.startsWith("SFTPGO_ACTION"));
    }

    @Test
    void urlsGetSftpgosJsonWithOptionalFieldsLeftOut() throws Exception {
        HookCall call = SftpgoForms.render(HookTarget.http(URI.create("http://h/x")), FileEvents.RENAME,
                new Object[] {RENAME}, NOW);
        JsonNode j = SftpgoForms.JSON.readTree(call.body());
        List<String> keys = new ArrayList<>();
        j.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("action", "username", "path", "target_path", "virtual_path",
                "virtual_target_path", "elapsed", "fs_provider", "status", "protocol", "ip", "session_id", "timestamp");
        assertThat(call.method()).isEqualTo("POST");
    }

    @Test
    void failedTransfersAreTheActionWithAnErrorStatus() {
        assertThat(SftpgoForms.actionName(FileEvents.UPLOAD_FAILED)).isEqualTo("upload");
        assertThat(SftpgoForms.actionName(FileEvents.DOWNLOAD_FAILED)).isEqualTo("download");
        assertThat(SftpgoForms.actionName(FileEvents.SSH_CMD)).isEqualTo("ssh_cmd");
        assertThat(SftpgoForms.actionName(FileEvents.PRE_DELETE)).isEqualTo("pre-delete");
    }

    @Test
    void openFlagsAreLinuxOpenFlags() {
        assertThat(SftpgoForms.openFlags("CREATE,TRUNCATE_EXISTING,WRITE")).isEqualTo(0x241);
        assertThat(SftpgoForms.openFlags("CREATE,TRUNCATE_EXISTING,WRITE") & 512).isNotZero();
        assertThat(SftpgoForms.openFlags("APPEND,WRITE")).isEqualTo(0x401);
        assertThat(SftpgoForms.openFlags("READ")).isZero();
        assertThat(SftpgoForms.openFlags("READ,WRITE")).isEqualTo(2);
        assertThat(SftpgoForms.openFlags(null)).isZero();
    }

    @Test
    void connectionEventsUseTheConnectionForms() {
        Object[] closed = {new dev.termlet.event.ConnectionClosed(new InetSocketAddress("10.1.2.3", 5555), null, "FTP",
                Duration.ofMillis(1500))};
        HookCall get = SftpgoForms.render(HookTarget.http(URI.create("http://h/d?a=1")), Events.CONNECTION_CLOSED,
                closed, NOW);
        assertThat(get.method()).isEqualTo("GET");
        assertThat(get.url()).isEqualTo("http://h/d?a=1&ip=10.1.2.3&protocol=FTP&username=&connection_duration=1500");
        HookCall run = SftpgoForms.render(HookTarget.program(Path.of("/opt/c.sh")), Events.NEW_CONNECTION,
                new Object[] {new InetSocketAddress("10.1.2.3", 5555), "10.1.2.3"}, NOW);
        assertThat(run.env()).containsExactly(java.util.Map.entry("SFTPGO_CONNECTION_IP", "10.1.2.3"),
                java.util.Map.entry("SFTPGO_CONNECTION_PROTOCOL", "SSH"));
        assertThat(run.args()).isEmpty();
    }

    @Test
    void storedDataRebuildsTheSameCallAndOnlyDataOfTheEventsFormIsAccepted() {
        HookTarget hook = HookTarget.program(Path.of("/opt/hook.sh"));
        java.util.Map<String, String> data = SftpgoForms.capture(FileEvents.RENAME, new Object[] {RENAME}, NOW, null);
        HookCall direct = SftpgoForms.render(hook, FileEvents.RENAME, new Object[] {RENAME}, NOW);
        assertThat(SftpgoForms.render(hook, FileEvents.RENAME, NOW.toEpochMilli(), data)).isEqualTo(direct);
        java.util.Map<String, String> extra = new java.util.HashMap<>(data);
        extra.put("PATH", "/tmp/evil");
        assertThatThrownBy(() -> SftpgoForms.render(hook, FileEvents.RENAME,
                NOW.toEpochMilli(), extra)).isInstanceOf(IllegalArgumentException.class);
        java.util.Map<String, String> notANumber = new java.util.HashMap<>(data);
        notANumber.put("file_size", "$(id)");
        assertThatThrownBy(() -> SftpgoForms.render(hook, FileEvents.RENAME,
                NOW.toEpochMilli(), notANumber)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SftpgoForms.render(hook, Events.CONNECTION_CLOSED,
                NOW.toEpochMilli(), data)).as("a file event's data is not a connection's")
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void webDavIsSftpgosDav() {
        assertThat(SftpgoForms.protocol("WEBDAV")).isEqualTo("DAV");
        assertThat(SftpgoForms.protocol("HTTP")).isEqualTo("HTTP");
        assertThat(SftpgoForms.protocol("SFTP")).isEqualTo("SFTP");
    }
}
