package dev.termlet.internal.ssh;

import dev.termlet.Pty;
import dev.termlet.WindowSize;
import dev.termlet.internal.session.ClientSession;
import dev.termlet.internal.session.SessionSpec;
import dev.termlet.terminal.internal.SessionInput;
import dev.termlet.terminal.internal.SessionTerminal;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.common.channel.PtyMode;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelDataReceiver;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.channel.ChannelSessionAware;
import org.apache.sshd.server.command.Command;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MINA SSHD command behind every shell and exec request: takes the channel's data directly (no pump
 * thread; the flow-control window re-opens as the session consumes input), and runs a
 * {@link ClientSession} on its own session thread.
 */
final class SessionCommand implements Command, ChannelSessionAware, ChannelDataReceiver {
    private static final Logger LOG = LoggerFactory.getLogger(SessionCommand.class);
    private static final AtomicInteger SESSIONS = new AtomicInteger();

    private final ServerRuntime runtime;
    private final String commandLine;
    private ChannelSession channel;
    private SessionInput input;
    private OutputStream out;
    private OutputStream err;
    private ExitCallback exit;
    private volatile ClientSession client;

    SessionCommand(ServerRuntime runtime, String commandLine) {
        this.runtime = runtime;
        this.commandLine = commandLine;
    }

    boolean started() {
        return client != null;
    }

    void resized(WindowSize size) {
        ClientSession c = client;
        if (c != null) {
            c.resized(size);
        }
    }

    @Override
    public void setChannelSession(ChannelSession session) {
        this.channel = session;
        this.input = new SessionInput(this::release, runtime.maxBufferedInput());
        session.setDataReceiver(this);
        if (session instanceof TermletChannelSession) {
            ((TermletChannelSession) session).command(this);
        }
    }

    private void release(int consumed) {
        try {
            channel.getLocalWindow().release(consumed);
        } catch (IOException | RuntimeException e) {
            LOG.debug("window adjust failed: {}", e.toString());
        }
    }

    @Override
    public int data(ChannelSession session, byte[] buf, int start, int len) throws IOException {
        ClientSession c = client;
        boolean accepted = c != null ? c.feed(buf, start, len) : input.feed(buf, start, len);
        if (!accepted && !input.isClosed()) {
            LOG.warn("client sent more input than the flow-control window allows; closing the channel");
            session.close(false);
        }
        return 0;
    }

    @Override
    public void close() {
        // end of input from the client (EOF) or channel close
        input.close();
    }

    @Override
    public void setInputStream(InputStream in) {
        // unused: input arrives through data()
    }

    @Override
    public void setOutputStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {
        this.err = err;
    }

    @Override
    public void setExitCallback(ExitCallback callback) {
        this.exit = callback;
    }

    @Override
    public void start(ChannelSession session, Environment env) throws IOException {
        Connection conn = Connection.of(session.getSession());
        String id = conn.id() + "-" + SESSIONS.incrementAndGet();
        Pty pty = null;
        if (session instanceof TermletChannelSession) {
            TermletChannelSession t = (TermletChannelSession) session;
            if (t.ptyTerm() != null) {
                Map<String, Integer> modes = new LinkedHashMap<>();
                Map<PtyMode, Integer> raw = t.ptyModes();
                if (raw != null) {
                    raw.forEach((k, v) -> modes.put(k.name(), v));
                }
                pty = new Pty(SessionTerminal.sanitiseType(t.ptyTerm()), t.ptySize(), modes);
            }
        }
        ClientSession c = new ClientSession(runtime, new SessionSpec(id, conn.id(), conn.user(), conn.account(),
                conn.remote(), commandLine, pty, input, out, err, environment(env)));
        runtime.sessionStarted(c);
        client = c;
        try {
            runtime.sessionThreads().start(() -> {
                try {
                    c.run();
                } finally {
                    try {
                        exit.onExit(c.exitStatus());
                    } catch (RuntimeException e) {
                        LOG.debug("exit after close: {}", e.toString());
                    }
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            runtime.sessionEnded(c, 1);
            throw new IOException("the server is stopping", e);
        }
    }

    /** The client's variables, without TERM (the PTY's) and bounded: 64 names, 4 KiB each. */
    private static Map<String, String> environment(Environment env) {
        Map<String, String> out = new LinkedHashMap<>();
        if (env != null && env.getEnv() != null) {
            for (Map.Entry<String, String> e : env.getEnv().entrySet()) {
                if (out.size() >= 64) {
                    break;
                }
                String k = e.getKey();
                String v = e.getValue();
                if (k != null && v != null && !k.equals(Environment.ENV_TERM) && !k.equals("COLUMNS")
                        && !k.equals("LINES") && k.length() <= 256 && v.length() <= 4096) {
                    out.put(k, v);
                }
            }
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    @Override
    public void destroy(ChannelSession session) {
        ClientSession c = client;
        if (c != null) {
            c.close();
        } else {
            input.close();
        }
    }
}
