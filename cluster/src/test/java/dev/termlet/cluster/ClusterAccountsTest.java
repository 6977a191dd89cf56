package dev.termlet.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.termlet.TermletServer;
import dev.termlet.auth.Account;
import dev.termlet.fileops.FileOps;
import dev.termlet.test.Postgres;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two real servers ("nodes"), each with its own data directory and database pool, on one PostgreSQL. */
class ClusterAccountsTest {
    static final Duration PATIENCE = Duration.ofSeconds(15);
    static Postgres pg;
    static SshClient client;

    @TempDir
    Path dataA;
    @TempDir
    Path dataB;
    @TempDir
    Path homes;

    Database dbA;
    Database dbB;
    TermletServer a;
    TermletServer b;
    PostgresAccountStore storeA;
    PostgresAccountStore storeB;

    @BeforeAll
    static void start() throws Exception {
        pg = Postgres.start();
        client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
        client.start();
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.stop();
        }
        if (pg != null) {
            pg.close();
        }
    }

    @BeforeEach
    void nodes() throws Exception {
        dbA = PostgresAccountStoreTest.open(pg);
        dbB = PostgresAccountStoreTest.open(pg);
        try (var c = dbA.dataSource().getConnection(); var st = c.createStatement()) {
            st.execute("DELETE FROM termlet_accounts; DELETE FROM termlet_usage");
        }
        // the homes are shared storage: both nodes serve the same directory
        a = dev.termlet.Termlet.server().port(0).dataDir(dataA).accounts(storeA = PostgresAccountStore.open(dbA))
                .extension(FileOps.sftp().homes(homes).usage(PostgresUsage.of(dbA))).build().start();
        b = dev.termlet.Termlet.server().port(0).dataDir(dataB).accounts(storeB = PostgresAccountStore.open(dbB))
                .extension(FileOps.sftp().homes(homes).usage(PostgresUsage.of(dbB))).build().start();
    }

    @AfterEach
    void close() {
        a.close();
        b.close();
        storeA.close();
        storeB.close();
        dbA.close();
        dbB.close();
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        PostgresAccountStoreTest.await(condition, what);
    }

    /** Logs in with a password and opens SFTP; the caller closes the session. */
    static ClientSession login(TermletServer s, String user, String password) throws IOException {
        ClientSession session = client.connect(user, "127.0.0.1", s.port()).verify(PATIENCE).getSession();
        try {
            session.addPasswordIdentity(password);
            session.auth().verify(PATIENCE);
            return session;
        } catch (IOException | RuntimeException e) {
            session.close(true);
            throw e;
        }
    }

    static boolean canLogIn(TermletServer s, String user, String password) {
        try (ClientSession session = login(s, user, password);
                SftpClient sftp = SftpClientFactory.instance().createSftpClient(session)) {
            sftp.stat(".");
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    @Test
    void anAccountMadeOnOneNodeLogsInOnTheOtherWithAPasswordOrAKey() throws Exception {
        KeyPair key = org.apache.sshd.common.config.keys.KeyUtils.generateKeyPair("ssh-ed25519", 256);
        String line = PublicKeyEntry.toString(key.getPublic());
        a.accounts().save(Account.builder("alice").password("pw-1".toCharArray()).addAuthorizedKey(line).build());
        await(() -> canLogIn(b, "alice", "pw-1"), "alice logs in on b");
        try (ClientSession s = client.connect("alice", "127.0.0.1", b.port()).verify(PATIENCE).getSession()) {
            s.addPublicKeyIdentity(key);
            s.auth().verify(PATIENCE);
            assertThat(s.isAuthenticated()).isTrue();
        }
        assertThat(canLogIn(b, "alice", "wrong")).isFalse();
    }

    @Test
    void disablingOrRemovingOnOneNodeClosesSessionsAndRefusesLoginsOnTheOther() throws Exception {
        a.accounts().save(Account.builder("bob").password("pw".toCharArray()).build());
        await(() -> canLogIn(b, "bob", "pw"), "bob logs in on b");
        ClientSession open = login(b, "bob", "pw");
        SftpClient sftp = SftpClientFactory.instance().createSftpClient(open);
        sftp.stat(".");
        a.accounts().save(a.accounts().find("bob").get().toBuilder().enabled(false).build());
        await(open::isClosed, "bob's session on b closed");
        assertThat(canLogIn(b, "bob", "pw")).isFalse();

        a.accounts().save(a.accounts().find("bob").get().toBuilder().enabled(true).build());
        await(() -> canLogIn(b, "bob", "pw"), "bob back on b");
        ClientSession again = login(b, "bob", "pw");
        SftpClientFactory.instance().createSftpClient(again).stat(".");
        assertThat(a.accounts().remove("bob")).isTrue();
        await(again::isClosed, "bob's second session on b closed");
        assertThat(canLogIn(b, "bob", "pw")).isFalse();
        assertThat(b.accounts().find("bob")).isEmpty();
    }

    @Test
    void aPasswordChangedOnOneNodeStopsTheOldOneOnTheOtherDespiteItsCache() throws Exception {
        a.accounts().save(Account.builder("carol").password("old-pw".toCharArray()).build());
        await(() -> canLogIn(b, "carol", "old-pw"), "carol logs in on b");
        // b has remembered the old password (the password cache is on by default)
        assertThat(canLogIn(b, "carol", "old-pw")).isTrue();
        a.accounts().save(a.accounts().find("carol").get().toBuilder().password("new-pw".toCharArray()).build());
        await(() -> canLogIn(b, "carol", "new-pw"), "the new password works on b");
        assertThat(canLogIn(b, "carol", "old-pw")).isFalse();
    }

    @Test
    void withTheDatabaseDownLoginsAreRefusedAndTheNodesLiveOnThenRecover() throws Exception {
        a.accounts().save(Account.builder("dave").password("pw".toCharArray()).build());
        await(() -> canLogIn(b, "dave", "pw"), "dave logs in on b");
        pg.stop();
        try {
            await(() -> !canLogIn(b, "dave", "pw"), "logins refused on b");
            // refused, not hung: the node answers and refuses within the client's patience
            long t0 = System.nanoTime();
            assertThat(canLogIn(a, "dave", "pw")).isFalse();
            assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(10));
            // the address was not struck for the outage: no ban
            assertThat(b.protector().bans()).isEmpty();
            assertThat(a.protector().bans()).isEmpty();
        } finally {
            pg.restart();
        }
        await(() -> canLogIn(b, "dave", "pw") && canLogIn(a, "dave", "pw"), "logins work again");
        a.accounts().save(a.accounts().find("dave").get().toBuilder().enabled(false).build());
        await(() -> !canLogIn(b, "dave", "pw"), "the change after the outage reaches b");
    }

    @Test
    void quotaUsageIsSharedByTheNodes() throws Exception {
        a.accounts().save(Account.builder("erin").password("pw".toCharArray()).quota(1000, 0).build());
        await(() -> canLogIn(b, "erin", "pw"), "erin logs in on b");
        try (ClientSession s = login(a, "erin", "pw");
                SftpClient sftp = SftpClientFactory.instance().createSftpClient(s);
                OutputStream out = sftp.write("one.bin")) {
            out.write(new byte[600]);
        }
        assertThat(Files.size(homes.resolve("erin").resolve("one.bin"))).isEqualTo(600);
        try (var c = dbB.dataSource().getConnection(); var st = c.createStatement();
                var rs = st.executeQuery("SELECT bytes, files FROM termlet_usage WHERE name = 'erin'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isEqualTo(600);
            assertThat(rs.getLong(2)).isEqualTo(1);
        }
        assertThatThrownBy(() -> {
            try (ClientSession s = login(b, "erin", "pw");
                    SftpClient sftp = SftpClientFactory.instance().createSftpClient(s);
                    OutputStream out = sftp.write("two.bin")) {
                out.write(new byte[600]);
            }
        }).isInstanceOf(IOException.class);
        assertThat(Files.exists(homes.resolve("erin").resolve("two.bin"))).isFalse();
        // a deletion on b frees the room on a
        try (ClientSession s = login(b, "erin", "pw");
                SftpClient sftp = SftpClientFactory.instance().createSftpClient(s)) {
            sftp.remove("one.bin");
        }
        try (ClientSession s = login(a, "erin", "pw");
                SftpClient sftp = SftpClientFactory.instance().createSftpClient(s);
                OutputStream out = sftp.write("three.bin")) {
            out.write(new byte[900]);
        }
        assertThat(Files.size(homes.resolve("erin").resolve("three.bin"))).isEqualTo(900);
    }
}
