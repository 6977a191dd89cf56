package dev.termlet.test;

/**
 * How an exec command ended.
 *
 * @param status the exit status the server sent, or null if it sent none
 * @param out what the command wrote to standard output, as UTF-8
 * @param err what it wrote to standard error, as UTF-8
 */
public record ExecResult(Integer status, String out, String err) {
    /** @return true if the status is 0 */
    public boolean succeeded() {
        return status != null && status == 0;
    }
}
