package dev.termlet;

/**
 * Thrown by a handler of a refusable event to refuse the operation with a reason. The reason is logged;
 * it reaches the client only where the server is configured to show refusal reasons.
 */
public class RefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates a refusal.
     *
     * @param reason why the operation is refused
     */
    public RefusedException(String reason) {
        super(reason, null, false, false);
    }

    /**
     * The reason given.
     *
     * @return the reason
     */
    public String reason() {
        return getMessage();
    }
}
