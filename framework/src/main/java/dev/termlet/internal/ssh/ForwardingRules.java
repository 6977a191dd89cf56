package dev.termlet.internal.ssh;

import dev.termlet.auth.Account;
import dev.termlet.auth.Forwarding;
import dev.termlet.event.EventType;
import dev.termlet.event.Events;
import dev.termlet.event.ForwardRequest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Optional;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.server.forward.ForwardingFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides SSH TCP forwarding: refused unless the live account lists the kind ({@link Account#forwarding()}), then
 * the {@code open-forward-local} or {@code open-forward-remote} handlers may refuse each request. A remote
 * forwarding listens on the loopback interface only (as OpenSSH's {@code GatewayPorts no}); agent and X11
 * forwarding are always refused.
 */
final class ForwardingRules implements ForwardingFilter {
    private static final Logger LOG = LoggerFactory.getLogger(ForwardingRules.class);

    private final ServerRuntime runtime;

    ForwardingRules(ServerRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public boolean canForwardAgent(Session session, String requestType) {
        return false;
    }

    @Override
    public boolean canForwardX11(Session session, String requestType) {
        return false;
    }

    @Override
    public boolean canListen(SshdSocketAddress address, Session session) {
        if (!loopback(address.getHostName())) {
            LOG.info("remote forwarding on {} refused: only loopback addresses may listen", address);
            return false;
        }
        return allowed(session, Forwarding.REMOTE, Events.OPEN_FORWARD_REMOTE, address);
    }

    @Override
    public boolean canConnect(Type type, SshdSocketAddress address, Session session) {
        return type == Type.Direct && allowed(session, Forwarding.LOCAL, Events.OPEN_FORWARD_LOCAL, address);
    }

    static boolean loopback(String host) {
        return host.equalsIgnoreCase("localhost") || host.startsWith("127.") || host.equals("::1")
                || host.equals("0:0:0:0:0:0:0:1");
    }

    private boolean allowed(Session session, Forwarding kind, EventType event, SshdSocketAddress address) {
        Connection c = session.getAttribute(Connection.KEY);
        String user = c == null ? null : c.user();
        if (user == null) {
            return false;
        }
        Optional<Account> account;
        try {
            account = runtime.accounts().find(user);
        } catch (RuntimeException e) {
            LOG.warn("cannot read the account of {}; forwarding refused: {}", user, e.toString());
            return false;
        }
        if (account.isEmpty() || !account.get().enabled() || !account.get().forwarding().contains(kind)) {
            LOG.info("{} forwarding to {} refused to {}: not allowed for the account", kind.wireName(), address, user);
            return false;
        }
        if (!runtime.dispatcher().has(event)) {
            return true;
        }
        InetSocketAddress client = c.remote() instanceof InetSocketAddress ? (InetSocketAddress) c.remote() : null;
        try {
            boolean refused = runtime.fireBeforeSession(c, event, new ForwardRequest(kind, user, client,
                    address.getHostName(), address.getPort(), c.id())).refused();
            if (refused) {
                LOG.info("{} forwarding to {} refused to {} by a handler", kind.wireName(), address, user);
            }
            return !refused;
        } catch (IOException e) {
            LOG.warn("{}: {}; forwarding refused", event.name(), e.getMessage());
            return false;
        }
    }
}
