package io.plantmesh.twin.server.engine;

import java.util.List;

import org.eclipse.ditto.things.model.Thing;

/** Checks a thing about to be written against its declared model; returns the violations (empty = accept). */
@FunctionalInterface
public interface ModelCheck {

    /** Each violation as "{@code /json/pointer: what is wrong}". */
    List<String> violations(Thing thing);

    static ModelCheck none() {
        return thing -> List.of();
    }
}
