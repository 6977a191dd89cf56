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
 */
public final class ClosedWrites extends IoFilterAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ClosedWrites.class);

    /** Makes the filter; one per control connection. */
    public ClosedWrites() {
        // no state
    }

    @Override
    public void exceptionCaught(NextFilter next, IoSession session, Throwable cause) throws Exception {
        if (cause instanceof WriteToClosedSessionException) {
            LOG.debug("FTP client closed the connection before the last reply: {}", cause.toString());
            session.closeNow();
            return;
        }
        next.exceptionCaught(session, cause);
    }
}
