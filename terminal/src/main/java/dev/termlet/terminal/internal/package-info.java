/**
 * Terminal plumbing of a session (not API): the JLine terminal over an SSH channel, its input buffer, PTY
 * modes, key decoding and Termlet's line reader. Exported only to the framework (and the benchmarks).
 */
package dev.termlet.terminal.internal;
