package dev.termlet.internal.session;

import dev.termlet.internal.Settings;
import dev.termlet.internal.dispatch.Dispatcher;
import java.nio.file.Path;
import java.util.concurrent.Executor;

/** What a session needs from the server that runs it. */
public interface SessionHost {

    /** @return the server's settings */
    Settings settings();

    /** @return the event dispatcher */
    Dispatcher dispatcher();

    /** @return the protector */
    dev.termlet.protector.Protector protector();

    /** @return the command dispatcher */
    dev.termlet.internal.command.CommandDispatcher commands();

    /**
     * The ordered executor for a connection's asynchronous events.
     *
     * @param connectionId the connection
     * @return the executor, or null to run inline
     */
    Executor asyncExecutor(String connectionId);

    /**
     * Where a user's line history is kept.
     *
     * @param user the user
     * @return the file, or null for no history file
     */
    Path historyFile(String user);

    /**
     * Called when a session has been made, before it runs: the server lists it among its sessions from now on.
     *
     * @param session the session
     */
    void sessionStarted(ClientSession session);

    /**
     * Called on the session thread when a session has ended and fired its last event.
     *
     * @param session the session
     * @param exitStatus its exit status
     */
    void sessionEnded(ClientSession session, int exitStatus);
}
