package dev.termlet.internal.command;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Tab completion for one session: command names the user may run, then a command's options, enum values,
 * and paths for {@code Path} parameters (only below a configured root, never outside it).
 */
public final class CommandCompleter implements Completer {
    private final CommandDispatcher commands;
    private final Supplier<Set<String>> permissions;
    private final Path root;

    /**
     * Creates a completer.
     *
     * @param commands the commands
     * @param permissions the session's permissions
     * @param root where {@code Path} values are completed from, or null for no path completion
     */
    public CommandCompleter(CommandDispatcher commands, Supplier<Set<String>> permissions, Path root) {
        this.commands = commands;
        this.permissions = permissions;
        this.root = root == null ? null : root.toAbsolutePath().normalize();
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        List<String> words = line.words();
        int index = line.wordIndex();
        if (index <= 0) {
            for (CommandMethod c : commands.visible(permissions.get())) {
                candidates.add(new Candidate(c.name, c.name, c.category, c.description, null, null, true));
                for (String alias : c.aliases) {
                    candidates.add(new Candidate(alias, alias, c.category, c.description, null, null, true));
                }
            }
            return;
        }
        CommandMethod cmd = commands.find(words.get(0));
        if (cmd == null || !permissions.get().containsAll(cmd.permissions)) {
            return;
        }
        CommandSpec spec = cmd.model().spec;
        String current = line.word();
        String previous = words.get(index - 1);
        OptionSpec prevOption = spec.findOption(previous);
        if (prevOption != null && prevOption.arity().max() > 0) {
            values(prevOption, current, candidates);
            return;
        }
        if (current.startsWith("-")) {
            for (OptionSpec o : spec.options()) {
                for (String n : o.names()) {
                    candidates.add(new Candidate(n, n, null, o.description().length > 0 ? o.description()[0] : null,
                            null, null, o.arity().max() == 0));
                }
            }
            return;
        }
        int position = 0;
        for (int i = 1; i < index; i++) {
            OptionSpec o = spec.findOption(words.get(i));
            if (o != null) {
                i += o.arity().max() > 0 ? 1 : 0;
            } else {
                position++;
            }
        }
        for (PositionalParamSpec p : spec.positionalParameters()) {
            if (p.index().contains(position)) {
                values(p, current, candidates);
                return;
            }
        }
    }

    private void values(ArgSpec arg, String current, List<Candidate> candidates) {
        Class<?> type = arg.auxiliaryTypes().length > 0 ? arg.auxiliaryTypes()[0] : arg.type();
        if (type.isEnum()) {
            for (Object e : type.getEnumConstants()) {
                String v = ((Enum<?>) e).name();
                candidates.add(new Candidate(v, v, null, null, null, null, true));
            }
        } else if (type == Path.class && root != null) {
            paths(current, candidates);
        }
    }

    private void paths(String current, List<Candidate> candidates) {
        int slash = current.lastIndexOf('/');
        String dirPart = slash >= 0 ? current.substring(0, slash + 1) : "";
        Path dir = root.resolve(dirPart.startsWith("/") ? dirPart.substring(1) : dirPart).normalize();
        if (!dir.startsWith(root) || !Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            int n = 0;
            for (Path p : entries) {
                if (++n > 1000) {
                    break;
                }
                if (!p.toAbsolutePath().normalize().startsWith(root)) {
                    continue;
                }
                boolean isDir = Files.isDirectory(p);
                String value = dirPart + p.getFileName() + (isDir ? "/" : "");
                candidates.add(new Candidate(value, p.getFileName() + (isDir ? "/" : ""), null, null, null, null,
                        !isDir));
            }
        } catch (IOException | SecurityException e) {
            // nothing to offer
        }
    }
}
