package io.plantmesh.twin.model;

/**
 * The four kinds of twin PlantMesh models. Each kind has one Ditto thing definition and one WoT Thing Model,
 * see {@link PlantDefinitions}.
 */
public enum TwinKind {
    MACHINE("machine"),
    LINE("line"),
    WORK_ORDER("work-order"),
    MATERIAL("material");

    private final String modelName;

    TwinKind(final String modelName) {
        this.modelName = modelName;
    }

    /** The name used in definition ids and Thing Model file names, e.g. {@code work-order}. */
    public String modelName() {
        return modelName;
    }
}
