package dev.termlet.fileops;

import dev.termlet.AuthRequest;
import dev.termlet.AuthResult;
import dev.termlet.Authenticator;
import dev.termlet.InteractiveAuthenticator;
import dev.termlet.spi.ExtensionContext;
import dev.termlet.spi.ServerExtension;
import java.io.IOException;
import java.util.List;

/**
 * Several authenticators asked in order, as SFTPGo chains its hooks: the first answer other than
 * {@link AuthResult#DEFER} decides; when all defer, the account store does. With a keyboard-interactive hook in
 * the chain, a keyboard-interactive attempt first asks the others (with no answers: SFTPGo's external auth then
 * gets {@code SFTPGO_AUTHD_KEYBOARD_INTERACTIVE=1} and may create or update the user); a denial ends it, else the
 * hook's conversation decides.
 */
class ChainedAuth implements Authenticator, ServerExtension {
    final List<Authenticator> chain;

    ChainedAuth(List<Authenticator> chain) {
        this.chain = List.copyOf(chain);
    }

    /**
     * Chains authenticators.
     *
     * @param chain the authenticators, in order
     * @return the chain; keyboard-interactive capable if one of them is
     * @throws IllegalArgumentException for none, or more than one keyboard-interactive hook
     */
    static Authenticator of(List<Authenticator> chain) {
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("chain at least one authenticator");
        }
        long interactive = chain.stream().filter(a -> a instanceof InteractiveAuthenticator).count();
        if (interactive > 1) {
            throw new IllegalArgumentException("a chain has at most one keyboard-interactive hook");
        }
        return interactive == 1 ? new Interactive(chain) : new ChainedAuth(chain);
    }

    @Override
    public void configure(ExtensionContext context) throws IOException {
        for (Authenticator a : chain) {
            if (a instanceof ServerExtension) {
                ((ServerExtension) a).configure(context);
            }
        }
    }

    @Override
    public AuthResult authenticate(AuthRequest request) throws Exception {
        for (Authenticator a : chain) {
            AuthResult r = a.authenticate(request);
            if (r != null && r != AuthResult.DEFER) {
                return r;
            }
        }
        return AuthResult.DEFER;
    }

    /** A chain that leads keyboard-interactive logins through its one {@link InteractiveAuthenticator}. */
    private static final class Interactive extends ChainedAuth implements InteractiveAuthenticator {
        Interactive(List<Authenticator> chain) {
            super(chain);
        }

        @Override
        public Conversation converse(AuthRequest request) throws Exception {
            InteractiveAuthenticator leader = null;
            for (Authenticator a : chain) {
                if (a instanceof InteractiveAuthenticator) {
                    leader = (InteractiveAuthenticator) a;
                } else if (a.authenticate(request) == AuthResult.DENY) {
                    return new Conversation() {
                        @Override
                        public Round next(List<String> answers) {
                            return Round.decide(AuthResult.DENY);
                        }

                        @Override
                        public void close() {
                            // nothing held
                        }
                    };
                }
            }
            return leader.converse(request);
        }
    }
}
