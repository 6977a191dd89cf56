/**
 * The event model: {@link dev.termlet.event.EventType}s in an {@link dev.termlet.event.EventRegistry}, the
 * framework's own {@link dev.termlet.event.Events}, and the {@link dev.termlet.event.EventTypeProvider} SPI
 * through which other modules add theirs.
 */
package dev.termlet.event;
