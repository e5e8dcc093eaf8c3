package io.plantmesh.twin.model;

/**
 * The kinds of twin PlantMesh models: the four of the plant (machines, lines, work orders, materials) and the edge
 * gateways (Hono gateway devices, twins of their own connectivity and health). Each kind has one Ditto thing
 * definition and one WoT Thing Model, see {@link PlantDefinitions}.
 */
public enum TwinKind {
    MACHINE("machine"),
    LINE("line"),
    WORK_ORDER("work-order"),
    MATERIAL("material"),
    GATEWAY("edge-gateway");

    private final String modelName;

    TwinKind(final String modelName) {
        this.modelName = modelName;
    }

    /** The name used in definition ids and Thing Model file names, e.g. {@code work-order}. */
    public String modelName() {
        return modelName;
    }
}
