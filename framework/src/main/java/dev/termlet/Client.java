package dev.termlet;

import dev.termlet.auth.Account;
import java.net.SocketAddress;
import java.util.Map;
import java.util.Optional;
import org.jline.terminal.Terminal;

/**
 * One client session as handlers see it: who is connected, the terminal, output and input.
 *
 * <p>Output methods write whole (nothing is cut, however large) and turn each {@code \n} into
 * {@code \r\n} exactly once on a PTY. They may be called from any thread; while the session is editing a
 * line, output from other threads is printed above the line being edited without disturbing it.
 * Input methods ({@link #readLine}, {@link #readPassword}, {@link #ask}) may be called only from this
 * session's own handlers.
 */
public interface Client {

    /** @return the authenticated user name */
    String user();

    /**
     * @return the user's account as the store holds it now (read on each call, so changes apply at once), if the
     *     store knows them (external auth may admit others)
     */
    Optional<Account> account();

    /** @return a unique id of this session (one SSH channel), also in the log MDC as {@code session} */
    String sessionId();

    /** @return the id of the SSH connection this session runs on (the session's own id on the local console) */
    String connectionId();

    /**
     * @return the client's address; on the local console ({@link TermletServer#runLocal()}) an address that reads
     *     {@code local console} and is no {@link java.net.InetSocketAddress}
     */
    SocketAddress remoteAddress();

    /**
     * The environment the client sent ({@code SendEnv} in OpenSSH, {@code env} requests), as PyserSSH's
     * {@code client.env}; {@code TERM} is in {@link #terminalType()}, not here.
     *
     * On the local console ({@code runLocal()}) it holds {@code LANG} and {@code LC_*} of the process, what
     * OpenSSH's default {@code SendEnv} passes.
     *
     * @return the variables, unmodifiable (empty when none)
     */
    default Map<String, String> environment() {
        return Map.of();
    }

    /** @return whether the client asked for a pseudo-terminal */
    boolean hasPty();

    /** @return the pty request, if there was one */
    Optional<Pty> pty();

    /** @return the terminal type ({@code TERM}), {@code "dumb"} without a PTY */
    String terminalType();

    /** @return the current terminal size ({@link WindowSize#DEFAULT} without a PTY) */
    WindowSize size();

    /**
     * Writes text as it is (on a PTY with {@code \n} turned into {@code \r\n}) and flushes.
     *
     * @param text the text; {@code String.valueOf} is used for non-strings
     */
    void print(Object text);

    /**
     * Writes text and a line end, and flushes.
     *
     * @param text the text
     */
    void println(Object text);

    /** Writes a line end and flushes. */
    void println();

    /**
     * Writes to the error stream: stderr for exec sessions, the terminal for shells.
     *
     * @param text the text, followed by a line end
     */
    void eprintln(Object text);

    /**
     * Reads one line with the line editor (history, editing keys), showing a prompt.
     *
     * @param prompt the prompt
     * @return the line, or null when the client ended input (Ctrl-D, EOF) or closed
     */
    String readLine(String prompt);

    /**
     * Reads a secret without echo; it is not added to history.
     *
     * @param prompt the prompt
     * @return the secret, or null when the client ended input
     */
    String readPassword(String prompt);

    /**
     * Asks a question and returns the answer, or a default on an empty answer.
     *
     * @param question the question, shown as the prompt
     * @param defaultAnswer returned when the answer is empty or input ended
     * @return the answer
     */
    String ask(String question, String defaultAnswer);

    /**
     * Changes this session's prompt from now on.
     *
     * @param prompt the new prompt
     */
    void prompt(String prompt);

    /** @return the current prompt */
    String prompt();

    /**
     * A per-session attribute.
     *
     * @param name the attribute name
     * @return the value, or null
     */
    Object attribute(String name);

    /**
     * Sets a per-session attribute; null removes it.
     *
     * @param name the attribute name
     * @param value the value
     */
    void attribute(String name, Object value);

    /** @return the live, thread-safe map of per-session attributes */
    Map<String, Object> attributes();

    /**
     * The session's JLine terminal, for full-screen use; absent without a PTY.
     *
     * @return the terminal
     */
    Optional<Terminal> terminal();

    /** Ends the session: {@code disconnected} fires, then the channel closes with exit status 0. */
    void close();

    /**
     * Ends the session with an exit status.
     *
     * @param exitStatus the status sent to the client
     */
    void close(int exitStatus);

    /** @return whether the session is still open */
    boolean isOpen();

    /**
     * The node of a cluster this session runs on, when it is another node's: such a session (listed by
     * {@link TermletServer#sessions()} with termlet-cluster) supports only what its node can do for it at a distance,
     * see termlet-cluster's {@code Cluster}.
     *
     * @return the other node's name, or empty for a session of this server
     */
    default Optional<String> node() {
        return Optional.empty();
    }
}
