package dev.termlet.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.test.ExecResult;
import dev.termlet.test.TestClient;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SSH command {@code share}: a user logged in over SSH makes, lists and deletes share links. */
class ShareCommandTest {
    @TempDir
    Path data;

    private final ShareSupport.Recorder events = new ShareSupport.Recorder();

    @Test
    void createsListsAndDeletesSharesOverSshAndTheLinkWorks() throws Exception {
        try (WebFixture f = WebFixture.start(data, w -> w, b -> b.register(events));
                TestClient ssh = TestClient.password("127.0.0.1", f.server.port(), "alice", "pw")) {
            Files.createDirectories(f.home("alice").resolve("docs"));
            Files.writeString(f.home("alice").resolve("docs/a.txt"), "over ssh");

            ExecResult made = ssh.exec("share create /docs --expires 7d --password 'two words' --max-uses 3");
            assertThat(made.status()).as(made.err()).isZero();
            String url = made.out().lines().findFirst().orElseThrow();
            assertThat(url).startsWith(f.base() + "/s/");
            assertThat(made.out()).contains("/docs").contains("read").contains("uses 0/3").contains("password");
            assertThat(events.take()).containsExactly("BeforeShrCreate", "AfterShrCreate");
            assertThat(events.last().remoteAddress()).isNotNull();

            String link = URI.create(url).getPath();
            ShareSupport.Visitor v = new ShareSupport.Visitor(f);
            assertThat(v.get(link + "/file?path=/a.txt").statusCode()).isEqualTo(401);
            assertThat(v.password(link, "two words").statusCode()).isEqualTo(200);
            HttpResponse<String> got = v.get(link + "/file?path=/a.txt");
            assertThat(got.body()).isEqualTo("over ssh");

            ExecResult stdin = ssh.exec("share create /docs/a.txt --password -", "from stdin\n");
            assertThat(stdin.status()).as(stdin.err()).isZero();
            String url2 = stdin.out().lines().findFirst().orElseThrow();
            ShareSupport.Visitor v2 = new ShareSupport.Visitor(f);
            assertThat(v2.password(URI.create(url2).getPath(), "from stdin").statusCode()).isEqualTo(200);
            assertThat(Files.readString(data.resolve("web/shares.json"))).doesNotContain("two words")
                    .doesNotContain("from stdin");

            ExecResult list = ssh.exec("share list");
            assertThat(list.status()).isZero();
            assertThat(list.out().lines()).hasSize(2);
            assertThat(list.out()).contains("uses 1/3");
            String id = list.out().lines().findFirst().orElseThrow().split(" ")[0];

            try (TestClient bob = TestClient.password("127.0.0.1", f.server.port(), "bob", "pw2")) {
                assertThat(bob.exec("share list").out()).isEmpty();
                ExecResult notHis = bob.exec("share delete " + id);
                assertThat(notHis.status()).isEqualTo(1);
                assertThat(notHis.err()).contains("no such share");
            }
            ExecResult deleted = ssh.exec("share delete " + id);
            assertThat(deleted.status()).as(deleted.err()).isZero();
            assertThat(v.get(link + "/file?path=/a.txt").statusCode()).isEqualTo(404);
            assertThat(ssh.exec("share list").out().lines()).hasSize(1);

            events.refuse.add("BeforeShrCreate");
            ExecResult refused = ssh.exec("share create /docs");
            assertThat(refused.status()).isEqualTo(1);
            assertThat(refused.err()).contains("not today");
            events.refuse.clear();

            assertThat(ssh.exec("share create").status()).isEqualTo(2);
            assertThat(ssh.exec("share create /docs --expires soon").status()).isEqualTo(2);
            assertThat(ssh.exec("share create /docs --mode everything").status()).isEqualTo(1);
            assertThat(ssh.exec("share create /docs/a.txt --mode write").err()).contains("only a folder");
            ExecResult missing = ssh.exec("share create /nope");
            assertThat(missing.status()).isEqualTo(1);
            assertThat(missing.err()).contains("no such file").doesNotContain(data.toString());
            assertThat(ssh.exec("share frobnicate").status()).isEqualTo(2);
            assertThat(ssh.exec("share --help").out()).contains("share create PATH");
        }
    }

    @Test
    void otherCommandsStillReachTheServer() throws Exception {
        try (WebFixture f = WebFixture.start(data, w -> w);
                TestClient ssh = TestClient.password("127.0.0.1", f.server.port(), "alice", "pw")) {
            Files.createDirectories(f.home("alice"));
            Files.writeString(f.home("alice").resolve("h.txt"), "abc");
            ExecResult md5 = ssh.exec("md5sum h.txt");
            assertThat(md5.status()).as(md5.err()).isZero();
            assertThat(md5.out()).startsWith("900150983cd24fb0d6963f7d28e17f72");
            assertThat(new String("abc".getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).isEqualTo("abc");
        }
    }
}
