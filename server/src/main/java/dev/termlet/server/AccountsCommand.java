package dev.termlet.server;

import dev.termlet.auth.Account;
import dev.termlet.auth.AccountStore;
import dev.termlet.auth.JsonAccountStore;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code termlet accounts}: the account store ({@code DATA/users.json}) managed without the server; a running
 * server reads the changes (with {@code reload.accounts}, the default). Passwords are read from the terminal, from
 * standard input ({@code --password-stdin}) or a file, never from the command line.
 */
@Command(name = "accounts", mixinStandardHelpOptions = true,
        description = "Manage the accounts: those of the data directory's users.json (offline), or of the database when"
                + " accounts.store is postgresql (every running node sees each change at once).",
        subcommands = {AccountsCommand.ListAccounts.class, AccountsCommand.Add.class, AccountsCommand.Remove.class,
            AccountsCommand.Passwd.class, AccountsCommand.Grant.class, AccountsCommand.Revoke.class,
            AccountsCommand.Enable.class, AccountsCommand.Disable.class, AccountsCommand.AddKey.class})
final class AccountsCommand {
    @Mixin
    ConfigOption config = new ConfigOption();

    @Option(names = "--data", paramLabel = "DIR",
            description = "The data directory (default: data-dir of the configuration).")
    Path data;

    @Spec
    CommandSpec spec;

    /** What {@link #store()} opened besides the store, closed when the command ends. */
    private AutoCloseable opened;

    /**
     * @return the configured store: PostgreSQL's when {@code accounts.store} is {@code postgresql} (then
     *     {@code --data} does not apply), else the data directory's {@code users.json}
     */
    AccountStore store() {
        var model = config.load().model();
        if ("postgresql".equals(model.accounts().store()) && data == null) {
            var d = model.database();
            if (d.url() == null) {
                throw new IllegalStateException("accounts.store is postgresql but database.url is not set");
            }
            char[] password = d.password() == null ? null : d.password().reveal();
            dev.termlet.cluster.Database db = dev.termlet.cluster.Database.connect(d.url().strip()).user(d.user())
                    .password(password).poolSize(2).connectTimeout(d.connectTimeout()).schema(d.schema()).open();
            if (password != null) {
                java.util.Arrays.fill(password, '\0');
            }
            dev.termlet.cluster.PostgresAccountStore store;
            try {
                store = dev.termlet.cluster.PostgresAccountStore.open(db);
            } catch (RuntimeException e) {
                db.close();
                throw e;
            }
            opened = () -> {
                store.close();
                db.close();
            };
            return store;
        }
        Path dir = data != null ? data : model.dataDir();
        requireOwner(dir, System.getProperty("user.name"));
        return JsonAccountStore.open(dir);
    }

    /** Closes what {@link #store()} opened. */
    void close() {
        if (opened != null) {
            try {
                opened.close();
            } catch (Exception e) {
                // the command's work is done; a failure to close the pool changes nothing
            }
            opened = null;
        }
    }

    /**
     * Refuses to work on a data directory (or {@code users.json}) that another user owns: the store is replaced by a
     * new file (mode 0600) owned by whoever writes it, so a run as root would leave a file the server's user cannot
     * read (and a lock file it cannot open). Where the file system has no owners, nothing is checked.
     *
     * @param dir the data directory
     * @param user the user running the tool
     * @throws IllegalStateException naming the owner to run as
     */
    static void requireOwner(Path dir, String user) {
        for (Path p : new Path[] {dir, dir.resolve("users.json")}) {
            String owner;
            try {
                if (!Files.exists(p)) {
                    continue;
                }
                owner = Files.getOwner(p).getName();
            } catch (IOException | UnsupportedOperationException e) {
                continue;
            }
            if (!owner.equals(user)) {
                throw new IllegalStateException(p + " is owned by " + owner + ", not by " + user
                        + ": run this as that user, so that the server can still read the accounts it writes"
                        + " (sudo -u " + owner + " termlet accounts ...)");
            }
        }
    }

    /** @return the account, or an error naming it */
    static Account existing(AccountStore store, String name) {
        return store.find(name).orElseThrow(() -> new IllegalArgumentException("no account named '" + name + "'"));
    }

    /** Changes an account's permissions and prints them as they are now. */
    static void editPermissions(AccountStore store, PrintWriter out, String name,
            java.util.function.Consumer<java.util.Set<String>> edit) {
        Account a = existing(store, name);
        java.util.Set<String> p = new TreeSet<>(a.permissions());
        edit.accept(p);
        store.save(a.toBuilder().permissions(p).build());
        out.println("Permissions of '" + name + "': " + (p.isEmpty() ? "-" : String.join(",", p)));
    }

    /** Enables or disables an account. */
    static void setEnabled(AccountStore store, PrintWriter out, String name, boolean on) {
        store.save(existing(store, name).toBuilder().enabled(on).build());
        out.println("Account '" + name + "' " + (on ? "enabled." : "disabled."));
    }

    /** The options that give a password. */
    static final class PasswordSource {
        @Option(names = "--password-stdin", description = "Read the password from the first line of standard input.")
        boolean stdin;

        @Option(names = "--password-file", paramLabel = "FILE",
                description = "Read the password from a file (its first line).")
        Path file;

        /**
         * @param required whether a password must be given
         * @return the password, or null when none was asked for and there is no terminal
         * @throws IOException if it cannot be read
         */
        char[] read(boolean required) throws IOException {
            if (stdin) {
                String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                return line == null ? new char[0] : line.toCharArray();
            }
            if (file != null) {
                java.util.List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                return lines.isEmpty() ? new char[0] : lines.get(0).toCharArray();
            }
            Console console = System.console();
            if (console == null) {
                if (required) {
                    throw new IllegalArgumentException("no terminal to ask for the password: use --password-stdin or"
                            + " --password-file");
                }
                return null;
            }
            char[] first = console.readPassword("Password: ");
            char[] again = console.readPassword("Again: ");
            if (first == null || !Arrays.equals(first, again)) {
                throw new IllegalArgumentException("the passwords differ");
            }
            Arrays.fill(again, '\0');
            return first;
        }
    }

    /** Base of the subcommands: the store, and errors as one line and status 1. */
    abstract static class Sub implements Callable<Integer> {
        @ParentCommand
        AccountsCommand parent;

        @Spec
        CommandSpec spec;

        @Override
        public final Integer call() throws Exception {
            try {
                run(parent.store(), spec.commandLine().getOut());
                spec.commandLine().getOut().flush();
                return 0;
            } catch (IllegalArgumentException | IllegalStateException e) {
                spec.commandLine().getErr().println("termlet accounts " + spec.name() + ": " + e.getMessage());
                spec.commandLine().getErr().flush();
                return 1;
            } finally {
                parent.close();
            }
        }

        abstract void run(AccountStore store, PrintWriter out) throws Exception;
    }

    @Command(name = "list", description = "List the accounts: name, state, permissions, keys.")
    static final class ListAccounts extends Sub {
        @Override
        void run(AccountStore store, PrintWriter out) {
            for (Account a : store.list()) {
                out.printf("%-20s %-8s permissions=%s keys=%d%n", a.name(), a.enabled() ? "enabled" : "disabled",
                        String.join(",", new TreeSet<>(a.permissions())), a.authorizedKeys().size());
            }
        }
    }

    @Command(name = "add", description = "Add an account (with a password unless --no-password).")
    static final class Add extends Sub {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--permission", paramLabel = "NAME", description = "A permission (repeatable).")
        java.util.List<String> permissions = new java.util.ArrayList<>();

        @Option(names = "--no-password", description = "No password: keys only (add them with add-key).")
        boolean noPassword;

        @Mixin
        PasswordSource password = new PasswordSource();

        @Override
        void run(AccountStore store, PrintWriter out) throws IOException {
            if (!Account.validName(name)) {
                throw new IllegalArgumentException("'" + name + "' is not a valid account name");
            }
            if (store.find(name).isPresent()) {
                throw new IllegalArgumentException("an account named '" + name + "' exists");
            }
            Account.Builder b = Account.builder(name).permissions(permissions);
            if (!noPassword) {
                char[] pw = password.read(true);
                if (pw.length == 0) {
                    throw new IllegalArgumentException("an empty password");
                }
                b.password(pw);
                Arrays.fill(pw, '\0');
            }
            store.save(b.build());
            out.println("Account '" + name + "' added.");
        }
    }

    @Command(name = "remove", description = "Remove an account (its files stay).")
    static final class Remove extends Sub {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        void run(AccountStore store, PrintWriter out) {
            existing(store, name);
            store.remove(name);
            out.println("Account '" + name + "' removed.");
        }
    }

    @Command(name = "passwd", description = "Set an account's password.")
    static final class Passwd extends Sub {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Mixin
        PasswordSource password = new PasswordSource();

        @Override
        void run(AccountStore store, PrintWriter out) throws IOException {
            Account a = existing(store, name);
            char[] pw = password.read(true);
            if (pw.length == 0) {
                throw new IllegalArgumentException("an empty password");
            }
            store.save(a.toBuilder().password(pw).build());
            Arrays.fill(pw, '\0');
            out.println("Password of '" + name + "' set.");
        }
    }

    @Command(name = "grant", description = "Give an account permissions.")
    static final class Grant extends Sub {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1..*", paramLabel = "PERMISSION", arity = "1..*")
        java.util.List<String> add;

        @Override
        void run(AccountStore store, PrintWriter out) {
            editPermissions(store, out, name, p -> p.addAll(add));
        }
    }

    @Command(name = "revoke", description = "Take permissions from an account.")
    static final class Revoke extends Sub {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1..*", paramLabel = "PERMISSION", arity = "1..*")
        java.util.List<String> take;

        @Override
        void run(AccountStore store, PrintWriter out) {
            editPermissions(store, out, name, p -> p.removeAll(take));
        }
    }

    @Command(name = "enable", description = "Let an account log in again.")
    static final class Enable extends Sub {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        void run(AccountStore store, PrintWriter out) {
            setEnabled(store, out, name, true);
        }
    }

    @Command(name = "disable", description = "Stop an account from logging in (its sessions end on reload).")
    static final class Disable extends Sub {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        void run(AccountStore store, PrintWriter out) {
            setEnabled(store, out, name, false);
        }
    }

    @Command(name = "add-key", description = "Add an authorized_keys line (from a .pub file) to an account.")
    static final class AddKey extends Sub {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "FILE", description = "A public key file (OpenSSH .pub).")
        Path file;

        @Override
        void run(AccountStore store, PrintWriter out) throws IOException {
            Account a = existing(store, name);
            String line = Files.readString(file, StandardCharsets.UTF_8).strip();
            store.save(a.toBuilder().addAuthorizedKey(line).build());
            out.println("Key added to '" + name + "'.");
        }
    }
}
