package dev.termlet.fileops.internal.ftp;

import org.apache.mina.core.filterchain.IoFilterAdapter;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.core.write.WriteToClosedSessionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the writes that find an FTP control connection already closed by its client (a client that sends
 * {@code QUIT} and closes without reading the reply): they are normal, so they are logged at DEBUG and the session
 * is closed, instead of reaching Apache FtpServer, which logs each at WARN.
 *
 * <p>As the first filter it sees those failures while the session's filters are in place, before FtpServer's
 * logging filter (which logs every exception at WARN). A failure reported after the session has closed (a TLS
 * {@code close_notify} still queued when MINA has already cleared the chain) goes straight to FtpServer's handler,
 * so {@link #quiet} also wraps that handler; both take it the same way.
 */
public final class ClosedWrites extends IoFilterAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ClosedWrites.class);

    /** Makes the filter; one per control connection. */
    public ClosedWrites() {
        // no state
    }

    @Override
    public void exceptionCaught(NextFilter next, IoSession session, Throwable cause) throws Exception {
        if (!tookClosedWrite(session, cause)) {
            next.exceptionCaught(session, cause);
        }
    }

    /** Closes the session and logs at DEBUG when the failure is a write that found it closed; else false. */
    private static boolean tookClosedWrite(IoSession session, Throwable cause) {
        if (!(cause instanceof WriteToClosedSessionException)) {
            return false;
        }
        LOG.debug("FTP client closed the connection before the last reply: {}", cause.toString());
        session.closeNow();
        return true;
    }

    /**
     * Wraps an FtpServer listener's protocol handler so that a write found closed is logged at DEBUG there too.
     * FtpServer has no setting for the handler: it is replaced in the listener's field before the listener starts.
     * Where that field is not there (another FtpServer version), nothing changes but the log level of that line.
     *
     * @param listener the listener, not started
     */
    public static void quiet(org.apache.ftpserver.listener.Listener listener) {
        try {
            java.lang.reflect.Field f = listener.getClass().getDeclaredField("handler");
            f.setAccessible(true);
            Object h = f.get(listener);
            if (h instanceof org.apache.ftpserver.impl.FtpHandler && !(h instanceof QuietHandler)) {
                f.set(listener, new QuietHandler((org.apache.ftpserver.impl.FtpHandler) h));
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("FtpServer's handler left as it is ({}): a write found closed after the session ends is logged"
                    + " at WARN", e.toString());
        }
    }

    /** FtpServer's handler, with writes found closed taken at DEBUG. */
    static final class QuietHandler implements org.apache.ftpserver.impl.FtpHandler {
        private final org.apache.ftpserver.impl.FtpHandler next;

        QuietHandler(org.apache.ftpserver.impl.FtpHandler next) {
            this.next = next;
        }

        @Override
        public void init(org.apache.ftpserver.impl.FtpServerContext context,
                org.apache.ftpserver.listener.Listener listener) {
            next.init(context, listener);
        }

        @Override
        public void sessionCreated(org.apache.ftpserver.impl.FtpIoSession session) throws Exception {
            next.sessionCreated(session);
        }

        @Override
        public void sessionOpened(org.apache.ftpserver.impl.FtpIoSession session) throws Exception {
            next.sessionOpened(session);
        }

        @Override
        public void sessionClosed(org.apache.ftpserver.impl.FtpIoSession session) throws Exception {
            next.sessionClosed(session);
        }

        @Override
        public void sessionIdle(org.apache.ftpserver.impl.FtpIoSession session,
                org.apache.mina.core.session.IdleStatus status) throws Exception {
            next.sessionIdle(session, status);
        }

        @Override
        public void exceptionCaught(org.apache.ftpserver.impl.FtpIoSession session, Throwable cause)
                throws Exception {
            if (!tookClosedWrite(session, cause)) {
                next.exceptionCaught(session, cause);
            }
        }

        @Override
        public void messageReceived(org.apache.ftpserver.impl.FtpIoSession session,
                org.apache.ftpserver.ftplet.FtpRequest request) throws Exception {
            next.messageReceived(session, request);
        }

        @Override
        public void messageSent(org.apache.ftpserver.impl.FtpIoSession session,
                org.apache.ftpserver.ftplet.FtpReply reply) throws Exception {
            next.messageSent(session, reply);
        }
    }
}
