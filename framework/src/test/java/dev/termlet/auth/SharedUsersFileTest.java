package dev.termlet.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.termlet.internal.ssh.ObservedAccountStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two stores on one data directory, as the server and the offline {@code termlet accounts} tool: a change made by
 * one is never undone by a later change of the other.
 */
class SharedUsersFileTest {
    @TempDir
    Path dir;

    private void seed() {
        JsonAccountStore seed = JsonAccountStore.open(dir);
        seed.save(Account.builder("alice").build());
        seed.save(Account.builder("bob").build());
    }

    @Test
    void bothChangesSurviveWhicheverWritesLast() {
        seed();
        JsonAccountStore server = JsonAccountStore.open(dir);
        JsonAccountStore tool = JsonAccountStore.open(dir);
        tool.save(tool.find("bob").orElseThrow().toBuilder().enabled(false).build());
        server.save(server.find("alice").orElseThrow().toBuilder().addPermission("admin").build());

        JsonAccountStore after = JsonAccountStore.open(dir);
        assertThat(after.find("bob").orElseThrow().enabled()).isFalse();
        assertThat(after.find("alice").orElseThrow().hasPermission("admin")).isTrue();
        // the server's memory took the tool's change too
        assertThat(server.find("bob").orElseThrow().enabled()).isFalse();

        // and the other way round: the tool's store is stale now
        server.save(Account.builder("carol").build());
        tool.remove("alice");
        after = JsonAccountStore.open(dir);
        assertThat(after.find("carol")).isPresent();
        assertThat(after.find("alice")).isEmpty();
        assertThat(after.find("bob").orElseThrow().enabled()).isFalse();
    }

    @Test
    void theServersListenerHearsOfTheChangesFoundOnDisk() {
        seed();
        ObservedAccountStore server = new ObservedAccountStore(JsonAccountStore.open(dir));
        List<String> heard = new ArrayList<>();
        server.listener((change, a) -> heard.add(change + " " + a.name() + (a.enabled() ? "" : " disabled")));
        JsonAccountStore tool = JsonAccountStore.open(dir);
        tool.save(tool.find("bob").orElseThrow().toBuilder().enabled(false).build());
        tool.save(Account.builder("dave").build());
        tool.remove("alice");

        server.save(Account.builder("carol").build());
        assertThat(heard).containsExactly("ADDED dave", "UPDATED bob disabled", "REMOVED alice", "ADDED carol");
        assertThat(server.find("bob").orElseThrow().enabled()).isFalse();

        // the tool removes dave; the server then removes him too: reported once, as a change from disk
        heard.clear();
        tool.remove("dave");
        assertThat(server.remove("dave")).isFalse();
        assertThat(heard).containsExactly("REMOVED dave");
        // nothing left to reload
        assertThat(server.changedOutside()).contains(false);
        assertThat(server.reload().isEmpty()).isTrue();
    }

    @Test
    void changedOutsideTellsWhetherTheFileDiffersFromWhatTheStoreLastSaw() throws Exception {
        seed();
        JsonAccountStore server = JsonAccountStore.open(dir);
        assertThat(server.changedOutside()).contains(false);
        server.save(Account.builder("carol").build());
        assertThat(server.changedOutside()).contains(false);
        JsonAccountStore.open(dir).save(Account.builder("dave").build());
        assertThat(server.changedOutside()).contains(true);
        assertThat(server.reload().added()).extracting(Account::name).containsExactly("dave");
        assertThat(server.changedOutside()).contains(false);

        // a failed reload leaves it true, so that it is tried again
        Files.writeString(server.file(), "{broken");
        assertThat(server.changedOutside()).contains(true);
        assertThatThrownBy(server::reload).isInstanceOf(IllegalStateException.class);
        assertThat(server.changedOutside()).contains(true);
    }

    @Test
    void aMalformedFileIsNotOverwrittenByASave() throws Exception {
        seed();
        JsonAccountStore server = JsonAccountStore.open(dir);
        Files.writeString(server.file(), "{\"version\":1,\"users\":[");
        assertThatThrownBy(() -> server.save(Account.builder("carol").build()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("malformed");
        assertThat(Files.readString(server.file())).isEqualTo("{\"version\":1,\"users\":[");
    }

    @Test
    void concurrentSavesFromTwoStoresAreAllKept() throws Exception {
        JsonAccountStore a = JsonAccountStore.open(dir);
        JsonAccountStore b = JsonAccountStore.open(dir);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                JsonAccountStore s = i % 2 == 0 ? a : b;
                String name = "user" + i;
                done.add(pool.submit(() -> s.save(Account.builder(name).build())));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(JsonAccountStore.open(dir).list()).hasSize(40);
    }
}
