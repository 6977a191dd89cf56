package dev.termlet.test;

import dev.termlet.Termlet;
import dev.termlet.TermletServer;
import dev.termlet.auth.Account;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Runs a Termlet application for the tests of a class: in-process, on 127.0.0.1 at a free port, with a fresh
 * temporary data directory and the accounts the test declares; stops it and deletes the directory after.
 *
 * <pre>{@code
 * @RegisterExtension
 * static TermletExtension termlet = TermletExtension.builder()
 *         .handlers(new Hello())
 *         .account("alice", "secret")
 *         .build();
 *
 * @Test
 * void saysWorld(TestClient client) {          // logged in as alice, 80x24
 *     client.typeLine("hello");
 *     client.awaitText("world!");
 * }
 * }</pre>
 *
 * <p>In a {@code static} field the server is started once for the class; in an instance field, once for each
 * test. Test methods (and lifecycle methods) may take a {@link TestClient}, logged in as the first declared account
 * with a terminal of the {@linkplain Builder#screenSize size} configured, and the running {@link TermletServer}.
 * Clients from parameters and from {@link #login} are closed after each test. Host keys are generated once per
 * JVM and copied into each data directory.
 */
public final class TermletExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback, ParameterResolver {
    private static Path hostKeyCache;

    private final List<Object> handlers;
    private final List<String> packages;
    private final Map<String, String> passwords;
    private final List<Account> accounts;
    private final List<Consumer<TermletServer.Builder>> configurers;
    private final int columns;
    private final int rows;
    private final List<TestClient> clients = new ArrayList<>();
    private TermletServer server;
    private Path dataDir;
    private int classDepth;
    private boolean perTest;

    private TermletExtension(Builder b) {
        this.handlers = List.copyOf(b.handlers);
        this.packages = List.copyOf(b.packages);
        this.passwords = new LinkedHashMap<>(b.passwords);
        this.accounts = List.copyOf(b.accounts);
        this.configurers = List.copyOf(b.configurers);
        this.columns = b.columns;
        this.rows = b.rows;
    }

    /** @return a builder for the extension */
    public static Builder builder() {
        return new Builder();
    }

    /** Configures a {@link TermletExtension}. */
    public static final class Builder {
        private final List<Object> handlers = new ArrayList<>();
        private final List<String> packages = new ArrayList<>();
        private final Map<String, String> passwords = new LinkedHashMap<>();
        private final List<Account> accounts = new ArrayList<>();
        private final List<Consumer<TermletServer.Builder>> configurers = new ArrayList<>();
        private int columns = 80;
        private int rows = 24;

        private Builder() {}

        /**
         * Registers handler objects (classes with {@code @OnUser} or {@code @Command} methods).
         *
         * @param objects the handlers
         * @return this builder
         */
        public Builder handlers(Object... objects) {
            handlers.addAll(List.of(objects));
            return this;
        }

        /**
         * Scans packages for handler classes, as {@link TermletServer.Builder#scan} does.
         *
         * @param packageNames the packages
         * @return this builder
         */
        public Builder scan(String... packageNames) {
            packages.addAll(List.of(packageNames));
            return this;
        }

        /**
         * Declares an account that logs in with a password. The first account declared is the one injected
         * {@link TestClient}s log in as.
         *
         * @param user the user name
         * @param password the password
         * @return this builder
         */
        public Builder account(String user, String password) {
            Objects.requireNonNull(password, "password");
            return account(Account.builder(user).password(password.toCharArray()).build(), password);
        }

        /**
         * Declares an account with everything {@link Account.Builder} can set (permissions, keys, a role...).
         *
         * @param account the account
         * @param password its password in plain text, for {@link TermletExtension#login(String)}; null if it has
         *     none
         * @return this builder
         */
        public Builder account(Account account, String password) {
            Objects.requireNonNull(account, "account");
            accounts.add(account);
            passwords.put(account.name(), password);
            return this;
        }

        /**
         * Adjusts the server builder (prompt, banner, limits, extensions such as file operations...). The
         * extension has set the port to 0, the address to 127.0.0.1 and the data directory before.
         *
         * @param configurer what to change
         * @return this builder
         */
        public Builder configure(Consumer<TermletServer.Builder> configurer) {
            configurers.add(Objects.requireNonNull(configurer, "configurer"));
            return this;
        }

        /**
         * Sets the terminal size of injected clients (default 80 by 24).
         *
         * @param newColumns the width
         * @param newRows the height
         * @return this builder
         */
        public Builder screenSize(int newColumns, int newRows) {
            if (newColumns < 1 || newRows < 1) {
                throw new IllegalArgumentException("size " + newColumns + "x" + newRows);
            }
            this.columns = newColumns;
            this.rows = newRows;
            return this;
        }

        /**
         * Makes the extension. Without handlers the server still answers with its built-in commands.
         *
         * @return the extension, to put in a {@code @RegisterExtension} field
         */
        public TermletExtension build() {
            return new TermletExtension(this);
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (classDepth++ == 0) {
            start();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (--classDepth == 0) {
            stop();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (server == null) {
            perTest = true;
            start();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        synchronized (clients) {
            clients.forEach(TestClient::close);
            clients.clear();
        }
        if (perTest) {
            perTest = false;
            stop();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == TestClient.class || type == TermletServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        if (server == null) {
            throw new ParameterResolutionException("the Termlet server is not running here: an extension in an"
                    + " instance field starts only for test methods");
        }
        if (parameter.getParameter().getType() == TermletServer.class) {
            return server;
        }
        if (passwords.isEmpty()) {
            throw new ParameterResolutionException("no account to log in with: declare one with account(user,"
                    + " password)");
        }
        return login(passwords.keySet().iterator().next());
    }

    private void start() {
        try {
            dataDir = Files.createTempDirectory("termlet-test");
            seedHostKeys(dataDir);
            TermletServer.Builder b = Termlet.server().bind("127.0.0.1").port(0).dataDir(dataDir);
            configurers.forEach(c -> c.accept(b));
            if (!packages.isEmpty()) {
                b.scan(packages.toArray(String[]::new));
            }
            if (!handlers.isEmpty()) {
                b.register(handlers.toArray());
            }
            TermletServer s = b.build();
            accounts.forEach(s.accounts()::save);
            server = s.start();
            keepHostKeys(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the data directory", e);
        }
    }

    private void stop() {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            server = null;
            if (dataDir != null) {
                delete(dataDir);
                dataDir = null;
            }
        }
    }

    /**
     * The running server.
     *
     * @return the server
     * @throws IllegalStateException if it is not running (outside the tests it serves)
     */
    public TermletServer server() {
        if (server == null) {
            throw new IllegalStateException("the Termlet server is not running");
        }
        return server;
    }

    /** @return the port the server listens on */
    public int port() {
        return server().port();
    }

    /** @return the server's temporary data directory */
    public Path dataDir() {
        return server().dataDir();
    }

    /**
     * Logs in as a declared account with its password; the client is closed after the test.
     *
     * @param user the account's name
     * @return the client, whose shell opens at the configured size when first used
     * @throws IllegalArgumentException if the account was not declared with a password
     */
    public TestClient login(String user) {
        String password = passwords.get(user);
        if (password == null) {
            throw new IllegalArgumentException("no password declared for " + user + ": use account(\"" + user
                    + "\", password) or login(user, password)");
        }
        return login(user, password);
    }

    /**
     * Logs in with a password; the client is closed after the test.
     *
     * @param user the user
     * @param password the password
     * @return the client
     */
    public TestClient login(String user, String password) {
        return track(TestClient.password("127.0.0.1", port(), user, password));
    }

    /**
     * Logs in with a key; the client is closed after the test.
     *
     * @param user the user
     * @param key the key pair (its public key must be among the account's authorized keys)
     * @return the client
     */
    public TestClient login(String user, KeyPair key) {
        return track(TestClient.publicKey("127.0.0.1", port(), user, key));
    }

    private TestClient track(TestClient c) {
        c.resize(columns, rows);
        synchronized (clients) {
            clients.add(c);
        }
        return c;
    }

    private static synchronized void seedHostKeys(Path dir) throws IOException {
        if (hostKeyCache == null) {
            return;
        }
        Path target = Files.createDirectories(dir.resolve("hostkeys"));
        try (Stream<Path> files = Files.list(hostKeyCache)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, target.resolve(f.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    private static synchronized void keepHostKeys(Path dir) throws IOException {
        Path keys = dir.resolve("hostkeys");
        if (hostKeyCache != null || !Files.isDirectory(keys)) {
            return;
        }
        Path cache = Files.createTempDirectory("termlet-test-hostkeys");
        try (Stream<Path> files = Files.list(keys)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, cache.resolve(f.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(cache), "termlet-test-hostkeys"));
        hostKeyCache = cache;
    }

    private static void delete(Path dir) {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // a temporary directory left behind is not worth failing a test for
        }
    }
}
