package io.plantmesh.twin.server.things;

import java.time.Instant;

import org.eclipse.ditto.policies.model.PolicyId;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;

/**
 * The server's view of one thing at a revision. A deleted thing is kept as a tombstone (thing null) so revisions keep
 * counting up if it is created again.
 *
 * @param thing the thing with revision, created and modified set; null for a tombstone
 */
public record ThingState(ThingId id, Thing thing, long revision, Instant created, Instant modified) {

    public boolean exists() {
        return thing != null;
    }

    public PolicyId policyId() {
        return thing == null ? null : thing.getPolicyEntityId().orElse(null);
    }
}
