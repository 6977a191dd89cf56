package dev.termlet.spring.internal;

import dev.termlet.config.ConfigProblem;
import dev.termlet.spring.TermletPropertiesException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Spring Boot's report of a {@link TermletPropertiesException}: each problem with its property, where it was written
 * and why, then each fix.
 */
public final class TermletPropertiesFailureAnalyzer extends AbstractFailureAnalyzer<TermletPropertiesException> {
    /** Made by Spring Boot. */
    public TermletPropertiesFailureAnalyzer() {}

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, TermletPropertiesException cause) {
        StringBuilder description = new StringBuilder("Termlet's configuration, the termlet.* properties, has "
                + cause.problems().size() + (cause.problems().size() == 1 ? " problem:\n" : " problems:\n"));
        StringBuilder action = new StringBuilder("Update the termlet.* properties (the keys are those of"
                + " termlet.yaml; termlet.enabled=false turns Termlet off):\n");
        for (ConfigProblem p : cause.problems()) {
            description.append("\n    Property: ").append(p.key())
                    .append("\n    Origin: ").append(p.where())
                    .append("\n    Reason: ").append(p.message()).append('\n');
            action.append("\n    ").append(p.key()).append(": ").append(p.fix());
        }
        return new FailureAnalysis(description.toString(), action.toString(), cause);
    }
}
