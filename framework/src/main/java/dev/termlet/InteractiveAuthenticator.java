package dev.termlet;

import java.util.List;
import java.util.Objects;

/**
 * An {@link Authenticator} that leads keyboard-interactive logins itself, in as many rounds of questions as it
 * needs (RFC 4256): Termlet sends each round's questions to the client and hands its answers back, without holding
 * an I/O thread while either side thinks. The conversation's decision takes the place of
 * {@link #authenticate(AuthRequest)} for keyboard-interactive attempts (the {@code auth} handlers still come first
 * and the {@code auth-interactive} handlers still may refuse); other methods still go to {@code authenticate}.
 */
public interface InteractiveAuthenticator extends Authenticator {

    /**
     * Starts the conversation of one keyboard-interactive attempt. Runs on the auth executor.
     *
     * @param request the attempt, with no answers yet
     * @return the conversation; Termlet closes it when it ends, or when the client leaves or gives up on it
     * @throws Exception any failure, which counts as a denial and is logged
     */
    Conversation converse(AuthRequest request) throws Exception;

    /** The rounds of one keyboard-interactive attempt. Its methods are called one at a time, on the auth executor. */
    interface Conversation extends AutoCloseable {

        /**
         * Takes the answers to the previous round and says what comes next.
         *
         * @param answers null for the first round, else the client's answers in question order (as many as asked)
         * @return the next round's questions, or the decision
         * @throws Exception any failure, which counts as a denial and is logged
         */
        Round next(List<String> answers) throws Exception;

        /** Ends the conversation and frees what it holds; called once, however it ended. */
        @Override
        void close();
    }

    /**
     * One step of a conversation: questions to ask, or the decision.
     *
     * @param instruction the text shown above the questions (may be empty)
     * @param questions the questions (at most {@link #MAX_QUESTIONS}); empty when the conversation is decided
     * @param result the decision, or null while questions are asked
     */
    record Round(String instruction, List<Question> questions, AuthResult result) {
        /** The most questions one round may ask. */
        public static final int MAX_QUESTIONS = 64;

        /**
         * Checks that a round either asks or decides.
         *
         * @param instruction the text shown above the questions; null for none
         * @param questions the questions; null or empty when the round decides
         * @param result the decision, or null while questions are asked
         */
        public Round {
            questions = questions == null ? List.of() : List.copyOf(questions);
            instruction = instruction == null ? "" : instruction;
            if ((result == null) == questions.isEmpty()) {
                throw new IllegalArgumentException("a round asks questions or decides, not both or neither");
            }
            if (questions.size() > MAX_QUESTIONS) {
                throw new IllegalArgumentException("a round asks at most " + MAX_QUESTIONS + " questions");
            }
        }

        /**
         * A round of questions.
         *
         * @param instruction the text shown above them (may be empty)
         * @param questions at least one question
         * @return the round
         */
        public static Round ask(String instruction, List<Question> questions) {
            return new Round(instruction, Objects.requireNonNull(questions, "questions"), null);
        }

        /**
         * The end of the conversation.
         *
         * @param result the decision
         * @return the round
         */
        public static Round decide(AuthResult result) {
            return new Round("", List.of(), Objects.requireNonNull(result, "result"));
        }

        /** @return whether this round is the decision */
        public boolean decided() {
            return result != null;
        }
    }
}
