package dev.termlet.fileops;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import dev.termlet.auth.Account;
import dev.termlet.auth.FilePermission;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SFTPGo's user actions: account changes reach a program and an HTTP endpoint in SFTPGo's forms. */
class UserActionsTest {
    @TempDir
    Path data;

    @TempDir
    Path work;

    private static String waitForLines(Path file, int lines) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (Files.exists(file) && Files.readAllLines(file).size() >= lines) {
                return Files.readString(file);
            }
            Thread.sleep(50);
        }
        return Files.exists(file) ? Files.readString(file) : "";
    }

    @Test
    void accountChangesRunTheUserActionProgram() throws Exception {
        Path out = work.resolve("out.txt");
        Path script = work.resolve("user-hook.sh");
        // written for SFTPGo's data provider actions
        Files.writeString(script, "#!/bin/sh\necho \"$1 $2 status=$4 home=$6 env=$SFTPGO_USER_ACTION json=$SFTPGO_USER\""
                + " >> '" + out + "'\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        try (TermletServer server = Termlet.server().port(0).dataDir(data)
                .extension(Hooks.builder().userActions(script).build()).start()) {
            server.accounts().save(Account.builder("dora").password("pw".toCharArray()).build());
            waitForLines(out, 1);
            server.accounts().save(server.accounts().find("dora").orElseThrow().toBuilder().quota(100, 0)
                    .filePermissions("/", List.of(FilePermission.LIST)).build());
            waitForLines(out, 2);
            server.accounts().remove("dora");
            String text = waitForLines(out, 3);
            List<String> lines = text.lines().toList();
            assertThat(lines).hasSize(3);
            assertThat(lines.get(0)).startsWith("add dora status=1 home=" + data.resolve("home/dora")
                    + " env=add json={");
            assertThat(lines.get(1)).startsWith("update dora").contains("\"quota_size\":100")
                    .contains("\"permissions\":{\"/\":[\"list\"]}");
            assertThat(lines.get(2)).startsWith("delete dora");
            assertThat(text).doesNotContain("argon2").doesNotContain("password");
        }
    }

    @Test
    void accountChangesArePostedWithTheAction() throws Exception {
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/users", ex -> {
            got.add(ex.getRequestMethod() + " " + ex.getRequestURI().getQuery() + " "
                    + new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        http.start();
        try (TermletServer server = Termlet.server().port(0).dataDir(data).extension(Hooks.builder()
                .userActions(URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/users")).build())
                .start()) {
            server.accounts().save(Account.builder("eve").password("pw".toCharArray()).build());
            String add = got.poll(30, TimeUnit.SECONDS);
            assertThat(add).startsWith("POST action=add {").contains("\"username\":\"eve\"").doesNotContain("argon2");
        } finally {
            http.stop(0);
        }
    }
}
