package io.plantmesh.twin.server.events;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

import org.eclipse.ditto.base.model.auth.AuthorizationSubject;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonObjectBuilder;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;

/**
 * A persisted change of a twin, as Ditto publishes it: {@code created}, {@code modified}, {@code merged} or
 * {@code deleted} at a path, with the new value, the thing's revision and a timestamp.
 *
 * @param readSubjects subjects with unrestricted READ on the changed path; only they receive the event (Ditto 2.x)
 * @param thingAfter the whole thing after the change (empty for a deleted thing), for filters and extra fields
 */
public record ThingEvent(ThingId thingId, String action, JsonPointer path, Optional<JsonValue> value, long revision,
        Instant timestamp, DittoHeaders headers, Set<AuthorizationSubject> readSubjects, Optional<Thing> thingAfter) {

    public String topic() {
        return thingId.getNamespace() + "/" + thingId.getName() + "/things/twin/events/" + action;
    }

    /** The event as a Ditto protocol message; {@code extra} (may be null) goes into the {@code extra} field. */
    public JsonObject toProtocolJson(DittoHeaders headersToSend, JsonObject extra) {
        JsonObjectBuilder b = JsonFactory.newObjectBuilder()
                .set("topic", topic())
                .set("headers", headersToSend.toJson())
                .set("path", path.toString().isEmpty() ? "/" : path.toString());
        value.ifPresent(v -> b.set("value", v));
        if (extra != null && !extra.isEmpty()) {
            b.set("extra", extra);
        }
        b.set("revision", revision);
        b.set("timestamp", timestamp.toString());
        return b.build();
    }

    /**
     * The part of the thing this event carries, as a thing JSON ({@code thingId} plus the value at the path), which is
     * what Ditto evaluates an event subscription's RQL filter against (together with any extra fields).
     */
    public JsonObject asPartialThing() {
        JsonObjectBuilder b = JsonFactory.newObjectBuilder().set("thingId", thingId.toString());
        if (value.isPresent()) {
            if (path.isEmpty()) {
                if (value.get().isObject()) {
                    b.setAll(value.get().asObject());
                }
            } else {
                b.set(path, value.get());
            }
        }
        return b.build();
    }
}
