package dev.termlet.config;

import java.util.List;

/** A configuration that cannot be used: every problem found, each with its key, where it was written and a fix. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The problems; not serialized. */
    private final transient List<ConfigProblem> problems;

    /** @param problems the problems, at least one */
    public ConfigException(List<ConfigProblem> problems) {
        super(message(problems));
        this.problems = List.copyOf(problems);
    }

    private static String message(List<ConfigProblem> problems) {
        StringBuilder sb = new StringBuilder("the configuration has " + problems.size()
                + (problems.size() == 1 ? " problem:" : " problems:"));
        problems.forEach(p -> sb.append("\n  - ").append(p));
        return sb.toString();
    }

    /** @return the problems, in the order they were found */
    public List<ConfigProblem> problems() {
        return problems;
    }
}
