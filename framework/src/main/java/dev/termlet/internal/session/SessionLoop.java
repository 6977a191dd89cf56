package dev.termlet.internal.session;

import dev.termlet.auth.Account;
import dev.termlet.event.Events;
import dev.termlet.event.Outcome;
import dev.termlet.protector.Addresses;
import dev.termlet.protector.Strike;
import java.io.IOError;
import java.io.IOException;
import org.jline.reader.EndOfFileException;
import org.jline.reader.UserInterruptException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a session does on its own thread: a shell (banner, {@code connect}, then a line at a time until the input
 * ends) or one exec command, each line through the commands and then the {@code command} handlers.
 */
final class SessionLoop {
    private static final Logger LOG = LoggerFactory.getLogger(SessionLoop.class);

    private final SessionHost host;
    private final ClientSession session;
    private final SessionIo io;
    private final SessionEvents events;
    private int editorFaults;

    SessionLoop(SessionHost host, ClientSession session, SessionIo io, SessionEvents events) {
        this.host = host;
        this.session = session;
        this.io = io;
        this.events = events;
    }

    /** Runs a shell until its input ends, the idle limit passes or the session is closed. */
    void shell() {
        Outcome pre = events.fire(Events.PRE_SHELL, null, session);
        if (pre.refused()) {
            session.eprintln(refusal("Shell refused", pre.reason()));
            session.exitStatus(1);
            return;
        }
        Account account = session.loginAccount();
        String banner = account != null && account.banner() != null ? account.banner() : host.settings().banner();
        if (banner != null && !banner.isEmpty()) {
            session.print(banner.endsWith("\n") ? banner : banner + "\n");
        }
        session.markStarted();
        events.fireReporting(Events.CONNECT, null, session);
        Character mask = account == null || account.echo() ? null : (Character) '\0';
        while (session.isOpen()) {
            io.input().runTasks();
            String line;
            try {
                line = io.readLine(session.prompt(), mask);
                if (line == SessionIo.TOO_LONG) {
                    session.println("Line too long (over " + io.maxLineLength() + " characters); ignored.");
                    continue;
                }
            } catch (UserInterruptException e) {
                Thread.interrupted();
                if (io.input().idleExpired()) {
                    timeout();
                    return;
                }
                continue;
            } catch (EndOfFileException e) {
                return;
            } catch (IOException | IOError e) {
                if (io.input().idleExpired()) {
                    timeout();
                } else if (session.isOpen()) {
                    LOG.debug("input ended: {}", e.toString());
                }
                return;
            } catch (RuntimeException e) {
                // a fault in the line editor must not end the session: log it and give a fresh prompt
                if (io.input().isClosed() || ++editorFaults > 20) {
                    LOG.warn("line editor failed; ending the session", e);
                    return;
                }
                LOG.warn("line editor failed; continuing with a fresh prompt", e);
                Thread.interrupted();
                continue;
            }
            editorFaults = 0;
            if (line == null || !session.isOpen()) {
                return;
            }
            if (!line.isBlank()) {
                line(line);
            }
        }
    }

    private void timeout() {
        LOG.info("idle timeout");
        events.fireReporting(Events.TIMEOUT, null, session);
        session.println("Idle timeout: session closed.");
    }

    /**
     * Runs one exec command: {@code open-exec} may refuse it, {@code exec} handlers take it whole, else it runs as
     * a line.
     *
     * @param commandLine the command
     */
    void exec(String commandLine) {
        Outcome pre = events.fire(Events.OPEN_EXEC, null, session, commandLine);
        if (pre.refused()) {
            session.eprintln(refusal("Command refused", pre.reason()));
            session.exitStatus(126);
            return;
        }
        session.markStarted();
        if (events.has(Events.EXEC)) {
            Outcome o = events.fireReporting(Events.EXEC, null, session, commandLine);
            if (o.result() instanceof Integer) {
                session.exitStatus((Integer) o.result());
            } else if (!o.failures().isEmpty()) {
                session.exitStatus(1);
            }
            return;
        }
        session.exitStatus(line(commandLine));
    }

    /**
     * Runs one line: built-in and {@code @Command} commands first, then the {@code command} handlers.
     *
     * @return the exit status: the command's, 0 or 1 for handlers, 127 when nothing took the line
     */
    private int line(String line) {
        Integer status = host.commands().dispatch(session, line);
        if (status != null) {
            return status;
        }
        if (events.has(Events.COMMAND)) {
            Outcome o = events.fireReporting(Events.COMMAND, null, session, line);
            return o.failures().isEmpty() ? 0 : 1;
        }
        if (session.remoteAddress() instanceof java.net.InetSocketAddress) { // the local console has no address
            host.protector().strike(Addresses.host(session.remoteAddress()), Strike.Kind.UNKNOWN_COMMAND,
                    session.user());
        }
        String word = line.strip().split("[ \t]+", 2)[0];
        session.eprintln(word + ": unknown command."
                + (host.commands().names().contains("help") ? " Type 'help' for a list." : ""));
        return 127;
    }

    private String refusal(String what, String reason) {
        return host.settings().showRefusalReasons() && reason != null ? what + ": " + reason : what + ".";
    }
}
