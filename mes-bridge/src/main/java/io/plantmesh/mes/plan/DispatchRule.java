package io.plantmesh.mes.plan;

import java.time.Instant;
import java.util.Comparator;

import io.plantmesh.twin.model.workorder.WorkOrderStatus;
import io.plantmesh.twin.model.workorder.WorkOrderTwin;

/**
 * The order in which work orders are considered for machines: <b>priority</b> first (1 is most urgent), then the
 * earliest <b>due date</b>, then the earliest <b>release</b> (when the order last became RELEASED; orders without a
 * release time come last), then the <b>thing id</b> as the final tie-breaker, so the rule is a total order and two
 * bridges (or one bridge twice) decide the same.
 */
public final class DispatchRule {

    /** priority, due date, release time, thing id. */
    public static final Comparator<WorkOrderTwin> ORDER = Comparator
            .comparingInt(WorkOrderTwin::priority)
            .thenComparing(WorkOrderTwin::dueDate)
            .thenComparing(DispatchRule::releasedAt, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(o -> o.id().toString());

    private DispatchRule() {
    }

    private static Instant releasedAt(final WorkOrderTwin order) {
        return order.status().times().get(WorkOrderStatus.RELEASED);
    }
}
