package dev.termlet.config.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.termlet.auth.Account;
import dev.termlet.auth.AccountStore;
import dev.termlet.auth.JsonAccountStore;
import dev.termlet.spi.ExtensionContext;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The watcher of users.json with real files: it asks the store what it last saw, and retries failed reloads. */
class ReloadWatcherTest {
    @TempDir
    Path dir;

    private ReloadWatcher watcher(AccountStore store) {
        ExtensionContext ctx = (ExtensionContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ExtensionContext.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "dataDir" -> dir;
                    case "accounts" -> store;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        ReloadWatcher w = new ReloadWatcher(true, false, Duration.ofHours(1));
        w.configure(ctx);
        return w;
    }

    @Test
    void aChangeBetweenLoadingAndTheWatchersStartIsApplied() {
        JsonAccountStore.open(dir).save(Account.builder("alice").build());
        JsonAccountStore server = JsonAccountStore.open(dir);
        // the offline tool changes the file after the server loaded it, before the watcher starts
        JsonAccountStore.open(dir).save(Account.builder("bob").build());
        ReloadWatcher w = watcher(server);
        w.start();
        try {
            w.poll();
            assertThat(server.find("bob")).isPresent();
        } finally {
            w.stop();
        }
    }

    @Test
    void aFailedReloadIsRetriedAfterTheFileIsFixedEvenWithTheSameSizeAndTime() throws Exception {
        JsonAccountStore.open(dir).save(Account.builder("alice").build());
        JsonAccountStore server = JsonAccountStore.open(dir);
        ReloadWatcher w = watcher(server);
        w.start();
        try {
            Path file = server.file();
            String good = "{\"version\":1,\"users\":[{\"name\":\"alice\"},{\"name\":\"bob\"}]}";
            String bad = good.replace("\"bob\"}", "\"bob\" ");
            assertThat(bad).hasSameSizeAs(good);
            FileTime time = FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 5_000);
            Files.writeString(file, bad);
            Files.setLastModifiedTime(file, time);
            w.poll();
            assertThat(server.find("bob")).isEmpty();
            w.poll();
            // fixed in place: same file, same size, same time
            Files.writeString(file, good);
            Files.setLastModifiedTime(file, time);
            w.poll();
            assertThat(server.find("bob")).isPresent();
        } finally {
            w.stop();
        }
    }
}
