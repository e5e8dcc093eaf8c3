package io.plantmesh.twin.server.things;

import java.time.Instant;

import org.eclipse.ditto.base.model.json.FieldType;
import org.eclipse.ditto.base.model.json.JsonSchemaVersion;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.policies.model.PolicyId;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;

/**
 * The server's view of one thing at a revision. A deleted thing is kept as a tombstone (thing null) so revisions keep
 * counting up if it is created again.
 *
 * @param thing the thing with revision, created and modified set; null for a tombstone
 * @param json the thing's regular JSON ({@link #regularJson(Thing)}), null for a tombstone; rendered once per
 *             revision, since every write starts from it and it is what is stored
 */
public record ThingState(ThingId id, Thing thing, JsonObject json, long revision, Instant created, Instant modified) {

    /** A state whose JSON is rendered from {@code thing}. */
    public ThingState(ThingId id, Thing thing, long revision, Instant created, Instant modified) {
        this(id, thing, thing == null ? null : regularJson(thing), revision, created, modified);
    }

    public boolean exists() {
        return thing != null;
    }

    public PolicyId policyId() {
        return thing == null ? null : thing.getPolicyEntityId().orElse(null);
    }

    /** The thing's regular JSON (what Ditto returns without a field selector), including its special fields. */
    public static JsonObject regularJson(Thing thing) {
        return thing.toJson(JsonSchemaVersion.V_2, FieldType.notHidden());
    }
}
