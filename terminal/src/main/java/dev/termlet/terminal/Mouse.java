package dev.termlet.terminal;

/**
 * A mouse report from xterm mouse tracking (SGR 1006 or the older X10 form), in 0-based cell coordinates.
 *
 * @param action what happened
 * @param button 1 left, 2 middle, 3 right; 0 for moves without a button and for the wheel
 * @param column the cell column, from 0
 * @param row the cell row, from 0
 * @param shift whether Shift was held
 * @param alt whether Alt (Meta) was held
 * @param ctrl whether Ctrl was held
 */
public record Mouse(Action action, int button, int column, int row, boolean shift, boolean alt, boolean ctrl) {

    /** What the mouse did. */
    public enum Action {
        /** A button went down. */
        PRESS,
        /** A button went up. */
        RELEASE,
        /** The mouse moved with a button down. */
        DRAG,
        /** The mouse moved with no button down (only with any-motion tracking). */
        MOVE,
        /** The wheel turned up. */
        WHEEL_UP,
        /** The wheel turned down. */
        WHEEL_DOWN
    }

    /**
     * Decodes the button byte and coordinates of a report.
     *
     * @param code the button code (already minus 32 for X10)
     * @param x the 1-based column
     * @param y the 1-based row
     * @param release whether the report is a release (SGR {@code m}); X10 signals it with button 3
     * @return the event
     */
    static Mouse decode(int code, int x, int y, boolean release) {
        boolean shift = (code & 4) != 0;
        boolean alt = (code & 8) != 0;
        boolean ctrl = (code & 16) != 0;
        boolean motion = (code & 32) != 0;
        int low = code & 3;
        Action action;
        int button;
        if ((code & 64) != 0) {
            action = low == 0 ? Action.WHEEL_UP : Action.WHEEL_DOWN;
            button = 0;
        } else if (motion) {
            action = low == 3 ? Action.MOVE : Action.DRAG;
            button = low == 3 ? 0 : low + 1;
        } else if (release || low == 3) {
            action = Action.RELEASE;
            button = low == 3 ? 0 : low + 1;
        } else {
            action = Action.PRESS;
            button = low + 1;
        }
        return new Mouse(action, button, Math.max(0, x - 1), Math.max(0, y - 1), shift, alt, ctrl);
    }
}
