package dev.termlet.fileops;

import dev.termlet.fileops.internal.hooks.SftpgoForms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.event.EventType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The table of file operations: every file event belongs to an operation (or is one of the few that are not
 * operations), SFTPGo's action names come from it, and docs/fileops.md shows it as the code has it.
 */
class FileOperationTableTest {
    private static final Path DOC = Path.of("..", "docs", "fileops.md");
    private static final String BEGIN = "<!-- operations:begin -->\n";
    private static final String END = "<!-- operations:end -->\n";

    static String render() {
        StringBuilder sb = new StringBuilder();
        sb.append("| operation | permission (new / over an existing target) | event before | event after | on failure |"
                + " SFTPGo action | protocols |\n");
        sb.append("|---|---|---|---|---|---|---|\n");
        for (FileOperation op : FileOperation.values()) {
            String perm = op.permission() == null ? "—" : "`" + op.permission().wireName() + "`"
                    + (op.permissionOverExisting() != op.permission() ? " / `" + op.permissionOverExisting().wireName()
                            + "`" : "");
            sb.append("| `").append(op.name()).append("` | ").append(perm).append(" | ")
                    .append(name(op.before())).append(" | ").append(name(op.after())).append(" | ")
                    .append(name(op.failed())).append(" | ")
                    .append(op.sftpgoAction() == null ? "—" : "`" + op.sftpgoAction() + "`").append(" | ")
                    .append(op.protocols().stream().map(Enum::name).collect(Collectors.joining(", ")))
                    .append(" |\n");
        }
        return sb.toString();
    }

    private static String name(EventType t) {
        return t == null ? "—" : "`" + t.name() + "`";
    }

    @Test
    void docsShowTheTable() throws Exception {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        int a = doc.indexOf(BEGIN);
        int b = doc.indexOf(END);
        assertThat(a).as("docs/fileops.md has the operations markers").isNotNegative();
        assertThat(b).isGreaterThan(a);
        String table = render();
        if (Boolean.getBoolean("termlet.updateDocs")) {
            doc = doc.substring(0, a + BEGIN.length()) + table + doc.substring(b);
            Files.writeString(DOC, doc, StandardCharsets.UTF_8);
        }
        assertThat(doc.substring(a + BEGIN.length(), b))
                .as("docs/fileops.md's table of operations is out of date; run this test with -Dtermlet.updateDocs=true")
                .isEqualTo(table);
    }

    @Test
    void everyFileEventBelongsToAnOperationOrIsNotOne() {
        for (EventType t : FileEvents.all()) {
            boolean notAnOperation = t.equals(FileEvents.LIST_SEND) || t.equals(FileEvents.SITE)
                    || t.equals(FileEvents.FIRST_UPLOAD) || t.equals(FileEvents.FIRST_DOWNLOAD)
                    || t.equals(FileEvents.QUOTA_EXCEEDED);
            assertThat(FileOperation.of(t).isPresent()).as(t.name()).isEqualTo(!notAnOperation);
        }
    }

    @Test
    void sftpgoActionsComeFromTheTable() {
        assertThat(SftpgoForms.actionName(FileEvents.UPLOAD_FAILED)).isEqualTo("upload");
        assertThat(SftpgoForms.actionName(FileEvents.PRE_MODIFY)).isEqualTo("pre-upload");
        assertThat(SftpgoForms.actionName(FileEvents.MODIFY)).isEqualTo("upload");
        assertThat(SftpgoForms.actionName(FileEvents.DOWNLOAD_FAILED)).isEqualTo("download");
        assertThat(SftpgoForms.actionName(FileEvents.SSH_CMD)).isEqualTo("ssh_cmd");
        assertThat(SftpgoForms.actionName(FileEvents.PRE_DELETE)).isEqualTo("pre-delete");
        assertThat(SftpgoForms.actionName(FileEvents.COPY)).isEqualTo("copy");
        assertThat(SftpgoForms.actionName(FileEvents.SETATTR)).isEqualTo("setattr");
        assertThat(FileOperation.RENAME.protocols()).containsExactlyInAnyOrder(Protocol.SFTP, Protocol.FTP, Protocol.HTTP,
                Protocol.WEBDAV);
    }
}
