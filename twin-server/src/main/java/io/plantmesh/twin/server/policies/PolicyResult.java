package io.plantmesh.twin.server.policies;

import java.util.Optional;

import org.eclipse.ditto.base.model.common.HttpStatus;
import org.eclipse.ditto.base.model.headers.entitytag.EntityTag;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.policies.model.PolicyId;

/** The outcome of a successful policy command. */
public record PolicyResult(HttpStatus status, PolicyId policyId, PolicyPath path, Optional<JsonValue> value,
        long revision, Optional<EntityTag> entityTag) {
}
