/**
 * Termlet's public API: {@link dev.termlet.Termlet} to build a {@link dev.termlet.TermletServer}, the
 * {@link dev.termlet.Client} handlers talk to, and the values events carry.
 */
package dev.termlet;
