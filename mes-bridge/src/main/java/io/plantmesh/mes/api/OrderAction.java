package io.plantmesh.mes.api;

import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import io.plantmesh.mes.plan.HoldReason;
import io.plantmesh.twin.model.IllegalTransitionException;
import io.plantmesh.twin.model.workorder.WorkOrderStatus;
import io.plantmesh.twin.model.workorder.WorkOrderTwin;

/**
 * What a person can do to a work order through the MES API, each one status transition of the work-order lifecycle:
 * <pre>
 * hold     RELEASED, DISPATCHED, RUNNING -> HELD (reason code MANUAL)
 * release  HELD with reason code MANUAL (or none) -> RELEASED   (undo a manual hold)
 * resume   HELD for any reason -> RELEASED                       (lift any hold, e.g. QUALITY, by a person's decision)
 * cancel   RELEASED, DISPATCHED, RUNNING, HELD -> CANCELLED
 * </pre>
 * The MES reconcilers take it from there: a RELEASED order is dispatched again, the machine of a held or cancelled
 * order is told to stop.
 */
enum OrderAction {

    HOLD(WorkOrderStatus.HELD, EnumSet.of(WorkOrderStatus.RELEASED, WorkOrderStatus.DISPATCHED,
            WorkOrderStatus.RUNNING)),
    RELEASE(WorkOrderStatus.RELEASED, EnumSet.of(WorkOrderStatus.HELD)),
    RESUME(WorkOrderStatus.RELEASED, EnumSet.of(WorkOrderStatus.HELD)),
    CANCEL(WorkOrderStatus.CANCELLED, EnumSet.of(WorkOrderStatus.RELEASED, WorkOrderStatus.DISPATCHED,
            WorkOrderStatus.RUNNING, WorkOrderStatus.HELD));

    private final WorkOrderStatus target;
    private final Set<WorkOrderStatus> sources;

    OrderAction(final WorkOrderStatus target, final Set<WorkOrderStatus> sources) {
        this.target = target;
        this.sources = sources;
    }

    /** The last path segment, e.g. {@code hold}. */
    String pathName() {
        return name().toLowerCase(Locale.ROOT);
    }

    WorkOrderStatus target() {
        return target;
    }

    /** True if this action applies to the order as it is. */
    boolean appliesTo(final WorkOrderTwin order) {
        final WorkOrderStatus status = order.status().status();
        if (!sources.contains(status)) {
            return false;
        }
        if (this == RELEASE) {
            // release undoes a manual hold; holds the MES placed for a cause are lifted by resume
            final String code = order.status().reasonCode();
            return code == null || HoldReason.MANUAL.name().equals(code);
        }
        return true;
    }

    /** The actions that apply to the order as it is, e.g. {@code [hold, cancel]}; empty for a final order. */
    static List<OrderAction> allowedFor(final WorkOrderTwin order) {
        return Arrays.stream(values()).filter(a -> a.appliesTo(order)).toList();
    }

    /**
     * The order after this action at {@code at}.
     *
     * @param reason the person's reason, null for a standard text
     * @throws ApiError 409 {@code mes:transition.illegal} naming the status, the target and the actions allowed now
     */
    WorkOrderTwin apply(final WorkOrderTwin order, final Instant at, final String reason) {
        final WorkOrderStatus from = order.status().status();
        if (!appliesTo(order)) {
            throw illegal(order);
        }
        final String why = reason != null ? reason : standardReason(order);
        try {
            final WorkOrderTwin moved = order.withStatus(target, at, why);
            return this == HOLD
                    ? moved.withStatusEntry(moved.status().withReasonCode(HoldReason.MANUAL.name()))
                    : moved;
        } catch (final IllegalTransitionException e) {
            // the lifecycle is stricter than this action's table: report it the same way
            throw ApiError.illegalTransition("Cannot " + pathName() + " " + order.id() + ": " + e.getMessage() + ".",
                    description(from));
        }
    }

    private ApiError illegal(final WorkOrderTwin order) {
        final WorkOrderStatus from = order.status().status();
        final String allowed = allowedFor(order).stream().map(OrderAction::pathName)
                .collect(Collectors.joining(", "));
        final String now = allowed.isEmpty() ? "none, " + from + " is final" : allowed;
        final boolean heldForCause = this == RELEASE && from == WorkOrderStatus.HELD;
        final String why = heldForCause
                ? "it is HELD for " + order.status().reasonCode() + " and release lifts only MANUAL holds (use "
                        + "resume to lift this one)"
                : "its status is " + from + " and " + pathName() + " moves " + sourcesText() + " to " + target;
        return ApiError.illegalTransition("Cannot " + pathName() + " " + order.id() + " (" + from + " -> " + target
                + "): " + why + ". Allowed now: " + now + ".", description(from));
    }

    private String description(final WorkOrderStatus from) {
        return "Read the order (GET " + MesApi.BASE_PATH + "/work-orders/{id}) to see its status. From " + from
                + " the work-order lifecycle allows " + (from.allowedNext().isEmpty() ? "nothing"
                : from.allowedNext().toString()) + "; the API's actions: hold (RELEASED, DISPATCHED, RUNNING -> "
                + "HELD), release (HELD with reason MANUAL -> RELEASED), resume (HELD -> RELEASED), cancel (any "
                + "status but COMPLETED and CANCELLED -> CANCELLED).";
    }

    private String sourcesText() {
        return sources.stream().map(Enum::name).collect(Collectors.joining(", "));
    }

    private String standardReason(final WorkOrderTwin order) {
        return switch (this) {
            case HOLD -> "held through the MES API";
            case RELEASE -> "released through the MES API";
            case RESUME -> "resumed through the MES API"
                    + (order.status().reasonCode() == null ? "" : " (was held for " + order.status().reasonCode()
                            + ")");
            case CANCEL -> "cancelled through the MES API";
        };
    }
}
