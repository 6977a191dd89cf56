package dev.termlet.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Describes one key of the configuration model: its meaning, its default as it would be written in
 * {@code termlet.yaml}, and the values it takes. The key's name is the component's, in kebab-case
 * ({@code maxSessions} is {@code max-sessions}). The reference in docs/configuration.md is made from these.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface ConfigKey {
    /** The text of {@link #dflt()} that means "no default: unset". */
    String UNSET = "\u0000unset";

    /** @return what the key means, one sentence */
    String value();

    /** @return the default as written in YAML ({@code 30s}, {@code 022}), or {@link #UNSET} */
    String dflt() default UNSET;

    /** @return the smallest number allowed */
    long min() default Long.MIN_VALUE;

    /** @return the largest number allowed */
    long max() default Long.MAX_VALUE;

    /** @return how a number is written: plainly, as a size ({@code 10MiB}) or in octal ({@code 022}) */
    Unit unit() default Unit.PLAIN;

    /** @return the only values allowed (compared without case), or none for any */
    String[] oneOf() default {};

    /** @return true for a URL that may carry a token: a literal one with a user or a query is warned about */
    boolean mayHoldSecret() default false;

    /** How a number is written. */
    enum Unit {
        /** A plain whole number. */
        PLAIN,
        /** Bytes: a number with an optional unit, {@code B}, {@code KiB}, {@code MiB}, {@code GiB}, {@code TiB}. */
        SIZE,
        /** Octal digits, as a umask: {@code 022}. */
        OCTAL
    }
}
