package dev.termlet.spring;

import dev.termlet.config.ConfigException;
import dev.termlet.config.ConfigProblem;
import java.util.List;

/**
 * The {@code termlet.*} properties do not make a valid configuration: every problem, each with the property's name
 * ({@code termlet.limits.max-sessions}), where Spring read it ({@code class path resource [application.yaml] - 3:5}),
 * what is wrong and the fix. It fails the application's start; Spring Boot's failure report lists the problems.
 */
public final class TermletPropertiesException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The problems; not serialized. */
    private final transient List<ConfigProblem> problems;

    /**
     * @param problems the problems, with the properties' names and origins
     * @param cause the configuration's own report, with the keys of {@code termlet.yaml}
     */
    public TermletPropertiesException(List<ConfigProblem> problems, ConfigException cause) {
        super(message(problems), cause);
        this.problems = List.copyOf(problems);
    }

    private static String message(List<ConfigProblem> problems) {
        StringBuilder sb = new StringBuilder("the termlet.* properties have " + problems.size()
                + (problems.size() == 1 ? " problem:" : " problems:"));
        problems.forEach(p -> sb.append("\n  - ").append(p));
        return sb.toString();
    }

    /** @return the problems, each with the property's name and where it was written */
    public List<ConfigProblem> problems() {
        return problems;
    }
}
