package io.plantmesh.twin.model;

import java.util.Set;

/**
 * A state machine was asked for a move it does not allow. The message names the from state, the to state and what
 * the from state allows.
 */
public final class IllegalTransitionException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final Enum<?> from;
    private final Enum<?> to;

    public IllegalTransitionException(final String machineName, final Enum<?> from, final Enum<?> to,
            final Set<? extends Enum<?>> allowed) {
        super(message(machineName, from, to, allowed));
        this.from = from;
        this.to = to;
    }

    public Enum<?> from() {
        return from;
    }

    public Enum<?> to() {
        return to;
    }

    private static String message(final String machineName, final Enum<?> from, final Enum<?> to,
            final Set<? extends Enum<?>> allowed) {
        final String allowedText = allowed.isEmpty() ? "none, " + from + " is final" : allowed.toString();
        return machineName + " cannot change from " + from + " to " + to + "; allowed from " + from + ": "
                + allowedText;
    }
}
