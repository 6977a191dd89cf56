package dev.termlet.internal.session;

import dev.termlet.Pty;
import dev.termlet.WindowSize;
import dev.termlet.event.EventType;
import dev.termlet.event.Events;
import dev.termlet.event.Outcome;
import dev.termlet.internal.dispatch.Dispatcher;
import dev.termlet.internal.dispatch.EventValues;
import dev.termlet.terminal.Key;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jline.reader.Candidate;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raises the events of one session: synchronous handlers on the calling thread, asynchronous ones on the
 * connection's ordered queue; a handler that throws raises {@code error} (or the client is told).
 */
final class SessionEvents {
    private static final Logger LOG = LoggerFactory.getLogger(SessionEvents.class);

    private final SessionHost host;
    private final ClientSession session;

    SessionEvents(SessionHost host, ClientSession session) {
        this.host = host;
        this.session = session;
    }

    /**
     * Fires an event.
     *
     * @param type the event
     * @param map the values as PyserSSH's dictionary, for handlers that take one, or null
     * @param values the values, in the type's order
     * @return what the synchronous handlers decided
     */
    Outcome fire(EventType type, Supplier<Map<String, Object>> map, Object... values) {
        Dispatcher d = host.dispatcher();
        if (!d.has(type)) {
            return d.fire(EventValues.of(type, values), null);
        }
        EventValues v = map != null ? EventValues.withMap(type, map, values) : EventValues.of(type, values);
        return d.fire(v, host.asyncExecutor(session.connectionId()));
    }

    /** Fires an event and raises {@code error} for each handler that threw. */
    Outcome fireReporting(EventType type, Supplier<Map<String, Object>> map, Object... values) {
        Outcome o = fire(type, map, values);
        for (Outcome.Failure f : o.failures()) {
            reportError(f.error());
        }
        return o;
    }

    /** @return whether any handler listens to an event */
    boolean has(EventType type) {
        return host.dispatcher().has(type);
    }

    /**
     * Raises {@code error} for a handler's failure, or tells the client when nothing listens; a failure caused by
     * the client leaving is only logged.
     *
     * @param error what the handler threw
     */
    void reportError(Throwable error) {
        if (session.inputClosed() && causedBy(error, IOException.class)) {
            LOG.debug("handler ended because the client left: {}", error.toString());
            return;
        }
        if (has(Events.ERROR)) {
            fire(Events.ERROR, null, session, error);
        } else if (session.isOpen()) {
            session.eprintln("Error: " + error.getClass().getSimpleName()
                    + (error.getMessage() != null ? ": " + error.getMessage() : ""));
        }
    }

    private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    /** Raises {@code rawtype} and, for a character, {@code type}, for a key the line reader read. */
    void key(Key key) {
        if (has(Events.RAWTYPE)) {
            fireReporting(Events.RAWTYPE, null, session, key, key.bytes(), key.sequence());
        }
        if (key.isCharacter() && has(Events.TYPE)) {
            fireReporting(Events.TYPE, null, session, key, key.text());
        }
    }

    /** Offers the candidates that {@code complete} handlers return. */
    void complete(LineReader r, ParsedLine line, List<Candidate> candidates) {
        if (!has(Events.COMPLETE)) {
            return;
        }
        String upToCursor = line.line().substring(0, Math.min(line.cursor(), line.line().length()));
        Outcome o = fireReporting(Events.COMPLETE, null, session, upToCursor);
        if (o.result() instanceof List) {
            for (Object c : (List<?>) o.result()) {
                if (c != null) {
                    candidates.add(new Candidate(c.toString()));
                }
            }
        }
    }

    /** @return the values of {@code connectpty} as PyserSSH's dictionary */
    static Map<String, Object> ptyMap(Pty pty) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("term", pty.term());
        m.putAll(sizeMap(pty.size()));
        m.put("modes", new LinkedHashMap<>(pty.modes()));
        return m;
    }

    /** @return a window size as PyserSSH's dictionary */
    static Map<String, Object> sizeMap(WindowSize s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("width", s.columns());
        m.put("height", s.rows());
        m.put("pixelwidth", s.pixelWidth());
        m.put("pixelheight", s.pixelHeight());
        return m;
    }
}
