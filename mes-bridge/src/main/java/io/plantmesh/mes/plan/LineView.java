package io.plantmesh.mes.plan;

import java.util.Map;
import java.util.Objects;

import org.eclipse.ditto.things.model.ThingId;

import io.plantmesh.twin.model.line.LineTwin;
import io.plantmesh.twin.model.machine.MachineTwin;
import io.plantmesh.twin.model.material.MaterialTwin;
import io.plantmesh.twin.model.workorder.WorkOrderTwin;

/**
 * What the MES knows of one line at a moment: the line twin (null if it does not exist), its machines, its work
 * orders (all of them; the planner looks at the open ones) and the plant's materials by material number.
 */
public record LineView(ThingId lineId, Versioned<LineTwin> line, Map<ThingId, Versioned<MachineTwin>> machines,
        Map<ThingId, Versioned<WorkOrderTwin>> orders, Map<String, Versioned<MaterialTwin>> materials) {

    public LineView {
        Objects.requireNonNull(lineId, "lineId");
        machines = Map.copyOf(machines);
        orders = Map.copyOf(orders);
        materials = Map.copyOf(materials);
    }
}
