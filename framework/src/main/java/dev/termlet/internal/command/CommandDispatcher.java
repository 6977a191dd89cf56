package dev.termlet.internal.command;

import dev.termlet.spi.ShellWords;
import dev.termlet.Client;
import dev.termlet.annotations.Command;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * Runs the {@link Command} methods: a line's first word must equal a command's name or alias exactly; the
 * account must hold every permission the command names; the rest of the line is split like a POSIX shell
 * and parsed by picocli into the method's typed parameters.
 *
 * <p>Exit statuses: 0 ok (or what the method returns), 1 the method threw, 2 usage error, 126 permission
 * denied. A line whose first word is no command is not handled here ({@link #dispatch} returns null).
 */
public final class CommandDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(CommandDispatcher.class);

    /** What a dispatch needs from the session. */
    public interface Context {
        /** @return the client */
        Client client();

        /** @return the permissions of the client's account */
        Set<String> permissions();

        /**
         * Called when a command was refused for missing permissions.
         *
         * @param line the line
         */
        void denied(String line);

        /**
         * Called when a command method threw.
         *
         * @param error what it threw
         */
        void failed(Throwable error);
    }

    private final Map<String, CommandMethod> byName = new LinkedHashMap<>();
    private final List<CommandMethod> commands = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();

    /** Creates an empty dispatcher. */
    public CommandDispatcher() {}

    /**
     * Adds every {@link Command} method of an object (static ones too), checking names and parameters.
     * Problems are collected; {@link #validate()} reports them.
     *
     * @param handler the object, or a class for static methods only
     * @return the number of {@code @Command} methods found, valid or not
     */
    public synchronized int register(Object handler) {
        Class<?> type = handler instanceof Class ? (Class<?>) handler : handler.getClass();
        int n = 0;
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            Method[] methods = c.getDeclaredMethods();
            Arrays.sort(methods, Comparator.comparing(Method::getName));
            for (Method m : methods) {
                if (!m.isAnnotationPresent(Command.class) && !m.isBridge()
                        && m.isAnnotationPresent(CommandLine.Command.class)
                        && Arrays.asList(m.getParameterTypes()).contains(dev.termlet.Client.class)) {
                    // picocli's @Command on a method that takes a Client: meant as a Termlet command
                    n++;
                    problems.add(m.getDeclaringClass().getName() + "#" + m.getName() + ": carries picocli's @Command,"
                            + " which Termlet does not read; use dev.termlet.annotations.Command. " + CommandMethod.BOTH);
                }
                if (m.isAnnotationPresent(Command.class) && !m.isBridge()) {
                    n++;
                    try {
                        add(new CommandMethod(handler instanceof Class ? null : handler, m));
                    } catch (IllegalArgumentException e) {
                        problems.add(e.getMessage());
                    } catch (CommandLine.InitializationException e) {
                        problems.add(m.getDeclaringClass().getName() + "#" + m.getName() + ": " + e.getMessage());
                    }
                }
            }
        }
        return n;
    }

    private void add(CommandMethod cmd) {
        for (String name : cmd.names()) {
            CommandMethod other = byName.get(name);
            if (other != null) {
                problems.add(cmd.where + ": command name '" + name + "' is already used by " + other.where
                        + ". Rename one of them or turn the built-in off.");
                return;
            }
        }
        for (String name : cmd.names()) {
            byName.put(name, cmd);
        }
        commands.add(cmd);
    }

    /**
     * Removes commands by name (for built-ins the application turned off).
     *
     * @param names command names
     */
    public synchronized void remove(Set<String> names) {
        commands.removeIf(c -> names.contains(c.name));
        byName.values().removeIf(c -> names.contains(c.name));
    }

    /** @throws IllegalStateException listing every invalid command */
    public synchronized void validate() {
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Invalid @Command methods:\n  " + String.join("\n  ", problems));
        }
    }

    /** @return whether no command is registered */
    public synchronized boolean isEmpty() {
        return commands.isEmpty();
    }

    synchronized CommandMethod find(String name) {
        return byName.get(name);
    }

    /**
     * The commands a client may run, by name.
     *
     * @param permissions the client's permissions
     * @return visible commands (not hidden, permitted), sorted by name
     */
    synchronized List<CommandMethod> visible(Set<String> permissions) {
        return commands.stream().filter(c -> !c.hidden && permissions.containsAll(c.permissions))
                .sorted(Comparator.comparing(c -> c.name)).collect(Collectors.toList());
    }

    /**
     * Runs a line if its first word is a command.
     *
     * @param ctx the session
     * @param line the line as typed
     * @return null if no command matched, else the exit status
     */
    public Integer dispatch(Context ctx, String line) {
        String first = line.strip().split("[ \t]+", 2)[0];
        List<String> words;
        try {
            words = ShellWords.split(line);
        } catch (ShellWords.SyntaxException e) {
            if (find(first) == null) {
                return null;
            }
            ctx.client().eprintln(first + ": " + e.getMessage());
            return 2;
        }
        if (words.isEmpty()) {
            return null;
        }
        CommandMethod cmd = find(words.get(0));
        if (cmd == null) {
            return null;
        }
        Set<String> missing = new TreeSet<>(cmd.permissions);
        missing.removeAll(ctx.permissions());
        if (!missing.isEmpty()) {
            LOG.warn("command '{}' denied to {}: missing permission {}", cmd.name, ctx.client().user(), missing);
            ctx.client().eprintln("Permission denied: '" + cmd.name + "' needs the permission "
                    + String.join(", ", missing) + ".");
            ctx.denied(line);
            return 126;
        }
        CommandMethod.Model model = cmd.model();
        CommandLine cl = CommandMethod.commandLine(model);
        try {
            cl.parseArgs(words.subList(1, words.size()).toArray(new String[0]));
        } catch (CommandLine.ParameterException e) {
            ctx.client().eprintln(cmd.name + ": " + e.getMessage());
            ctx.client().eprintln(usage(cl));
            return 2;
        }
        if (cl.isUsageHelpRequested()) {
            ctx.client().println(usage(cl));
            return 0;
        }
        try {
            Object r = cmd.invoke(ctx.client(), model);
            return r instanceof Integer ? (Integer) r : 0;
        } catch (Throwable t) {
            ctx.failed(t);
            return 1;
        }
    }

    private static String usage(CommandLine cl) {
        return cl.getUsageMessage(CommandLine.Help.Ansi.OFF).stripTrailing();
    }

    /**
     * The usage of one command.
     *
     * @param name a name or alias
     * @return the usage text, or null for an unknown command
     */
    public String usage(String name) {
        CommandMethod cmd = find(name);
        return cmd == null ? null : usage(CommandMethod.commandLine(cmd.model()));
    }

    /**
     * The command list {@code help} shows: by category, with descriptions.
     *
     * @param permissions the client's permissions
     * @return the text
     */
    public String list(Set<String> permissions) {
        Map<String, List<CommandMethod>> byCategory = new TreeMap<>();
        for (CommandMethod c : visible(permissions)) {
            byCategory.computeIfAbsent(c.category, k -> new ArrayList<>()).add(c);
        }
        int width = visible(permissions).stream().mapToInt(c -> c.name.length()).max().orElse(4) + 2;
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, List<CommandMethod>> e : byCategory.entrySet()) {
            sb.append(e.getKey()).append(":\n");
            for (CommandMethod c : e.getValue()) {
                sb.append("  ").append(String.format("%-" + width + "s", c.name)).append(c.description);
                if (!c.aliases.isEmpty()) {
                    sb.append(" (also: ").append(String.join(", ", c.aliases)).append(')');
                }
                sb.append('\n');
            }
        }
        sb.append("Type 'help NAME' for a command's usage.");
        return sb.toString();
    }

    /** @return every command name and alias */
    public synchronized Set<String> names() {
        return new HashSet<>(byName.keySet());
    }
}
