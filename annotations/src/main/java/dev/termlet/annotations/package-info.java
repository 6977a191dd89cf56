/** The public annotations of Termlet: {@link dev.termlet.annotations.OnUser} and its companions. */
package dev.termlet.annotations;
