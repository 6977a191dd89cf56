package dev.termlet.internal.command;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/** What the built-in commands need from a session beyond the public {@link dev.termlet.Client}. */
public interface SessionControls {

    /** @return the lines of this user's history, oldest first */
    List<String> historyLines();

    /** Forgets this user's history, in memory and on disk. */
    void clearHistory();

    /** Clears the screen, where there is a terminal. */
    void clearScreen();

    /** @return when the session started */
    Instant startedAt();

    /** @return the permissions of the session's account */
    Set<String> permissions();
}
