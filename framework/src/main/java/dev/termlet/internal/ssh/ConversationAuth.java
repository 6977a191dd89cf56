package dev.termlet.internal.ssh;

import dev.termlet.InteractiveAuthenticator;
import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.SshException;
import org.apache.sshd.server.auth.AbstractUserAuth;
import org.apache.sshd.server.auth.UserAuth;
import org.apache.sshd.server.auth.UserAuthFactory;
import org.apache.sshd.server.auth.keyboard.UserAuthKeyboardInteractiveFactory;
import org.apache.sshd.server.session.ServerSession;

/**
 * The server side of {@code keyboard-interactive} when the authenticator is an {@link InteractiveAuthenticator}:
 * any number of rounds of questions in one attempt. MINA's own method asks once and decides on the first answers;
 * here each round is worked out on the auth executor ({@link AuthBridge#converse}), which either sends the next
 * {@code SSH_MSG_USERAUTH_INFO_REQUEST} itself or answers the attempt.
 */
final class ConversationAuth extends AbstractUserAuth {
    private final AuthBridge bridge;
    /** The conversation of this attempt; closed by {@link #destroy()} when MINA drops the attempt. */
    final State state = new State();

    ConversationAuth(AuthBridge bridge) {
        super(UserAuthKeyboardInteractiveFactory.NAME);
        this.bridge = bridge;
    }

    /** @return a factory of this method for {@code SshServer.setUserAuthFactories} */
    static UserAuthFactory factory(AuthBridge bridge) {
        return new UserAuthFactory() {
            @Override
            public String getName() {
                return UserAuthKeyboardInteractiveFactory.NAME;
            }

            @Override
            public UserAuth createUserAuth(ServerSession session) {
                return new ConversationAuth(bridge);
            }
        };
    }

    @Override
    protected Boolean doAuth(org.apache.sshd.common.util.buffer.Buffer buffer, boolean init) throws Exception {
        ServerSession session = getServerSession();
        if (init) {
            buffer.getString(); // language tag
            buffer.getString(); // submethods
            return bridge.converse(session, getUsername(), state, null);
        }
        int cmd = buffer.getUByte();
        if (cmd != SshConstants.SSH_MSG_USERAUTH_INFO_RESPONSE) {
            throw new SshException("Received unexpected message: " + SshConstants.getCommandMessageName(cmd));
        }
        int num = buffer.getInt();
        if (num < 0 || num > InteractiveAuthenticator.Round.MAX_QUESTIONS) {
            state.drop();
            return false;
        }
        List<String> answers = new ArrayList<>(num);
        for (int i = 0; i < num; i++) {
            answers.add(buffer.getString());
        }
        if (!state.takeAnswers(num)) {
            // answers nobody asked for, or not as many as asked: the attempt fails
            state.drop();
            return false;
        }
        return bridge.converse(session, getUsername(), state, answers);
    }

    @Override
    public void destroy() {
        state.drop();
    }

    /** Where one attempt's conversation stands. */
    static final class State {
        private InteractiveAuthenticator.Conversation conversation;
        private boolean closed;
        private boolean dropped;
        private int asked = -1;
        /** Every answer so far, for the attempt the handlers and the account store see at the end. */
        final List<String> answers = new ArrayList<>();

        synchronized InteractiveAuthenticator.Conversation conversation() {
            return conversation;
        }

        /**
         * Keeps a new conversation, unless the attempt was dropped meanwhile (then it is closed at once).
         *
         * @return whether it was kept
         */
        synchronized boolean start(InteractiveAuthenticator.Conversation c) {
            if (closed) {
                c.close();
                return false;
            }
            conversation = c;
            return true;
        }

        /** Marks that a round of this many questions was sent: its answers are awaited. */
        synchronized void asked(int questions) {
            asked = questions;
        }

        /** @return whether answers were awaited and this many were asked for (then they are no longer awaited) */
        synchronized boolean takeAnswers(int count) {
            boolean ok = !closed && asked >= 0 && asked == count;
            asked = -1;
            return ok;
        }

        synchronized boolean closed() {
            return closed;
        }

        /** @return whether MINA has answered or forgotten this attempt, so that its decision must not be sent */
        synchronized boolean dropped() {
            return dropped;
        }

        /** Closes the conversation because MINA has answered or forgotten the attempt. */
        void drop() {
            synchronized (this) {
                dropped = true;
            }
            close();
        }

        /** Closes the conversation once; later steps of this attempt are dropped. */
        void close() {
            InteractiveAuthenticator.Conversation c;
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
                c = conversation;
                conversation = null;
            }
            if (c != null) {
                try {
                    c.close();
                } catch (RuntimeException e) {
                    // closing frees what it can; nothing more to do
                }
            }
        }
    }
}
