package dev.termlet.web.internal.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.termlet.AuthRequest;
import dev.termlet.Client;
import dev.termlet.auth.Account;
import dev.termlet.event.ConnectionClosed;
import dev.termlet.event.ConnectionOpened;
import dev.termlet.event.EventKind;
import dev.termlet.event.EventRegistry;
import dev.termlet.event.EventType;
import dev.termlet.event.Events;
import dev.termlet.fileops.FileEvent;
import dev.termlet.protector.Ban;
import dev.termlet.protector.Strike;
import dev.termlet.spi.ExtensionContext;
import dev.termlet.web.internal.Http;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.IteratingCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's events as server-sent events ({@code text/event-stream}), one JSON object per event. It listens,
 * asynchronously, to every event type of kind POST in the registry (connections, logins, the protector, accounts,
 * file operations) and to {@code connect}, {@code connectsftp} and {@code disconnected}; never to events that carry
 * keystrokes or command lines, nor to the PRE events that decide something. A listener only turns the event into
 * JSON once and offers it to each client's bounded queue: a client whose queue is full is dropped, so a slow client
 * never holds up the server. Each client gets a comment line as heartbeat every {@code heartbeat}.
 */
final class EventStream implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventStream.class);
    /** The most events queued for one client before it is dropped. */
    static final int BUFFER = 1024;

    private final Set<Subscriber> subscribers = new CopyOnWriteArraySet<>();
    private final AtomicLong ids = new AtomicLong();
    private final ScheduledExecutorService heartbeats;
    private final List<String> types = new ArrayList<>();

    /**
     * Subscribes to the server's events.
     *
     * @param context the server
     * @param heartbeat how often a comment line is sent to each client
     */
    EventStream(ExtensionContext context, Duration heartbeat) {
        List<EventType> all = new ArrayList<>();
        for (EventType t : EventRegistry.standard().all()) {
            if (t.kind() == EventKind.POST || t == Events.CONNECT || t == Events.CONNECT_SFTP
                    || t == Events.DISCONNECTED) {
                all.add(t);
            }
        }
        for (EventType t : all) {
            types.add(t.name());
            context.on(t, true, this::onEvent);
        }
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "termlet-web-sse");
            t.setDaemon(true);
            return t;
        });
        long ms = heartbeat.toMillis();
        heartbeats.scheduleWithFixedDelay(() -> offerAll(null, bytes(": heartbeat\n\n")), ms, ms,
                TimeUnit.MILLISECONDS);
    }

    /** @return the names of the event types streamed */
    List<String> types() {
        return List.copyOf(types);
    }

    private Object onEvent(EventType type, Object[] values) {
        if (subscribers.isEmpty()) {
            return null;
        }
        long id = ids.incrementAndGet();
        ObjectNode n = toJson(type, values);
        n.put("id", id);
        String chunk = "id: " + id + "\ndata: " + n + "\n\n";
        offerAll(type.name(), bytes(chunk));
        return null;
    }

    private void offerAll(String type, ByteBuffer chunk) {
        for (Subscriber s : subscribers) {
            if (!s.allowed()) {
                LOG.info("ending an event-stream client: its API key was revoked or its account is no admin now");
                s.end("access revoked");
                continue;
            }
            if (type == null || s.types == null || s.types.contains(type)) {
                s.offer(chunk.duplicate());
            }
        }
    }

    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer();
    }

    /**
     * An event as JSON: its type, time, and the fields of its values that are safe to show (never a password, a key,
     * a file's place on the server's disk, or what a user typed).
     */
    static ObjectNode toJson(EventType type, Object[] values) {
        ObjectNode n = Http.JSON.createObjectNode();
        n.put("type", type.name());
        n.put("time", Instant.now().toString());
        for (Object v : values) {
            if (v instanceof FileEvent) {
                FileEvent e = (FileEvent) v;
                ObjectNode f = n.putObject("file");
                f.put("user", e.user());
                f.put("protocol", e.protocol().name());
                f.put("remote", remote(e.remoteAddress()));
                f.put("sessionId", e.sessionId());
                f.put("path", e.path());
                f.put("target", e.target());
                f.put("size", e.size());
                f.put("directory", e.directory());
                f.put("status", e.status());
                f.put("elapsedMillis", e.elapsed() == null ? 0 : e.elapsed().toMillis());
            } else if (v instanceof AuthRequest) {
                AuthRequest r = (AuthRequest) v;
                ObjectNode a = n.putObject("auth");
                a.put("user", r.user());
                a.put("method", r.method() == null ? null : r.method().wireName());
                a.put("protocol", r.protocol());
                a.put("remote", remote(r.remoteAddress()));
                a.put("connectionId", r.connectionId());
            } else if (v instanceof ConnectionClosed) {
                ConnectionClosed c = (ConnectionClosed) v;
                n.putObject("connection").put("remote", remote(c.address())).put("user", c.user())
                        .put("protocol", c.protocol()).put("durationMillis", c.duration().toMillis());
            } else if (v instanceof ConnectionOpened) {
                ConnectionOpened c = (ConnectionOpened) v;
                n.putObject("connection").put("remote", remote(c.address())).put("protocol", c.protocol());
            } else if (v instanceof Strike) {
                Strike s = (Strike) v;
                n.putObject("strike").put("address", s.address()).put("kind", s.kind().name().toLowerCase(
                        java.util.Locale.ROOT)).put("points", s.points()).put("score", s.score()).put("user", s.user());
            } else if (v instanceof Ban) {
                Ban b = (Ban) v;
                n.set("ban", AdminRoute.banJson(b));
            } else if (v instanceof Account) {
                Account a = (Account) v;
                n.putObject("account").put("name", a.name()).put("enabled", a.enabled());
            } else if (v instanceof Client) {
                Client c = (Client) v;
                n.putObject("session").put("user", c.user()).put("sessionId", c.sessionId())
                        .put("connectionId", c.connectionId()).put("remote", remote(c.remoteAddress()));
            }
        }
        return n;
    }

    private static String remote(SocketAddress a) {
        if (a instanceof InetSocketAddress) {
            InetSocketAddress i = (InetSocketAddress) a;
            String host = i.getAddress() != null ? i.getAddress().getHostAddress() : i.getHostString();
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + i.getPort();
        }
        return a == null ? null : a.toString();
    }

    /**
     * Streams to one client until it leaves, is dropped, or the server stops.
     *
     * @param response the response (headers not yet sent)
     * @param done the request's callback, completed when the stream ends
     * @param only the event names the client wants, or null for all
     * @param allowed whether the client may still have events (asked before each event and heartbeat; false ends
     *     the stream)
     */
    void subscribe(Response response, Callback done, Set<String> only, java.util.function.BooleanSupplier allowed) {
        response.setStatus(200);
        response.getHeaders().put("Content-Type", "text/event-stream; charset=utf-8");
        response.getHeaders().put("X-Accel-Buffering", "no");
        Subscriber s = new Subscriber(response, done, only, allowed);
        subscribers.add(s);
        // the first bytes send the headers: the client knows it is subscribed
        s.offer(bytes("retry: 3000\n: subscribed\n\n"));
    }

    /** @return the clients now streaming */
    int subscribers() {
        return subscribers.size();
    }

    @Override
    public void close() {
        heartbeats.shutdownNow();
        for (Subscriber s : subscribers) {
            s.end("the server is stopping");
        }
    }

    /** One client: its bounded queue, written one chunk at a time. */
    private final class Subscriber extends IteratingCallback {
        private final Response response;
        private final Callback done;
        private final Set<String> types;
        private final java.util.function.BooleanSupplier allowed;
        private final ArrayBlockingQueue<ByteBuffer> queue = new ArrayBlockingQueue<>(BUFFER);
        private volatile String ended;

        Subscriber(Response response, Callback done, Set<String> types, java.util.function.BooleanSupplier allowed) {
            this.response = response;
            this.done = done;
            this.types = types;
            this.allowed = allowed;
        }

        boolean allowed() {
            try {
                return allowed.getAsBoolean();
            } catch (RuntimeException e) {
                return false;
            }
        }

        void offer(ByteBuffer chunk) {
            if (ended != null) {
                return;
            }
            if (!queue.offer(chunk)) {
                LOG.info("dropping an event-stream client: it read too slowly ({} events queued)", BUFFER);
                end("too slow");
                return;
            }
            iterate();
        }

        void end(String why) {
            ended = why;
            subscribers.remove(this);
            queue.clear();
            iterate();
        }

        @Override
        protected Action process() {
            if (ended != null) {
                return Action.SUCCEEDED;
            }
            ByteBuffer b = queue.poll();
            if (b == null) {
                return Action.IDLE;
            }
            response.write(false, b, this);
            return Action.SCHEDULED;
        }

        @Override
        protected void onCompleteSuccess() {
            response.write(true, bytes(": closed: " + ended + "\n\n"), done);
        }

        @Override
        protected void onCompleteFailure(Throwable cause) {
            // the client went away
            subscribers.remove(this);
            done.failed(cause);
        }
    }
}
