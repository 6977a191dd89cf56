package dev.termlet.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method as a handler of one or more Termlet events.
 *
 * <pre>{@code
 * @OnUser("command")
 * void command(Client client, String line) { ... }
 * }</pre>
 *
 * <p>Event names are checked when the server starts: an unknown name, a parameter the event cannot
 * supply or a return type it cannot use stops the start with a message naming {@code Class#method}.
 * Names are case-insensitive and accept the aliases the event registry lists (PyserSSH, Syncplify and
 * SFTPGo names).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface OnUser {

    /**
     * The event names this method handles, for example {@code "command"} or
     * {@code {"connect", "connectsftp"}}.
     *
     * @return one or more event names or aliases
     */
    String[] value();

    /**
     * The position of this handler among the handlers of the same event: lower runs first; equal
     * orders run in registration order.
     *
     * @return the order, 0 by default
     */
    int order() default 0;

    /**
     * How this handler is delivered. Post-events (notifications such as {@code auth-success}) are
     * asynchronous by default; {@link Delivery#SYNC} makes one handler run in the event's own flow.
     * Pre-events and session events are always synchronous; asking for {@link Delivery#ASYNC} on them
     * is a start-up error.
     *
     * @return the delivery, {@link Delivery#DEFAULT} by default
     */
    Delivery delivery() default Delivery.DEFAULT;
}
