package io.plantmesh.mes.plan;

import java.util.Objects;

/** A typed twin as read at {@code revision}; writes that depend on it are conditional on that revision. */
public record Versioned<T>(T twin, long revision) {

    public Versioned {
        Objects.requireNonNull(twin, "twin");
    }
}
