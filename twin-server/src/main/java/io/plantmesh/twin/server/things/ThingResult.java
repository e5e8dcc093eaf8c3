package io.plantmesh.twin.server.things;

import java.util.Optional;

import org.eclipse.ditto.base.model.common.HttpStatus;
import org.eclipse.ditto.base.model.headers.entitytag.EntityTag;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.ThingId;

/**
 * The outcome of a successful twin command: Ditto's status (200 retrieved, 201 created, 204 modified or deleted),
 * the value to return (already reduced to what the requester may read), the thing's revision and the entity tag of
 * the addressed resource.
 */
public record ThingResult(HttpStatus status, ThingId thingId, JsonPointer path, Optional<JsonValue> value,
        long revision, Optional<EntityTag> entityTag) {
}
