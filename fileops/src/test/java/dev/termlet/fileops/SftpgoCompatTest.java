package dev.termlet.fileops;

import static dev.termlet.fileops.HookTests.await;
import static dev.termlet.fileops.HookTests.lines;
import static dev.termlet.fileops.HookTests.script;
import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import dev.termlet.auth.Account;
import dev.termlet.fileops.HookTests.Receiver;
import dev.termlet.test.TestClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.net.ftp.FTPSClient;
import org.apache.commons.net.util.TrustManagerUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SFTPGo's hook forms that SFTPGo users rely on: ssh_cmd, protocols, logins, first transfers, provider actions. */
class SftpgoCompatTest {
    @TempDir
    Path data;

    @TempDir
    Path dir;

    TermletServer server;
    Receiver receiver;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    private void start(FileOps files, Hooks hooks) {
        server = Termlet.server().port(0).dataDir(data).extension(files).extension(hooks).build();
        server.accounts().save(Account.builder("alice").password("pw".toCharArray()).build());
        server.start();
    }

    @Test
    void anSshCmdHookGetsTheCommandAndProtocolSsh() throws Exception {
        Path log = dir.resolve("cmd.log");
        Path hook = script(dir, "cmd.sh", "echo \"$1|$5|$SFTPGO_ACTION_SSH_CMD|$SFTPGO_ACTION_PROTOCOL"
                + "|$SFTPGO_ACTION_STATUS|$SFTPGO_ACTION_VIRTUAL_PATH\" >> \"" + log + "\"\n");
        receiver = new Receiver(0);
        start(FileOps.sftp(), Hooks.builder().program(hook, "ssh_cmd").http(receiver.uri("/cmd"), "ssh_cmd").build());
        Files.createDirectories(data.resolve("home/alice"));
        Files.writeString(data.resolve("home/alice/a.txt"), "hash me");
        try (TestClient alice = Fixture.login(server, "alice", "pw")) {
            Fixture.succeeded(alice.exec("sha256sum a.txt"));
        }
        await("the program ran", () -> !lines(log).isEmpty());
        assertThat(lines(log)).containsExactly("ssh_cmd|sha256sum a.txt|sha256sum a.txt|SSH|1|/a.txt");
        await("the URL was called", () -> !receiver.requests().isEmpty());
        var json = receiver.requests().get(0).json();
        assertThat(json.path("action").asText()).isEqualTo("ssh_cmd");
        assertThat(json.path("ssh_cmd").asText()).isEqualTo("sha256sum a.txt");
        assertThat(json.path("protocol").asText()).isEqualTo("SSH");
    }

    /** An FTPS client (explicit TLS) logged in to the test server. */
    private FTPSClient ftpLogin(FileOps files, String user, String password) throws Exception {
        FTPSClient c = new FTPSClient(false);
        c.setTrustManager(TrustManagerUtils.getAcceptAllTrustManager());
        c.setConnectTimeout(10_000);
        c.setDefaultTimeout(20_000);
        c.connect("127.0.0.1", files.ftpPort());
        c.setSoTimeout(20_000);
        c.execPBSZ(0);
        c.execPROT("P");
        c.login(user, password);
        return c;
    }

    @Test
    void postConnectAndPostDisconnectReportFtpForFtpConnections() throws Exception {
        Path log = dir.resolve("conn.log");
        Path connect = script(dir, "connect.sh", "echo \"connect $SFTPGO_CONNECTION_IP $SFTPGO_CONNECTION_PROTOCOL\" >> \""
                + log + "\"\n");
        Path disconnect = script(dir, "disconnect.sh", "echo \"disconnect $SFTPGO_CONNECTION_PROTOCOL"
                + " $SFTPGO_CONNECTION_USERNAME\" >> \"" + log + "\"\n");
        FileOps files = FileOps.create().ftp(0);
        start(files, Hooks.builder().postConnect(connect).postDisconnect(disconnect).build());
        FTPSClient c = ftpLogin(files, "alice", "pw");
        assertThat(c.getReplyCode()).as(c.getReplyString()).isEqualTo(230);
        c.logout();
        c.disconnect();
        await("both hooks ran", () -> lines(log).size() == 2);
        assertThat(lines(log)).containsExactly("connect 127.0.0.1 FTP", "disconnect FTP alice");
        try (TestClient alice = Fixture.login(server, "alice", "pw")) {
            assertThat(alice.session().isAuthenticated()).isTrue();
        }
        await("both hooks ran for SSH", () -> lines(log).size() == 4);
        assertThat(lines(log).subList(2, 4)).containsExactly("connect 127.0.0.1 SSH", "disconnect SSH alice");
    }

    /** A post-login script as an SFTPGo user writes it (post_login_hook); the test only fills in the log file. */
    private static final String SFTPGO_POST_LOGIN_SCRIPT = String.join("\n",
            "# post-login.sh: SFTPGo post-login hook",
            "LOG=\"@LOG@\"",
            "if [ \"$SFTPGO_LOGIND_STATUS\" = \"1\" ]; then result=ok; else result=failed; fi",
            "echo \"$result $SFTPGO_LOGIND_METHOD $SFTPGO_LOGIND_PROTOCOL $SFTPGO_LOGIND_IP $SFTPGO_LOGIND_USER\" >> \"$LOG\"",
            "exit 0", "");

    @Test
    void aPostLoginHookGetsSftpgosLoginVariablesForSuccessesAndFailures() throws Exception {
        Path log = dir.resolve("logins.log");
        Path hook = script(dir, "post-login.sh", SFTPGO_POST_LOGIN_SCRIPT.replace("@LOG@", log.toString()));
        receiver = new Receiver(0);
        FileOps files = FileOps.create().ftp(0);
        start(files, Hooks.builder().postLogin(hook).postLogin(receiver.uri("/login?k=v"), 2).build());
        try (TestClient alice = Fixture.login(server, "alice", "pw")) {
            assertThat(alice.session().isAuthenticated()).isTrue();
        }
        await("the success was reported", () -> lines(log).size() == 1);
        String[] ok = lines(log).get(0).split(" ", 5);
        assertThat(ok[0] + " " + ok[1] + " " + ok[2] + " " + ok[3]).isEqualTo("ok password SSH 127.0.0.1");
        var user = HookTests.JSON.readTree(ok[4]);
        assertThat(user.path("username").asText()).isEqualTo("alice");
        assertThat(user.path("id").asLong()).as("an existing user's id is not SFTPGo's 0").isPositive();
        assertThat(user.path("status").asInt()).isEqualTo(1);
        assertThat(user.path("home_dir").asText()).isEqualTo(data.resolve("home/alice").toString());
        assertThat(user.toString()).doesNotContain("argon2").doesNotContain("password");

        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> Fixture.login(server, "alice", "wrong").close()).isInstanceOf(Exception.class);
        await("the failure was reported", () -> lines(log).stream().anyMatch(l -> l.startsWith("failed password SSH")));

        FTPSClient c = ftpLogin(files, "alice", "pw");
        c.logout();
        c.disconnect();
        await("the FTP login was reported", () -> lines(log).stream().anyMatch(l -> l.startsWith("ok password FTP ")));

        // scope 2: successful logins only, as a POST of the user with SFTPGo's query
        await("both successes were posted", () -> receiver.requests().size() >= 2);
        List<Receiver.Request> posts = receiver.requests();
        assertThat(posts).hasSize(2).allMatch(r -> r.method().equals("POST"));
        Receiver.Request ssh = posts.stream().filter(r -> r.uri().toString().contains("protocol=SSH")).findFirst()
                .orElseThrow();
        assertThat(ssh.uri().toString()).isEqualTo("/login?k=v&login_method=password&ip=127.0.0.1&protocol=SSH&status=1");
        assertThat(ssh.json().path("username").asText()).isEqualTo("alice");
        assertThat(posts).anyMatch(r -> r.uri().toString().endsWith("protocol=FTP&status=1"));
    }

    @Test
    void postLoginScopeIsChecked() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Hooks.builder().postLogin(Path.of("/bin/true"), 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("post_login_scope");
    }

    /**
     * A bash upload notifier as SFTPGo's custom-action documentation has users write it (common.actions.hook with
     * upload, first-upload, download, first-download); the test only fills in the log file.
     */
    private static final String SFTPGO_NOTIFIER = String.join("\n",
            "#!/bin/bash",
            "# notify.sh: SFTPGo custom action hook",
            "LOG=\"@LOG@\"",
            "case \"$SFTPGO_ACTION\" in",
            "  upload|first-upload|download|first-download)",
            "    if [[ \"$SFTPGO_ACTION_STATUS\" == \"1\" ]]; then",
            "      echo \"${SFTPGO_ACTION} ${SFTPGO_ACTION_USERNAME} ${SFTPGO_ACTION_VIRTUAL_PATH}"
                    + " ${SFTPGO_ACTION_FILE_SIZE} ${SFTPGO_ACTION_PROTOCOL}\" >> \"$LOG\"",
            "    fi",
            "    ;;",
            "esac",
            "exit 0", "");

    @Test
    void firstUploadAndFirstDownloadFireOncePerUserBesideUploadAndDownload() throws Exception {
        Path log = dir.resolve("notify.log");
        Path hook = dir.resolve("notify.sh");
        Files.writeString(hook, SFTPGO_NOTIFIER.replace("@LOG@", log.toString()));
        hook.toFile().setExecutable(true);
        start(FileOps.sftp(), Hooks.builder()
                .program(hook, "upload", "first-upload", "download", "first-download").build());
        for (int i = 0; i < 2; i++) {
            try (TestClient alice = Fixture.login(server, "alice", "pw")) {
                org.apache.sshd.sftp.client.SftpClient sftp = alice.sftp();
                HookTests.upload(sftp, "/f" + i + ".txt", "hello".getBytes(StandardCharsets.UTF_8));
                try (var in = sftp.read("/f" + i + ".txt")) {
                    in.readAllBytes();
                }
            }
        }
        await("every notification ran", () -> lines(log).size() == 6);
        assertThat(lines(log)).containsExactlyInAnyOrder(
                "first-upload alice /f0.txt 5 SFTP", "upload alice /f0.txt 5 SFTP", "upload alice /f1.txt 5 SFTP",
                "first-download alice /f0.txt 5 SFTP", "download alice /f0.txt 5 SFTP",
                "download alice /f1.txt 5 SFTP");
        // remembered across a restart: hooks in the upload's flow have run when the client's close returns
        server.close();
        start(FileOps.sftp(), Hooks.builder().program(hook, "upload", "first-upload")
                .sync("upload", "first-upload").build());
        try (TestClient alice = Fixture.login(server, "alice", "pw")) {
            org.apache.sshd.sftp.client.SftpClient sftp = alice.sftp();
            HookTests.upload(sftp, "/f2.txt", "again".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(lines(log)).hasSize(7).last().isEqualTo("upload alice /f2.txt 5 SFTP");
    }

    @Test
    void providerActionsUseSftpgosCurrentForm() throws Exception {
        Path log = dir.resolve("provider.log");
        Path hook = script(dir, "provider.sh", "echo \"$SFTPGO_PROVIDER_ACTION $SFTPGO_PROVIDER_OBJECT_TYPE"
                + " $SFTPGO_PROVIDER_OBJECT_NAME $SFTPGO_PROVIDER_USERNAME ip=$SFTPGO_PROVIDER_IP"
                + " role=$SFTPGO_PROVIDER_ROLE $SFTPGO_PROVIDER_TIMESTAMP $SFTPGO_PROVIDER_OBJECT\" >> \"" + log + "\"\n");
        receiver = new Receiver(0);
        start(FileOps.sftp(), Hooks.builder().providerActions(hook).providerActions(receiver.uri("/provider"))
                .userActions(hook).build());
        server.accounts().save(Account.builder("dora").password("pw".toCharArray()).quota(100, 0).build());
        server.accounts().remove("dora");
        // alice (saved at start), then dora's add and delete; each in both forms to the same program
        await("the program ran for every change", () -> lines(log).size() == 6);
        List<String> provider = lines(log).stream().filter(l -> !l.startsWith(" ")).toList();
        assertThat(provider).hasSize(3); // notifications may arrive in any order
        assertThat(provider).filteredOn(l -> l.startsWith("add user dora ")).singleElement().asString()
                .matches("add user dora __system__ ip= role= \\d{19} \\{.*").contains("\"quota_size\":100")
                .doesNotContain("argon2");
        assertThat(provider).filteredOn(l -> l.startsWith("delete user dora __system__ ")).hasSize(1);
        // the older form still goes to the same program, with SFTPGO_USER_ACTION and no SFTPGO_PROVIDER_*
        assertThat(lines(log).stream().filter(l -> l.startsWith(" ")).count()).isEqualTo(3);
        await("the URL got every change", () -> receiver.requests().size() == 3);
        Receiver.Request add = receiver.requests().stream().filter(r -> r.uri().toString().contains("object_name=dora")
                && r.uri().toString().contains("action=add")).findFirst().orElseThrow();
        assertThat(add.method()).isEqualTo("POST");
        assertThat(add.uri().toString()).matches("/provider\\?action=add&username=__system__&ip=&object_type=user"
                + "&object_name=dora&timestamp=\\d{19}");
        assertThat(add.json().path("username").asText()).isEqualTo("dora");
    }

    /**
     * An external auth program in the style of SFTPGo's documented example, returning a whole SFTPGo user; the
     * test only fills in HOME (the user's home under the data directory) and LOG.
     */
    private static final String SFTPGO_EXTERNAL_AUTH = String.join("\n",
            "#!/bin/sh",
            "echo \"$SFTPGO_AUTHD_USERNAME $SFTPGO_AUTHD_PROTOCOL user=$SFTPGO_AUTHD_USER\" >> \"@LOG@\"",
            "if test \"$SFTPGO_AUTHD_USERNAME\" = \"carol\" && test \"$SFTPGO_AUTHD_PASSWORD\" = \"s3cret\"; then",
            "  echo '{\"status\":1,\"username\":\"carol\",\"expiration_date\":0,\"home_dir\":\"@HOME@/carol\",\"uid\":0,"
                    + "\"gid\":0,\"max_sessions\":0,\"quota_size\":10,\"quota_files\":100,\"permissions\":{\"/\":[\"*\"],"
                    + "\"/ro\":[\"list\",\"download\"]},\"upload_bandwidth\":0,\"download_bandwidth\":0,"
                    + "\"filters\":{\"allowed_ip\":[],\"denied_ip\":[]},\"public_keys\":[]}'",
            "elif test \"$SFTPGO_AUTHD_USERNAME\" = \"dave\"; then",
            "  echo '{\"status\":1,\"username\":\"dave\",\"home_dir\":\"/tmp/dave\",\"permissions\":{\"/\":[\"*\"]}}'",
            "elif test \"$SFTPGO_AUTHD_USERNAME\" = \"erin\"; then",
            "  echo '{\"status\":0,\"username\":\"erin\",\"permissions\":{\"/\":[\"*\"]}}'",
            "elif test \"$SFTPGO_AUTHD_USERNAME\" = \"frank\"; then",
            "  echo '{\"status\":1,\"username\":\"frank\",\"home_dir\":\"@HOME@/carol\"}'",
            "else",
            "  echo '{\"username\":\"\"}'",
            "fi", "");

    @Test
    void externalAuthKeepsTheReturnedUsersHomePermissionsAndQuota() throws Exception {
        Path log = dir.resolve("auth.log");
        Path hook = dir.resolve("auth.sh");
        Files.writeString(hook, SFTPGO_EXTERNAL_AUTH.replace("@LOG@", log.toString())
                .replace("@HOME@", data.resolve("home").toString()));
        hook.toFile().setExecutable(true);
        FileOps files = FileOps.create().ftp(0);
        server = Termlet.server().port(0).dataDir(data).extension(files).authenticator(Hooks.externalAuth(hook))
                .start();
        try (TestClient carol = Fixture.login(server, "carol", "s3cret")) {
            org.apache.sshd.sftp.client.SftpClient sftp = carol.sftp();
            sftp.mkdir("/ro");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> HookTests.upload(sftp, "/ro/x.txt", new byte[1]))
                    .as("/ro is list and download only").isInstanceOf(java.io.IOException.class);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> HookTests.upload(sftp, "/big.txt", new byte[64]))
                    .as("quota_size 10").isInstanceOf(java.io.IOException.class);
            HookTests.upload(sftp, "/small.txt", new byte[5]);
        }
        Account carol = server.accounts().find("carol").orElseThrow();
        assertThat(carol.quotaBytes()).isEqualTo(10);
        assertThat(carol.quotaFiles()).isEqualTo(100);
        assertThat(carol.passwordHash()).as("only the hook lets carol in").isNull();
        assertThat(Files.size(data.resolve("home/carol/small.txt"))).isEqualTo(5);
        // a home outside the data directory's homes, or another user's home, is refused; so is a disabled user
        for (String user : List.of("dave", "frank", "erin")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(
                    () -> Fixture.login(server, user, "x").close()).as(user)
                    .isInstanceOf(Exception.class);
        }
        assertThat(server.accounts().find("dave")).isEmpty();
        assertThat(server.accounts().find("frank")).isEmpty();
        // FTP logins go through the same hook, which is told the protocol and the stored user
        FTPSClient c = ftpLogin(files, "carol", "s3cret");
        assertThat(c.getReplyCode()).as(c.getReplyString()).isEqualTo(230);
        c.logout();
        c.disconnect();
        assertThat(lines(log).get(0)).isEqualTo("carol SSH user=");
        assertThat(lines(log)).anyMatch(l -> l.startsWith("carol FTP user={") && l.contains("\"quota_size\":10"));
    }

    /**
     * A pre-login program in the style of SFTPGo's documented example (it looks for the user name in
     * SFTPGO_LOGIND_USER and writes only the fields to change); the test only fills in LOG.
     */
    private static final String SFTPGO_PRE_LOGIN = String.join("\n",
            "#!/bin/bash",
            "echo \"$SFTPGO_LOGIND_METHOD $SFTPGO_LOGIND_PROTOCOL $SFTPGO_LOGIND_IP $SFTPGO_LOGIND_USER\" >> \"@LOG@\"",
            "if [[ \"$SFTPGO_LOGIND_USER\" =~ \"\\\"alice\\\"\" ]]",
            "then",
            "  echo '{\"status\":0}'",
            "elif [[ \"$SFTPGO_LOGIND_USER\" =~ \"\\\"newbie\\\"\" ]]",
            "then",
            "  echo '{\"status\":1,\"username\":\"newbie\",\"password\":\"fresh\",\"permissions\":{\"/\":[\"list\",\"download\"]}}'",
            "fi", "");

    @Test
    void aPreLoginProgramChangesAndCreatesUsersBeforeTheStoreChecksTheirCredentials() throws Exception {
        Path log = dir.resolve("pre-login.log");
        Path hook = dir.resolve("pre-login.sh");
        Files.writeString(hook, SFTPGO_PRE_LOGIN.replace("@LOG@", log.toString()));
        hook.toFile().setExecutable(true);
        server = Termlet.server().port(0).dataDir(data).extension(FileOps.sftp())
                .authenticator(Hooks.preLogin(hook, java.time.Duration.ofSeconds(30))).build();
        server.accounts().save(Account.builder("alice").password("pw".toCharArray()).build());
        server.accounts().save(Account.builder("bob").password("pw".toCharArray()).build());
        server.start();
        // alice is disabled by the hook
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> Fixture.login(server, "alice", "pw").close()).isInstanceOf(Exception.class);
        assertThat(server.accounts().find("alice").orElseThrow().enabled()).isFalse();
        // bob is left as he is: the store checks his password
        try (TestClient bob = Fixture.login(server, "bob", "pw")) {
            assertThat(bob.session().isAuthenticated()).isTrue();
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> Fixture.login(server, "bob", "nope").close()).isInstanceOf(Exception.class);
        // newbie is created, read-only, with the password the hook gave
        try (TestClient newbie = Fixture.login(server, "newbie", "fresh")) {
            org.apache.sshd.sftp.client.SftpClient sftp = newbie.sftp();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> sftp.mkdir("/d"))
                    .isInstanceOf(java.io.IOException.class);
        }
        assertThat(lines(log)).anyMatch(l -> l.startsWith("password SSH 127.0.0.1 {") && l.contains("\"id\":0")
                && l.contains("\"username\":\"newbie\""));
        assertThat(String.join("\n", lines(log))).doesNotContain("argon2");
    }

    /**
     * A check-password program for password plus one-time code, as SFTPGo's check-password documentation
     * describes it: the last 6 characters are the code, the rest is for SFTPGo (here the store) to verify.
     */
    private static final String SFTPGO_CHECK_PASSWORD = String.join("\n",
            "#!/bin/sh",
            "echo \"$SFTPGO_AUTHD_USERNAME $SFTPGO_AUTHD_PROTOCOL\" >> \"@LOG@\"",
            "TOKEN=$(printf '%s' \"$SFTPGO_AUTHD_PASSWORD\" | tail -c 6)",
            "FIXED=${SFTPGO_AUTHD_PASSWORD%$TOKEN}",
            "if [ \"$TOKEN\" = \"123456\" ]; then",
            "  printf '{\"status\":2,\"to_verify\":\"%s\"}' \"$FIXED\"",
            "else",
            "  echo '{\"status\":0}'",
            "fi", "");

    @Test
    void aCheckPasswordProgramVerifiesACodeAndLetsTheStoreCheckTheRest() throws Exception {
        Path log = dir.resolve("check.log");
        Path hook = dir.resolve("checkpwd.sh");
        Files.writeString(hook, SFTPGO_CHECK_PASSWORD.replace("@LOG@", log.toString()));
        hook.toFile().setExecutable(true);
        FileOps files = FileOps.create().ftp(0);
        server = Termlet.server().port(0).dataDir(data).extension(files)
                .authenticator(Hooks.checkPassword(hook, java.time.Duration.ofSeconds(30))).build();
        server.accounts().save(Account.builder("alice").password("pw".toCharArray()).build());
        server.start();
        try (TestClient alice = Fixture.login(server, "alice", "pw123456")) {
            assertThat(alice.session().isAuthenticated()).isTrue();
        }
        for (String wrong : List.of("pw", "pw654321", "xx123456")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(
                    () -> Fixture.login(server, "alice", wrong).close()).as(wrong)
                    .isInstanceOf(Exception.class);
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> Fixture.login(server, "nobody", "pw123456").close())
                .isInstanceOf(Exception.class);
        FTPSClient c = ftpLogin(files, "alice", "pw123456");
        assertThat(c.getReplyCode()).as(c.getReplyString()).isEqualTo(230);
        c.logout();
        c.disconnect();
        assertThat(lines(log)).contains("alice SSH", "alice FTP").doesNotContain("nobody SSH");
    }

    @Test
    void aFailedLoginWaitingInTheOutboxHoldsNoPassword() throws Exception {
        receiver = new Receiver(0).hold();
        start(FileOps.sftp(), Hooks.builder().postLogin(receiver.uri("/login"), 1).build());
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> Fixture.login(server, "alice", "hunter2-not-alices").close())
                .isInstanceOf(Exception.class);
        await("the notification is in the outbox and being sent", () -> !HookTests.outbox(data).isEmpty()
                && receiver.arrived() > 0);
        for (Path file : HookTests.outbox(data)) {
            String entry = Files.readString(file);
            assertThat(entry).contains("\"event\":\"auth-fail\"").contains("alice").doesNotContain("hunter2");
        }
        receiver.open();
        await("delivered", () -> receiver.requests().size() == 1);
        Receiver.Request r = receiver.requests().get(0);
        assertThat(r.uri().getQuery()).isEqualTo("login_method=password&ip=127.0.0.1&protocol=SSH&status=0");
        assertThat(r.body()).contains("\"username\":\"alice\"").doesNotContain("hunter2");
    }
}
