package io.plantmesh.devices.simulator.machine;

import java.util.Objects;

/** The work order and operation a machine is set up for. */
public record JobAssignment(String workOrder, String operation) {

    public JobAssignment {
        Objects.requireNonNull(workOrder, "workOrder");
        Objects.requireNonNull(operation, "operation");
    }

    /** {@code <workOrder>/<operation>}, the value of the OPC-UA {@code JobId} variable. */
    public String jobId() {
        return workOrder + "/" + operation;
    }
}
