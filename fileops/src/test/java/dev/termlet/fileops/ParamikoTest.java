package dev.termlet.fileops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import dev.termlet.annotations.OnUser;
import dev.termlet.auth.Account;
import dev.termlet.event.EventType;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Paramiko's SFTP client (Debian's python3-paramiko, run by /usr/bin/python3) with a password login. */
class ParamikoTest {
    @TempDir
    Path data;

    @TempDir
    Path client;

    Fixture fx;
    TermletServer server;

    /** Records the file events. */
    public class Rules {
        @OnUser({"upload", "download", "mkdir", "rename", "delete"})
        void record(EventType type, FileEvent e) {
            fx.add(Fixture.line(type.name(), e));
        }
    }

    @BeforeEach
    void start() throws Exception {
        fx = new Fixture(client);
        server = Termlet.server().port(0).dataDir(data).extension(FileOps.create()).register(new Rules()).start();
        server.accounts().save(Account.builder("alice").password("secret pw".toCharArray()).build());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void putGetListStatRenameMkdirRemove() throws Exception {
        Path script = client.resolve("sftp_client.py");
        try (InputStream in = ParamikoTest.class.getResourceAsStream("/paramiko/sftp_client.py")) {
            Files.copy(in, script);
        }
        Files.writeString(client.resolve("up.txt"), "from paramiko\n".repeat(5000));
        Path home = Files.createDirectories(data.resolve("home/alice"));
        Files.writeString(home.resolve("server.txt"), "from the server");
        Fixture.Result r = fx.run(Map.of(), List.of("/usr/bin/python3", script.toString(),
                Integer.toString(server.port()), "alice", "secret pw", client.toString()));
        assertThat(r.out()).doesNotContain("ERROR").contains("PUT 70000\n").contains("GET 15\n")
                .contains("MKDIR True\n").contains("RENAME 70000\n").contains("LISTDIR dir,server.txt\n")
                .contains("LISTDIR dir moved.txt\n").contains("REMOVE gone\n").contains("NORMALIZE /\n");
        assertThat(r.status()).as(r.out()).isZero();
        assertThat(home.resolve("dir/moved.txt")).hasContent("from paramiko\n".repeat(5000));
        assertThat(home.resolve("server.txt")).doesNotExist();
        assertThat(home.resolve("up.txt")).doesNotExist();
        assertThat(client.resolve("down.txt")).hasContent("from the server");
        assertThat(fx.await("delete SFTP alice /server.txt")).as(fx.events().toString()).isTrue();
        assertThat(fx.events()).anyMatch(l -> l.startsWith("upload SFTP alice /up.txt size=70000 status=1"))
                .anyMatch(l -> l.startsWith("download SFTP alice /server.txt"))
                .anyMatch(l -> l.startsWith("mkdir SFTP alice /dir"))
                .anyMatch(l -> l.startsWith("rename SFTP alice /up.txt -> /dir/moved.txt"));
    }
}
