package io.eddy.streams.internal.admin;

import java.util.Map;

/**
 * An instruction from the admin handler to every task of one model, sent to each partition of the
 * model's control topic so that each task applies it once, in order, inside its own transaction.
 *
 * @param op one of {@code update}, {@code pause}, {@code resume}, {@code snapshot}, {@code rollback},
 *     {@code reset}
 * @param generation the model generation after the command
 * @param params the full hyper-parameters after an {@code update}
 * @param snapshot the snapshot name for {@code snapshot} and {@code rollback}
 */
public record ControlMessage(String op, long generation, Map<String, Double> params, String snapshot) {
    public static final String UPDATE = "update";
    public static final String PAUSE = "pause";
    public static final String RESUME = "resume";
    public static final String SNAPSHOT = "snapshot";
    public static final String ROLLBACK = "rollback";
    public static final String RESET = "reset";

    /** What makes this message impossible to apply (no op, an update without parameters, ...), or {@code null}. */
    public String problem() {
        if (op == null) {
            return "it has no 'op'";
        }
        if (op.equals(UPDATE) && params == null) {
            return "an update without 'params'";
        }
        if ((op.equals(SNAPSHOT) || op.equals(ROLLBACK)) && snapshot == null) {
            return "a " + op + " without a 'snapshot' name";
        }
        return null;
    }
}
