package io.plantmesh.devices.ingestion.mapping;

import org.eclipse.ditto.things.model.ThingId;

/** The outcome of mapping one downstream message: an update of a twin, or the reason it cannot be applied. */
public sealed interface MappingResult {

    record Mapped(ThingId thingId, TwinUpdate update) implements MappingResult {
    }

    /**
     * @param reasonCode a stable code, Ditto's where one fits ({@code things:id.invalid}), else {@code plantmesh:...}
     * @param message what was wrong, for the dead letter
     */
    record Unmappable(String reasonCode, String message) implements MappingResult {
    }
}
