package io.plantmesh.twin.model.workorder;

import java.util.EnumSet;
import java.util.Set;

import io.plantmesh.twin.model.IllegalTransitionException;

/**
 * The lifecycle of a work order ({@code features/status/properties/status}).
 * <p>
 * Legal transitions:
 * <pre>
 * RELEASED   -> DISPATCHED, HELD, CANCELLED
 * DISPATCHED -> RUNNING, RELEASED, HELD, CANCELLED   (RELEASED: the MES withdraws the dispatch to reschedule)
 * RUNNING    -> COMPLETED, DISPATCHED, RELEASED, HELD, CANCELLED
 *                                        (DISPATCHED: moved to another machine after a fault; RELEASED: back to the
 *                                        line's pool after a fault, to be dispatched when a machine has room)
 * HELD       -> RELEASED, CANCELLED                  (a held order is released again, then re-dispatched)
 * COMPLETED, CANCELLED: final
 * </pre>
 * Staying in a status is not a transition.
 */
public enum WorkOrderStatus {
    RELEASED,
    DISPATCHED,
    RUNNING,
    HELD,
    COMPLETED,
    CANCELLED;

    /** The statuses this one may move to; empty for the final ones. */
    public Set<WorkOrderStatus> allowedNext() {
        return switch (this) {
            case RELEASED -> EnumSet.of(DISPATCHED, HELD, CANCELLED);
            case DISPATCHED -> EnumSet.of(RUNNING, RELEASED, HELD, CANCELLED);
            case RUNNING -> EnumSet.of(COMPLETED, DISPATCHED, RELEASED, HELD, CANCELLED);
            case HELD -> EnumSet.of(RELEASED, CANCELLED);
            case COMPLETED, CANCELLED -> EnumSet.noneOf(WorkOrderStatus.class);
        };
    }

    /** COMPLETED and CANCELLED: nothing follows. */
    public boolean isTerminal() {
        return allowedNext().isEmpty();
    }

    public boolean canTransitionTo(final WorkOrderStatus next) {
        return allowedNext().contains(next);
    }

    /**
     * Returns {@code next} if the move is legal.
     *
     * @throws IllegalTransitionException naming from, to and the allowed targets otherwise
     */
    public WorkOrderStatus transitionTo(final WorkOrderStatus next) {
        if (!canTransitionTo(next)) {
            throw new IllegalTransitionException("Work order status", this, next, allowedNext());
        }
        return next;
    }
}
