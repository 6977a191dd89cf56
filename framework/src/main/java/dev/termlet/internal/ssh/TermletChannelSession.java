package dev.termlet.internal.ssh;

import dev.termlet.WindowSize;
import java.io.IOException;
import java.util.Map;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.channel.PtyMode;
import org.apache.sshd.common.channel.RequestHandler;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.server.channel.ChannelSession;

/**
 * MINA's session channel with what Termlet needs from the pty and window-change requests: the pixel
 * sizes (MINA keeps only cells), sizes clamped to 1..1000, and window changes delivered straight to the
 * running session instead of through environment signals.
 */
public final class TermletChannelSession extends ChannelSession {

    /** Creates Termlet session channels; the only other channel type is direct-tcpip (see ForwardingRules). */
    public static final ChannelFactory FACTORY = new ChannelFactory() {
        @Override
        public String getName() {
            return "session";
        }

        @Override
        public org.apache.sshd.common.channel.Channel createChannel(Session session) {
            return new TermletChannelSession();
        }
    };

    private volatile WindowSize ptySize;
    private volatile String ptyTerm;
    private volatile Map<PtyMode, Integer> ptyModes;
    private volatile SessionCommand command;

    /** @return the size from the pty request (updated by window changes before the shell starts), or null */
    WindowSize ptySize() {
        return ptySize;
    }

    /** @return the terminal type from the pty request, or null without a pty */
    String ptyTerm() {
        return ptyTerm;
    }

    /** @return the modes from the pty request, or null */
    Map<PtyMode, Integer> ptyModes() {
        return ptyModes;
    }

    void command(SessionCommand command) {
        this.command = command;
    }

    /**
     * Ends the command's side of the channel with the exit status first, then EOF, then close. MINA sends EOF
     * first: a client whose own input had already ended (plink, dbclient, {@code ssh -n}) may answer that EOF
     * with its close before the exit status is written, and MINA then drops the status as the channel is
     * closing; the client reports 0 or no status at all.
     */
    @Override
    protected void closeShell(int exitValue, boolean closeImmediately) throws IOException {
        if (isClosing()) {
            commandExitFuture.setClosed();
            return;
        }
        try {
            if (out != null) {
                out.flush();
            }
            if (err != null) {
                err.flush();
            }
        } catch (IOException | RuntimeException e) {
            // the status still goes out; the output was lost with the transport
        }
        sendExitStatus(exitValue);
        if (out != null) {
            out.close();
        }
        sendEof();
        commandExitFuture.setClosed();
        close(closeImmediately);
    }

    /**
     * Takes the client's EOF once. Some clients send it twice on one channel (rclone does on each of its exec
     * commands); the second changes nothing, and MINA would log a WARN for it every time.
     */
    @Override
    public void handleEof() throws IOException {
        if (isEofSignalled()) {
            log.debug("handleEof({}) EOF again from the client; ignored", this);
            return;
        }
        super.handleEof();
    }

    @Override
    protected RequestHandler.Result handlePtyReqParsed(
            String term, int columns, int rows, int width, int height, Map<PtyMode, Integer> modes)
            throws IOException {
        if (ptyTerm != null) {
            return RequestHandler.Result.ReplyFailure;
        }
        WindowSize size = WindowSize.clamped(columns & 0xffffffffL, rows & 0xffffffffL, width & 0xffffffffL,
                height & 0xffffffffL);
        this.ptySize = size;
        this.ptyModes = Map.copyOf(modes);
        this.ptyTerm = term == null ? "" : term;
        return super.handlePtyReqParsed(term, size.columns(), size.rows(), size.pixelWidth(), size.pixelHeight(),
                modes);
    }

    @Override
    protected RequestHandler.Result handleWindowChangeParsed(int columns, int rows, int width, int height) {
        WindowSize size = WindowSize.clamped(columns & 0xffffffffL, rows & 0xffffffffL, width & 0xffffffffL,
                height & 0xffffffffL);
        SessionCommand c = command;
        if (c != null && c.started()) {
            c.resized(size);
        } else {
            ptySize = size;
        }
        return RequestHandler.Result.ReplySuccess;
    }
}
