package dev.termlet.internal.ssh;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.common.Service;
import org.apache.sshd.common.auth.AbstractUserAuthServiceFactory;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.server.session.ServerUserAuthService;

/**
 * MINA's user-auth service that first notes on the {@link Connection} which user each request names, so that the
 * log lines of the attempt, written on the auth executor before anyone has authenticated, carry {@code user} in
 * their MDC beside {@code connection} and {@code remote}.
 */
final class AttemptNaming extends ServerUserAuthService {

    /** Makes the service for each connection; it replaces MINA's {@code ServerUserAuthServiceFactory}. */
    static final AbstractUserAuthServiceFactory FACTORY = new AbstractUserAuthServiceFactory() {
        @Override
        public Service create(Session session) throws IOException {
            return new AttemptNaming(session);
        }
    };

    private AttemptNaming(Session session) throws IOException {
        super(session);
    }

    @Override
    protected boolean handleUserAuthRequestMessage(ServerSession session, Buffer buffer,
            AtomicReference<Boolean> authHolder) throws Exception {
        Connection c = session.getAttribute(Connection.KEY);
        if (c != null && !session.isAuthenticated()) {
            int start = buffer.rpos();
            try {
                c.attempting(buffer.getString());
            } catch (RuntimeException malformed) {
                // MINA reads the request again just below and answers a malformed one itself
            } finally {
                buffer.rpos(start);
            }
        }
        return super.handleUserAuthRequestMessage(session, buffer, authHolder);
    }
}
