package dev.termlet.internal.command;

import dev.termlet.Client;
import dev.termlet.annotations.Argument;
import dev.termlet.annotations.Command;
import dev.termlet.annotations.Option;
import dev.termlet.auth.Account;
import dev.termlet.auth.AccountStore;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The built-in system commands: {@code help}, {@code whoami}, {@code who}, {@code uptime}, {@code date},
 * {@code hostname}, {@code uname}, {@code history}, {@code clear}, {@code echo}, {@code exit} and, for accounts with the
 * {@code admin} permission, {@code accounts} and {@code bans}; {@code who} shows an admin every session, others
 * their own. Each can be turned off by name.
 */
public final class BuiltinCommands {
    /** The names of all built-ins. */
    public static final List<String> NAMES = List.of("help", "whoami", "who", "uptime", "date", "hostname",
            "uname", "history", "clear", "echo", "exit", "accounts", "bans");

    private static final String SYSTEM = "System";
    /** The permission of administrators: {@code accounts}, {@code bans}, and everyone's sessions in {@code who}. */
    static final String ADMIN = "admin";
    /** The attribute in which a session of another node (termlet-cluster) holds when it started, an Instant. */
    static final String STARTED = "termlet.startedAt";
    private volatile BuiltinContext server;

    /** Creates the built-ins; {@link #attach} gives them their server before it starts. */
    public BuiltinCommands() {}

    /**
     * Connects the built-ins to the server they describe.
     *
     * @param context the server
     */
    public void attach(BuiltinContext context) {
        this.server = context;
    }

    private static SessionControls controls(Client c) {
        return (SessionControls) c;
    }

    @Command(category = SYSTEM, description = "Lists the commands, or shows one command's usage.")
    int help(Client c, @Argument(label = "COMMAND", required = false, description = "a command") String name) {
        if (name == null) {
            c.println(server.commands().list(controls(c).permissions()));
            return 0;
        }
        CommandMethod cmd = server.commands().find(name);
        if (cmd == null || cmd.hidden || !controls(c).permissions().containsAll(cmd.permissions)) {
            c.eprintln("help: no command '" + name + "'.");
            return 1;
        }
        c.println(server.commands().usage(name));
        return 0;
    }

    @Command(category = SYSTEM, description = "Shows your user name.")
    void whoami(Client c) {
        c.println(c.user());
    }

    /**
     * Lists the sessions: every user's to an account with the {@code admin} permission, only the user's own to
     * others (another user's name, session and address are not theirs to see).
     */
    @Command(category = SYSTEM, description = "Lists the sessions: yours, or everyone's for an admin.")
    void who(Client c) {
        DateTimeFormatter f = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
        boolean admin = controls(c).permissions().contains(ADMIN);
        for (Client s : server.sessions()) {
            if (!admin && !s.user().equals(c.user())) {
                continue;
            }
            Instant since = s instanceof SessionControls ? ((SessionControls) s).startedAt()
                    : s.attribute(STARTED) instanceof Instant ? (Instant) s.attribute(STARTED) : Instant.now();
            c.println(String.format("%-16s %-14s %s  %s%s", s.user(), s.sessionId(),
                    f.format(since.atZone(ZonedDateTime.now().getZone())), s.remoteAddress(),
                    s.node().map(n -> "  on " + n).orElse("")));
        }
    }

    @Command(category = SYSTEM, description = "Shows how long the server has run and how many sessions it has.")
    void uptime(Client c) {
        Duration up = Duration.between(server.startedAt(), Instant.now());
        int n = server.sessions().size();
        c.println("up " + human(up) + ", " + n + (n == 1 ? " session" : " sessions"));
    }

    static String human(Duration d) {
        long s = d.getSeconds();
        long days = s / 86400;
        long h = (s % 86400) / 3600;
        long m = (s % 3600) / 60;
        StringBuilder sb = new StringBuilder();
        if (days > 0) {
            sb.append(days).append("d ");
        }
        if (days > 0 || h > 0) {
            sb.append(h).append("h ");
        }
        sb.append(m).append("m ").append(s % 60).append('s');
        return sb.toString();
    }

    @Command(category = SYSTEM, description = "Shows the server's date and time.")
    void date(Client c) {
        c.println(ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME));
    }

    @Command(category = SYSTEM, description = "Shows the server's host name.")
    void hostname(Client c) {
        try {
            c.println(InetAddress.getLocalHost().getHostName());
        } catch (UnknownHostException e) {
            c.println("localhost");
        }
    }

    @Command(category = SYSTEM, description = "Shows the system's name; -a for all of it.")
    void uname(Client c, @Option(names = {"-a", "--all"}, description = "name, host, release and machine")
            boolean all, @Option(names = {"-n", "--nodename"}, description = "the host name") boolean node,
            @Option(names = {"-r", "--kernel-release"}, description = "the release") boolean release,
            @Option(names = {"-m", "--machine"}, description = "the machine") boolean machine) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        List<String> out = new java.util.ArrayList<>();
        if (all || (!node && !release && !machine)) {
            out.add(System.getProperty("os.name"));
        }
        if (all || node) {
            out.add(host);
        }
        if (all || release) {
            out.add(System.getProperty("os.version"));
        }
        if (all || machine) {
            out.add(System.getProperty("os.arch"));
        }
        c.println(String.join(" ", out));
    }

    /** What {@code history} does. */
    enum HistoryAction { show, clear }

    @Command(category = SYSTEM, description = "Shows your command history; 'history clear' forgets it.")
    void history(Client c, @Argument(label = "ACTION", required = false, description = "show or clear")
            HistoryAction action) {
        if (action == HistoryAction.clear) {
            controls(c).clearHistory();
            c.println("History cleared.");
            return;
        }
        List<String> lines = controls(c).historyLines();
        for (int i = 0; i < lines.size(); i++) {
            c.println(String.format("%5d  %s", i + 1, lines.get(i)));
        }
    }

    @Command(category = SYSTEM, description = "Clears the screen.")
    void clear(Client c) {
        controls(c).clearScreen();
    }

    @Command(category = SYSTEM, description = "Prints its arguments.")
    void echo(Client c, @Argument(label = "WORDS", required = false) List<String> words) {
        c.println(String.join(" ", words));
    }

    @Command(category = SYSTEM, aliases = {"logout", "quit"}, description = "Ends the session.")
    int exit(Client c, @Argument(label = "STATUS", defaultValue = "0", description = "exit status") int status) {
        c.close(status);
        return status;
    }

    /** What {@code accounts} does. */
    enum AccountAction { list, add, remove, passwd, grant, revoke }

    @Command(category = "Administration", permissions = ADMIN,
            description = "Manages accounts: list, add NAME, remove NAME, passwd NAME, grant NAME PERM, revoke NAME PERM.")
    int accounts(Client c, @Argument(label = "ACTION") AccountAction action,
            @Argument(label = "NAME", required = false) String name,
            @Argument(label = "PERMISSION", required = false) String permission,
            @Option(names = "--permission", description = "with add: a permission to grant (repeatable)")
            List<String> grants) {
        AccountStore store = server.accounts();
        if (action == AccountAction.list) {
            for (Account a : store.list()) {
                c.println(String.format("%-20s %-8s %s", a.name(), a.enabled() ? "enabled" : "disabled",
                        a.permissions().isEmpty() ? "-" : String.join(",", a.permissions().stream().sorted().toList())));
            }
            return 0;
        }
        if (name == null) {
            c.eprintln("accounts " + action + ": a NAME is needed.");
            return 2;
        }
        Optional<Account> existing = store.find(name);
        switch (action) {
            case add: {
                if (existing.isPresent()) {
                    c.eprintln("accounts: '" + name + "' exists already.");
                    return 1;
                }
                Account.Builder b;
                try {
                    b = Account.builder(name);
                } catch (IllegalArgumentException e) {
                    c.eprintln("accounts: " + e.getMessage());
                    return 2;
                }
                char[] pw = askNewPassword(c);
                if (pw == null) {
                    return 1;
                }
                b.password(pw);
                Arrays.fill(pw, '\0');
                if (grants != null) {
                    grants.forEach(b::addPermission);
                }
                if (!stillAdmin(c)) {
                    return 126;
                }
                store.save(b.build());
                c.println("Account '" + name + "' added.");
                return 0;
            }
            case remove:
                if (!stillAdmin(c)) {
                    return 126;
                }
                if (!store.remove(name)) {
                    c.eprintln("accounts: no account '" + name + "'.");
                    return 1;
                }
                c.println("Account '" + name + "' removed.");
                return 0;
            case passwd: {
                if (existing.isEmpty()) {
                    c.eprintln("accounts: no account '" + name + "'.");
                    return 1;
                }
                char[] pw = askNewPassword(c);
                if (pw == null) {
                    return 1;
                }
                if (!stillAdmin(c)) {
                    Arrays.fill(pw, '\0');
                    return 126;
                }
                store.save(existing.get().toBuilder().password(pw).build());
                Arrays.fill(pw, '\0');
                c.println("Password of '" + name + "' changed.");
                return 0;
            }
            default: {
                if (existing.isEmpty()) {
                    c.eprintln("accounts: no account '" + name + "'.");
                    return 1;
                }
                if (permission == null || permission.isBlank()) {
                    c.eprintln("accounts " + action + ": a PERMISSION is needed.");
                    return 2;
                }
                Account.Builder b = existing.get().toBuilder();
                java.util.Set<String> perms = new java.util.TreeSet<>(existing.get().permissions());
                if (action == AccountAction.grant) {
                    perms.add(permission);
                } else {
                    perms.remove(permission);
                }
                if (!stillAdmin(c)) {
                    return 126;
                }
                store.save(b.permissions(perms).build());
                c.println("Permissions of '" + name + "': " + (perms.isEmpty() ? "-" : String.join(",", perms)));
                return 0;
            }
        }
    }

    /** What {@code bans} does. */
    enum BanAction { list, lift, add, block, unblock }

    @Command(category = "Administration", permissions = ADMIN,
            description = "Lists and lifts bans, bans by hand, and edits the permanent block-list.")
    int bans(Client c, @Argument(label = "ACTION", defaultValue = "list") BanAction action,
            @Argument(label = "ADDRESS", required = false, description = "an IP address or CIDR range") String address,
            @Option(names = "--for", defaultValue = "1h", description = "with add: how long") Duration time) {
        dev.termlet.protector.Protector p = server.protector();
        if (action == BanAction.list) {
            for (dev.termlet.protector.Ban b : p.bans()) {
                c.println(String.format("%-40s until %s  offence %d  %s", b.address(), b.until(), b.offences(),
                        b.reason()));
            }
            for (String blocked : p.blockList()) {
                c.println(String.format("%-40s blocked", blocked));
            }
            return 0;
        }
        if (address == null) {
            c.eprintln("bans " + action + ": an ADDRESS is needed.");
            return 2;
        }
        try {
            switch (action) {
                case lift:
                    if (!p.lift(address)) {
                        c.eprintln("bans: '" + address + "' is not banned.");
                        return 1;
                    }
                    c.println("Ban of " + address + " lifted.");
                    return 0;
                case add:
                    dev.termlet.protector.Ban ban = p.ban(address, time);
                    c.println("Banned " + ban.address() + " until " + ban.until() + ".");
                    return 0;
                case block:
                    c.println(p.block(address) ? "Blocked " + address + "." : address + " was already blocked.");
                    return 0;
                default:
                    if (!p.unblock(address)) {
                        c.eprintln("bans: '" + address + "' is not on the block-list.");
                        return 1;
                    }
                    c.println("Unblocked " + address + ".");
                    return 0;
            }
        } catch (IllegalArgumentException e) {
            c.eprintln("bans: " + e.getMessage());
            return 2;
        } catch (IllegalStateException e) {
            // the cluster's shared protector state cannot be reached: nothing changed
            c.eprintln("bans: " + e.getMessage());
            return 1;
        }
    }

    /**
     * Checks {@code admin} again right before a change, against the live account: it may have been revoked, or the
     * account removed, while the command waited for a password.
     */
    private static boolean stillAdmin(Client c) {
        if (controls(c).permissions().contains(ADMIN)) {
            return true;
        }
        c.eprintln("accounts: permission denied: this session no longer has the 'admin' permission.");
        return false;
    }

    private static char[] askNewPassword(Client c) {
        String first = c.readPassword("New password: ");
        if (first == null || first.isEmpty()) {
            c.eprintln("accounts: no password given.");
            return null;
        }
        String second = c.readPassword("Repeat it: ");
        if (!first.equals(second)) {
            c.eprintln("accounts: the passwords differ.");
            return null;
        }
        return first.toCharArray();
    }
}
