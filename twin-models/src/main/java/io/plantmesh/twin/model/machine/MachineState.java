package io.plantmesh.twin.model.machine;

import java.util.EnumSet;
import java.util.Set;

import io.plantmesh.twin.model.IllegalTransitionException;

/**
 * The operating state of a machine ({@code features/state/properties/state}).
 * <p>
 * Legal transitions:
 * <pre>
 * IDLE        -> RUNNING, SETUP, MAINTENANCE, DOWN
 * SETUP       -> IDLE, RUNNING, DOWN          (changeover done, or first part started straight away)
 * RUNNING     -> IDLE, DOWN                   (a running machine stops before setup or maintenance)
 * DOWN        -> MAINTENANCE, IDLE            (repair, or fault cleared; never straight back to RUNNING)
 * MAINTENANCE -> IDLE, DOWN
 * </pre>
 * Any state may go DOWN (a fault can happen at any time). Staying in a state is not a transition:
 * {@code canTransitionTo(this)} is false, so callers that receive repeated reports compare first.
 */
public enum MachineState {
    RUNNING,
    IDLE,
    DOWN,
    MAINTENANCE,
    SETUP;

    /** The states this one may move to. */
    public Set<MachineState> allowedNext() {
        return switch (this) {
            case IDLE -> EnumSet.of(RUNNING, SETUP, MAINTENANCE, DOWN);
            case SETUP -> EnumSet.of(IDLE, RUNNING, DOWN);
            case RUNNING -> EnumSet.of(IDLE, DOWN);
            case DOWN -> EnumSet.of(MAINTENANCE, IDLE);
            case MAINTENANCE -> EnumSet.of(IDLE, DOWN);
        };
    }

    public boolean canTransitionTo(final MachineState next) {
        return allowedNext().contains(next);
    }

    /**
     * Returns {@code next} if the move is legal.
     *
     * @throws IllegalTransitionException naming from, to and the allowed targets otherwise
     */
    public MachineState transitionTo(final MachineState next) {
        if (!canTransitionTo(next)) {
            throw new IllegalTransitionException("Machine state", this, next, allowedNext());
        }
        return next;
    }
}
