package dev.termlet.internal.ssh;

import java.io.IOException;
import org.apache.sshd.common.Service;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.SshException;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.server.session.AbstractServerSession;
import org.apache.sshd.server.session.ServerConnectionService;
import org.apache.sshd.server.session.ServerConnectionServiceFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code ssh-connection} service with an exact limit on the channels of one connection.
 *
 * <p>MINA SSHD 2.17 checks {@code MAX_CONCURRENT_CHANNELS} with {@code open > max} before registering a new
 * channel, so one channel more than the limit gets in, and the one after that fails with an exception that ends
 * the whole connection. Here a {@code SSH_MSG_CHANNEL_OPEN} is answered with {@code OPEN_RESOURCE_SHORTAGE}
 * once {@code max} channels are open, and the connection goes on. Channel opens of one connection are handled
 * one at a time (MINA decodes a session's packets under one lock), so the count cannot race with itself.
 */
final class ChannelLimit extends ServerConnectionServiceFactory {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelLimit.class);

    private final int max;

    /**
     * @param max the most channels open at once on one connection
     */
    ChannelLimit(int max) {
        this.max = max;
    }

    @Override
    public Service create(Session session) throws IOException {
        if (!(session instanceof AbstractServerSession)) {
            throw new SshException("not a server session: " + session);
        }
        Limited service = new Limited((AbstractServerSession) session, max);
        service.addPortForwardingEventListenerManager(this);
        return service;
    }

    /** The connection service of one session. */
    private static final class Limited extends ServerConnectionService {
        private final int max;

        Limited(AbstractServerSession session, int max) throws SshException {
            super(session);
            this.max = max;
        }

        @Override
        protected void channelOpen(Buffer buffer) throws Exception {
            int open = getChannels().size();
            if (open >= max && !isClosing()) {
                int start = buffer.rpos();
                String type = buffer.getString();
                long sender = buffer.getUInt();
                buffer.rpos(start);
                LOG.info("channel '{}' refused: {} channels already open on this connection", type, open);
                sendChannelOpenFailure(buffer, sender, SshConstants.SSH_OPEN_RESOURCE_SHORTAGE,
                        "too many channels on this connection (" + max + ")", "");
                return;
            }
            super.channelOpen(buffer);
        }
    }
}
