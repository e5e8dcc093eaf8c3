package io.plantmesh.twin.model;

/** A thing id that is not a valid Ditto id or does not follow the PlantMesh naming conventions. */
public final class InvalidPlantThingIdException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public InvalidPlantThingIdException(final String message) {
        super(message);
    }
}
