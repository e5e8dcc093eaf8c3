package io.plantmesh.twin.server.policies;

import java.time.Instant;

import org.eclipse.ditto.policies.model.Policy;
import org.eclipse.ditto.policies.model.PolicyId;
import org.eclipse.ditto.policies.model.enforcers.Enforcer;

/**
 * One policy at a revision with its compiled enforcer. A deleted policy is a tombstone (policy and enforcer null).
 */
public record PolicyState(PolicyId id, Policy policy, Enforcer enforcer, long revision, Instant created,
        Instant modified) {

    public boolean exists() {
        return policy != null;
    }
}
