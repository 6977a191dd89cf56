/**
 * The terminal layer of Termlet: a JLine terminal per remote session ({@link dev.termlet.terminal.SessionTerminal}
 * on a {@link dev.termlet.terminal.SessionInput}), key naming ({@link dev.termlet.terminal.Key}) and the line
 * editor ({@link dev.termlet.terminal.TermletLineReader}).
 */
package dev.termlet.terminal;
