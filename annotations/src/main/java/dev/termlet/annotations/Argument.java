package dev.termlet.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Describes a positional {@link Command} parameter. Parameters that are not {@code Client} and carry no
 * {@link Option} are positional anyway; this annotation adds a label, a description, a default or makes
 * the argument optional. A {@code List} parameter takes all remaining arguments.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Argument {

    /** @return the label shown in usage, for example {@code "NAME"}; by default the parameter name */
    String label() default "";

    /** @return one line on what the argument means */
    String description() default "";

    /** @return the value used when the argument is absent, as text ({@code ""} for none) */
    String defaultValue() default "";

    /** @return whether the argument must be given (an argument with a default value never is) */
    boolean required() default true;
}
