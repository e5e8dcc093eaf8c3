package io.plantmesh.twin.server.policies;

import java.util.Objects;

import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.policies.model.PolicyId;

import io.plantmesh.twin.server.things.ThingAction;

/**
 * One policy command: retrieve, create, modify (PUT) or delete a policy or a part of it. Policies have no merge in
 * Ditto 2.4's HTTP API.
 */
public record PolicyCommand(ThingAction action, PolicyId policyId, PolicyPath path, JsonValue value,
        DittoHeaders headers, AuthorizationContext authorization) {

    public PolicyCommand {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(policyId, "policyId");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(authorization, "authorization");
    }
}
