package dev.termlet.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes a {@link Command} parameter a named option: {@code --name value}, {@code -n value}, or a flag
 * ({@code --loud}) for a {@code boolean} parameter.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Option {

    /** @return the option's names, for example {@code {"--name", "-n"}}; by default {@code --<parameter name>} */
    String[] names() default {};

    /** @return one line on what the option means */
    String description() default "";

    /** @return the value used when the option is absent, as text ({@code ""} for none) */
    String defaultValue() default "";

    /** @return whether the option must be given */
    boolean required() default false;
}
