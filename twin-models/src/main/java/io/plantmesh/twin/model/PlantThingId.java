package io.plantmesh.twin.model;

import java.util.Objects;

import org.eclipse.ditto.things.model.ThingId;

/**
 * A parsed PlantMesh thing id: the plant (the Ditto namespace), the kind, and the kind-specific key
 * ({@code 1} for {@code plant1:line-1}, {@code 1-03} for {@code plant1:machine-1-03}, {@code 000123} for
 * {@code plant1:wo-000123}, {@code RAW-1001} for {@code plant1:mat-RAW-1001}). Build and parse with
 * {@link PlantThingIds}.
 */
public record PlantThingId(ThingId thingId, String plant, TwinKind kind, String key) {

    public PlantThingId {
        Objects.requireNonNull(thingId, "thingId");
        Objects.requireNonNull(plant, "plant");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
    }

    @Override
    public String toString() {
        return thingId.toString();
    }
}
