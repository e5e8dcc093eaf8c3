package io.plantmesh.mes.plan;

import java.util.List;
import java.util.Objects;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.things.model.ThingId;

import io.plantmesh.twin.model.line.LineTwin;
import io.plantmesh.twin.model.machine.MachineTwin;
import io.plantmesh.twin.model.workorder.WorkOrderTwin;

/** One thing the planner decided to do. */
public sealed interface Action {

    /**
     * Writes a work order's status and progress, conditional on {@code expectedRevision} (the revision the decision
     * was computed from): the commit point of every decision about the order.
     *
     * @param before the order as read
     * @param after the order as it should be
     * @param why one line for the log
     */
    record UpdateOrder(Versioned<WorkOrderTwin> before, WorkOrderTwin after, String why) implements Action {

        public UpdateOrder {
            Objects.requireNonNull(before, "before");
            Objects.requireNonNull(after, "after");
        }

        public ThingId orderId() {
            return after.id();
        }
    }

    /** Sets a machine's desired job (a projection of the orders assigned to it). */
    record SetMachineJob(ThingId machine, MachineTwin.Assignment desired) implements Action {
    }

    /** Sets a line's schedule (a projection of the dispatched and running orders). */
    record SetLineSchedule(ThingId line, List<LineTwin.ScheduleEntry> queue) implements Action {

        public SetLineSchedule {
            queue = List.copyOf(queue);
        }
    }

    /** Sends a live message to a machine: {@code startJob}, {@code holdJob} or {@code stopJob}. */
    record CommandMachine(ThingId machine, String command, JsonObject payload, String workOrder, String why)
            implements Action {
    }

    /** Raises an event about an order (a live message from the order twin's outbox), e.g. {@code qualityHold}. */
    record RaiseEvent(ThingId order, String topic, JsonObject payload) implements Action {
    }
}
