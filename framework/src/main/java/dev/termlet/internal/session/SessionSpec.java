package dev.termlet.internal.session;

import dev.termlet.Pty;
import dev.termlet.auth.Account;
import dev.termlet.terminal.internal.SessionInput;
import java.io.OutputStream;
import java.net.SocketAddress;

/**
 * What a channel asked for, as the transport hands it to a new session.
 *
 * @param id the session id
 * @param connectionId the connection id
 * @param user the authenticated user
 * @param account the user's account, or null
 * @param remote the client's address
 * @param commandLine the command for exec, or null for a shell
 * @param pty the pty request, or null
 * @param input the session input
 * @param out standard output of the channel
 * @param err standard error of the channel
 * @param environment the variables the client sent (unmodifiable)
 */
public record SessionSpec(
        String id,
        String connectionId,
        String user,
        Account account,
        SocketAddress remote,
        String commandLine,
        Pty pty,
        SessionInput input,
        OutputStream out,
        OutputStream err,
        java.util.Map<String, String> environment) {}
