package dev.termlet.config.internal;

/**
 * One thing wrong with a configuration, before it becomes public.
 *
 * @param key the key path ({@code limits.max-sessions}, {@code listeners[1].port}); empty for the whole file
 * @param origin where the value came from
 * @param message what is wrong
 * @param fix how to fix it
 */
public record Problem(String key, Origin origin, String message, String fix) {}
