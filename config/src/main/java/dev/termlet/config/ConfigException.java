package dev.termlet.config;

import java.util.List;

/** A configuration that cannot be used: every problem found, each with its key, where it was written and a fix. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The problems; not serialized. */
    private final transient List<ConfigProblem> problems;

    /** @param problems the problems, at least one */
    public ConfigException(List<ConfigProblem> problems) {
        this(problems, problems.size());
    }

    /**
     * @param problems the problems reported, at least one (the first ones and a last saying how many more there are)
     * @param total how many problems were found
     */
    ConfigException(List<ConfigProblem> problems, int total) {
        super(message(problems, total));
        this.problems = List.copyOf(problems);
    }

    private static String message(List<ConfigProblem> problems, int total) {
        StringBuilder sb = new StringBuilder("the configuration has " + total
                + (total == 1 ? " problem:" : " problems:"));
        problems.forEach(p -> sb.append("\n  - ").append(p));
        return sb.toString();
    }

    /**
     * @return the problems, in the order they were found; of a great many, only the first
     *     {@code TermletConfig.MAX_REPORTED} and one saying how many more
     */
    public List<ConfigProblem> problems() {
        return problems;
    }
}
