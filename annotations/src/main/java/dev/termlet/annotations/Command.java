package dev.termlet.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method as a command users type at the prompt or send with {@code ssh host 'name args'}.
 *
 * <pre>{@code
 * @Command(description = "Greets someone", category = "Fun")
 * void greet(Client client, @Argument(description = "who") String name,
 *            @Option(names = {"--loud", "-l"}) boolean loud) { ... }
 * }</pre>
 *
 * <p>Parameters of type {@code Client} are injected; the others are command-line arguments: positional
 * unless marked {@link Option}. The method may return {@code void} or an {@code int} exit status.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Command {

    /** @return the command name; by default the method name */
    String name() default "";

    /** @return other names the command answers to (exact words, never prefixes) */
    String[] aliases() default {};

    /** @return the category {@code help} lists the command under */
    String category() default "General";

    /** @return one line on what the command does */
    String description() default "";

    /** @return the permissions an account needs, all of them, to run the command */
    String[] permissions() default {};

    /** @return whether {@code help} leaves the command out of its list */
    boolean hidden() default false;
}
