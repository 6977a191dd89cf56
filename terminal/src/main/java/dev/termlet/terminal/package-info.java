/**
 * Terminal widgets and key handling for Termlet sessions: key names ({@link dev.termlet.terminal.Key}) and a
 * key reader, prompts, menus, dialogs, tables, progress bars, spinners and full-screen drawing on a JLine
 * {@link org.jline.terminal.Terminal}.
 */
package dev.termlet.terminal;
