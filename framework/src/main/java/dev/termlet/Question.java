package dev.termlet;

/**
 * One prompt of a keyboard-interactive login, as an {@code auth-interactive-questions} handler returns
 * them.
 *
 * @param prompt the text shown, for example {@code "Code: "}
 * @param echo whether the answer is shown as it is typed
 */
public record Question(String prompt, boolean echo) {}
